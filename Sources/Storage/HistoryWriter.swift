import CSQLite
import Keyspace

/// Appends the `history` rows (migrations/0003_history.sql) of changes to keys
/// tracked by `history-keys`, inside the materializer's transaction.
///
/// It runs right before the change itself is applied, so the tables hold the
/// key's previous state: old values come from them, new values from the
/// change. Only the materializer's thread uses it.
final class HistoryWriter {
    private let writer: ChangeWriter
    private var connection: SQLiteConnection { writer.connection }

    init(writer: ChangeWriter) { self.writer = writer }

    /// One cell of a history row.
    enum Cell {
        case null
        case bytes([UInt8])
        case integer(Int)
        case real(Double)
    }

    private enum Kind: String {
        case value, expiry
    }

    private struct Context {
        let time: Int64
        let operation: [UInt8]
    }

    /// Writes the rows of `change`, made by `operation` at `time`; `source`
    /// and `destination` tell which sides of a RENAME/COPY/MOVE are tracked.
    func write(_ change: ChangeRecord, operation: [UInt8], source: Bool, destination: Bool, time: Int64) throws {
        let context = Context(time: time, operation: operation)
        switch change {
        case .setString(let db, let key, let value), .replaceWithString(let db, let key, let value):
            let type = try currentType(db, key)
            var old = Cell.null
            if type == .strings {
                old = try contents(db, key, .strings).first?.value ?? .null
            } else if let type {
                try recordLoss(db, key, type, context)
            }
            try insert(context, db, key, .strings, .value, field: .null, old: old, new: .bytes(value))
        case .delete(let db, let key), .expired(let db, let key):
            if let type = try currentType(db, key) { try recordLoss(db, key, type, context) }
        case .setExpiry(let db, let key, let at):
            guard let type = try currentType(db, key) else { return }
            let old = try expiry(db, key)
            let new = at == 0 ? nil : at
            guard old != new else { return }
            try insert(context, db, key, type, .expiry, field: .null,
                       old: old.map { .integer(Int($0)) } ?? .null, new: new.map { .integer(Int($0)) } ?? .null)
        case .hashSet(let db, let key, let field, let value):
            let old = try lookup(Self.hashFieldSQL, db, key, field)
            try insert(context, db, key, .hashes, .value, field: .bytes(field), old: old, new: .bytes(value))
        case .hashDelete(let db, let key, let field):
            let old = try lookup(Self.hashFieldSQL, db, key, field)
            try insert(context, db, key, .hashes, .value, field: .bytes(field), old: old, new: .null)
        case .setAdd(let db, let key, let member):
            try insert(context, db, key, .sets, .value, field: .bytes(member), old: .null, new: .bytes(member))
        case .setRemove(let db, let key, let member):
            try insert(context, db, key, .sets, .value, field: .bytes(member), old: .bytes(member), new: .null)
        case .zsetAdd(let db, let key, let member, let score):
            let old = try lookup(Self.zsetScoreSQL, db, key, member)
            try insert(context, db, key, .zsets, .value, field: .bytes(member), old: old, new: .real(score))
        case .zsetRemove(let db, let key, let member):
            let old = try lookup(Self.zsetScoreSQL, db, key, member)
            try insert(context, db, key, .zsets, .value, field: .bytes(member), old: old, new: .null)
        case .listPush(let db, let key, let atHead, let value):
            let index = try atHead ? 0 : listLength(db, key)
            try insert(context, db, key, .lists, .value, field: .integer(index), old: .null, new: .bytes(value))
        case .listTrim(let db, let key, let head, let tail):
            try recordListTrim(db, key, head: head, tail: tail, context)
        case .listSet(let db, let key, let index, let value):
            let old = try listElement(db, key, index)
            try insert(context, db, key, .lists, .value, field: .integer(index), old: old, new: .bytes(value))
        case .listInsert(let db, let key, let index, let value):
            try insert(context, db, key, .lists, .value, field: .integer(index), old: .null, new: .bytes(value))
        case .listRemove(let db, let key, let index):
            let old = try listElement(db, key, index)
            try insert(context, db, key, .lists, .value, field: .integer(index), old: old, new: .null)
        case .rename(let db, let from, let to):
            try recordTransfer(from: (db, from), to: (db, to), keepsSource: false,
                               source: source, destination: destination, context)
        case .move(let fromDb, let toDb, let key):
            try recordTransfer(from: (fromDb, key), to: (toDb, key), keepsSource: false,
                               source: source, destination: destination, context)
        case .copy(let fromDb, let from, let toDb, let to):
            try recordTransfer(from: (fromDb, from), to: (toDb, to), keepsSource: true,
                               source: false, destination: destination, context)
        case .flushDatabase, .flushAll, .swapDatabases, .history:
            return
        }
    }

