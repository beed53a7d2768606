import Keyspace
import RESP

/// GET, SET and the rest of the string family.
enum StringCommands {
    static let handlers: [String: CommandHandler] = [
        "get": get, "set": set, "setnx": setnx, "setex": setex, "psetex": psetex,
        "getset": getset, "getdel": getdel, "getex": getex,
        "mget": mget, "mset": mset, "msetnx": msetnx,
        "incr": incr, "decr": decr, "incrby": incrby, "decrby": decrby, "incrbyfloat": incrbyfloat,
        "append": append, "strlen": strlen, "getrange": getrange, "substr": getrange, "setrange": setrange,
        "lcs": lcs,
    ]

    /// Largest string SETRANGE/APPEND may build (`proto-max-bulk-len`).
    static func maxStringLength(_ context: CommandContext) -> Int {
        Int(context.server.config.protoMaxBulkLen)
    }

    // MARK: GET / SET

    static func get(_ context: CommandContext) throws(CommandError) {
        if let value = try context.readString(context[1]) {
            context.reply.writeBulkString(value)
        } else {
            context.reply.writeNull()
        }
    }

    /// SET key value [NX | XX | IFEQ v] [GET] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL]
    static func set(_ context: CommandContext) throws(CommandError) {
        let options = try SetOptions.parse(context, from: 3, command: "set", allowGet: true)
        let key = context[1]
        let database = context.database
        let existing = database.lookup(key)
        var oldValue: [UInt8]? = nil
        if let existing {
            if case .string(let value) = existing.value.value {
                oldValue = value
            } else if options.returnOld || options.ifEqual != nil {
                throw .wrongType
            }
        }
        let allowed: Bool
        switch options.condition {
        case .always: allowed = true
        case .ifAbsent: allowed = existing == nil
        case .ifPresent: allowed = existing != nil
        case .ifEqual(let expected): allowed = oldValue == expected
        }
        if allowed {
            store(context, key, context[2], expiry: options.expiry)
        }
        if options.returnOld {
            if let oldValue { context.reply.writeBulkString(oldValue) } else { context.reply.writeNull() }
        } else if allowed {
            context.reply.writeOK()
        } else {
            context.reply.writeNull()
        }
    }

    /// Writes a string and its expiry; an expiry already in the past deletes the key.
    static func store(_ context: CommandContext, _ key: [UInt8], _ value: [UInt8], expiry: ExpiryUpdate) {
        let database = context.database
        database.setString(key, value, expiry: expiry)
        KeyspaceNotifications.notify(context, .string, "set", key)
        if case .at(let at) = expiry {
            if at <= context.now {
                database.delete(key)
                KeyspaceNotifications.notify(context, .generic, "del", key)
            } else {
                KeyspaceNotifications.notify(context, .generic, "expire", key)
            }
        }
    }

    static func setnx(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        if database.lookup(context[1]) != nil {
            context.reply.writeInteger(0)
        } else {
            database.setString(context[1], context[2])
            KeyspaceNotifications.notify(context, .string, "set", context[1])
            context.reply.writeInteger(1)
        }
    }

    static func setex(_ context: CommandContext) throws(CommandError) {
        try setWithTTL(context, unitMillis: 1000, command: "setex")
    }

    static func psetex(_ context: CommandContext) throws(CommandError) {
        try setWithTTL(context, unitMillis: 1, command: "psetex")
    }

    private static func setWithTTL(_ context: CommandContext, unitMillis: Int, command: String) throws(CommandError) {
        let ttl = try context.integer(at: 2)
        let at = try expiryInstant(ttl, unitMillis: unitMillis, relative: true, now: context.now, command: command)
        store(context, context[1], context[3], expiry: .at(at))
        context.reply.writeOK()
    }

    static func getset(_ context: CommandContext) throws(CommandError) {
        let old = try context.readString(context[1])
        context.database.setString(context[1], context[2])
        KeyspaceNotifications.notify(context, .string, "set", context[1])
        if let old { context.reply.writeBulkString(old) } else { context.reply.writeNull() }
    }

