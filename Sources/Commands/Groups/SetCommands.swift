import Keyspace
import RESP

/// The set command family.
enum SetCommands {
    static let handlers: [String: CommandHandler] = [
        "sadd": sadd, "srem": srem, "smove": smove, "spop": spop,
        "smembers": smembers, "sismember": sismember, "smismember": smismember, "scard": scard,
        "srandmember": srandmember,
        "sinter": sinter, "sintercard": sintercard, "sinterstore": sinterstore,
        "sunion": sunion, "sunionstore": sunionstore, "sdiff": sdiff, "sdiffstore": sdiffstore,
        "sscan": sscan,
    ]

    /// Sampling for SPOP / SRANDMEMBER / HRANDFIELD: a fast generator per call,
    /// seeded from the keyspace's (not from the system: a syscall per command).
    static func makeRandom(_ context: CommandContext) -> FastRandom { context.keyspace.makeRandom() }

    /// The encoding thresholds, read only when a set may still be compact.
    static func limits(_ context: CommandContext) -> SetValue.Limits {
        context.server.config.encodingLimits.set
    }

    /// For a set already in a hashtable: no thresholds apply.
    static let unlimited = SetValue.Limits(intsetEntries: Int.max, listpackEntries: Int.max, listpackValue: Int.max)

    // MARK: add / remove / move

    static func sadd(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        let node: Database.Node, set: SetValue, limits: SetValue.Limits
        if let existing = database.lookup(context[1]) {
            guard case .set(let value) = existing.value.value else { throw .wrongType }
            node = existing
            set = value
            limits = set.encoding == .hashtable ? unlimited : self.limits(context)
            set.prepareForAdd(sizeHint: context.count - 2, limits: limits)
        } else {
            limits = self.limits(context)
            set = SetValue.create(first: context[2], sizeHint: context.count - 2, limits: limits)
            node = database.create(context[1], .set(set))
        }
        var added = 0
        for index in 2..<context.count where set.add(context[index], limits: limits) {
            added += 1
            database.record(.setAdd(db: database.index, key: node.key.bytes, member: context[index]))
        }
        if added > 0 { KeyspaceNotifications.notify(context, .set, "sadd", context[1]) }
        context.reply.writeInteger(added)
    }

    static func srem(_ context: CommandContext) throws(CommandError) {
        guard let (node, set) = try writableSet(context, context[1]) else { return context.reply.writeInteger(0) }
        let database = context.database
        var removed = 0
        var removedKey = false
        for index in 2..<context.count where set.remove(context[index]) {
            removed += 1
            database.record(.setRemove(db: database.index, key: node.key.bytes, member: context[index]))
            if set.isEmpty {
                database.removeEmpty(node)
                removedKey = true
                break
            }
        }
        if removed > 0 {
            KeyspaceNotifications.notify(context, .set, "srem", context[1])
            if removedKey { KeyspaceNotifications.notify(context, .generic, "del", context[1]) }
        }
        context.reply.writeInteger(removed)
    }

    /// SMOVE source destination member
    static func smove(_ context: CommandContext) throws(CommandError) {
        let database = context.database
        let member = context[3]
        let sourceNode = database.lookup(context[1])
        let destinationNode = database.lookup(context[2])
        guard let sourceNode else { return context.reply.writeInteger(0) }
        guard case .set(let source) = sourceNode.value.value else { throw .wrongType }
        var destination: SetValue? = nil
        if let destinationNode {
            guard case .set(let value) = destinationNode.value.value else { throw .wrongType }
            destination = value
        }
        if let destination, destination === source {
            return context.reply.writeInteger(source.contains(member) ? 1 : 0)
        }
        guard source.remove(member) else { return context.reply.writeInteger(0) }
        database.record(.setRemove(db: database.index, key: sourceNode.key.bytes, member: member))
        KeyspaceNotifications.notify(context, .set, "srem", context[1])
        if source.isEmpty {
            database.removeEmpty(sourceNode)
            KeyspaceNotifications.notify(context, .generic, "del", context[1])
        }

        let limits = destination?.encoding == .hashtable ? unlimited : self.limits(context)
        let target: SetValue, key: [UInt8]
        if let destination, let destinationNode {
            target = destination
            key = destinationNode.key.bytes
        } else {
            target = SetValue.create(first: member, sizeHint: 1, limits: limits)
            key = database.create(context[2], .set(target)).key.bytes
        }
        if target.add(member, limits: limits) {
            database.record(.setAdd(db: database.index, key: key, member: member))
            KeyspaceNotifications.notify(context, .set, "sadd", context[2])
        }
        context.reply.writeInteger(1)
    }

