import Keyspace
import RESP

/// The hash command family.
enum HashCommands {
    static let handlers: [String: CommandHandler] = [
        "hset": hset, "hmset": hmset, "hsetnx": hsetnx,
        "hget": hget, "hmget": hmget, "hgetall": hgetall, "hkeys": hkeys, "hvals": hvals,
        "hdel": hdel, "hexists": hexists, "hlen": hlen, "hstrlen": hstrlen,
        "hincrby": hincrby, "hincrbyfloat": hincrbyfloat,
        "hrandfield": hrandfield, "hscan": hscan,
    ]

    /// The listpack thresholds, read only when a hash may still be a listpack.
    static func limits(_ context: CommandContext) -> HashValue.Limits {
        context.server.config.encodingLimits.hash
    }

    // MARK: writes

    static func hset(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(try setFields(context, command: "hset"))
    }

    static func hmset(_ context: CommandContext) throws(CommandError) {
        _ = try setFields(context, command: "hmset")
        context.reply.writeOK()
    }

    /// HSET / HMSET key field value [field value …]; returns the number of new fields.
    private static func setFields(_ context: CommandContext, command: String) throws(CommandError) -> Int {
        guard context.count % 2 == 0 else { throw .wrongArity(command) }
        let (node, hash) = try writableHash(context, context[1], create: true)!
        let key = node.key.bytes
        let database = context.database
        let limits = hash.isListpack ? self.limits(context) : unlimited
        if hash.isListpack {
            var longest = 0
            for index in 2..<context.count { longest = max(longest, context[index].count) }
            hash.prepareForWrite(newFields: (context.count - 2) / 2, longestArgument: longest, limits: limits)
        }
        var added = 0
        for index in stride(from: 2, to: context.count, by: 2) {
            let field = context[index], value = context[index + 1]
            switch hash.set(field, value, limits: limits) {
            case .unchanged: continue  // nothing to persist
            case .inserted: added += 1
            case .updated: break
            }
            database.record(.hashSet(db: database.index, key: key, field: field, value: value))
        }
        KeyspaceNotifications.notify(context, .hash, "hset", context[1])
        return added
    }

    static func hsetnx(_ context: CommandContext) throws(CommandError) {
        let existing = try writableHash(context, context[1], create: false)
        if let existing, existing.hash.contains(context[2]) { return context.reply.writeInteger(0) }
        let database = context.database
        let target = existing?.hash ?? HashValue()
        let key = existing?.node.key.bytes ?? database.create(context[1], .hash(target)).key.bytes
        let limits = target.isListpack ? self.limits(context) : unlimited
        target.prepareForWrite(newFields: 1, longestArgument: max(context[2].count, context[3].count), limits: limits)
        target.set(context[2], context[3], limits: limits)
        database.record(.hashSet(db: database.index, key: key, field: context[2], value: context[3]))
        KeyspaceNotifications.notify(context, .hash, "hset", context[1])
        context.reply.writeInteger(1)
    }

    static func hdel(_ context: CommandContext) throws(CommandError) {
        guard let (node, hash) = try writableHash(context, context[1], create: false) else {
            return context.reply.writeInteger(0)
        }
        let database = context.database
        var deleted = 0
        var removedKey = false
        for index in 2..<context.count where hash.remove(context[index]) {
            deleted += 1
            database.record(.hashDelete(db: database.index, key: node.key.bytes, field: context[index]))
            if hash.isEmpty {
                database.removeEmpty(node)
                removedKey = true
                break
            }
        }
        if deleted > 0 {
            KeyspaceNotifications.notify(context, .hash, "hdel", context[1])
            if removedKey { KeyspaceNotifications.notify(context, .generic, "del", context[1]) }
        }
        context.reply.writeInteger(deleted)
    }

    static func hincrby(_ context: CommandContext) throws(CommandError) {
        let increment = try context.integer(at: 3)
        let existing = try writableHash(context, context[1], create: false)
        var current = 0
        if let old = existing?.hash[context[2]] {
            guard old.count <= 20, let parsed = parseInteger(old) else {
                throw CommandError("ERR hash value is not an integer")
            }
            current = parsed
        }
        let (result, overflow) = current.addingReportingOverflow(increment)
        guard !overflow else { throw .overflow }
        store(context, existing, Array(String(result).utf8))
        KeyspaceNotifications.notify(context, .hash, "hincrby", context[1])
        context.reply.writeInteger(result)
    }

    static func hincrbyfloat(_ context: CommandContext) throws(CommandError) {
        guard let increment = parseLongDouble(context[3]) else { throw .notFloat }
        guard increment.isFinite else { throw CommandError("ERR value is NaN or Infinity") }
        let existing = try writableHash(context, context[1], create: false)
        var current: Float80 = 0
        if let old = existing?.hash[context[2]] {
            guard let parsed = parseLongDouble(old) else { throw CommandError("ERR hash value is not a float") }
            current = parsed
        }
        let result = current + increment
        guard result.isFinite else { throw CommandError("ERR increment would produce NaN or Infinity") }
        let text = formatLongDouble(result)
        store(context, existing, text)
        KeyspaceNotifications.notify(context, .hash, "hincrbyfloat", context[1])
        context.reply.writeBulkString(text)
    }