    static func getdel(_ context: CommandContext) throws(CommandError) {
        guard let old = try context.readString(context[1]) else { return context.reply.writeNull() }
        context.database.delete(context[1])
        KeyspaceNotifications.notify(context, .generic, "del", context[1])
        context.reply.writeBulkString(old)
    }

    /// GETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST]
    static func getex(_ context: CommandContext) throws(CommandError) {
        var expiry: ExpiryUpdate = .keep
        var index = 2
        var sawOption = false
        while index < context.count {
            let hasNext = index + 1 < context.count
            if context.isToken(index, "PERSIST") && !sawOption {
                expiry = .clear
            } else if let unit = expiryUnit(context, index), hasNext, !sawOption {
                let value = try context.integer(at: index + 1)
                expiry = .at(try expiryInstant(value, unitMillis: unit.millis, relative: unit.relative, now: context.now, command: "getex"))
                index += 1
            } else {
                throw .syntax
            }
            sawOption = true
            index += 1
        }
        let database = context.database
        guard let node = database.lookupForRead(context[1], touch: !context.client.noTouch) else {
            context.server.stats.keyspaceMisses += 1
            return context.reply.writeNull()
        }
        guard case .string(let value) = node.value.value else { throw .wrongType }
        context.server.stats.keyspaceHits += 1
        switch expiry {
        case .keep: break
        case .clear:
            if database.persist(node) { KeyspaceNotifications.notify(context, .generic, "persist", context[1]) }
        case .at(let at):
            database.setExpiry(node, at: at)
            KeyspaceNotifications.notify(context, .generic, at <= context.now ? "del" : "expire", context[1])
        }
        context.reply.writeBulkString(value)
    }

    // MARK: multiple keys

    static func mget(_ context: CommandContext) throws(CommandError) {
        context.reply.writeArrayHeader(context.count - 1)
        let database = context.database
        for index in 1..<context.count {
            if let node = database.lookupForRead(context[index], touch: !context.client.noTouch),
               case .string(let value) = node.value.value {
                context.server.stats.keyspaceHits += 1
                context.reply.writeBulkString(value)
            } else {
                context.server.stats.keyspaceMisses += 1
                context.reply.writeNull()
            }
        }
    }

    static func mset(_ context: CommandContext) throws(CommandError) {
        guard context.count % 2 == 1 else { throw .wrongArity("mset") }
        let database = context.database
        for index in stride(from: 1, to: context.count, by: 2) {
            database.setString(context[index], context[index + 1])
            KeyspaceNotifications.notify(context, .string, "set", context[index])
        }
        context.reply.writeOK()
    }

    static func msetnx(_ context: CommandContext) throws(CommandError) {
        guard context.count % 2 == 1 else { throw .wrongArity("msetnx") }
        let database = context.database
        for index in stride(from: 1, to: context.count, by: 2) where database.lookup(context[index]) != nil {
            return context.reply.writeInteger(0)
        }
        for index in stride(from: 1, to: context.count, by: 2) {
            database.setString(context[index], context[index + 1])
            KeyspaceNotifications.notify(context, .string, "set", context[index])
        }
        context.reply.writeInteger(1)
    }

    // MARK: counters

    static func incr(_ context: CommandContext) throws(CommandError) { try incrementBy(context, 1) }
    static func decr(_ context: CommandContext) throws(CommandError) { try incrementBy(context, -1) }
    static func incrby(_ context: CommandContext) throws(CommandError) {
        try incrementBy(context, try context.integer(at: 2))
    }
    static func decrby(_ context: CommandContext) throws(CommandError) {
        let amount = try context.integer(at: 2)
        guard amount != Int.min else { throw CommandError("ERR decrement would overflow") }
        try incrementBy(context, -amount)
    }