    // MARK: SPOP

    /// SPOP key [count]
    static func spop(_ context: CommandContext) throws(CommandError) {
        if context.count > 3 { throw .syntax }
        if context.count == 3 { return try spopCount(context) }
        guard let (node, set) = try writableSet(context, context[1]) else { return context.reply.writeNull() }
        var random = makeRandom(context)
        let member = set.members.randomNode(using: &random)!.key.bytes
        pop(context, member, from: set, node)
        KeyspaceNotifications.notify(context, .set, "spop", context[1])
        if set.isEmpty {
            context.database.removeEmpty(node)
            KeyspaceNotifications.notify(context, .generic, "del", context[1])
        }
        context.reply.writeBulkString(member)
    }

    private static func spopCount(_ context: CommandContext) throws(CommandError) {
        guard let requested = parseInteger(context[2]), requested >= 0 else {
            throw CommandError("ERR value is out of range, must be positive")
        }
        guard let (node, set) = try writableSet(context, context[1]) else { return context.reply.writeSetHeader(0) }
        if requested == 0 { return context.reply.writeSetHeader(0) }
        KeyspaceNotifications.notify(context, .set, "spop", context[1])
        let size = set.count
        // All of it: reply with the whole set and delete the key.
        if requested >= size {
            let members = set.orderedMembers()
            context.reply.writeSetHeader(members.count)
            for member in members { context.reply.writeBulkString(member) }
            context.database.removeEmpty(node)
            KeyspaceNotifications.notify(context, .generic, "del", context[1])
            return
        }
        let count = requested
        let remaining = size - count
        var random = makeRandom(context)
        context.reply.writeSetHeader(count)
        if remaining * 5 > count {
            // Few of many: pop random members one at a time.
            for _ in 0..<count {
                let member = set.members.randomNode(using: &random)!.key.bytes
                pop(context, member, from: set, node)
                context.reply.writeBulkString(member)
            }
            return
        }
        // Most of it: choose the members that stay, pop the rest. Valkey builds
        // the remainder as a new set, so a hashtable may come back as a listpack.
        var members: [[UInt8]] = []
        members.reserveCapacity(size)
        set.members.forEach { members.append($0.key.bytes) }
        for index in 0..<remaining {
            members.swapAt(index, Int.random(in: index..<size, using: &random))
        }
        for member in members[remaining...] {
            pop(context, member, from: set, node)
            context.reply.writeBulkString(member)
        }
        if set.encoding == .hashtable {
            let limits = self.limits(context)
            if remaining <= limits.listpackEntries && !members[0..<remaining].contains(where: { $0.count > limits.listpackValue }) {
                set.encoding = .listpack
            }
        }
    }

    private static func pop(_ context: CommandContext, _ member: [UInt8], from set: SetValue, _ node: Database.Node) {
        set.remove(member)
        context.database.record(.setRemove(db: context.database.index, key: node.key.bytes, member: member))
    }

    // MARK: reads

    static func smembers(_ context: CommandContext) throws(CommandError) {
        guard let set = try context.readSet(context[1]) else { return context.reply.writeSetHeader(0) }
        writeSet(context, set)
    }

    static func sismember(_ context: CommandContext) throws(CommandError) {
        let member = try context.readSet(context[1])?.contains(context[2]) ?? false
        context.reply.writeInteger(member ? 1 : 0)
    }