    // MARK: whole keys

    /// RENAME/MOVE/COPY: the destination loses its old value and gains the
    /// source's; the source loses its value unless it is a copy.
    private func recordTransfer(from: (db: Int, key: [UInt8]), to: (db: Int, key: [UInt8]), keepsSource: Bool,
                                source: Bool, destination: Bool, _ context: Context) throws {
        guard let type = try currentType(from.db, from.key) else { return }
        if destination {
            if let replaced = try currentType(to.db, to.key) { try recordLoss(to.db, to.key, replaced, context) }
            for (index, element) in try contents(from.db, from.key, type).enumerated() {
                let field = type == .lists ? .integer(index) : element.field
                try insert(context, to.db, to.key, type, .value, field: field, old: .null, new: element.value)
            }
        }
        if source && !keepsSource { try recordLoss(from.db, from.key, type, context) }
    }

    /// A row per element the key loses (deleted, expired, overwritten, renamed away).
    private func recordLoss(_ db: Int, _ key: [UInt8], _ type: DataTable, _ context: Context) throws {
        for element in try contents(db, key, type) {
            let field = type == .lists ? .integer(0) : element.field
            try insert(context, db, key, type, .value, field: field, old: element.value, new: .null)
        }
    }

    /// LPOP/RPOP/LTRIM: the head elements go first (each at index 0), then
    /// the tail ones (each at the then last index).
    private func recordListTrim(_ db: Int, _ key: [UInt8], head: Int, tail: Int, _ context: Context) throws {
        let elements = try contents(db, key, .lists).map(\.value)
        let removeHead = min(max(head, 0), elements.count)
        let removeTail = min(max(tail, 0), elements.count - removeHead)
        for element in elements.prefix(removeHead) {
            try insert(context, db, key, .lists, .value, field: .integer(0), old: element, new: .null)
        }
        var last = elements.count - removeHead - 1
        for element in elements.suffix(removeTail).reversed() {
            try insert(context, db, key, .lists, .value, field: .integer(last), old: element, new: .null)
            last -= 1
        }
    }

    // MARK: reading the previous state

    /// The table holding the key's value, if it exists.
    private func currentType(_ db: Int, _ key: [UInt8]) throws -> DataTable? {
        for table in DataTable.valueTables where writer.mayHaveRows(table) {
            if try exists(Self.existsSQL[table.rawValue], db, key) { return table }
        }
        return nil
    }

    /// The key's elements in order: (field or member, value or score); a
    /// string is one element with a NULL field.
    private func contents(_ db: Int, _ key: [UInt8], _ type: DataTable) throws -> [(field: Cell, value: Cell)] {
        let statement = try connection.cached(Self.contentsSQL[type.rawValue])
        defer { statement.reset() }
        try statement.bind(db, at: 1)
        try statement.bind(bytes: key, at: 2)
        var elements: [(field: Cell, value: Cell)] = []
        while try statement.step() {
            switch type {
            case .strings, .lists:
                elements.append((.null, .bytes(statement.columnBytes(0))))
            case .hashes:
                elements.append((.bytes(statement.columnBytes(0)), .bytes(statement.columnBytes(1))))
            case .sets:
                let member = statement.columnBytes(0)
                elements.append((.bytes(member), .bytes(member)))
            case .zsets:
                elements.append((.bytes(statement.columnBytes(0)), .real(statement.columnDouble(1))))
            case .expires:
                break
            }
        }
        return elements
    }

    private func expiry(_ db: Int, _ key: [UInt8]) throws -> Int64? {
        guard writer.mayHaveRows(.expires) else { return nil }
        let statement = try connection.cached("SELECT at FROM expires WHERE db = ?1 AND key = ?2")
        defer { statement.reset() }
        try statement.bind(db, at: 1)
        try statement.bind(bytes: key, at: 2)
        return try statement.step() ? statement.columnInt64(0) : nil
    }

    private func exists(_ sql: String, _ db: Int, _ key: [UInt8]) throws -> Bool {
        let statement = try connection.cached(sql)
        defer { statement.reset() }
        try statement.bind(db, at: 1)
        try statement.bind(bytes: key, at: 2)
        return try statement.step()
    }