    /// Writes the result of HINCRBY/HINCRBYFLOAT, creating the hash if needed.
    private static func store(_ context: CommandContext, _ existing: (node: Database.Node, hash: HashValue)?, _ value: [UInt8]) {
        let database = context.database
        let node: Database.Node, hash: HashValue
        if let existing {
            (node, hash) = existing
        } else {
            hash = HashValue()
            node = database.create(context[1], .hash(hash))
        }
        // An increment of 0 may leave the value as it was: nothing to persist then.
        guard hash.set(context[2], value, limits: hash.isListpack ? limits(context) : unlimited) != .unchanged else { return }
        database.record(.hashSet(db: database.index, key: node.key.bytes, field: context[2], value: value))
    }

    // MARK: reads

    static func hget(_ context: CommandContext) throws(CommandError) {
        if let value = try context.readHash(context[1])?[context[2]] {
            context.reply.writeBulkString(value)
        } else {
            context.reply.writeNull()
        }
    }

    static func hmget(_ context: CommandContext) throws(CommandError) {
        let hash = try context.readHash(context[1])
        context.reply.writeArrayHeader(context.count - 2)
        for index in 2..<context.count {
            if let value = hash?[context[index]] {
                context.reply.writeBulkString(value)
            } else {
                context.reply.writeNull()
            }
        }
    }

    static func hgetall(_ context: CommandContext) throws(CommandError) {
        guard let hash = try context.readHash(context[1]) else { return context.reply.writeMapHeader(0) }
        context.reply.writeMapHeader(hash.count)
        hash.fields.forEach { node in
            context.reply.writeBulkString(node.key.bytes)
            context.reply.writeBulkString(node.value)
        }
    }

    static func hkeys(_ context: CommandContext) throws(CommandError) {
        guard let hash = try context.readHash(context[1]) else { return context.reply.writeArrayHeader(0) }
        context.reply.writeArrayHeader(hash.count)
        hash.fields.forEach { context.reply.writeBulkString($0.key.bytes) }
    }

    static func hvals(_ context: CommandContext) throws(CommandError) {
        guard let hash = try context.readHash(context[1]) else { return context.reply.writeArrayHeader(0) }
        context.reply.writeArrayHeader(hash.count)
        hash.fields.forEach { context.reply.writeBulkString($0.value) }
    }

    static func hexists(_ context: CommandContext) throws(CommandError) {
        let exists = try context.readHash(context[1])?.contains(context[2]) ?? false
        context.reply.writeInteger(exists ? 1 : 0)
    }

    static func hlen(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(try context.readHash(context[1])?.count ?? 0)
    }

    static func hstrlen(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(try context.readHash(context[1])?[context[2]]?.count ?? 0)
    }

    // MARK: HRANDFIELD

    /// HRANDFIELD key [count [WITHVALUES]]
    static func hrandfield(_ context: CommandContext) throws(CommandError) {
        guard context.count >= 3 else {
            var random = SetCommands.makeRandom(context)
            guard let hash = try context.readHash(context[1]),
                  let node = hash.fields.randomNode(using: &random) else {
                return context.reply.writeNull()
            }
            return context.reply.writeBulkString(node.key.bytes)
        }
        let requested = try rangedCount(context, at: 2)
        var withValues = false
        if context.count > 4 || (context.count == 4 && !context.isToken(3, "WITHVALUES")) {
            throw .syntax
        } else if context.count == 4 {
            withValues = true
            guard requested >= -(Int.max / 2) && requested <= Int.max / 2 else {
                throw CommandError("ERR value is out of range")
            }
        }
        guard let hash = try context.readHash(context[1]) else { return context.reply.writeArrayHeader(0) }
        let count = requested.magnitude
        if count == 0 { return context.reply.writeArrayHeader(0) }
        var random = SetCommands.makeRandom(context)

        func header(_ entries: Int) {
            context.reply.writeArrayHeader(withValues && context.reply.version == .resp2 ? entries * 2 : entries)
        }
        func emit(_ node: KeyTable<[UInt8]>.Node) {
            if withValues && context.reply.version == .resp3 { context.reply.writeArrayHeader(2) }
            context.reply.writeBulkString(node.key.bytes)
            if withValues { context.reply.writeBulkString(node.value) }
        }

        // Negative count (or 1): independent draws, repeats allowed.
        if requested < 0 || count == 1 {
            header(Int(count))
            for _ in 0..<count {
                emit(hash.fields.randomNode(using: &random)!)
            }
            return
        }
        // The whole hash.
        if count >= UInt(hash.count) {
            header(hash.count)
            hash.fields.forEach(emit)
            return
        }
        header(Int(count))
        for node in sampleDistinct(hash.fields, count: Int(count), using: &random) { emit(node) }
    }