    static func smismember(_ context: CommandContext) throws(CommandError) {
        let set = try context.readSet(context[1])
        context.reply.writeArrayHeader(context.count - 2)
        for index in 2..<context.count {
            context.reply.writeInteger(set?.contains(context[index]) == true ? 1 : 0)
        }
    }

    static func scard(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(try context.readSet(context[1])?.count ?? 0)
    }

    /// SRANDMEMBER key [count]
    static func srandmember(_ context: CommandContext) throws(CommandError) {
        if context.count > 3 { throw .syntax }
        guard context.count == 3 else {
            guard let set = try context.readSet(context[1]) else { return context.reply.writeNull() }
            var random = makeRandom(context)
            return context.reply.writeBulkString(set.members.randomNode(using: &random)!.key.bytes)
        }
        let requested = try HashCommands.rangedCount(context, at: 2)
        guard let set = try context.readSet(context[1]) else { return context.reply.writeArrayHeader(0) }
        let count = requested.magnitude
        if count == 0 { return context.reply.writeArrayHeader(0) }
        var random = makeRandom(context)
        // Negative count (or 1): independent draws, repeats allowed.
        if requested < 0 || count == 1 {
            context.reply.writeArrayHeader(Int(count))
            for _ in 0..<count {
                context.reply.writeBulkString(set.members.randomNode(using: &random)!.key.bytes)
            }
            return
        }
        if count >= UInt(set.count) {
            let members = set.orderedMembers()
            context.reply.writeArrayHeader(members.count)
            for member in members { context.reply.writeBulkString(member) }
            return
        }
        context.reply.writeArrayHeader(Int(count))
        for node in HashCommands.sampleDistinct(set.members, count: Int(count), using: &random) {
            context.reply.writeBulkString(node.key.bytes)
        }
    }

    // MARK: intersection

    static func sinter(_ context: CommandContext) throws(CommandError) {
        try intersect(context, keys: 1..<context.count, mode: .reply)
    }

    static func sinterstore(_ context: CommandContext) throws(CommandError) {
        try intersect(context, keys: 2..<context.count, mode: .store(context[1]))
    }

    /// SINTERCARD numkeys key [key ...] [LIMIT limit]
    static func sintercard(_ context: CommandContext) throws(CommandError) {
        guard let keyCount = parseInteger(context[1]), keyCount >= 1 else {
            throw CommandError("ERR numkeys should be greater than 0")
        }
        guard keyCount <= context.count - 2 else {
            throw CommandError("ERR Number of keys can't be greater than number of args")
        }
        var limit = 0
        var index = 2 + keyCount
        while index < context.count {
            guard context.isToken(index, "LIMIT") && index + 1 < context.count else { throw .syntax }
            guard let value = parseInteger(context[index + 1]), value >= 0 else {
                throw CommandError("ERR LIMIT can't be negative")
            }
            limit = value
            index += 2
        }
        try intersect(context, keys: 2..<(2 + keyCount), mode: .cardinality(limit: limit))
    }

    private struct LimitReached: Error {}

    private enum IntersectionMode {
        case reply
        case store([UInt8])
        /// SINTERCARD: count only, stopping at `limit` (0: no limit).
        case cardinality(limit: Int)
    }

