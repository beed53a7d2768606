import CSQLite
import Keyspace

/// One read-only SQLite connection for statements that come from clients
/// (`SQL`, `HISTORY`): opened with SQLITE_OPEN_READONLY, every statement
/// checked by an authorizer that only lets reads through, extension loading
/// off, bounded in time (progress handler) and in rows.
final class ReadOnlyQueriesConnection {
    let connection: SQLiteConnection
    private let guardian = QueryGuard()

    /// VM instructions between two checks of the deadline.
    private static let progressInterval: Int32 = 1_000

    init(path: String, busyTimeoutMilliseconds: Int) throws {
        connection = try SQLiteConnection(path: path, flags: SQLiteConnection.readOnly)
        guard let handle = connection.handle else { throw StorageError.closed }
        try connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        sqlite3_enable_load_extension(handle, 0)
        let context = Unmanaged.passUnretained(guardian).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, first, second, _, _ in
            Unmanaged<QueryGuard>.fromOpaque(context!).takeUnretainedValue()
                .authorize(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        }, context)
        sqlite3_progress_handler(handle, Self.progressInterval, { context in
            Unmanaged<QueryGuard>.fromOpaque(context!).takeUnretainedValue().pastDeadline() ? 1 : 0
        }, context)
    }

    deinit {
        if let handle = connection.handle {
            sqlite3_set_authorizer(handle, nil, nil)
            sqlite3_progress_handler(handle, 0, nil, nil)
        }
        connection.close()
    }

    /// Runs one statement and returns its rows, or why it was refused or failed.
    func run(_ query: SQLRequest) -> Result<SQLRows, SQLFailure> {
        guard let handle = connection.handle else { return .failure(.unavailable("the database is closed")) }
        guardian.refusal = nil
        guardian.deadline = query.timeoutMilliseconds > 0
            ? monotonicNanos() + UInt64(query.timeoutMilliseconds) * 1_000_000 : 0
        defer { guardian.deadline = 0 }

        return query.sql.withUnsafeBufferPointer { text -> Result<SQLRows, SQLFailure> in
            let start = (text.baseAddress.map(UnsafeRawPointer.init) ?? emptyText).assumingMemoryBound(to: CChar.self)
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(handle, start, Int32(clamping: text.count), 0, &statement, &tail)
            defer { sqlite3_finalize(statement) }
            if code != SQLITE_OK { return .failure(failure(code, handle, query)) }
            guard let statement else { return .failure(.empty) }
            // More text after the statement: one more statement unless it is only
            // spaces and comments (SQLite prepares those to no statement).
            let consumed = tail.map { $0 - start } ?? text.count
            if consumed < text.count {
                var next: OpaquePointer?
                let nextCode = sqlite3_prepare_v3(handle, tail, Int32(text.count - consumed), 0, &next, nil)
                sqlite3_finalize(next)
                if nextCode != SQLITE_OK || next != nil { return .failure(.multipleStatements) }
            }
            return rows(of: statement, handle, query)
        }
    }

    private func rows(of statement: OpaquePointer, _ handle: OpaquePointer, _ query: SQLRequest) -> Result<SQLRows, SQLFailure> {
        for (index, parameter) in query.parameters.enumerated() where index < Int(sqlite3_bind_parameter_count(statement)) {
            let position = Int32(index + 1)
            let code: Int32
            switch parameter {
            case .integer(let value):
                code = sqlite3_bind_int64(statement, position, value)
            case .bytes(let bytes):
                code = bytes.withUnsafeBufferPointer { buffer -> Int32 in
                    let pointer = buffer.baseAddress.map(UnsafeRawPointer.init) ?? emptyText
                    if StoredBytes.isText(buffer) {
                        return sqlite3_bind_text64(statement, position, pointer.assumingMemoryBound(to: CChar.self),
                                                   UInt64(buffer.count), csqlite_transient(), UInt8(SQLITE_UTF8))
                    }
                    return sqlite3_bind_blob64(statement, position, pointer, UInt64(buffer.count), csqlite_transient())
                }
            }
            if code != SQLITE_OK { return .failure(failure(code, handle, query)) }
        }
        let columnCount = sqlite3_column_count(statement)
        let columns = (0..<columnCount).map { sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? "" }
        var rows: [[SQLValue]] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { return .failure(failure(code, handle, query)) }
            if query.maxRows > 0 && rows.count == query.maxRows { return .failure(.tooManyRows(query.maxRows)) }
            var row: [SQLValue] = []
            row.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount { row.append(Self.value(statement, column)) }
            rows.append(row)
        }
        return .success(SQLRows(columns: columns, rows: rows))
    }

    /// A column of the current row, by its storage class.
    static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_NULL:
            return .null
        case SQLITE_TEXT:
            guard let pointer = sqlite3_column_text(statement, column) else { return .text([]) }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(Array(UnsafeBufferPointer(start: pointer, count: count)))
        default:
            guard let pointer = sqlite3_column_blob(statement, column) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        }
    }

    private func failure(_ code: Int32, _ handle: OpaquePointer, _ query: SQLRequest) -> SQLFailure {
        if let refusal = guardian.refusal { return .refused(refusal) }
        if code & 0xff == SQLITE_INTERRUPT && guardian.deadline != 0 && monotonicNanos() >= guardian.deadline {
            return .timedOut(milliseconds: query.timeoutMilliseconds)
        }
        let message = sqlite3_errmsg(handle).map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        return .sqlite(message)
    }
}

