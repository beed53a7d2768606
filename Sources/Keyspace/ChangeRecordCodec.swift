/// The binary form of a change record: how the journal stores it
/// (`Storage/JournalCodec` frames records into rows). Records are encoded
/// as they are made (`Keyspace.record`), while their keys and values are
/// still in the cache; the records themselves are not kept.
///
///     record := tag:u8 fields…   (db and integers as zig-zag varints,
///                                 byte strings as varint length + bytes,
///                                 scores as 8 little-endian bytes)
///
/// Tags are never renumbered or reused: a journal left by an older version
/// is replayed by a newer one. Tag 1 predates the split of string writes
/// into `setString` (over a string or a new key, tag 23) and
/// `replaceWithString` (over another type): it meant either, so it decodes
/// as `replaceWithString`, which replaces whatever the key held.
public enum ChangeRecordCodec {
    /// Thrown for bytes that are not a well-formed record.
    public struct Malformed: Error {}

    private enum Tag: UInt8 {
        case replaceWithString = 1, delete, expired, setExpiry, rename, move, copy, flushDatabase, flushAll, swapDatabases
        case hashSet, hashDelete, setAdd, setRemove, zsetAdd, zsetRemove
        case listPush, listTrim, listSet, listInsert, listRemove
        case history
        case setString  // 23
    }

