import CSQLite

/// One SQLite database connection, used by one thread at a time (opened with
/// SQLITE_OPEN_NOMUTEX; callers serialize). Keeps a cache of prepared
/// statements keyed by their SQL text.
final class SQLiteConnection {
    private(set) var handle: OpaquePointer?
    let path: String
    private var statements: [String: SQLiteStatement] = [:]
    private var walHook: WALHookBox?

    static let readWrite = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    static let readOnly = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX

    /// `csqlite_configure` once, before the first open (later it is refused, harmlessly).
    private static let configured: Void = { _ = csqlite_configure() }()

    init(path: String, flags: Int32 = SQLiteConnection.readWrite) throws {
        _ = SQLiteConnection.configured
        self.path = path
        var database: OpaquePointer?
        let code = sqlite3_open_v2(path, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let error = database.map { SQLiteConnection.error($0, code: code, context: "open \(path)") }
                ?? StorageError(kind: .sqlite, code: code, message: "cannot open database", context: path)
            sqlite3_close_v2(database)
            throw error
        }
        handle = database
        sqlite3_extended_result_codes(database, 1)
    }

    deinit { close() }

    /// Finalizes every cached statement and closes. Idempotent.
    func close() {
        guard let database = handle else { return }
        statements.removeAll()  // finalizes them
        if walHook != nil { sqlite3_wal_hook(database, nil, nil) }
        walHook = nil
        sqlite3_close_v2(database)
        handle = nil
    }

    var isOpen: Bool { handle != nil }

    private func database() throws -> OpaquePointer {
        guard let handle else { throw StorageError.closed }
        return handle
    }

    // MARK: errors

    /// The StorageError for a failed call on `database`, with SQLite's message.
    static func error(_ database: OpaquePointer, code: Int32, context: String?) -> StorageError {
        let extended = sqlite3_extended_errcode(database)
        // errmsg describes the most recent failing call; prefer its extended
        // code when it refines the one we were given.
        let finalCode = (extended & 0xff) == (code & 0xff) ? extended : code
        let message = sqlite3_errmsg(database).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        return StorageError(kind: .sqlite, code: finalCode, message: message, context: context)
    }

    // MARK: running SQL

    /// Runs one or more statements that return nothing useful.
    func exec(_ sql: String) throws {
        let database = try database()
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(database, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(errorMessage)
            throw StorageError(kind: .sqlite, code: sqlite3_extended_errcode(database), message: message, context: sql)
        }
    }

    /// A new statement, finalized when released.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        try SQLiteStatement(database: database(), sql: sql, persistent: false)
    }

    /// The cached statement for `sql`, prepared on first use. Reset it after use.
    func cached(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try SQLiteStatement(database: database(), sql: sql, persistent: true)
        statements[sql] = statement
        return statement
    }

    var cachedStatementCount: Int { statements.count }

    /// The first column of the first row of `sql`, as an integer (0 when no row).
    func scalar(_ sql: String) throws -> Int64 {
        let statement = try prepare(sql)
        return try statement.step() ? statement.columnInt64(0) : 0
    }

    /// The first column of the first row of `sql`, as text (nil when no row).
    func scalarText(_ sql: String) throws -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.columnText(0) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { handle.map { Int(sqlite3_changes64($0)) } ?? 0 }

    // MARK: transactions

    /// Whether a transaction is open.
    var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE`: takes the write lock
    /// up front, so a busy database fails here rather than at COMMIT). Rolls
    /// back if `body` or COMMIT throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        // Cached statements: the flusher commits thousands of times a second.
        let begin = try cached("BEGIN IMMEDIATE")
        defer { begin.reset() }
        try begin.run()
        do {
            let result = try body()
            let commit = try cached("COMMIT")
            defer { commit.reset() }
            try commit.run()
            return result
        } catch {
            rollback()
            throw error
        }
    }

    /// Rolls back the open transaction, if SQLite has not already done so.
    func rollback() {
        guard isInTransaction else { return }
        try? exec("ROLLBACK")
    }

    // MARK: settings

    func setBusyTimeout(milliseconds: Int) throws {
        let database = try database()
        let code = sqlite3_busy_timeout(database, Int32(clamping: milliseconds))
        if code != SQLITE_OK { throw SQLiteConnection.error(database, code: code, context: "busy_timeout") }
    }

    // MARK: WAL

    /// Replaces SQLite's automatic checkpoints: `body` receives the number of
    /// frames in the WAL after each commit (on the committing thread).
    func setWALHook(_ body: ((Int) -> Void)?) throws {
        let database = try database()
        guard let body else {
            sqlite3_wal_hook(database, nil, nil)
            walHook = nil
            return
        }
        let box = WALHookBox(body)
        walHook = box
        sqlite3_wal_hook(database, { context, _, _, frames in
            Unmanaged<WALHookBox>.fromOpaque(context!).takeUnretainedValue().body(Int(frames))
            return SQLITE_OK
        }, Unmanaged.passUnretained(box).toOpaque())
    }

    /// `PRAGMA wal_checkpoint`-equivalent. `busy` when it could not finish
    /// (readers or a writer in the way); `log` is the WAL's size in frames and
    /// `checkpointed` how many of them are now in the database file.
    @discardableResult
    func checkpoint(_ mode: Int32 = SQLITE_CHECKPOINT_PASSIVE) throws -> (busy: Bool, log: Int, checkpointed: Int) {
        let database = try database()
        var log: Int32 = 0
        var checkpointed: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(database, "main", mode, &log, &checkpointed)
        if code != SQLITE_OK && (code & 0xff) != SQLITE_BUSY {
            throw SQLiteConnection.error(database, code: code, context: "wal_checkpoint")
        }
        return (code != SQLITE_OK, Int(log), Int(checkpointed))
    }

    /// fsync()s the WAL file. False when no WAL file is open yet.
    @discardableResult
    func syncWAL() throws -> Bool {
        let database = try database()
        let code = csqlite_sync_wal(database)
        if code == SQLITE_NOTFOUND { return false }
        if code != SQLITE_OK {
            throw StorageError(kind: .sqlite, code: code, message: String(cString: sqlite3_errstr(code)), context: "fsync WAL")
        }
        return true
    }

    /// Frees the page cache's unused pages (`sqlite3_db_release_memory`);
    /// later statements read them back from the file (memory-mapped) as needed.
    func releaseMemory() {
        guard let handle else { return }
        sqlite3_db_release_memory(handle)
    }

    /// Whether the database file was deleted or replaced since it was opened.
    func hasMoved() -> Bool {
        guard let handle else { return false }
        var moved: Int32 = 0
        return csqlite_has_moved(handle, &moved) == SQLITE_OK && moved != 0
    }
}

private final class WALHookBox {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}
