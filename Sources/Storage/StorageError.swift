import CSQLite

/// Everything that can go wrong in the storage layer, with SQLite's own code and
/// message when SQLite reported it.
public struct StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// SQLite returned an error; `code` is its (extended) result code.
        case sqlite
        /// The database was written by a newer Valkite (its schema version is
        /// higher than the newest migration this binary embeds).
        case schemaTooNew
        /// The database file was deleted or replaced while open: commits would
        /// go to a file nobody will ever read.
        case fileMoved
        /// The stored data cannot be loaded into the keyspace.
        case invalidData
        /// An operating-system call failed; `code` is errno.
        case system
        /// The store was closed.
        case closed
    }

    public var kind: Kind
    /// SQLite's extended result code for `.sqlite`, errno for `.system`, else 0.
    public var code: Int32
    public var message: String
    /// What was being done (an SQL statement, "COMMIT", a path…).
    public var context: String?

    public init(kind: Kind, code: Int32 = 0, message: String, context: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.context = context
    }

    /// The primary SQLite result code (SQLITE_FULL, SQLITE_READONLY…) of a `.sqlite` error.
    public var primaryCode: Int32 { code & 0xff }

    /// SQLite's name for the code ("database or disk is full").
    public var codeDescription: String {
        guard kind == .sqlite, let text = sqlite3_errstr(code) else { return "" }
        return String(cString: text)
    }

    public var description: String {
        var text: String
        switch kind {
        case .sqlite: text = "SQLite error \(code) (\(codeDescription)): \(message)"
        case .system: text = "system error \(code): \(message)"
        default: text = message
        }
        if let context { text += " [\(context)]" }
        return text
    }

    static let closed = StorageError(kind: .closed, message: "the store is closed")
}
