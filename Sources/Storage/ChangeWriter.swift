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
final class ChangeWriter {
    let connection: SQLiteConnection
    private var mayHaveRows: [Bool]

    init(connection: SQLiteConnection) throws {
        self.connection = connection
        mayHaveRows = Array(repeating: true, count: DataTable.all.count)
        try refreshPresence()
    }

    /// Re-reads which tables hold rows.
    func refreshPresence() throws {
        for table in DataTable.all {
            mayHaveRows[table.rawValue] = try connection.scalar(table.anyRowSQL) != 0
        }
    }

    func mayHaveRows(_ table: DataTable) -> Bool { mayHaveRows[table.rawValue] }

    /// Applies `plan` in one transaction; returns the number of SQL writes.
    /// On failure everything is rolled back and the error is thrown.
    func commit(_ plan: BatchPlan) throws -> Int {
        let saved = mayHaveRows
        do {
            return try connection.transaction { try apply(plan.steps) }
        } catch {
            mayHaveRows = saved
            throw error
        }
    }

    /// Applies steps inside the caller's transaction; returns the number of SQL writes.
    func apply(_ steps: [BatchPlan.Step]) throws -> Int {
        var writes = 0
        for step in steps {
            switch step {
            case .key(let operation):
                writes += try apply(operation)
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

    private func apply(_ operation: BatchPlan.KeyOperation) throws -> Int {
        let db = operation.db
        let key = operation.key
        var writes = 0
        if operation.deleteFirst {
            writes += try deleteKey(db: db, key: key)
        }
        if let value = operation.value {
            switch value {
            case .string(let bytes, let updatedAt):
                if !operation.deleteFirst {
                    writes += try deleteKey(db: db, key: key, from: DataTable.valueTables, except: .strings)
                }
                try run(DataTable.upsertStringSQL) {
                    try $0.bind(db, at: 1)
                    try $0.bind(bytes: key, at: 2)
                    try $0.bind(bytes: bytes, at: 3)
                    try $0.bind(updatedAt, at: 4)
                }
                mayHaveRows[DataTable.strings.rawValue] = true
                writes += 1
            }
        }
        if let at = operation.expiry {
            if at != 0 {
                try run(DataTable.upsertExpirySQL) {
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

    /// Deletes the key's rows from every table (value and TTL); returns the
    /// number of statements run.
    @discardableResult
    func deleteKey(db: Int, key: [UInt8]) throws -> Int {
        try deleteKey(db: db, key: key, from: DataTable.all, except: nil)
    }

    private func deleteKey(db: Int, key: [UInt8], from tables: [DataTable], except: DataTable?) throws -> Int {
        var writes = 0
        for table in tables where table != except && mayHaveRows(table) {
            try run(table.deleteKeySQL) { try $0.bind(db, at: 1); try $0.bind(bytes: key, at: 2) }
            writes += 1
        }
        return writes
    }

    @inline(__always)
    private func run(_ sql: String, _ bind: (SQLiteStatement) throws -> Void) throws {
        let statement = try connection.cached(sql)
        defer { statement.reset() }
        try bind(statement)
        while try statement.step() {}
    }
}
