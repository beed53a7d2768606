#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Keyspace

/// What one batch of change records does to the database, after coalescing.
///
/// Records that address one key (set, delete, expire, TTL) are folded into one
/// `KeyOperation` per key: the last write wins, and a delete after a set
/// cancels the set. Records that involve several keys or whole databases
/// (RENAME, MOVE, COPY, FLUSHDB, FLUSHALL, SWAPDB) are ordering barriers:
/// coalescing happens only within the runs between them, and the barriers are
/// applied in place, so the result is exactly that of replaying every record.
///
/// Within a run the key operations are independent of each other, so they
/// are applied in (db, key) order: consecutive upserts then walk neighbouring
/// B-tree pages instead of jumping around the whole index.
struct BatchPlan {
    /// The coalesced key operations, in the order they were first touched.
    private(set) var operations: [KeyOperation] = []
    /// Indices into `operations`, each run sorted by (db, key): the order to
    /// apply them in. `.keys` steps name ranges of it.
    private(set) var order: [Int] = []
    private(set) var steps: [Step] = []
    /// Change records that went in.
    private(set) var changeCount = 0
    /// The operations' keys and string values, back to back (`ByteRange`).
    /// Copied here, a decoded record's arrays are freed at once, still in
    /// cache; kept in the operations until the plan was applied, each was
    /// released and freed cold, and a value replaced within the batch
    /// twice so (a fifth of the materializer's time on MSET). A replaced
    /// value's bytes stay here unused until the plan goes: at most what the
    /// batch's journal rows hold, which back-pressure bounds (`maxQueuedBytes`).
    private(set) var bytes: [UInt8] = []

    enum Step {
        /// The operations `order[range]` names, in that order.
        case keys(Range<Int>)
        case rename(db: Int, from: [UInt8], to: [UInt8])
        case move(fromDb: Int, toDb: Int, key: [UInt8])
        case copy(fromDb: Int, from: [UInt8], toDb: Int, to: [UInt8], time: Int64)
        case flushDatabase(Int)
        case flushAll
        case swapDatabases(Int, Int)
    }

    /// The net effect of a run of records on one key.
    struct KeyOperation {
        let db: Int
        let key: ByteRange
        /// Remove every row of the key (value and TTL) before the rest.
        var deleteFirst = false
        /// A string write in the run replaced a value of another type
        /// (`.replaceWithString`) with no delete after it: the key's rows in
        /// the other value tables go too. A plain `.setString` is known to
        /// overwrite a string or create the key, and needs no such deletes.
        var replacesOtherType = false
        /// The key's new value, when the run ends with one written.
        var value: ValueWrite?
        /// Element changes of a collection key, applied after `deleteFirst`.
        var elements: ElementWrites?
        /// The key's new TTL: nil untouched, 0 removed, else Unix ms.
        var expiry: Int64?

        init(db: Int, key: ByteRange) {
            self.db = db
            self.key = key
        }
    }

    /// A key's new value. Collection types join here: a hash's field writes
    /// coalesce per field, a set's per member, a list's operations stay in
    /// order. Writing a value of one type replaces the key's rows in the
    /// tables of every other type.
    enum ValueWrite {
        case string(ByteRange, updatedAt: Int64)
    }

    /// A collection's element changes within one run: the last write to a
    /// field or member wins (nil = removed); list operations stay in order,
    /// since each one's positions depend on the ones before. A key's first
    /// change is held as it is (`hashField`, `setMember`…) and becomes a
    /// dictionary or an array only when a second one comes: most keys of a
    /// batch get one (HSET k f v, ZADD, LPUSH), and a collection per key
    /// cost the materializer an allocation, hashing and a free each.
    enum ElementWrites {
        case hashField(ByteKey, HashFieldWrite)
        case hash([ByteKey: HashFieldWrite])
        case setMember(ByteKey, Bool)
        case set([ByteKey: Bool])
        case zsetMember(ByteKey, Double?)
        case zset([ByteKey: Double?])
        case listOperation(ListOperation)
        case list([ListOperation])
    }

    struct HashFieldWrite {
        var value: [UInt8]?
        var updatedAt: Int64
    }

