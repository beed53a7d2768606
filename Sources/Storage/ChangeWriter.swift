/// Applies batch plans to the database with cached prepared statements.
/// Used only by the thread that holds the writer connection.
///
/// Overwriting a key with a value of another type must remove its rows in the
/// other type tables, and deleting a key must remove its rows in every table.
/// The writer remembers which tables may hold rows at all (checked once at
/// open, set when it writes to one, cleared by FLUSHALL) and skips statements
/// on tables known to be empty: while only strings exist, a SET is one upsert
/// and a DEL two deletes (strings, and expires once any TTL was ever set).
/// Once a table has rows, each such write pays one primary-key probe of it.
/// A SET is known not to replace another type unless it is recorded as
/// `.replaceWithString`, so a plain `.setString` is one upsert whatever
/// tables hold rows.
final class ChangeWriter {
    let connection: SQLiteConnection
    private var mayHaveRows: [Bool]

    /// The statements of the per-key path, held weakly: the connection owns
    /// them (and finalizes them when it closes). Getting them from its cache
    /// hashes and compares the whole SQL text, on every write.
    private struct WeakStatement {
        weak var statement: SQLiteStatement?
    }
    private var upsertStringStatement = WeakStatement()
    private var upsertExpiryStatement = WeakStatement()
    private var deleteKeyStatements = Array(repeating: WeakStatement(), count: DataTable.all.count)
    /// The per-element statements (`elementSQL`): upsert and delete for each table.
    private var elementStatements = Array(repeating: WeakStatement(), count: DataTable.allCases.count * 2)

    init(connection: SQLiteConnection) throws {
        self.connection = connection
        mayHaveRows = Array(repeating: true, count: DataTable.all.count)
        try refreshPresence()
    }

    @inline(__always)
    private func statement(_ slot: inout WeakStatement, _ sql: @autoclosure () -> String) throws -> SQLiteStatement {
        if let statement = slot.statement { return statement }
        let statement = try connection.cached(sql())
        slot.statement = statement
        return statement
    }

    /// Re-reads which tables hold rows.
    func refreshPresence() throws {
        for table in DataTable.all {
            mayHaveRows[table.rawValue] = try connection.scalar(table.anyRowSQL) != 0
        }
    }

    func mayHaveRows(_ table: DataTable) -> Bool { mayHaveRows[table.rawValue] }

    /// Applies `plan` in one transaction, with `also` (more SQL in the same
    /// transaction); returns the number of SQL writes. On failure everything
    /// is rolled back and the error is thrown.
    @discardableResult
    func commit(_ plan: BatchPlan, also: () throws -> Void = {}) throws -> Int {
        try commit {
            let writes = try apply(plan)
            try also()
            return writes
        }
    }

    /// Runs `body` (applying steps) in one transaction; on failure everything
    /// is rolled back and the error is thrown.
    func commit(_ body: () throws -> Int) throws -> Int {
        let saved = mayHaveRows
        do {
            return try connection.transaction(body)
        } catch {
            mayHaveRows = saved
            throw error
        }
    }