    private static func incrementBy(_ context: CommandContext, _ amount: Int) throws(CommandError) {
        let database = context.database
        let node = database.lookup(context[1])
        var current = 0
        if let node {
            guard case .string(let value) = node.value.value else { throw .wrongType }
            guard value.count <= 20, let parsed = parseInteger(value) else { throw .notInteger }
            current = parsed
        }
        let (result, overflow) = current.addingReportingOverflow(amount)
        guard !overflow else { throw .overflow }
        let text = Array(String(result).utf8)
        if let node {
            database.updateString(node, text)
        } else {
            database.setString(context[1], text)
        }
        KeyspaceNotifications.notify(context, .string, "incrby", context[1])
        context.reply.writeInteger(result)
    }

    static func incrbyfloat(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        let node = database.lookup(context[1])
        var current: Float80 = 0
        if let node {
            guard case .string(let value) = node.value.value else { throw .wrongType }
            guard let parsed = parseLongDouble(value) else { throw .notFloat }
            current = parsed
        }
        guard let increment = parseLongDouble(context[2]) else { throw .notFloat }
        let result = current + increment
        guard result.isFinite else { throw CommandError("ERR increment would produce NaN or Infinity") }
        let text = formatLongDouble(result)
        if let node {
            database.updateString(node, text, encoding: .plain)
        } else {
            database.setString(context[1], text, encoding: .plain)
        }
        KeyspaceNotifications.notify(context, .string, "incrbyfloat", context[1])
        context.reply.writeBulkString(text)
    }

    // MARK: ranges and lengths

    static func append(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        guard let node = database.lookup(context[1]) else {
            database.setString(context[1], context[2])  // a new key: encoded from its content, as SET
            KeyspaceNotifications.notify(context, .string, "append", context[1])
            return context.reply.writeInteger(context[2].count)
        }
        guard case .string(var value) = node.value.value else { throw .wrongType }
        guard value.count + context[2].count <= maxStringLength(context) else {
            throw CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
        }
        node.value.value = .string([])  // drop the table's reference so the append does not copy
        value.append(contentsOf: context[2])
        database.updateString(node, value, encoding: .raw)
        KeyspaceNotifications.notify(context, .string, "append", context[1])
        context.reply.writeInteger(value.count)
    }

    static func strlen(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(try context.readString(context[1])?.count ?? 0)
    }

    static func getrange(_ context: CommandContext) throws(CommandError) {
        var start = try context.integer(at: 2)
        var end = try context.integer(at: 3)
        let value = try context.readString(context[1]) ?? []
        let length = value.count
        if start < 0 && end < 0 && start > end { return context.reply.writeBulkString([UInt8]()) }
        if start < 0 { start += length }
        if end < 0 { end += length }
        start = max(start, 0)
        end = max(end, 0)
        if end >= length { end = length - 1 }
        if start > end || length == 0 { return context.reply.writeBulkString([UInt8]()) }
        context.reply.writeBulkString(value[start...end])
    }

