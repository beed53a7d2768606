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

    private var segment: [KeyOperation] = []
    private var segmentIndex: [KeyIdentity: Int] = [:]

    mutating func add(_ change: ChangeRecord, time: Int64) {
        changeCount += 1
        switch change {
        case .setString(let db, let key, let value):
            update(db, key) { $0.value = .string(value, updatedAt: time) }
        case .delete(let db, let key), .expired(let db, let key):
            update(db, key) {
                $0.deleteFirst = true
                $0.value = nil
                $0.expiry = nil
            }
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
        default:
            preconditionFailure("TODO collections")
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