    enum ListOperation {
        case push(atHead: Bool, value: [UInt8])
        case trim(head: Int, tail: Int)
        case set(index: Int, value: [UInt8])
        case insert(index: Int, value: [UInt8])
        case remove(index: Int)
    }

    /// Where the current run starts in `operations`.
    private var segmentStart = 0
    /// The current run's keys, one entry per operation, with their bytes
    /// in `bytes`. They find a key's operation
    /// (through `runTable`) and give the run its order: sorting and
    /// comparing these plain values retains nothing (sorting the operations
    /// themselves retained and released their arrays at every move and
    /// comparison, a third of the materializer's time, and a dictionary
    /// keyed by (db, key) kept a reference to every key).
    private var runEntries: [RunEntry] = []
    /// Open addressing over `runEntries`: a slot holds an entry's position
    /// + 1 in its low 32 bits and the top 32 bits of the entry's hash above
    /// them, 0 when free. Probes compare the hash bits first, so only a
    /// likely match reads the entry and its key: with a large batch both are
    /// out of cache, and a probe that read them for every occupied slot it
    /// passed missed two or three times. Its size is a power of two, at
    /// least twice the number of entries.
    private var runTable: [UInt64] = []
    /// Slots passed over while clearing `runTable` slot by slot (for tests:
    /// about as many as when the entries went in, never the whole table).
    private(set) var clearingProbes = 0

    private struct RunEntry {
        let db: Int
        let offset: Int
        let count: Int
        let index: Int
        /// The (seeded) hash of (db, key).
        let hash: Int
    }

    init() {}

    /// Sized for about `changes` records (most of them on distinct keys), so
    /// the arrays and the index are not regrown while a large batch goes in.
    init(expectedChanges changes: Int) {
        operations.reserveCapacity(changes)
        order.reserveCapacity(changes)
        runEntries.reserveCapacity(changes)
        bytes.reserveCapacity(changes * 16)
        runTable = Array(repeating: 0, count: BatchPlan.tableSize(for: changes))
    }

    mutating func add(_ change: ChangeRecord, time: Int64) {
        switch change {
        case .setString(let db, let key, let value):
            let index = slot(db, key)
            operations[index].value = .string(store(value), updatedAt: time)
            operations[index].elements = nil
        case .replaceWithString(let db, let key, let value):
            let index = slot(db, key)
            operations[index].value = .string(store(value), updatedAt: time)
            operations[index].elements = nil
            operations[index].replacesOtherType = true
        case .delete(let db, let key), .expired(let db, let key):
            let index = slot(db, key)
            operations[index].deleteFirst = true
            operations[index].replacesOtherType = false  // the delete covers every table
            operations[index].value = nil
            operations[index].elements = nil
            operations[index].expiry = nil
        case .hashSet(let db, let key, let field, let value):
            operations[slot(db, key)].updateHash(field, HashFieldWrite(value: value, updatedAt: time))
        case .hashDelete(let db, let key, let field):
            operations[slot(db, key)].updateHash(field, HashFieldWrite(value: nil, updatedAt: time))
        case .setAdd(let db, let key, let member):
            operations[slot(db, key)].updateSet(member, true)
        case .setRemove(let db, let key, let member):
            operations[slot(db, key)].updateSet(member, false)
        case .zsetAdd(let db, let key, let member, let score):
            operations[slot(db, key)].updateSortedSet(member, score)
        case .zsetRemove(let db, let key, let member):
            operations[slot(db, key)].updateSortedSet(member, nil)
        case .listPush(let db, let key, let atHead, let value):
            operations[slot(db, key)].appendList(.push(atHead: atHead, value: value))
        case .listTrim(let db, let key, let head, let tail):
            operations[slot(db, key)].appendList(.trim(head: head, tail: tail))
        case .listSet(let db, let key, let index, let value):
            operations[slot(db, key)].appendList(.set(index: index, value: value))
        case .listInsert(let db, let key, let index, let value):
            operations[slot(db, key)].appendList(.insert(index: index, value: value))
        case .listRemove(let db, let key, let index):
            operations[slot(db, key)].appendList(.remove(index: index))
        case .setExpiry(let db, let key, let at):
            operations[slot(db, key)].expiry = at
        case .rename(let db, let from, let to):
            barrier(.rename(db: db, from: from, to: to))
        case .move(let fromDb, let toDb, let key):
            barrier(.move(fromDb: fromDb, toDb: toDb, key: key))
        case .copy(let fromDb, let from, let toDb, let to):
            barrier(.copy(fromDb: fromDb, from: from, toDb: toDb, to: to, time: time))
        case .flushDatabase(let db):
            barrier(.flushDatabase(db))
        case .flushAll:
            barrier(.flushAll)
        case .swapDatabases(let first, let second):
            barrier(.swapDatabases(first, second))
        case .history:
            return  // a marker for the history writer, not a change
        }
        changeCount += 1
    }