    static func setrange(_ context: CommandContext) throws(CommandError) {
        let offset = try context.integer(at: 2)
        guard offset >= 0 else { throw CommandError("ERR offset is out of range") }
        let patch = context[3]
        let database = context.database
        let node = database.lookup(context[1])
        var value: [UInt8] = []
        if let node {
            guard case .string(let existing) = node.value.value else { throw .wrongType }
            value = existing
        }
        if patch.isEmpty { return context.reply.writeInteger(value.count) }
        guard offset + patch.count <= maxStringLength(context) else {
            throw CommandError("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
        }
        if let node { node.value.value = .string([]) }  // unique reference: mutate without copying
        if value.count < offset + patch.count {
            value.append(contentsOf: repeatElement(0, count: offset + patch.count - value.count))
        }
        value.replaceSubrange(offset..<(offset + patch.count), with: patch)
        if let node {
            database.updateString(node, value, encoding: .raw)
        } else {
            database.setString(context[1], value, encoding: .raw)
        }
        KeyspaceNotifications.notify(context, .string, "setrange", context[1])
        context.reply.writeInteger(value.count)
    }

    // MARK: LCS

    /// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
    static func lcs(_ context: CommandContext) throws(CommandError) {
        var wantLength = false, wantIndexes = false, withMatchLength = false
        var minimumMatch = 0
        var index = 3
        while index < context.count {
            if context.isToken(index, "IDX") {
                wantIndexes = true
            } else if context.isToken(index, "LEN") {
                wantLength = true
            } else if context.isToken(index, "WITHMATCHLEN") {
                withMatchLength = true
            } else if context.isToken(index, "MINMATCHLEN") && index + 1 < context.count {
                minimumMatch = max(try context.integer(at: index + 1), 0)
                index += 1
            } else {
                throw .syntax
            }
            index += 1
        }
        let a = try lcsOperand(context, context[1])
        let b = try lcsOperand(context, context[2])
        if wantLength && wantIndexes {
            throw CommandError("ERR If you want both the length and indexes, please just use IDX.")
        }
        // Dynamic programming table of LCS lengths of suffixes, (|a|+1)×(|b|+1).
        let width = b.count + 1
        guard (a.count + 1).multipliedReportingOverflow(by: width).overflow == false,
              (a.count + 1) * width < Int(UInt32.max) else {
            throw CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
        }
        var table = [UInt32](repeating: 0, count: (a.count + 1) * width)
        for i in 0...a.count {
            for j in 0...b.count where i > 0 && j > 0 {
                if a[i - 1] == b[j - 1] {
                    table[i * width + j] = table[(i - 1) * width + j - 1] + 1
                } else {
                    table[i * width + j] = max(table[(i - 1) * width + j], table[i * width + j - 1])
                }
            }
        }
        let length = Int(table[a.count * width + b.count])
        if wantLength { return context.reply.writeInteger(length) }

        // Walk back from the end, collecting the common string and the matching ranges.
        var common = [UInt8](repeating: 0, count: length)
        var matches: [(aRange: (Int, Int), bRange: (Int, Int))] = []
        var i = a.count, j = b.count, position = length
        var rangeAStart = -1, rangeAEnd = -1, rangeBStart = -1, rangeBEnd = -1
        func emitRange() {
            let matchLength = rangeAEnd - rangeAStart + 1
            if rangeAStart != -1 && matchLength >= minimumMatch {
                matches.append(((rangeAStart, rangeAEnd), (rangeBStart, rangeBEnd)))
            }
        }
        while i > 0 && j > 0 {
            if a[i - 1] == b[j - 1] {
                position -= 1
                common[position] = a[i - 1]
                if rangeAStart == -1 {
                    rangeAStart = i - 1; rangeAEnd = i - 1; rangeBStart = j - 1; rangeBEnd = j - 1
                } else if rangeAStart == i && rangeBStart == j {
                    rangeAStart -= 1; rangeBStart -= 1
                } else {
                    emitRange()
                    rangeAStart = i - 1; rangeAEnd = i - 1; rangeBStart = j - 1; rangeBEnd = j - 1
                }
                i -= 1
                j -= 1
            } else if table[(i - 1) * width + j] > table[i * width + j - 1] {
                i -= 1
            } else {
                j -= 1
            }
        }
        emitRange()
        guard wantIndexes else { return context.reply.writeBulkString(common) }
        context.reply.writeMapHeader(2)
        context.reply.writeBulkString("matches")
        context.reply.writeArrayHeader(matches.count)
        for match in matches {
            context.reply.writeArrayHeader(withMatchLength ? 3 : 2)
            context.reply.writeArrayHeader(2)
            context.reply.writeInteger(match.aRange.0)
            context.reply.writeInteger(match.aRange.1)
            context.reply.writeArrayHeader(2)
            context.reply.writeInteger(match.bRange.0)
            context.reply.writeInteger(match.bRange.1)
            if withMatchLength { context.reply.writeInteger(match.aRange.1 - match.aRange.0 + 1) }
        }
        context.reply.writeBulkString("len")
        context.reply.writeInteger(length)
    }

    private static func lcsOperand(_ context: CommandContext, _ key: [UInt8]) throws(CommandError) -> [UInt8] {
        guard let node = context.database.lookupForRead(key, touch: !context.client.noTouch) else { return [] }
        guard case .string(let value) = node.value.value else {
            throw CommandError("ERR The specified keys must contain string values")
        }
        return value
    }
}

// MARK: - shared option parsing

/// The options of SET (and the expiry part shared with GETEX).
struct SetOptions {
    enum Condition { case always, ifAbsent, ifPresent, ifEqual([UInt8]) }

