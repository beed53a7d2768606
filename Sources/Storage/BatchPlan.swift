import Keyspace

/// What one batch of change records does to the database, after coalescing.
///
/// Records that address one key (set, delete, expire, TTL) are folded into one
/// `KeyOperation` per key: the last write wins, and a delete after a set
/// cancels the set. Records that involve several keys or whole databases
/// (RENAME, MOVE, COPY, FLUSHDB, FLUSHALL, SWAPDB) are ordering barriers:
/// coalescing happens only within the runs between them, and the barriers are
/// applied in place, so the result is exactly that of replaying every record.
struct BatchPlan {
    private(set) var steps: [Step] = []
    /// Change records that went in.
    private(set) var changeCount = 0

    enum Step {
        case key(KeyOperation)
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
        let key: [UInt8]
        /// Remove every row of the key (value and TTL) before the rest.
        var deleteFirst = false
        /// The key's new value, when the run ends with one written.
        var value: ValueWrite?
        /// Element changes of a collection key, applied after `deleteFirst`.
        var elements: ElementWrites?
        /// The key's new TTL: nil untouched, 0 removed, else Unix ms.
        var expiry: Int64?
    }

    /// A key's new value. Collection types join here: a hash's field writes
    /// coalesce per field, a set's per member, a list's operations stay in
    /// order. Writing a value of one type replaces the key's rows in the
    /// tables of every other type.
    enum ValueWrite {
        case string([UInt8], updatedAt: Int64)
    }

    /// A collection's element changes within one run: the last write to a
    /// field or member wins (nil = removed); list operations stay in order,
    /// since each one's positions depend on the ones before.
    enum ElementWrites {
        case hash([ByteKey: HashFieldWrite])
        case set([ByteKey: Bool])
        case zset([ByteKey: Double?])
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

    private var segment: [KeyOperation] = []
    private var segmentIndex: [KeyIdentity: Int] = [:]

    mutating func add(_ change: ChangeRecord, time: Int64) {
        if case .history = change { return }  // a marker for the history writer, not a change
        changeCount += 1
        switch change {
        case .setString(let db, let key, let value):
            update(db, key) {
                $0.value = .string(value, updatedAt: time)
                $0.elements = nil
            }
        case .delete(let db, let key), .expired(let db, let key):
            update(db, key) {
                $0.deleteFirst = true
                $0.value = nil
                $0.elements = nil
                $0.expiry = nil
            }
        case .hashSet(let db, let key, let field, let value):
            update(db, key) { $0.updateHash(field, HashFieldWrite(value: value, updatedAt: time)) }
        case .hashDelete(let db, let key, let field):
            update(db, key) { $0.updateHash(field, HashFieldWrite(value: nil, updatedAt: time)) }
        case .setAdd(let db, let key, let member):
            update(db, key) { $0.updateSet(member, true) }
        case .setRemove(let db, let key, let member):
            update(db, key) { $0.updateSet(member, false) }
        case .zsetAdd(let db, let key, let member, let score):
            update(db, key) { $0.updateSortedSet(member, score) }
        case .zsetRemove(let db, let key, let member):
            update(db, key) { $0.updateSortedSet(member, nil) }
        case .listPush(let db, let key, let atHead, let value):
            update(db, key) { $0.appendList(.push(atHead: atHead, value: value)) }
        case .listTrim(let db, let key, let head, let tail):
            update(db, key) { $0.appendList(.trim(head: head, tail: tail)) }
        case .listSet(let db, let key, let index, let value):
            update(db, key) { $0.appendList(.set(index: index, value: value)) }
        case .listInsert(let db, let key, let index, let value):
            update(db, key) { $0.appendList(.insert(index: index, value: value)) }
        case .listRemove(let db, let key, let index):
            update(db, key) { $0.appendList(.remove(index: index)) }
        case .setExpiry(let db, let key, let at):
            update(db, key) { $0.expiry = at }
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
            break
        }
    }

    /// Ends the current run; call before reading `steps`.
    mutating func finish() { closeSegment() }

    private mutating func update(_ db: Int, _ key: [UInt8], _ body: (inout KeyOperation) -> Void) {
        let identity = KeyIdentity(db: db, key: key)
        if let index = segmentIndex[identity] {
            body(&segment[index])
        } else {
            var operation = KeyOperation(db: db, key: key)
            body(&operation)
            segmentIndex[identity] = segment.count
            segment.append(operation)
        }
    }

    private mutating func barrier(_ step: Step) {
        closeSegment()
        steps.append(step)
    }

    private mutating func closeSegment() {
        guard !segment.isEmpty else { return }
        steps.reserveCapacity(steps.count + segment.count)
        for operation in segment { steps.append(.key(operation)) }
        segment.removeAll(keepingCapacity: true)
        segmentIndex.removeAll(keepingCapacity: true)
    }
}

extension BatchPlan.KeyOperation {
    // A collection record never follows a string write without a delete in
    // between (commands refuse the wrong type), so each helper only has to
    // start the right kind of element writes.

    mutating func updateHash(_ field: [UInt8], _ write: BatchPlan.HashFieldWrite) {
        value = nil
        if case .hash(var fields) = elements {
            elements = nil  // keep the dictionary uniquely referenced while it changes
            fields[ByteKey(field)] = write
            elements = .hash(fields)
        } else {
            elements = .hash([ByteKey(field): write])
        }
    }

    mutating func updateSet(_ member: [UInt8], _ present: Bool) {
        value = nil
        if case .set(var members) = elements {
            elements = nil
            members[ByteKey(member)] = present
            elements = .set(members)
        } else {
            elements = .set([ByteKey(member): present])
        }
    }

    mutating func updateSortedSet(_ member: [UInt8], _ score: Double?) {
        value = nil
        if case .zset(var members) = elements {
            elements = nil
            members[ByteKey(member)] = .some(score)
            elements = .zset(members)
        } else {
            elements = .zset([ByteKey(member): score])
        }
    }

    mutating func appendList(_ operation: BatchPlan.ListOperation) {
        value = nil
        if case .list(var operations) = elements {
            elements = nil
            operations.append(operation)
            elements = .list(operations)
        } else {
            elements = .list([operation])
        }
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
