import Testing
@testable import Storage

@Suite struct MemberOrderTests {
    /// Every entry once, in byte order (a prefix first), as SQLite orders TEXT.
    @Test func largeDictionariesComeInByteOrder() {
        var names: [[UInt8]] = [[], [0], [0, 0], [255], [1, 2, 3], [1, 2], [1, 3], Array("a".utf8), Array("ab".utf8),
                                Array("B".utf8), Array("élan".utf8)]
        for index in 0..<300 { names.append(Array("member:\(index * 7919 % 1000)".utf8)) }
        var entries: [ByteKey: Int] = [:]
        for (position, name) in names.enumerated() { entries[ByteKey(name)] = position }
        let ordered = MemberOrder.indices(of: entries).map { entries[$0].key.bytes }
        #expect(ordered.count == entries.count)
        #expect(Set(ordered.map(ByteKey.init)) == Set(entries.keys))
        #expect(ordered == entries.keys.map(\.bytes).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func smallDictionariesKeepEveryEntry() {
        let entries: [ByteKey: Bool] = [ByteKey([2]): true, ByteKey([1]): false, ByteKey([]): true]
        let indices = MemberOrder.indices(of: entries)
        #expect(Set(indices.map { entries[$0].key }) == Set(entries.keys))
    }
}