/// The authorizer's and the progress handler's state for the statement being
/// prepared or run (one at a time per connection).
final class QueryGuard {
    /// What the authorizer refused (SQLite stops at the first refusal), for
    /// the error message.
    var refusal: String?
    /// Monotonic nanoseconds after which the statement is interrupted; 0 = never.
    var deadline: UInt64 = 0

    func pastDeadline() -> Bool {
        deadline != 0 && monotonicNanos() >= deadline
    }

    /// sqlite3_set_authorizer's callback: reads, functions other than
    /// load_extension, recursive CTEs and the pragmas that only report are
    /// allowed; everything that writes, attaches, opens a transaction or
    /// changes the connection is refused (and named in the error).
    func authorize(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            if second?.lowercased() == "load_extension" { return refuse("load_extension()") }
            return SQLITE_OK
        case SQLITE_PRAGMA:
            let name = first?.lowercased() ?? ""
            if Self.reportingPragmas.contains(name) || (second == nil && Self.queryOnlyPragmas.contains(name)) {
                return SQLITE_OK
            }
            return refuse(second.map { "PRAGMA \(name) = \($0)" } ?? "PRAGMA \(name)")
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            // Writes to the schema table are its own bookkeeping, asked about
            // before the statement's action (CREATE, DROP…), which is refused
            // next and named in the error. Table-valued pragma functions
            // (pragma_table_info) declare themselves through it too. SQLite
            // itself refuses a statement that writes sqlite_master directly,
            // and the connection is read-only.
            if first == "sqlite_master" || first == "sqlite_temp_master" { return SQLITE_OK }
            return refuse(Self.describe(action, first, second))
        default:
            return refuse(Self.describe(action, first, second))
        }
    }

    private func refuse(_ what: String) -> Int32 {
        if refusal == nil { refusal = what }
        return SQLITE_DENY
    }

    /// Pragmas that only report, whatever their argument (it names an object).
    static let reportingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check", "database_list",
        "collation_list", "function_list", "module_list", "pragma_list", "compile_options",
    ]
    /// Pragmas that report without an argument and change something with one.
    static let queryOnlyPragmas: Set<String> = [
        "user_version", "schema_version", "application_id", "data_version", "freelist_count",
        "page_count", "page_size", "encoding", "journal_mode", "auto_vacuum",
    ]

    static func describe(_ action: Int32, _ first: String?, _ second: String?) -> String {
        let object = first.map { " \($0)" } ?? ""
        switch action {
        case SQLITE_INSERT: return "INSERT into" + object
        case SQLITE_UPDATE: return "UPDATE of" + object
        case SQLITE_DELETE: return "DELETE from" + object
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: return "CREATE TABLE" + object
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX" + object
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW: return "CREATE VIEW" + object
        case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TRIGGER" + object
        case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE" + object
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: return "DROP TABLE" + object
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: return "DROP INDEX" + object
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: return "DROP VIEW" + object
        case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER: return "DROP TRIGGER" + object
        case SQLITE_DROP_VTABLE: return "DROP VIRTUAL TABLE" + object
        case SQLITE_ALTER_TABLE: return "ALTER TABLE" + (second.map { " \($0)" } ?? "")
        case SQLITE_ATTACH: return "ATTACH"
        case SQLITE_DETACH: return "DETACH"
        case SQLITE_TRANSACTION: return first ?? "BEGIN"
        case SQLITE_SAVEPOINT: return "SAVEPOINT"
        case SQLITE_REINDEX: return "REINDEX"
        case SQLITE_ANALYZE: return "ANALYZE"
        default: return "operation \(action)"
        }
    }
}

/// A valid pointer for empty text: SQLite reads a nil pointer as NULL.
private let emptyText = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))