    /// The bytes of `range` (a key or a value of `operations`).
    func bytes(of range: ByteRange) -> [UInt8] { Array(bytes[range.offset..<range.offset + range.count]) }

    /// Appends `value` to `bytes`.
    private mutating func store(_ value: [UInt8]) -> ByteRange {
        let range = ByteRange(offset: bytes.count, count: value.count)
        bytes.append(contentsOf: value)
        return range
    }

    /// Ends the current run; call before reading `steps`.
    mutating func finish() { closeSegment() }

    /// The index in `operations` of the current run's operation on (db, key),
    /// appended if the run has none yet.
    private mutating func slot(_ db: Int, _ key: [UInt8]) -> Int {
        if (runEntries.count + 1) * 2 > runTable.count { growTable() }
        var hasher = Hasher()
        hasher.combine(db)
        let hash = key.withUnsafeBufferPointer { key in
            hasher.combine(bytes: UnsafeRawBufferPointer(key))
            return hasher.finalize()
        }
        let mask = runTable.count - 1
        let tag = Self.tag(hash)
        var position = hash & mask
        let found: Int? = bytes.withUnsafeBufferPointer { bytes in
            key.withUnsafeBufferPointer { key in
                while true {
                    let slot = runTable[position]
                    if slot == 0 { return nil }
                    if slot >> 32 == tag {
                        let entry = runEntries[Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1]
                        if entry.hash == hash && entry.db == db && entry.count == key.count
                            && (key.count == 0 || memcmp(bytes.baseAddress! + entry.offset, key.baseAddress!, key.count) == 0) {
                            return entry.index
                        }
                    }
                    position = (position + 1) & mask
                }
            }
        }
        if let found { return found }
        let index = operations.count
        let range = store(key)
        operations.append(KeyOperation(db: db, key: range))
        runTable[position] = tag << 32 | UInt64(runEntries.count + 1)
        runEntries.append(RunEntry(db: db, offset: range.offset, count: key.count, index: index, hash: hash))
        return index
    }

    @inline(__always)
    private static func tag(_ hash: Int) -> UInt64 { UInt64(UInt(bitPattern: hash) >> 32) }

    private static func tableSize(for entries: Int) -> Int {
        var size = 16
        while size < entries * 2 { size *= 2 }
        return size
    }

    private mutating func growTable() {
        let size = BatchPlan.tableSize(for: max(runEntries.count + 1, runTable.count))
        var table = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        for (position, entry) in runEntries.enumerated() {
            var slot = entry.hash & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Self.tag(entry.hash) << 32 | UInt64(position + 1)
        }
        runTable = table
    }

    /// Empties `runTable` for the next run: slot by slot when the run was
    /// small (runs between frequent barriers must not pay for the whole table).
    private mutating func clearTable() {
        if runEntries.count * 8 >= runTable.count {
            runTable.withUnsafeMutableBufferPointer { table in
                table.update(repeating: 0)
            }
            return
        }
        let mask = runTable.count - 1
        for (position, entry) in runEntries.enumerated() {
            var slot = entry.hash & mask
            // Earlier entries' slots may be free already: look for this one's.
            while runTable[slot] & 0xFFFF_FFFF != UInt64(position + 1) {
                slot = (slot + 1) & mask
                clearingProbes += 1
            }
            runTable[slot] = 0
        }
    }

