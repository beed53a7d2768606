import Keyspace
import RESP

/// `HISTORY key [FIELD f] [SINCE ms] [UNTIL ms] [COUNT n] [REV]` lists the
/// changes recorded for a key that matches `history-keys`;
/// `HISTORY AT key ms` replays them to the value the key had at that instant.
/// Both read the `history` table (migrations/0003_history.sql) off the event
/// loop, like `SQL`, after the tables caught up with every acknowledged write.
///
/// The AT form is recognised when the first argument is `AT` (any case) and
/// exactly two follow: `HISTORY at COUNT 5` reads the key `COUNT` at 5 ms. To
/// list a key named `at` with one option, add another (`SINCE 0`).
enum HistoryCommands {
    static let handlers: [String: CommandHandler] = ["history": history]

    /// Entries listed when COUNT is not given.
    static let defaultCount = 100

    static func history(_ context: CommandContext) throws(CommandError) {
        if context.count == 4 && context.isToken(1, "AT") { return try historyAt(context) }
        let key = context[1]
        var field: [UInt8]? = nil
        var since: Int? = nil
        var until: Int? = nil
        var count = defaultCount
        var newestFirst = false
        var index = 2
        while index < context.count {
            if context.isToken(index, "REV") {
                newestFirst = true
                index += 1
                continue
            }
            guard index + 1 < context.count else { throw .syntax }
            if context.isToken(index, "FIELD") {
                field = context[index + 1]
            } else if context.isToken(index, "SINCE") {
                since = try context.integer(at: index + 1)
            } else if context.isToken(index, "UNTIL") {
                until = try context.integer(at: index + 1)
            } else if context.isToken(index, "COUNT") {
                count = try context.integer(at: index + 1)
                if count < 0 { throw CommandError("ERR value is out of range, must be positive") }
            } else {
                throw .syntax
            }
            index += 2
        }
        try requireTracked(context, key)

        var sql = "SELECT at, operation, type, kind, field, old_value, new_value FROM history WHERE db = ?1 AND key = ?2"
        var parameters: [SQLParameter] = [.integer(Int64(context.client.database)), .bytes(key)]
        if let field {
            // List elements are recorded by index (INTEGER): FIELD 3 finds them too.
            sql += " AND (field = ?\(parameters.count + 1) OR field = ?\(parameters.count + 2))"
            parameters.append(.bytes(field))
            parameters.append(parseInteger(field).map { .integer(Int64($0)) } ?? .bytes([]))
        }
        if let since {
            sql += " AND at >= ?\(parameters.count + 1)"
            parameters.append(.integer(Int64(since)))
        }
        if let until {
            sql += " AND at <= ?\(parameters.count + 1)"
            parameters.append(.integer(Int64(until)))
        }
        sql += newestFirst ? " ORDER BY id DESC" : " ORDER BY id"
        if count > 0 { sql += " LIMIT \(count)" }
        let request = SQLRequest(sql: Array(sql.utf8), parameters: parameters,
                                 timeoutMilliseconds: context.server.config.sqlTimeout, maxRows: 0)
        try SQLCommands.run(context, request) { result, reply in
            writeEntries(result.rows, into: &reply)
        }
    }

    /// Each entry: `time operation type kind field old new` (a map in RESP3,
    /// a flat array in RESP2); values as SQL replies them (list indexes and
    /// expiry deadlines as integers, scores as doubles).
    static func writeEntries(_ rows: [[SQLValue]], into reply: inout ReplyWriter) {
        reply.writeArrayHeader(rows.count)
        for row in rows {
            reply.writeMapHeader(7)
            for (name, value) in zip(entryFields, row) {
                reply.writeBulkString(name)
                SQLCommands.writeValue(value, into: &reply)
            }
        }
    }

    private static let entryFields = ["time", "operation", "type", "kind", "field", "old", "new"]

    // MARK: AT

    /// `HISTORY AT key ms`
    static func historyAt(_ context: CommandContext) throws(CommandError) {
        let key = context[2]
        let instant = try context.integer(at: 3)
        try requireTracked(context, key)
        let request = SQLRequest(
            sql: Array("""
                SELECT type, field, old_value, new_value FROM history
                WHERE db = ?1 AND key = ?2 AND kind = 'value' AND at <= ?3 ORDER BY id
                """.utf8),
            parameters: [.integer(Int64(context.client.database)), .bytes(key), .integer(Int64(instant))],
            timeoutMilliseconds: context.server.config.sqlTimeout, maxRows: 0)
        try SQLCommands.run(context, request) { result, reply in
            var replay = HistoryReplay()
            for row in result.rows { replay.apply(row) }
            replay.write(into: &reply)
        }
    }

    private static func requireTracked(_ context: CommandContext, _ key: [UInt8]) throws(CommandError) {
        guard context.keyspace.historyKeys.matches(key) else {
            throw CommandError("ERR key does not match history-keys: its changes are not recorded")
        }
    }
}

