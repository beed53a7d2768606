/// The tables that hold keys (see migrations/0001_initial.sql), and the SQL the
/// flusher runs on each for whole-key operations. A key lives in exactly one of
/// the value tables (its type) and, if it has a TTL, in `expires`.
enum DataTable: Int, CaseIterable {
    case strings, hashes, lists, sets, zsets, expires

    var name: String {
        switch self {
        case .strings: return "strings"
        case .hashes: return "hashes"
        case .lists: return "lists"
        case .sets: return "sets"
        case .zsets: return "zsets"
        case .expires: return "expires"
        }
    }

    /// The columns after (db, key).
    var payloadColumns: [String] {
        switch self {
        case .strings: return ["value", "updated_at"]
        case .hashes: return ["field", "value", "updated_at"]
        case .lists: return ["pos", "value"]
        case .sets: return ["member"]
        case .zsets: return ["member", "score"]
        case .expires: return ["at"]
        }
    }

    /// Every table (a stored array: `allCases` builds a new one per call).
    static let all: [DataTable] = Array(allCases)

    /// Whether rows carry `updated_at` (bound as ?5 by `copyKeySQL`).
    var hasUpdatedAt: Bool { payloadColumns.contains("updated_at") }

    /// The tables that hold a key's value (all but `expires`).
    static let valueTables: [DataTable] = [.strings, .hashes, .lists, .sets, .zsets]

    // MARK: SQL (parameters are numbered; built once)

    /// ?1 db, ?2 key.
    var deleteKeySQL: String { Self.sql[rawValue].deleteKey }
    /// ?1 db, ?2 from, ?3 to.
    var renameKeySQL: String { Self.sql[rawValue].renameKey }
    /// ?1 from db, ?2 to db, ?3 key.
    var moveKeySQL: String { Self.sql[rawValue].moveKey }
    /// ?1 from db, ?2 from key, ?3 to db, ?4 to key, and ?5 the time (Unix ms)
    /// for `updated_at` when the table has it.
    var copyKeySQL: String { Self.sql[rawValue].copyKey }
    /// ?1 db.
    var flushDatabaseSQL: String { Self.sql[rawValue].flushDatabase }
    var flushAllSQL: String { Self.sql[rawValue].flushAll }
    /// ?1 from db, ?2 to db: renumbers a whole database.
    var renumberDatabaseSQL: String { Self.sql[rawValue].renumberDatabase }
    /// Whether the table has at least one row.
    var anyRowSQL: String { "SELECT EXISTS (SELECT 1 FROM \(name))" }

    private struct Statements {
        let deleteKey, renameKey, moveKey, copyKey, flushDatabase, flushAll, renumberDatabase: String
    }

    private static let sql: [Statements] = allCases.map { table in
        let name = table.name
        let columns = table.payloadColumns
        let copied = columns.map { $0 == "updated_at" ? "?5" : $0 }
        return Statements(
            deleteKey: "DELETE FROM \(name) WHERE db = ?1 AND key = ?2",
            renameKey: "UPDATE \(name) SET key = ?3 WHERE db = ?1 AND key = ?2",
            moveKey: "UPDATE \(name) SET db = ?2 WHERE db = ?1 AND key = ?3",
            copyKey: "INSERT INTO \(name) (db, key, \(columns.joined(separator: ", "))) "
                + "SELECT ?3, ?4, \(copied.joined(separator: ", ")) FROM \(name) WHERE db = ?1 AND key = ?2",
            flushDatabase: "DELETE FROM \(name) WHERE db = ?1",
            flushAll: "DELETE FROM \(name)",
            renumberDatabase: "UPDATE \(name) SET db = ?2 WHERE db = ?1")
    }

    // MARK: per-type writes

    static let upsertStringSQL = """
        INSERT INTO strings (db, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (db, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        """
    static let upsertExpirySQL = """
        INSERT INTO expires (db, key, at) VALUES (?1, ?2, ?3)
        ON CONFLICT (db, key) DO UPDATE SET at = excluded.at
        """

    static let upsertHashFieldSQL = """
        INSERT INTO hashes (db, key, field, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (db, key, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
        """
    static let deleteHashFieldSQL = "DELETE FROM hashes WHERE db = ?1 AND key = ?2 AND field = ?3"
    static let insertSetMemberSQL = "INSERT OR IGNORE INTO sets (db, key, member) VALUES (?1, ?2, ?3)"
    static let deleteSetMemberSQL = "DELETE FROM sets WHERE db = ?1 AND key = ?2 AND member = ?3"
    static let upsertSortedSetMemberSQL = """
        INSERT INTO zsets (db, key, member, score) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (db, key, member) DO UPDATE SET score = excluded.score
        """
    static let deleteSortedSetMemberSQL = "DELETE FROM zsets WHERE db = ?1 AND key = ?2 AND member = ?3"
    /// min(pos), max(pos) of one list.
    static let listBoundsSQL = "SELECT min(pos), max(pos) FROM lists WHERE db = ?1 AND key = ?2"
    static let insertListElementSQL = "INSERT INTO lists (db, key, pos, value) VALUES (?1, ?2, ?3, ?4)"
    static let updateListElementSQL = "UPDATE lists SET value = ?4 WHERE db = ?1 AND key = ?2 AND pos = ?3"
    static let deleteListRangeSQL = "DELETE FROM lists WHERE db = ?1 AND key = ?2 AND pos BETWEEN ?3 AND ?4"
    /// Adds ?5 to the positions ?3...?4.
    static let shiftListRangeSQL = "UPDATE lists SET pos = pos + ?5 WHERE db = ?1 AND key = ?2 AND pos BETWEEN ?3 AND ?4"
    /// Where shifted list rows wait between the two steps of a shift: far
    /// beyond any position pushes can reach, so they collide with nothing.
    static let listParkingOffset = 1 << 52
}