    /// Valkey's `sinterGenericCommand`: walks the smallest set and keeps the
    /// members every other set has.
    private static func intersect(_ context: CommandContext, keys: Range<Int>, mode: IntersectionMode) throws(CommandError) {
        var sets: [SetValue] = []
        var anyMissing = false
        for index in keys {
            // A missing key makes the result empty, but every key is still type-checked.
            if let set = try context.readSet(context[index]) { sets.append(set) } else { anyMissing = true }
        }
        if anyMissing {
            switch mode {
            case .reply: context.reply.writeSetHeader(0)
            case .cardinality: context.reply.writeInteger(0)
            case .store(let destination):
                if context.database.delete(destination) {
                    KeyspaceNotifications.notify(context, .generic, "del", destination)
                }
                context.reply.writeInteger(0)
            }
            return
        }
        sets = sets.enumerated().sorted { ($0.element.count, $0.offset) < ($1.element.count, $1.offset) }.map(\.element)
        let smallest = sets[0]
        let others = sets.dropFirst().filter { $0 !== smallest }
        func inAll(_ member: [UInt8]) -> Bool {
            for set in others where !set.contains(member) { return false }
            return true
        }

        switch mode {
        case .cardinality(let limit):
            var cardinality = 0
            try? smallest.members.forEach { node in
                guard inAll(node.key.bytes) else { return }
                cardinality += 1
                if limit != 0 && cardinality >= limit { throw LimitReached() }  // stop the walk
            }
            context.reply.writeInteger(cardinality)
        case .reply:
            var result: [[UInt8]] = []
            for member in smallest.orderedMembers() where inAll(member) { result.append(member) }
            context.reply.writeSetHeader(result.count)
            for member in result { context.reply.writeBulkString(member) }
        case .store(let destination):
            let limits = self.limits(context)
            let result = SetValue(encoding: smallest.encoding == .intset ? .intset : .listpack)
            var onlyIntegers = true
            smallest.members.forEach { node in
                let member = node.key.bytes
                guard inAll(member) else { return }
                if onlyIntegers && !SetValue.isInteger(member) { onlyIntegers = false }
                result.add(member, limits: limits)
            }
            if onlyIntegers { result.convertToIntsetIfSmall(limits: limits) }
            store(context, result, at: destination, event: "sinterstore")
        }
    }

    // MARK: union and difference

    static func sunion(_ context: CommandContext) throws(CommandError) {
        try unionOrDifference(context, keys: 1..<context.count, difference: false, destination: nil)
    }

    static func sunionstore(_ context: CommandContext) throws(CommandError) {
        try unionOrDifference(context, keys: 2..<context.count, difference: false, destination: context[1])
    }

    static func sdiff(_ context: CommandContext) throws(CommandError) {
        try unionOrDifference(context, keys: 1..<context.count, difference: true, destination: nil)
    }

    static func sdiffstore(_ context: CommandContext) throws(CommandError) {
        try unionOrDifference(context, keys: 2..<context.count, difference: true, destination: context[1])
    }

    /// Valkey's `sunionDiffGenericCommand`, including its choice between the two
    /// difference algorithms (which decides how large the result grows on the
    /// way, and so its encoding).
    private static func unionOrDifference(_ context: CommandContext, keys: Range<Int>, difference: Bool, destination: [UInt8]?) throws(CommandError) {
        var sets: [SetValue?] = []
        sets.reserveCapacity(keys.count)
        for index in keys { sets.append(try context.readSet(context[index])) }
        let limits = self.limits(context)
        let result = SetValue(encoding: .intset)

        if !difference {
            for case let set? in sets {
                set.members.forEach { result.add($0.key.bytes, limits: limits) }
            }
        } else if let first = sets[0], !sets.dropFirst().contains(where: { $0 === first }) {
            var firstWork = 0, allWork = 0
            for case let set? in sets {
                firstWork += first.count
                allWork += set.count
            }
            if firstWork / 2 <= allWork {
                // Algorithm 1: each member of the first set absent from all others,
                // checking the largest sets first.
                let others = sets.dropFirst().compactMap { $0 }.sorted { $0.count > $1.count }
                first.members.forEach { node in
                    let member = node.key.bytes
                    for other in others where other.contains(member) { return }
                    result.add(member, limits: limits)
                }
            } else {
                // Algorithm 2: add the first set, then remove every other set.
                first.members.forEach { result.add($0.key.bytes, limits: limits) }
                for case let other? in sets.dropFirst() {
                    if result.isEmpty { break }
                    other.members.forEach { result.remove($0.key.bytes) }
                }
            }
        }
        // (A difference whose first set is missing, or repeated later, is empty.)

        if let destination {
            store(context, result, at: destination, event: difference ? "sdiffstore" : "sunionstore")
        } else {
            writeSet(context, result)
        }
    }