    private mutating func barrier(_ step: Step) {
        closeSegment()
        steps.append(step)
    }

    private mutating func closeSegment() {
        let end = operations.count
        guard end > segmentStart else { return }
        // Cleared before sorting: slot by slot, an entry's slot is found by
        // its position in `runEntries`, which sorting changes. (Cleared after,
        // each entry's search ran through the table from an unrelated slot:
        // a run of 100,000 keys in a table sized for 1,000,000 changes kept
        // the materializer busy for minutes.)
        clearTable()
        BatchPlan.sort(&runEntries, by: bytes)
        steps.append(.keys(order.count..<order.count + runEntries.count))
        for entry in runEntries { order.append(entry.index) }
        segmentStart = end
        runEntries.removeAll(keepingCapacity: true)
    }

    /// (db, key) order, keys compared as bytes: SQLite's order for keys
    /// stored as TEXT (BINARY collation), which is all that matters here.
    private static func sort(_ entries: inout [RunEntry], by keys: [UInt8]) {
        keys.withUnsafeBufferPointer { keys in
            let base = keys.baseAddress
            entries.sort { a, b in
                if a.db != b.db { return a.db < b.db }
                let common = min(a.count, b.count)
                if common > 0 {
                    let order = memcmp(base! + a.offset, base! + b.offset, common)
                    if order != 0 { return order < 0 }
                }
                return a.count < b.count
            }
        }
    }
}

extension BatchPlan.KeyOperation {
    // A collection record never follows a string write without a delete in
    // between (commands refuse the wrong type), so each helper only has to
    // start the right kind of element writes.

    // `if case`, not `switch`: a switch keeps its subject alive to its end,
    // so the dictionary bound in a case was never uniquely referenced and
    // every insert copied it whole.

    mutating func updateHash(_ field: [UInt8], _ write: BatchPlan.HashFieldWrite) {
        value = nil
        let field = ByteKey(field)
        if case .hash(var fields) = elements {
            elements = nil  // keep the dictionary uniquely referenced while it changes
            fields[field] = write
            elements = .hash(fields)
        } else if case .hashField(let first, let firstWrite) = elements, first != field {
            elements = .hash([first: firstWrite, field: write])
        } else {
            elements = .hashField(field, write)
        }
    }

    mutating func updateSet(_ member: [UInt8], _ present: Bool) {
        value = nil
        let member = ByteKey(member)
        if case .set(var members) = elements {
            elements = nil
            members[member] = present
            elements = .set(members)
        } else if case .setMember(let first, let firstPresent) = elements, first != member {
            elements = .set([first: firstPresent, member: present])
        } else {
            elements = .setMember(member, present)
        }
    }

    mutating func updateSortedSet(_ member: [UInt8], _ score: Double?) {
        value = nil
        let member = ByteKey(member)
        if case .zset(var members) = elements {
            elements = nil
            members[member] = .some(score)
            elements = .zset(members)
        } else if case .zsetMember(let first, let firstScore) = elements, first != member {
            elements = .zset([first: firstScore, member: score])
        } else {
            elements = .zsetMember(member, score)
        }
    }

    mutating func appendList(_ operation: BatchPlan.ListOperation) {
        value = nil
        if case .list(var operations) = elements {
            elements = nil
            operations.append(operation)
            elements = .list(operations)
        } else if case .listOperation(let first) = elements {
            elements = .list([first, operation])
        } else {
            elements = .listOperation(operation)
        }
    }
}

/// Where a key or a string value is in a `BatchPlan`'s `bytes`.
struct ByteRange: Equatable {
    let offset: Int
    let count: Int

    func bytes(in buffer: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[offset..<offset + count])
    }
}

/// Bytes as a dictionary key (field, member).
struct ByteKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// (db, key) as a dictionary key, hashing the bytes in one pass.
struct KeyIdentity: Hashable {
    let db: Int
    let key: [UInt8]

    func hash(into hasher: inout Hasher) {
        hasher.combine(db)
        key.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (lhs: KeyIdentity, rhs: KeyIdentity) -> Bool {
        lhs.db == rhs.db && lhs.key == rhs.key
    }
}
