// The SQL and HISTORY commands' statements and results, shared by Commands
// (which builds requests and encodes replies) and Storage (which runs them):
// one set of types, here because both modules depend on Keyspace.

/// A value of a result row, by SQLite storage class.
public enum SQLValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text([UInt8])
    case blob([UInt8])
}

/// A value bound to a `?`.
public enum SQLParameter: Equatable, Sendable {
    case integer(Int64)
    /// TEXT when valid UTF-8 without NUL, BLOB otherwise: as keys and values
    /// are stored, so `WHERE key = ?` finds any key.
    case bytes([UInt8])
}

/// One read-only statement and its bounds (0 = no limit).
public struct SQLRequest: Sendable {
    public var sql: [UInt8]
    public var parameters: [SQLParameter]
    /// Interrupted after this long; 0 = no limit.
    public var timeoutMilliseconds: Int
    /// Refused when it returns more rows; 0 = no limit.
    public var maxRows: Int

    public init(sql: [UInt8], parameters: [SQLParameter] = [], timeoutMilliseconds: Int = 0, maxRows: Int = 0) {
        self.sql = sql
        self.parameters = parameters
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxRows = maxRows
    }
}

public struct SQLRows: Equatable, Sendable {
    public var columns: [String]
    public var rows: [[SQLValue]]

    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// Why a statement did not run or did not finish; `message` is the error reply.
public enum SQLFailure: Error, Equatable, Sendable {
    case empty
    case multipleStatements
    /// Refused by the authorizer: what the statement tried.
    case refused(String)
    case timedOut(milliseconds: Int)
    case tooManyRows(Int)
    /// SQLite's message.
    case sqlite(String)
    /// The database could not be read (shutting down, tables not up to date).
    case unavailable(String)

    public var message: String {
        switch self {
        case .empty: return "ERR SQL error: no statement to run"
        case .multipleStatements: return "ERR SQL error: only one statement can be run at a time"
        case .refused(let what): return "ERR SQL error: not authorized: \(what) (SQL is read-only)"
        case .timedOut(let milliseconds): return "ERR SQL query timed out after \(milliseconds) ms"
        case .tooManyRows(let limit): return "ERR SQL query returned more than \(limit) rows"
        case .sqlite(let message), .unavailable(let message): return "ERR SQL error: \(message)"
        }
    }
}