    /// Applies `plan` inside the caller's transaction; returns the number of SQL writes.
    func apply(_ plan: BatchPlan) throws -> Int {
        var writes = 0
        for step in plan.steps {
            switch step {
            case .keys(let range):
                // Through buffer pointers: the operations are read in place,
                // where the array's subscript copied each (retaining its
                // element writes), and their keys and values from the plan's bytes.
                try plan.bytes.withUnsafeBufferPointer { bytes in
                    try plan.operations.withUnsafeBufferPointer { operations in
                        for position in range { writes += try apply(operations[plan.order[position]], bytes) }
                    }
                }
            case .rename(let db, let from, let to):
                for table in DataTable.all where mayHaveRows(table) {
                    try run(table.deleteKeySQL) { try $0.bind(db, at: 1); try $0.bind(bytes: to, at: 2) }
                    try run(table.renameKeySQL) {
                        try $0.bind(db, at: 1); try $0.bind(bytes: from, at: 2); try $0.bind(bytes: to, at: 3)
                    }
                    writes += 2
                }
            case .move(let fromDb, let toDb, let key):
                for table in DataTable.all where mayHaveRows(table) {
                    try run(table.deleteKeySQL) { try $0.bind(toDb, at: 1); try $0.bind(bytes: key, at: 2) }
                    try run(table.moveKeySQL) {
                        try $0.bind(fromDb, at: 1); try $0.bind(toDb, at: 2); try $0.bind(bytes: key, at: 3)
                    }
                    writes += 2
                }
            case .copy(let fromDb, let from, let toDb, let to, let time):
                for table in DataTable.all where mayHaveRows(table) {
                    try run(table.deleteKeySQL) { try $0.bind(toDb, at: 1); try $0.bind(bytes: to, at: 2) }
                    try run(table.copyKeySQL) {
                        try $0.bind(fromDb, at: 1); try $0.bind(bytes: from, at: 2)
                        try $0.bind(toDb, at: 3); try $0.bind(bytes: to, at: 4)
                        if table.hasUpdatedAt { try $0.bind(time, at: 5) }
                    }
                    writes += 2
                }
            case .flushDatabase(let db):
                for table in DataTable.all where mayHaveRows(table) {
                    try run(table.flushDatabaseSQL) { try $0.bind(db, at: 1) }
                    writes += 1
                }
            case .flushAll:
                for table in DataTable.all where mayHaveRows(table) {
                    try run(table.flushAllSQL) { _ in }
                    writes += 1
                }
                for index in mayHaveRows.indices { mayHaveRows[index] = false }
            case .swapDatabases(let first, let second):
                // The primary keys start with db, so renumber through a
                // number no database uses.
                for table in DataTable.all where mayHaveRows(table) {
                    for (from, to) in [(first, -1), (second, first), (-1, second)] {
                        try run(table.renumberDatabaseSQL) { try $0.bind(from, at: 1); try $0.bind(to, at: 2) }
                    }
                    writes += 3
                }
            }
        }
        return writes
    }

    private func apply(_ operation: BatchPlan.KeyOperation, _ bytes: UnsafeBufferPointer<UInt8>) throws -> Int {
        let db = operation.db
        let key = operation.key.bytes(in: bytes)
        var writes = 0
        if operation.deleteFirst {
            writes += try deleteKey(db: db, key: key)
        }
        if let value = operation.value {
            switch value {
            case .string(let value, let updatedAt):
                if operation.replacesOtherType && !operation.deleteFirst {
                    writes += try deleteKey(db: db, key: key, from: DataTable.valueTables, except: .strings)
                }
                try run(statement(&upsertStringStatement, DataTable.upsertStringSQL)) {
                    try $0.bind(db, at: 1)
                    try $0.bind(bytes: key, at: 2)
                    try $0.bind(bytes: value.bytes(in: bytes), at: 3)
                    try $0.bind(updatedAt, at: 4)
                }
                mayHaveRows[DataTable.strings.rawValue] = true
                writes += 1
            }
        }
        if let elements = operation.elements {
            writes += try apply(elements, db: db, key: key, keyIsNew: operation.deleteFirst)
        }
        if let at = operation.expiry {
            if at != 0 {
                try run(statement(&upsertExpiryStatement, DataTable.upsertExpirySQL)) {
                    try $0.bind(db, at: 1)
                    try $0.bind(bytes: key, at: 2)
                    try $0.bind(at, at: 3)
                }
                mayHaveRows[DataTable.expires.rawValue] = true
                writes += 1
            } else if !operation.deleteFirst {
                writes += try deleteKey(db: db, key: key, from: [.expires], except: nil)
            }
        }
        return writes
    }

    // MARK: collections

    private func apply(_ elements: BatchPlan.ElementWrites, db: Int, key: UnsafeBufferPointer<UInt8>, keyIsNew: Bool) throws -> Int {
        var writes = 0
        switch elements {
        case .hashField(let field, let write):
            writes += try writeHashField(db: db, key: key, field.bytes, write, keyIsNew: keyIsNew)
        case .hash(let fields):
            for index in MemberOrder.indices(of: fields) {
                let (field, write) = fields[index]
                writes += try writeHashField(db: db, key: key, field.bytes, write, keyIsNew: keyIsNew)
            }
        case .setMember(let member, let present):
            writes += try writeSetMember(db: db, key: key, member.bytes, present: present, keyIsNew: keyIsNew)
        case .set(let members):
            for index in MemberOrder.indices(of: members) {
                let (member, present) = members[index]
                writes += try writeSetMember(db: db, key: key, member.bytes, present: present, keyIsNew: keyIsNew)
            }
        case .zsetMember(let member, let score):
            writes += try writeSortedSetMember(db: db, key: key, member.bytes, score: score, keyIsNew: keyIsNew)
        case .zset(let members):
            for index in MemberOrder.indices(of: members) {
                let (member, score) = members[index]
                writes += try writeSortedSetMember(db: db, key: key, member.bytes, score: score, keyIsNew: keyIsNew)
            }
        case .listOperation(let operation):
            writes += try applyList(CollectionOfOne(operation), db: db, key: key, keyIsNew: keyIsNew)
        case .list(let operations):
            writes += try applyList(operations, db: db, key: key, keyIsNew: keyIsNew)
        }
        return writes
    }

