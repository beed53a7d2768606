import Keyspace

/// The journal: a small SQLite database beside the main one, where each group
/// commit appends one row holding its change records (`JournalCodec`). It is
/// what makes a write durable before its reply; the type tables in the main
/// database catch up from it (`Materializer`). Appending one row dirties one
/// or two pages, where applying the same changes to the tables dirties a
/// B-tree leaf per random key — that difference is the write throughput.
///
/// Rows are numbered contiguously. Those the main database has absorbed
/// (`valkite_state.materialized_seq`) are deleted in a later append's
/// transaction; at start-up the rest are replayed into the tables.
final class JournalWriter {
    let connection: SQLiteConnection
    /// The number the next row gets.
    private(set) var nextSequence: Int64
    /// Rows up to here are deleted.
    private var trimmedThrough: Int64

    static let schema = "CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, changes BLOB NOT NULL)"

    /// The journal file for a main database file: `valkite.db` → `valkite-journal.db`.
    static func path(for databasePath: String) -> String {
        let base = databasePath.hasSuffix(".db") ? String(databasePath.dropLast(3)) : databasePath
        return base + "-journal.db"
    }

    init(connection: SQLiteConnection, nextSequence: Int64) {
        self.connection = connection
        self.nextSequence = nextSequence
        self.trimmedThrough = nextSequence - 1
    }

    /// Appends one row in its own transaction, deleting the rows through
    /// `trimThrough` in the same transaction. Returns the row's number.
    func append(_ changes: [UInt8], trimThrough: Int64) throws -> Int64 {
        let sequence = nextSequence
        func insert() throws {
            let insert = try connection.cached("INSERT INTO journal (seq, changes) VALUES (?1, ?2)")
            defer { insert.reset() }
            try insert.bind(sequence, at: 1)
            try insert.bind(blob: changes, at: 2)
            try insert.run()
        }
        if trimThrough > trimmedThrough {
            try connection.transaction {
                let trim = try connection.cached("DELETE FROM journal WHERE seq <= ?1")
                defer { trim.reset() }
                try trim.bind(trimThrough, at: 1)
                try trim.run()
                try insert()
            }
            trimmedThrough = trimThrough
        } else {
            try insert()  // a transaction of its own
        }
        nextSequence += 1
        return sequence
    }

    /// Deletes every row through `sequence` (shutdown, after the last materialization).
    func trim(through sequence: Int64) throws {
        let trim = try connection.prepare("DELETE FROM journal WHERE seq <= ?1")
        try trim.bind(sequence, at: 1)
        try trim.run()
        trimmedThrough = max(trimmedThrough, sequence)
    }
}

/// Start-up: brings the main database up to date with the journal.
enum JournalReplay {
    /// Applies the journal rows the main database has not absorbed, in one
    /// transaction, and deletes them. Returns the last row number (the main
    /// database's `materialized_seq` afterwards) and how many changes were replayed.
    static func run(journal: SQLiteConnection, writer: ChangeWriter) throws -> (last: Int64, changes: Int) {
        let main = writer.connection
        let materialized = try main.scalar("SELECT value FROM valkite_state WHERE name = 'materialized_seq'")
        let rows = try journal.prepare("SELECT seq, changes FROM journal WHERE seq > ?1 ORDER BY seq")
        try rows.bind(materialized, at: 1)
        var plan = BatchPlan()
        var last = materialized
        while try rows.step() {
            let sequence = rows.columnInt64(0)
            guard sequence == last + 1 else {
                throw StorageError(
                    kind: .invalidData,
                    message: "the journal does not continue the database (it resumes at change \(sequence), "
                        + "the database is at \(materialized)): it belongs to another copy of the database; "
                        + "move it away to start from the database file alone",
                    context: journal.path)
            }
            for submission in try JournalCodec.decode(rows.columnBytes(1)) {
                for change in submission.changes { plan.add(change, time: submission.time) }
            }
            last = sequence
        }
        plan.finish()
        if last > materialized {
            try writer.commit(plan) {
                try Materializer.recordProgress(on: main, sequence: last, at: currentTimeMillis())
            }
            _ = try main.syncWAL()
        }
        let trim = try journal.prepare("DELETE FROM journal WHERE seq <= ?1")
        try trim.bind(last, at: 1)
        try trim.run()
        return (last, plan.changeCount)
    }
}