/// A key's value rebuilt from its `history` rows (type, field, old, new), in
/// id order, starting from an absent key.
struct HistoryReplay {
    private enum Value {
        case absent
        case string([UInt8])
        /// Fields and set members keep the order they were added in (as a
        /// small hash or set lists them); `order` is when each was added.
        case hash([[UInt8]: (order: Int, value: [UInt8])])
        case set([[UInt8]: Int])
        case zset([[UInt8]: Double])
        case list([[UInt8]])
    }

    private var value = Value.absent
    private var type = ""
    private var added = 0

    mutating func apply(_ row: [SQLValue]) {
        guard row.count == 4, case .text(let typeBytes) = row[0] else { return }
        let rowType = String(decoding: typeBytes, as: UTF8.self)
        if rowType != type {
            // A key replaced by another type lost its elements first; start afresh.
            type = rowType
            value = .absent
        }
        let field = row[1], old = row[2], new = row[3]
        added += 1
        switch rowType {
        case "string":
            value = Self.bytes(new).map(Value.string) ?? .absent
        case "hash":
            guard var fields = hashFields, let name = Self.bytes(field) else { return }
            if let newValue = Self.bytes(new) {
                fields[name] = (fields[name]?.order ?? added, newValue)
            } else {
                fields[name] = nil
            }
            value = .hash(fields)
        case "set":
            guard var members = setMembers, let member = Self.bytes(field) else { return }
            if new != .null {
                if members[member] == nil { members[member] = added }
            } else {
                members[member] = nil
            }
            value = .set(members)
        case "zset":
            guard var scores = zsetScores, let member = Self.bytes(field) else { return }
            scores[member] = Self.score(new)
            value = .zset(scores)
        case "list":
            guard var elements = listElements, let position = Self.index(field) else { return }
            switch (Self.bytes(old), Self.bytes(new)) {
            case (nil, let inserted?):
                elements.insert(inserted, at: min(max(position, 0), elements.count))
            case (_?, nil):
                if elements.indices.contains(position) { elements.remove(at: position) }
            case (_?, let replacement?):
                if elements.indices.contains(position) { elements[position] = replacement }
            case (nil, nil):
                break
            }
            value = .list(elements)
        default:
            return
        }
    }

    /// Replies in the shape of the key's type: GET, HGETALL, LRANGE 0 -1,
    /// SMEMBERS, ZRANGE 0 -1 WITHSCORES; null when the key did not exist.
    func write(into reply: inout ReplyWriter) {
        switch value {
        case .absent:
            reply.writeNull()
        case .string(let bytes):
            reply.writeBulkString(bytes)
        case .hash(let fields):
            guard !fields.isEmpty else { return reply.writeNull() }
            reply.writeMapHeader(fields.count)
            for (name, entry) in fields.sorted(by: { $0.value.order < $1.value.order }) {
                reply.writeBulkString(name)
                reply.writeBulkString(entry.value)
            }
        case .set(let members):
            guard !members.isEmpty else { return reply.writeNull() }
            reply.writeSetHeader(members.count)
            for (member, _) in members.sorted(by: { $0.value < $1.value }) { reply.writeBulkString(member) }
        case .zset(let scores):
            guard !scores.isEmpty else { return reply.writeNull() }
            let ordered = scores.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key.lexicographicallyPrecedes($1.key) }
            // As ZRANGE WITHSCORES: [member, score] pairs in RESP3, flat in RESP2.
            let pairs = reply.version == .resp3
            reply.writeArrayHeader(pairs ? ordered.count : ordered.count * 2)
            for (member, score) in ordered {
                if pairs { reply.writeArrayHeader(2) }
                reply.writeBulkString(member)
                reply.writeDouble(score)
            }
        case .list(let elements):
            guard !elements.isEmpty else { return reply.writeNull() }
            reply.writeBulkStringArray(elements)
        }
    }

    // MARK: the current value as each type (empty when it is absent)

    private var hashFields: [[UInt8]: (order: Int, value: [UInt8])]? {
        switch value {
        case .hash(let fields): return fields
        case .absent: return [:]
        default: return nil
        }
    }

    private var setMembers: [[UInt8]: Int]? {
        switch value {
        case .set(let members): return members
        case .absent: return [:]
        default: return nil
        }
    }

    private var zsetScores: [[UInt8]: Double]? {
        switch value {
        case .zset(let scores): return scores
        case .absent: return [:]
        default: return nil
        }
    }

    private var listElements: [[UInt8]]? {
        switch value {
        case .list(let elements): return elements
        case .absent: return []
        default: return nil
        }
    }

    // MARK: cells

    private static func bytes(_ value: SQLValue) -> [UInt8]? {
        switch value {
        case .null: return nil
        case .text(let bytes), .blob(let bytes): return bytes
        case .integer(let number): return Array(String(number).utf8)
        case .real(let number): return Array(formatDouble(number).utf8)
        }
    }

    private static func score(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let number): return number
        case .integer(let number): return Double(number)
        case .text(let bytes), .blob(let bytes): return parseDouble(bytes)
        case .null: return nil
        }
    }

    private static func index(_ value: SQLValue) -> Int? {
        switch value {
        case .integer(let number): return Int(number)
        case .text(let bytes), .blob(let bytes): return parseInteger(bytes)
        default: return nil
        }
    }
}