    var condition = Condition.always
    var returnOld = false
    var expiry = ExpiryUpdate.clear
    var ifEqual: [UInt8]? {
        if case .ifEqual(let value) = condition { return value }
        return nil
    }

    static func parse(_ context: CommandContext, from start: Int, command: String, allowGet: Bool) throws(CommandError) -> SetOptions {
        var options = SetOptions()
        var hasCondition = false
        var hasExpiry = false
        var index = start
        while index < context.count {
            let hasNext = index + 1 < context.count
            if context.isToken(index, "NX") && !hasCondition {
                options.condition = .ifAbsent; hasCondition = true
            } else if context.isToken(index, "XX") && !hasCondition {
                options.condition = .ifPresent; hasCondition = true
            } else if context.isToken(index, "IFEQ") && !hasCondition && hasNext {
                options.condition = .ifEqual(context[index + 1]); hasCondition = true
                index += 1
            } else if context.isToken(index, "GET") && allowGet && !options.returnOld {
                options.returnOld = true
            } else if context.isToken(index, "KEEPTTL") && !hasExpiry {
                options.expiry = .keep; hasExpiry = true
            } else if let unit = StringCommands.expiryUnit(context, index), hasNext, !hasExpiry {
                let value = try context.integer(at: index + 1)
                options.expiry = .at(try StringCommands.expiryInstant(value, unitMillis: unit.millis, relative: unit.relative, now: context.now, command: command))
                hasExpiry = true
                index += 1
            } else {
                throw .syntax
            }
            index += 1
        }
        return options
    }
}

extension StringCommands {
    /// EX/PX/EXAT/PXAT at `index`: milliseconds per unit and whether it is relative to now.
    static func expiryUnit(_ context: CommandContext, _ index: Int) -> (millis: Int, relative: Bool)? {
        if context.isToken(index, "EX") { return (1000, true) }
        if context.isToken(index, "PX") { return (1, true) }
        if context.isToken(index, "EXAT") { return (1000, false) }
        if context.isToken(index, "PXAT") { return (1, false) }
        return nil
    }

    /// Converts a TTL argument to an absolute Unix-ms instant, rejecting
    /// non-positive values and overflow as Valkey's `getExpireMillisecondsOrReply`.
    static func expiryInstant(_ value: Int, unitMillis: Int, relative: Bool, now: Int64, command: String) throws(CommandError) -> Int64 {
        guard value > 0 else { throw .invalidExpireTime(command) }
        let (millis, overflow) = value.multipliedReportingOverflow(by: unitMillis)
        guard !overflow else { throw .invalidExpireTime(command) }
        guard relative else { return Int64(millis) }
        let (at, overflow2) = Int64(millis).addingReportingOverflow(now)
        guard !overflow2 else { throw .invalidExpireTime(command) }
        return at
    }
}

extension CommandContext {
    /// The string at `key` for a read: nil when absent, WRONGTYPE for other types.
    /// Counts keyspace hits and misses and updates the access time.
    func readString(_ key: [UInt8]) throws(CommandError) -> [UInt8]? {
        guard let node = database.lookupForRead(key, touch: !client.noTouch) else {
            server.stats.keyspaceMisses += 1
            return nil
        }
        guard case .string(let value) = node.value.value else { throw .wrongType }
        server.stats.keyspaceHits += 1
        return value
    }
}
