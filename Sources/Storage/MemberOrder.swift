#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The order to write a collection's coalesced field or member changes in:
/// byte order of the names, which is the order of the table's primary key
/// (db, key, member) for TEXT members (SQLite's BINARY collation). Upserts in
/// that order walk neighbouring B-tree pages; in a dictionary's hash order
/// each one searched the index from a random leaf (`sqlite3BtreeIndexMoveto`
/// was a quarter of the materializer under ZADD to a 100,000-member set).
///
/// The names are copied into one buffer and compared there, so the sort moves
/// plain values and retains nothing.
enum MemberOrder {
    /// Below this many changes the order gains nothing worth sorting for.
    static let minimumToSort = 8

    /// A name's place in the buffer of names, and its entry.
    private struct Entry<Index> {
        let offset: Int
        let count: Int
        let index: Index
    }

    static func indices<Value>(of entries: [ByteKey: Value]) -> [Dictionary<ByteKey, Value>.Index] {
        guard entries.count >= minimumToSort else { return Array(entries.indices) }
        var names: [UInt8] = []
        names.reserveCapacity(entries.count * 16)
        var order: [Entry<Dictionary<ByteKey, Value>.Index>] = []
        order.reserveCapacity(entries.count)
        var index = entries.startIndex
        while index != entries.endIndex {
            let name = entries[index].key.bytes
            order.append(Entry(offset: names.count, count: name.count, index: index))
            names.append(contentsOf: name)
            entries.formIndex(after: &index)
        }
        names.withUnsafeBufferPointer { names in
            let base = names.baseAddress
            order.sort { a, b in
                let common = min(a.count, b.count)
                if common > 0 {
                    let result = memcmp(base! + a.offset, base! + b.offset, common)
                    if result != 0 { return result < 0 }
                }
                return a.count < b.count
            }
        }
        return order.map(\.index)
    }
}