    /// The *STORE ending: replaces `destination` with `result` (recorded member
    /// by member), or deletes it when the result is empty; replies with the size.
    private static func store(_ context: CommandContext, _ result: SetValue, at destination: [UInt8], event: StaticString) {
        let database = context.database
        guard !result.isEmpty else {
            if database.delete(destination) { KeyspaceNotifications.notify(context, .generic, "del", destination) }
            return context.reply.writeInteger(0)
        }
        let key = database.create(destination, .set(result)).key.bytes
        result.members.forEach { node in
            database.record(.setAdd(db: database.index, key: key, member: node.key.bytes))
        }
        KeyspaceNotifications.notify(context, .set, event, destination)
        context.reply.writeInteger(result.count)
    }

    // MARK: SSCAN

    /// SSCAN key cursor [MATCH pattern] [COUNT count]
    static func sscan(_ context: CommandContext) throws(CommandError) {
        guard let cursor = UInt64(String(decoding: context[2], as: UTF8.self)) else {
            throw CommandError("ERR invalid cursor")
        }
        // As Valkey: the options are parsed only once the key is known to be a set.
        guard let set = try context.readSet(context[1]) else { return HashCommands.writeEmptyScan(context) }
        try rejectNoValues(context)
        let options = try ScanArguments.parse(context, cursorIndex: 2, extra: .none)
        var items: [[UInt8]] = []
        var next: UInt64 = 0
        if set.encoding != .hashtable {
            // A small set is returned whole in one call, as Valkey does for intsets and listpacks.
            for member in set.orderedMembers() where options.matches(member) { items.append(member) }
        } else {
            next = cursor
            // As Valkey: stop after about COUNT elements were visited (matching or
            // not), or after 10×COUNT buckets.
            var iterations = options.count > Int.max / 10 ? Int.max : options.count * 10
            var sampled = 0
            repeat {
                next = set.members.scan(cursor: next) { node in
                    sampled += 1
                    if options.matches(node.key.bytes) { items.append(node.key.bytes) }
                }
                iterations -= 1
            } while next != 0 && iterations > 0 && sampled < options.count
        }
        HashCommands.writeScanReply(context, cursor: next, items: items)
    }

    /// Valkey names HSCAN when NOVALUES reaches a set scan, at the point its
    /// option loop meets the word (earlier malformed options win).
    private static func rejectNoValues(_ context: CommandContext) throws(CommandError) {
        var index = 3
        while index < context.count {
            if context.isToken(index, "NOVALUES") {
                throw CommandError("ERR NOVALUES option can only be used in HSCAN")
            }
            guard index + 1 < context.count else { return }
            if context.isToken(index, "COUNT") {
                guard let count = parseInteger(context[index + 1]), count >= 1 else { return }
            } else if !context.isToken(index, "MATCH") {
                return
            }
            index += 2
        }
    }

    // MARK: helpers

    /// The set at `key` for a write: nil when absent, WRONGTYPE for other types.
    static func writableSet(_ context: CommandContext, _ key: [UInt8]) throws(CommandError) -> (node: Database.Node, set: SetValue)? {
        guard let node = context.database.lookup(key) else { return nil }
        guard case .set(let set) = node.value.value else { throw .wrongType }
        return (node, set)
    }

    /// A whole set as a RESP3 set (an array in RESP2).
    static func writeSet(_ context: CommandContext, _ set: SetValue) {
        let members = set.orderedMembers()
        context.reply.writeSetHeader(members.count)
        for member in members { context.reply.writeBulkString(member) }
    }
}

extension CommandContext {
    /// The set at `key` for a read: nil when absent, WRONGTYPE for other types.
    /// Counts keyspace hits and misses and updates the access time.
    func readSet(_ key: [UInt8]) throws(CommandError) -> SetValue? {
        guard let node = database.lookupForRead(key, touch: !client.noTouch) else {
            server.stats.keyspaceMisses += 1
            return nil
        }
        guard case .set(let set) = node.value.value else { throw .wrongType }
        server.stats.keyspaceHits += 1
        return set
    }
}