    /// Upserts the field, or deletes it (nil value) unless the key is new; returns the writes.
    @inline(__always)
    private func writeHashField(db: Int, key: UnsafeBufferPointer<UInt8>, _ field: [UInt8], _ write: BatchPlan.HashFieldWrite,
                                keyIsNew: Bool) throws -> Int {
        try writeElement(.hashes, db: db, key: key, field, present: write.value != nil, keyIsNew: keyIsNew) {
            try $0.bind(bytes: write.value!, at: 4); try $0.bind(write.updatedAt, at: 5)
        }
    }

    @inline(__always)
    private func writeSetMember(db: Int, key: UnsafeBufferPointer<UInt8>, _ member: [UInt8], present: Bool, keyIsNew: Bool) throws -> Int {
        try writeElement(.sets, db: db, key: key, member, present: present, keyIsNew: keyIsNew) { _ in }
    }

    @inline(__always)
    private func writeSortedSetMember(db: Int, key: UnsafeBufferPointer<UInt8>, _ member: [UInt8], score: Double?, keyIsNew: Bool) throws -> Int {
        try writeElement(.zsets, db: db, key: key, member, present: score != nil, keyIsNew: keyIsNew) {
            try $0.bind(score!, at: 4)
        }
    }

    /// The per-element statements of hashes, sets and sorted sets: an upsert
    /// binding (db, key, element) and then its values from parameter 4 on,
    /// and a delete binding (db, key, element).
    private static func elementSQL(_ table: DataTable, upsert: Bool) -> String {
        switch (table, upsert) {
        case (.hashes, true): return DataTable.upsertHashFieldSQL
        case (.hashes, false): return DataTable.deleteHashFieldSQL
        case (.sets, true): return DataTable.insertSetMemberSQL
        case (.sets, false): return DataTable.deleteSetMemberSQL
        case (.zsets, true): return DataTable.upsertSortedSetMemberSQL
        case (.zsets, false): return DataTable.deleteSortedSetMemberSQL
        default: preconditionFailure("\(table) has no per-element statements")
        }
    }

