import CSQLite

/// One prepared statement. Bind parameters (1-based), `step()` until it returns
/// false, read columns (0-based) while it returns true, then `reset()`.
/// Used by one thread at a time, like its connection.
final class SQLiteStatement {
    let handle: OpaquePointer
    let sql: String

    init(database: OpaquePointer, sql: String, persistent: Bool) throws {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(database, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteConnection.error(database, code: code, context: sql)
        }
        handle = statement
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    private var database: OpaquePointer { sqlite3_db_handle(handle) }

    @inline(__always)
    private func check(_ code: Int32) throws {
        if code != SQLITE_OK { throw SQLiteConnection.error(database, code: code, context: sql) }
    }

    // MARK: binding

    func bind(_ value: Int64, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    func bind(_ value: Int, at index: Int32) throws {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    func bind(_ value: Double, at index: Int32) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    func bind(text: String, at index: Int32) throws {
        var text = text
        let code = text.withUTF8 { buffer in
            let pointer = buffer.baseAddress.map(UnsafeRawPointer.init) ?? emptyPointer
            return sqlite3_bind_text64(handle, index, pointer.assumingMemoryBound(to: CChar.self),
                                       UInt64(buffer.count), csqlite_transient(), UInt8(SQLITE_UTF8))
        }
        try check(code)
    }

    func bind(blob: [UInt8], at index: Int32) throws {
        let code = blob.withUnsafeBytes { buffer in
            sqlite3_bind_blob64(handle, index, buffer.baseAddress ?? emptyPointer, UInt64(buffer.count), csqlite_transient())
        }
        try check(code)
    }

    func bindNull(at index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    /// Binds a key, field, member or value: TEXT when the bytes are valid UTF-8
    /// without NUL, BLOB otherwise (see `StoredBytes`).
    func bind(bytes: [UInt8], at index: Int32) throws {
        try bytes.withUnsafeBufferPointer { try bind(bytes: $0, at: index) }
    }

    /// `bind(bytes:at:)` for bytes the caller holds elsewhere (copied by SQLite).
    func bind(bytes buffer: UnsafeBufferPointer<UInt8>, at index: Int32) throws {
        let pointer = buffer.baseAddress.map(UnsafeRawPointer.init) ?? emptyPointer
        let code = StoredBytes.isText(buffer)
            ? sqlite3_bind_text64(handle, index, pointer.assumingMemoryBound(to: CChar.self),
                                  UInt64(buffer.count), csqlite_transient(), UInt8(SQLITE_UTF8))
            : sqlite3_bind_blob64(handle, index, pointer, UInt64(buffer.count), csqlite_transient())
        try check(code)
    }

    // MARK: running

    /// Advances; true when a row is available, false when done.
    @discardableResult
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteConnection.error(database, code: code, context: sql)
        }
    }

    /// Runs a statement that returns no rows, then resets it.
    func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    func reset() { sqlite3_reset(handle) }

    func clearBindings() { sqlite3_clear_bindings(handle) }

    // MARK: columns

    var columnCount: Int32 { sqlite3_column_count(handle) }

    func columnType(_ index: Int32) -> Int32 { sqlite3_column_type(handle, index) }

    func columnIsNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    func columnInt64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    func columnInt(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }

    func columnDouble(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// The column's bytes exactly as stored (TEXT or BLOB), without going
    /// through String. NULL reads as empty.
    func columnBytes(_ index: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    func columnText(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }
}

/// A valid pointer for zero-length binds: SQLite binds NULL when given nil.
private let emptyPointer = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))