    /// A hash field's value or a member's score, NULL when absent.
    private func lookup(_ sql: String, _ db: Int, _ key: [UInt8], _ element: [UInt8]) throws -> Cell {
        let statement = try connection.cached(sql)
        defer { statement.reset() }
        try statement.bind(db, at: 1)
        try statement.bind(bytes: key, at: 2)
        try statement.bind(bytes: element, at: 3)
        guard try statement.step() else { return .null }
        return statement.columnType(0) == SQLITE_FLOAT ? .real(statement.columnDouble(0)) : .bytes(statement.columnBytes(0))
    }

    private func listLength(_ db: Int, _ key: [UInt8]) throws -> Int {
        let statement = try connection.cached("SELECT count(*) FROM lists WHERE db = ?1 AND key = ?2")
        defer { statement.reset() }
        try statement.bind(db, at: 1)
        try statement.bind(bytes: key, at: 2)
        return try statement.step() ? statement.columnInt(0) : 0
    }

    /// The element at `index` (0 = head): positions are contiguous from the minimum.
    private func listElement(_ db: Int, _ key: [UInt8], _ index: Int) throws -> Cell {
        let statement = try connection.cached("""
            SELECT value FROM lists WHERE db = ?1 AND key = ?2
               AND pos = (SELECT min(pos) FROM lists WHERE db = ?1 AND key = ?2) + ?3
            """)
        defer { statement.reset() }
        try statement.bind(db, at: 1)
        try statement.bind(bytes: key, at: 2)
        try statement.bind(index, at: 3)
        return try statement.step() ? .bytes(statement.columnBytes(0)) : .null
    }

    /// Deletes up to `limit` rows older than `cutoff` (Unix ms); returns how many.
    func prune(olderThan cutoff: Int64, limit: Int) throws -> Int {
        let statement = try connection.cached(
            "DELETE FROM history WHERE id IN (SELECT id FROM history WHERE at < ?1 LIMIT ?2)")
        defer { statement.reset() }
        try statement.bind(cutoff, at: 1)
        try statement.bind(limit, at: 2)
        try statement.run()
        return connection.changes
    }

    // MARK: writing

    private func insert(_ context: Context, _ db: Int, _ key: [UInt8], _ type: DataTable, _ kind: Kind,
                        field: Cell, old: Cell, new: Cell) throws {
        let statement = try connection.cached("""
            INSERT INTO history (at, db, key, type, kind, operation, field, old_value, new_value)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        defer { statement.reset() }
        try statement.bind(context.time, at: 1)
        try statement.bind(db, at: 2)
        try statement.bind(bytes: key, at: 3)
        try statement.bind(text: Self.typeName[type.rawValue], at: 4)
        try statement.bind(text: kind.rawValue, at: 5)
        try statement.bind(bytes: context.operation, at: 6)
        try bind(field, statement, at: 7)
        try bind(old, statement, at: 8)
        try bind(new, statement, at: 9)
        try statement.run()
    }

    private func bind(_ cell: Cell, _ statement: SQLiteStatement, at index: Int32) throws {
        switch cell {
        case .null: try statement.bindNull(at: index)
        case .bytes(let bytes): try statement.bind(bytes: bytes, at: index)
        case .integer(let value): try statement.bind(value, at: index)
        case .real(let value): try statement.bind(value, at: index)
        }
    }

    // MARK: SQL

    private static let typeName = DataTable.all.map { table -> String in
        switch table {
        case .strings: return "string"
        case .hashes: return "hash"
        case .lists: return "list"
        case .sets: return "set"
        case .zsets: return "zset"
        case .expires: return "expires"
        }
    }

    private static let existsSQL = DataTable.all.map { "SELECT 1 FROM \($0.name) WHERE db = ?1 AND key = ?2 LIMIT 1" }

    private static let contentsSQL = DataTable.all.map { table -> String in
        switch table {
        case .strings: return "SELECT value FROM strings WHERE db = ?1 AND key = ?2"
        case .hashes: return "SELECT field, value FROM hashes WHERE db = ?1 AND key = ?2"
        case .lists: return "SELECT value FROM lists WHERE db = ?1 AND key = ?2 ORDER BY pos"
        case .sets: return "SELECT member FROM sets WHERE db = ?1 AND key = ?2"
        case .zsets: return "SELECT member, score FROM zsets WHERE db = ?1 AND key = ?2 ORDER BY score, member"
        case .expires: return "SELECT at FROM expires WHERE db = ?1 AND key = ?2"
        }
    }

    private static let hashFieldSQL = "SELECT value FROM hashes WHERE db = ?1 AND key = ?2 AND field = ?3"
    private static let zsetScoreSQL = "SELECT score FROM zsets WHERE db = ?1 AND key = ?2 AND member = ?3"
}