    /// Writes one element (`present`) or deletes it, unless the key is new
    /// and so has no rows; returns the writes.
    @inline(__always)
    private func writeElement(_ table: DataTable, db: Int, key: UnsafeBufferPointer<UInt8>, _ element: [UInt8], present: Bool,
                              keyIsNew: Bool, values: (SQLiteStatement) throws -> Void) throws -> Int {
        guard present || !keyIsNew else { return 0 }
        let slot = table.rawValue * 2 + (present ? 0 : 1)
        try run(statement(&elementStatements[slot], Self.elementSQL(table, upsert: present))) {
            try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2); try $0.bind(bytes: element, at: 3)
            if present { try values($0) }
        }
        if present { mayHaveRows[table.rawValue] = true }
        return 1
    }

    /// Replays list operations on the key's rows. Positions stay contiguous:
    /// the element at index i is at `head + i`. Inserting or removing in the
    /// middle shifts the shorter side by one.
    private func applyList<Operations: Sequence<BatchPlan.ListOperation>>(
        _ operations: Operations, db: Int, key: UnsafeBufferPointer<UInt8>, keyIsNew: Bool
    ) throws -> Int {
        var head = 0, count = 0
        if !keyIsNew && mayHaveRows(.lists) {
            let bounds = try connection.cached(DataTable.listBoundsSQL)
            defer { bounds.reset() }
            try bounds.bind(db, at: 1)
            try bounds.bind(bytes: key, at: 2)
            if try bounds.step(), !bounds.columnIsNull(0) {
                head = bounds.columnInt(0)
                count = bounds.columnInt(1) - head + 1
            }
        }
        mayHaveRows[DataTable.lists.rawValue] = true
        var writes = 0
        func insert(at position: Int, _ value: [UInt8]) throws {
            try run(DataTable.insertListElementSQL) {
                try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2); try $0.bind(position, at: 3)
                try $0.bind(bytes: value, at: 4)
            }
            writes += 1
        }
        func delete(from first: Int, to last: Int) throws {
            guard first <= last else { return }
            try run(DataTable.deleteListRangeSQL) {
                try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2); try $0.bind(first, at: 3); try $0.bind(last, at: 4)
            }
            writes += 1
        }
        /// Moves positions first...last by `offset` (±1) without colliding
        /// with themselves: out of the way first, then into place.
        func shift(from first: Int, to last: Int, by offset: Int) throws {
            guard first <= last else { return }
            try run(DataTable.shiftListRangeSQL) {
                try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2); try $0.bind(first, at: 3); try $0.bind(last, at: 4)
                try $0.bind(DataTable.listParkingOffset + offset, at: 5)
            }
            try run(DataTable.shiftListRangeSQL) {
                try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2)
                try $0.bind(first + DataTable.listParkingOffset + offset, at: 3)
                try $0.bind(last + DataTable.listParkingOffset + offset, at: 4)
                try $0.bind(-DataTable.listParkingOffset, at: 5)
            }
            writes += 2
        }
        for operation in operations {
            switch operation {
            case .push(let atHead, let value):
                if count == 0 {
                    head = 0
                    try insert(at: 0, value)
                } else if atHead {
                    head -= 1
                    try insert(at: head, value)
                } else {
                    try insert(at: head + count, value)
                }
                count += 1
            case .trim(let fromHead, let fromTail):
                let removeHead = min(max(fromHead, 0), count)
                let removeTail = min(max(fromTail, 0), count - removeHead)
                try delete(from: head, to: head + removeHead - 1)
                try delete(from: head + count - removeTail, to: head + count - 1)
                head += removeHead
                count -= removeHead + removeTail
            case .set(let index, let value):
                try run(DataTable.updateListElementSQL) {
                    try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2); try $0.bind(head + index, at: 3)
                    try $0.bind(bytes: value, at: 4)
                }
                writes += 1
            case .insert(let index, let value):
                if index < count / 2 {
                    // Elements before `index` move one toward the head.
                    try shift(from: head, to: head + index - 1, by: -1)
                    head -= 1
                } else {
                    try shift(from: head + index, to: head + count - 1, by: 1)
                }
                try insert(at: head + index, value)
                count += 1
            case .remove(let index):
                try delete(from: head + index, to: head + index)
                if index < count / 2 {
                    try shift(from: head, to: head + index - 1, by: 1)
                    head += 1
                } else {
                    try shift(from: head + index + 1, to: head + count - 1, by: -1)
                }
                count -= 1
            }
        }
        return writes
    }

    /// Deletes the key's rows from every table (value and TTL); returns the
    /// number of statements run.
    @discardableResult
    func deleteKey(db: Int, key: [UInt8]) throws -> Int {
        try key.withUnsafeBufferPointer { try deleteKey(db: db, key: $0) }
    }

    private func deleteKey(db: Int, key: UnsafeBufferPointer<UInt8>) throws -> Int {
        try deleteKey(db: db, key: key, from: DataTable.all, except: nil)
    }

    private func deleteKey(db: Int, key: UnsafeBufferPointer<UInt8>, from tables: [DataTable], except: DataTable?) throws -> Int {
        var writes = 0
        for table in tables where table != except && mayHaveRows(table) {
            try run(statement(&deleteKeyStatements[table.rawValue], table.deleteKeySQL)) {
                try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2)
            }
            writes += 1
        }
        return writes
    }

    @inline(__always)
    private func run(_ sql: String, _ bind: (SQLiteStatement) throws -> Void) throws {
        try run(connection.cached(sql), bind)
    }

    @inline(__always)
    private func run(_ statement: SQLiteStatement, _ bind: (SQLiteStatement) throws -> Void) throws {
        defer { statement.reset() }
        try bind(statement)
        while try statement.step() {}
    }
}