    @inline(__always)
    public static func encode(_ change: ChangeRecord, into out: inout [UInt8]) {
        func tag(_ tag: Tag) { out.append(tag.rawValue) }
        func int(_ value: Int) { writeInteger(Int64(value), to: &out) }
        func bytes(_ value: [UInt8]) {
            writeInteger(Int64(value.count), to: &out)
            out.append(contentsOf: value)
        }
        switch change {
        case .setString(let db, let key, let value): tag(.setString); int(db); bytes(key); bytes(value)
        case .replaceWithString(let db, let key, let value): tag(.replaceWithString); int(db); bytes(key); bytes(value)
        case .delete(let db, let key): tag(.delete); int(db); bytes(key)
        case .expired(let db, let key): tag(.expired); int(db); bytes(key)
        case .setExpiry(let db, let key, let at): tag(.setExpiry); int(db); bytes(key); writeInteger(at, to: &out)
        case .rename(let db, let from, let to): tag(.rename); int(db); bytes(from); bytes(to)
        case .move(let fromDb, let toDb, let key): tag(.move); int(fromDb); int(toDb); bytes(key)
        case .copy(let fromDb, let from, let toDb, let to): tag(.copy); int(fromDb); bytes(from); int(toDb); bytes(to)
        case .flushDatabase(let db): tag(.flushDatabase); int(db)
        case .flushAll: tag(.flushAll)
        case .swapDatabases(let first, let second): tag(.swapDatabases); int(first); int(second)
        case .hashSet(let db, let key, let field, let value): tag(.hashSet); int(db); bytes(key); bytes(field); bytes(value)
        case .hashDelete(let db, let key, let field): tag(.hashDelete); int(db); bytes(key); bytes(field)
        case .setAdd(let db, let key, let member): tag(.setAdd); int(db); bytes(key); bytes(member)
        case .setRemove(let db, let key, let member): tag(.setRemove); int(db); bytes(key); bytes(member)
        case .zsetAdd(let db, let key, let member, let score):
            tag(.zsetAdd); int(db); bytes(key); bytes(member)
            withUnsafeBytes(of: score.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case .zsetRemove(let db, let key, let member): tag(.zsetRemove); int(db); bytes(key); bytes(member)
        case .listPush(let db, let key, let atHead, let value):
            tag(.listPush); int(db); bytes(key); out.append(atHead ? 1 : 0); bytes(value)
        case .listTrim(let db, let key, let head, let tail): tag(.listTrim); int(db); bytes(key); int(head); int(tail)
        case .listSet(let db, let key, let index, let value): tag(.listSet); int(db); bytes(key); int(index); bytes(value)
        case .listInsert(let db, let key, let index, let value):
            tag(.listInsert); int(db); bytes(key); int(index); bytes(value)
        case .listRemove(let db, let key, let index): tag(.listRemove); int(db); bytes(key); int(index)
        case .history(let operation, let source, let destination):
            tag(.history); bytes(operation); out.append((source ? 1 : 0) | (destination ? 2 : 0))
        }
    }

    /// Decodes the record at the reader's position.
    public static func decodeRecord(_ r: inout Reader) throws -> ChangeRecord {
        guard let tag = Tag(rawValue: try r.byte()) else { throw Reader.malformed }
        switch tag {
        case .setString: return .setString(db: try r.int(), key: try r.bytes(), value: try r.bytes())
        case .replaceWithString: return .replaceWithString(db: try r.int(), key: try r.bytes(), value: try r.bytes())
        case .delete: return .delete(db: try r.int(), key: try r.bytes())
        case .expired: return .expired(db: try r.int(), key: try r.bytes())
        case .setExpiry: return .setExpiry(db: try r.int(), key: try r.bytes(), at: try r.integer())
        case .rename: return .rename(db: try r.int(), from: try r.bytes(), to: try r.bytes())
        case .move: return .move(fromDb: try r.int(), toDb: try r.int(), key: try r.bytes())
        case .copy: return .copy(fromDb: try r.int(), from: try r.bytes(), toDb: try r.int(), to: try r.bytes())
        case .flushDatabase: return .flushDatabase(db: try r.int())
        case .flushAll: return .flushAll
        case .swapDatabases: return .swapDatabases(try r.int(), try r.int())
        case .hashSet: return .hashSet(db: try r.int(), key: try r.bytes(), field: try r.bytes(), value: try r.bytes())
        case .hashDelete: return .hashDelete(db: try r.int(), key: try r.bytes(), field: try r.bytes())
        case .setAdd: return .setAdd(db: try r.int(), key: try r.bytes(), member: try r.bytes())
        case .setRemove: return .setRemove(db: try r.int(), key: try r.bytes(), member: try r.bytes())
        case .zsetAdd: return .zsetAdd(db: try r.int(), key: try r.bytes(), member: try r.bytes(), score: try r.double())
        case .zsetRemove: return .zsetRemove(db: try r.int(), key: try r.bytes(), member: try r.bytes())
        case .listPush: return .listPush(db: try r.int(), key: try r.bytes(), atHead: try r.byte() != 0, value: try r.bytes())
        case .listTrim: return .listTrim(db: try r.int(), key: try r.bytes(), head: try r.int(), tail: try r.int())
        case .listSet: return .listSet(db: try r.int(), key: try r.bytes(), index: try r.int(), value: try r.bytes())
        case .listInsert: return .listInsert(db: try r.int(), key: try r.bytes(), index: try r.int(), value: try r.bytes())
        case .listRemove: return .listRemove(db: try r.int(), key: try r.bytes(), index: try r.int())
        case .history:
            let operation = try r.bytes()
            let sides = try r.byte()
            return .history(operation: operation, source: sides & 1 != 0, destination: sides & 2 != 0)
        }
    }

    /// Zig-zag LEB128.
    @inline(__always)
    public static func writeInteger(_ value: Int64, to out: inout [UInt8]) {
        var bits = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while bits >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: bits) | 0x80)
            bits >>= 7
        }
        out.append(UInt8(bits))
    }

    /// Reads records and integers from encoded bytes.
    public struct Reader {
        let data: [UInt8]
        var offset = 0

        public init(data: [UInt8]) { self.data = data }

        static let malformed = Malformed()

        public var atEnd: Bool { offset >= data.count }

        mutating func byte() throws -> UInt8 {
            guard offset < data.count else { throw Reader.malformed }
            defer { offset += 1 }
            return data[offset]
        }

        public mutating func integer() throws -> Int64 {
            var bits: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                guard shift < 64 else { throw Reader.malformed }
                bits |= UInt64(next & 0x7f) << shift
                if next < 0x80 { break }
                shift += 7
            }
            return Int64(bitPattern: bits >> 1) ^ -Int64(bitPattern: bits & 1)
        }

        mutating func int() throws -> Int { Int(try integer()) }

        mutating func bytes() throws -> [UInt8] {
            let count = try integer()
            guard count >= 0 && count <= data.count - offset else { throw Reader.malformed }
            defer { offset += Int(count) }
            return data.withUnsafeBufferPointer { Array($0[offset..<offset + Int(count)]) }
        }

        mutating func double() throws -> Double {
            guard data.count - offset >= 8 else { throw Reader.malformed }
            var bits: UInt64 = 0
            for index in 0..<8 { bits |= UInt64(data[offset + index]) << (8 * UInt64(index)) }
            offset += 8
            return Double(bitPattern: bits)
        }
    }
}

/// Change records in their binary form, back to back, and how many.
public struct EncodedChanges {
    public private(set) var bytes: [UInt8] = []
    public private(set) var count = 0

    public init() {}

    public init(_ changes: [ChangeRecord]) {
        for change in changes { append(change) }
    }

    public var isEmpty: Bool { count == 0 }

    /// Room for `byteCount` bytes of records.
    public mutating func reserveCapacity(_ byteCount: Int) { bytes.reserveCapacity(byteCount) }

    @inline(__always)
    public mutating func append(_ change: ChangeRecord) {
        ChangeRecordCodec.encode(change, into: &bytes)
        count += 1
    }

    /// The records (well formed: this type encoded them).
    public func decoded() -> [ChangeRecord] {
        var reader = ChangeRecordCodec.Reader(data: bytes)
        var changes: [ChangeRecord] = []
        changes.reserveCapacity(count)
        for _ in 0..<count {
            guard let change = try? ChangeRecordCodec.decodeRecord(&reader) else { break }
            changes.append(change)
        }
        return changes
    }
}