    // MARK: HSCAN

    /// HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]
    static func hscan(_ context: CommandContext) throws(CommandError) {
        guard let cursor = UInt64(String(decoding: context[2], as: UTF8.self)) else {
            throw CommandError("ERR invalid cursor")
        }
        // As Valkey: the options are parsed only once the key is known to be a hash.
        guard let hash = try context.readHash(context[1]) else { return writeEmptyScan(context) }
        let options = try ScanArguments.parse(context, cursorIndex: 2, extra: .noValues)
        var items: [[UInt8]] = []
        var next: UInt64 = 0
        if hash.isListpack {
            // A small hash is returned whole in one call, as Valkey does for listpacks.
            hash.fields.forEach { node in
                guard options.matches(node.key.bytes) else { return }
                items.append(node.key.bytes)
                if !options.noValues { items.append(node.value) }
            }
        } else {
            next = cursor
            // As Valkey: stop after about COUNT elements were visited (matching or
            // not), or after 10×COUNT buckets.
            var iterations = options.count > Int.max / 10 ? Int.max : options.count * 10
            var sampled = 0
            repeat {
                next = hash.fields.scan(cursor: next) { node in
                    sampled += 1
                    guard options.matches(node.key.bytes) else { return }
                    items.append(node.key.bytes)
                    if !options.noValues { items.append(node.value) }
                }
                iterations -= 1
            } while next != 0 && iterations > 0 && sampled < options.count
        }
        writeScanReply(context, cursor: next, items: items)
    }
}

// MARK: - helpers shared by the hash and set families

extension HashCommands {
    /// Limits that never convert (for values already in their final encoding).
    static let unlimited = HashValue.Limits(maxEntries: Int.max, maxValue: Int.max)

    /// The hash at `key` for a write: nil when absent (or created when `create`).
    static func writableHash(_ context: CommandContext, _ key: [UInt8], create: Bool) throws(CommandError) -> (node: Database.Node, hash: HashValue)? {
        let database = context.database
        if let node = database.lookup(key) {
            guard case .hash(let hash) = node.value.value else { throw .wrongType }
            return (node, hash)
        }
        guard create else { return nil }
        let hash = HashValue()
        return (database.create(key, .hash(hash)), hash)
    }

    /// A count argument as Valkey's `getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX)`.
    static func rangedCount(_ context: CommandContext, at index: Int) throws(CommandError) -> Int {
        let value = try context.integer(at: index)
        guard value != Int.min else {
            throw CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        }
        return value
    }

    /// `count` distinct random nodes of a table holding more than `count` entries.
    static func sampleDistinct<Value>(_ table: KeyTable<Value>, count: Int, using random: inout FastRandom) -> [KeyTable<Value>.Node] {
        if count * 3 > table.count {
            // Close to the whole table: a partial shuffle of all the nodes.
            var nodes: [KeyTable<Value>.Node] = []
            nodes.reserveCapacity(table.count)
            table.forEach { nodes.append($0) }
            for index in 0..<count {
                nodes.swapAt(index, Int.random(in: index..<nodes.count, using: &random))
            }
            return Array(nodes[0..<count])
        }
        // Few of many: draw until enough distinct ones, without copying the table.
        var seen = Set<ObjectIdentifier>()
        var picked: [KeyTable<Value>.Node] = []
        picked.reserveCapacity(count)
        while picked.count < count {
            let node = table.randomNode(using: &random)!
            if seen.insert(ObjectIdentifier(node)).inserted { picked.append(node) }
        }
        return picked
    }

    static func writeEmptyScan(_ context: CommandContext) {
        context.reply.writeArrayHeader(2)
        context.reply.writeBulkString("0")
        context.reply.writeArrayHeader(0)
    }

    static func writeScanReply(_ context: CommandContext, cursor: UInt64, items: [[UInt8]]) {
        context.reply.writeArrayHeader(2)
        context.reply.writeBulkString(String(cursor))
        context.reply.writeBulkStringArray(items)
    }
}

extension CommandContext {
    /// The hash at `key` for a read: nil when absent, WRONGTYPE for other types.
    /// Counts keyspace hits and misses and updates the access time.
    func readHash(_ key: [UInt8]) throws(CommandError) -> HashValue? {
        guard let node = database.lookupForRead(key, touch: !client.noTouch) else {
            server.stats.keyspaceMisses += 1
            return nil
        }
        guard case .hash(let hash) = node.value.value else { throw .wrongType }
        server.stats.keyspaceHits += 1
        return hash
    }
}
