#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Keyspace
import RESP

/// The sorted set family (Valkey's t_zset.c): ZADD, ranges by rank, score
/// and lex, pops, random members, the set algebra and ZSCAN.
enum SortedSetCommands {
    static let handlers: [String: CommandHandler] = [
        "zadd": zadd, "zincrby": zincrby, "zrem": zrem,
        "zscore": zscore, "zmscore": zmscore, "zcard": zcard, "zcount": zcount, "zlexcount": zlexcount,
        "zrange": zrange, "zrangestore": zrangestore, "zrevrange": zrevrange,
        "zrangebyscore": zrangebyscore, "zrevrangebyscore": zrevrangebyscore,
        "zrangebylex": zrangebylex, "zrevrangebylex": zrevrangebylex,
        "zrank": zrank, "zrevrank": zrevrank,
        "zremrangebyrank": zremrangebyrank, "zremrangebyscore": zremrangebyscore, "zremrangebylex": zremrangebylex,
        "zpopmin": zpopmin, "zpopmax": zpopmax, "zmpop": zmpop, "zrandmember": zrandmember,
        "zunion": zunion, "zinter": zinter, "zdiff": zdiff,
        "zunionstore": zunionstore, "zinterstore": zinterstore, "zdiffstore": zdiffstore, "zintercard": zintercard,
        "zscan": zscan,
    ]

    typealias Element = SortedSetValue.Element

    static let notFloatRange = CommandError("ERR min or max is not a float")
    static let notLexRange = CommandError("ERR min or max not valid string range item")
    static let notPositive = CommandError("ERR value is out of range, must be positive")

    // MARK: shared helpers

    /// `zset-max-listpack-entries` / `-value`: past either, Valkey converts to a skiplist.
    struct Limits {
        let entries: Int
        let value: Int

        func fit(count: Int, longest: Int) -> Bool { count <= entries && longest <= value }
    }

    static func limits(_ context: CommandContext) -> Limits {
        let limits = context.server.config.encodingLimits
        return Limits(entries: limits.zsetMaxListpackEntries, value: limits.zsetMaxListpackValue)
    }

    /// The sorted set at `key` for a read (hits/misses counted); nil when absent.
    static func readZset(_ context: CommandContext, _ key: [UInt8]) throws(CommandError) -> SortedSetValue? {
        guard let node = context.database.lookupForRead(key, touch: !context.client.noTouch) else {
            context.server.stats.keyspaceMisses += 1
            return nil
        }
        guard case .zset(let zset) = node.value.value else { throw .wrongType }
        context.server.stats.keyspaceHits += 1
        return zset
    }

    /// The sorted set at `key` for a write; nil when absent.
    static func writableZset(_ context: CommandContext,
                             _ key: [UInt8]) throws(CommandError) -> (node: Database.Node, zset: SortedSetValue)? {
        guard let node = context.database.lookup(key) else { return nil }
        guard case .zset(let zset) = node.value.value else { throw .wrongType }
        return (node, zset)
    }

    /// Elements as ZRANGE replies them: flat `member score …` in RESP2,
    /// `[member, score]` pairs in RESP3.
    static func writeElements(_ context: CommandContext, _ elements: [Element], withScores: Bool) {
        writeElementsHeader(context, count: elements.count, withScores: withScores)
        for element in elements {
            element.member.withUnsafeBytes { writeElement(context, $0, element.score, withScores: withScores) }
        }
    }

    /// `count` elements from `rank` (which the set has), written as they are
    /// walked: no array of them is built.
    static func writeElements(_ context: CommandContext, _ zset: SortedSetValue, fromRank rank: Int, count: Int,
                              reverse: Bool, withScores: Bool) {
        writeElementsHeader(context, count: count, withScores: withScores)
        guard count > 0 else { return }
        var written = 0
        zset.visitBytes(fromRank: rank, reverse: reverse) { member, score in
            writeElement(context, member, score, withScores: withScores)
            written += 1
            return written < count
        }
    }

    @inline(__always)
    private static func writeElementsHeader(_ context: CommandContext, count: Int, withScores: Bool) {
        let pairs = withScores && context.reply.version == .resp3
        context.reply.writeArrayHeader(withScores && !pairs ? count * 2 : count)
    }

    @inline(__always)
    private static func writeElement(_ context: CommandContext, _ member: UnsafeRawBufferPointer, _ score: Double,
                                     withScores: Bool) {
        if withScores && context.reply.version == .resp3 { context.reply.writeArrayHeader(2) }
        context.reply.writeBulkString(member)
        if withScores { context.reply.writeDouble(score) }
    }

    /// Replaces `destination` with the given elements (a *STORE result), or
    /// deletes it when there are none; replies with the new cardinality.
    static func store(_ context: CommandContext, _ destination: [UInt8], _ elements: [Element], event: StaticString) {
        let database = context.database
        guard !elements.isEmpty else {
            if database.delete(destination) { KeyspaceNotifications.notify(context, .generic, "del", destination) }
            return context.reply.writeInteger(0)
        }
        let zset = SortedSetValue()
        var longest = 0
        for element in elements {
            zset.insert(element.member, score: element.score)
            longest = max(longest, element.member.count)
        }
        zset.isListpack = limits(context).fit(count: zset.count, longest: longest)
        database.create(destination, .zset(zset))
        zset.forEach { element in
            database.record(.zsetAdd(db: database.index, key: destination, member: element.member, score: element.score))
        }
        KeyspaceNotifications.notify(context, .zset, event, destination)
        context.reply.writeInteger(zset.count)
    }

    /// A ZRANGEBYSCORE bound as Valkey's `zslParseRange` reads it: `(` makes it
    /// exclusive, the rest goes through `strtod` (so `inf`, `-inf`, `+inf`
    /// work); NaN and trailing garbage are rejected.
    static func parseScoreBound(_ bytes: [UInt8]) -> (value: Double, exclusive: Bool)? {
        let exclusive = bytes.first == UInt8(ascii: "(")
        var text = exclusive ? Array(bytes.dropFirst()) : bytes
        text.append(0)
        let value: Double? = text.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { start -> Double? in
                var end: UnsafeMutablePointer<CChar>? = nil
                let value = strtod(start, &end)
                guard let end, end.pointee == 0, !value.isNaN else { return nil }
                return value
            }
        }
        return value.map { ($0, exclusive) }
    }

    static func parseScoreRange(_ context: CommandContext, min: Int, max: Int) throws(CommandError) -> ScoreRange {
        guard let low = parseScoreBound(context[min]), let high = parseScoreBound(context[max]) else {
            throw notFloatRange
        }
        return ScoreRange(min: low.value, max: high.value, minExclusive: low.exclusive, maxExclusive: high.exclusive)
    }

    /// A ZRANGEBYLEX bound: `-`, `+`, `[member` or `(member`.
    static func parseLexBound(_ bytes: [UInt8]) -> LexBound? {
        guard let first = bytes.first else { return nil }
        switch first {
        case UInt8(ascii: "+"): return bytes.count == 1 ? .plusInfinity : nil
        case UInt8(ascii: "-"): return bytes.count == 1 ? .minusInfinity : nil
        case UInt8(ascii: "("): return .exclusive(Array(bytes.dropFirst()))
        case UInt8(ascii: "["): return .inclusive(Array(bytes.dropFirst()))
        default: return nil
        }
    }

    static func parseLexRange(_ context: CommandContext, min: Int, max: Int) throws(CommandError) -> LexRange {
        guard let low = parseLexBound(context[min]), let high = parseLexBound(context[max]) else { throw notLexRange }
        return LexRange(min: low, max: high)
    }

    /// Up to `count` elements from `rank`, ascending or descending.
    static func elements(_ zset: SortedSetValue, fromRank rank: Int, count: Int, reverse: Bool) -> [Element] {
        guard count > 0 else { return [] }
        var result: [Element] = []
        result.reserveCapacity(count)
        zset.visit(fromRank: rank, reverse: reverse) { element in
            result.append(element)
            return result.count < count
        }
        return result
    }

    /// Where the slice `offset`/`limit` (LIMIT) of `ranks` starts (its low
    /// end or, reversed, its high end) and how long it is; nil when empty.
    static func slice(_ ranks: Range<Int>, reverse: Bool, offset: Int, limit: Int) -> (rank: Int, count: Int)? {
        // A negative offset selects nothing (Valkey walks `offset--` until the end).
        guard offset >= 0, offset < ranks.count else { return nil }
        let available = ranks.count - offset
        let count = limit < 0 ? available : min(limit, available)
        guard count > 0 else { return nil }
        return (reverse ? ranks.upperBound - 1 - offset : ranks.lowerBound + offset, count)
    }

    // MARK: ZADD / ZINCRBY

    static func zadd(_ context: CommandContext) throws(CommandError) {
        try addGeneric(context, increment: false)
    }

    static func zincrby(_ context: CommandContext) throws(CommandError) {
        try addGeneric(context, increment: true)
    }

    /// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member …],
    /// and ZINCRBY (= ZADD INCR), as Valkey's `zaddGenericCommand`.
    static func addGeneric(_ context: CommandContext, increment: Bool) throws(CommandError) {
        var incr = increment, nx = false, xx = false, gt = false, lt = false, ch = false
        var index = 2
        while index < context.count {
            if context.isToken(index, "NX") { nx = true }
            else if context.isToken(index, "XX") { xx = true }
            else if context.isToken(index, "CH") { ch = true }
            else if context.isToken(index, "INCR") { incr = true }
            else if context.isToken(index, "GT") { gt = true }
            else if context.isToken(index, "LT") { lt = true }
            else { break }
            index += 1
        }
        let remaining = context.count - index
        guard remaining > 0 && remaining % 2 == 0 else { throw .syntax }
        let pairs = remaining / 2
        if nx && xx { throw CommandError("ERR XX and NX options at the same time are not compatible") }
        if (gt && nx) || (lt && nx) || (gt && lt) {
            throw CommandError("ERR GT, LT, and/or NX options at the same time are not compatible")
        }
        if incr && pairs > 1 { throw CommandError("ERR INCR option supports a single increment-element pair") }

        // Every score is checked before anything changes.
        var scores: [Double] = []
        scores.reserveCapacity(pairs)
        var longest = 0
        for pair in 0..<pairs {
            scores.append(try context.double(at: index + pair * 2))
            longest = max(longest, context[index + pair * 2 + 1].count)
        }

        let key = context[1]
        let database = context.database
        let limits = limits(context)
        let zset: SortedSetValue
        if let existing = try writableZset(context, key) {
            zset = existing.zset
            if zset.isListpack && !limits.fit(count: pairs, longest: longest) { zset.isListpack = false }
        } else if xx {
            return incr ? context.reply.writeNull() : context.reply.writeInteger(0)
        } else {
            // Without XX every member is new, so the key never stays empty.
            zset = SortedSetValue()
            zset.isListpack = limits.fit(count: pairs, longest: longest)
            database.create(key, .zset(zset))
        }

        var added = 0, updated = 0, processed = 0
        var resultScore = 0.0
        for pair in 0..<pairs {
            let member = context[index + pair * 2 + 1]
            var score = scores[pair]
            if let current = zset.score(of: member) {
                if nx { continue }
                if incr {
                    score += current
                    if score.isNaN { throw CommandError("ERR resulting score is not a number (NaN)") }
                }
                if (lt && score >= current) || (gt && score <= current) { continue }
                if score != current {
                    zset.insert(member, score: score)
                    database.record(.zsetAdd(db: database.index, key: key, member: member, score: score))
                    updated += 1
                }
            } else if !xx {
                zset.insert(member, score: score)
                database.record(.zsetAdd(db: database.index, key: key, member: member, score: score))
                added += 1
            } else {
                continue
            }
            processed += 1
            resultScore = score
        }
        if zset.isListpack && zset.count > limits.entries { zset.isListpack = false }
        if added > 0 || updated > 0 {
            KeyspaceNotifications.notify(context, .zset, incr ? "zincr" : "zadd", key)
        }

        if incr {
            if processed > 0 { context.reply.writeDouble(resultScore) } else { context.reply.writeNull() }
        } else {
            context.reply.writeInteger(ch ? added + updated : added)
        }
    }

    // MARK: ZREM and point reads

    static func zrem(_ context: CommandContext) throws(CommandError) {
        let key = context[1]
        guard let (node, zset) = try writableZset(context, key) else { return context.reply.writeInteger(0) }
        let database = context.database
        var removed = 0
        var removedKey = false
        for index in 2..<context.count where zset.remove(context[index]) {
            removed += 1
            database.record(.zsetRemove(db: database.index, key: key, member: context[index]))
            if zset.isEmpty {
                database.removeEmpty(node)
                removedKey = true
                break
            }
        }
        if removed > 0 {
            KeyspaceNotifications.notify(context, .zset, "zrem", key)
            if removedKey { KeyspaceNotifications.notify(context, .generic, "del", key) }
        }
        context.reply.writeInteger(removed)
    }

    static func zscore(_ context: CommandContext) throws(CommandError) {
        if let score = try readZset(context, context[1])?.score(of: context[2]) {
            context.reply.writeDouble(score)
        } else {
            context.reply.writeNull()
        }
    }

    static func zmscore(_ context: CommandContext) throws(CommandError) {
        let zset = try readZset(context, context[1])
        context.reply.writeArrayHeader(context.count - 2)
        for index in 2..<context.count {
            if let score = zset?.score(of: context[index]) {
                context.reply.writeDouble(score)
            } else {
                context.reply.writeNull()
            }
        }
    }

    static func zcard(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(try readZset(context, context[1])?.count ?? 0)
    }

    static func zcount(_ context: CommandContext) throws(CommandError) {
        let range = try parseScoreRange(context, min: 2, max: 3)
        context.reply.writeInteger(try readZset(context, context[1])?.ranks(in: range).count ?? 0)
    }

    static func zlexcount(_ context: CommandContext) throws(CommandError) {
        let range = try parseLexRange(context, min: 2, max: 3)
        context.reply.writeInteger(try readZset(context, context[1])?.ranks(in: range).count ?? 0)
    }

    // MARK: ZRANGE and its older forms

    enum RangeKind { case auto, rank, score, lex }
    enum Direction { case auto, forward, reverse }

    static func zrange(_ context: CommandContext) throws(CommandError) {
        try rangeGeneric(context, keyIndex: 1, destination: nil, kind: .auto, direction: .auto)
    }

    static func zrangestore(_ context: CommandContext) throws(CommandError) {
        try rangeGeneric(context, keyIndex: 2, destination: context[1], kind: .auto, direction: .auto)
    }

    static func zrevrange(_ context: CommandContext) throws(CommandError) {
        try rangeGeneric(context, keyIndex: 1, destination: nil, kind: .rank, direction: .reverse)
    }

    static func zrangebyscore(_ context: CommandContext) throws(CommandError) {
        try rangeGeneric(context, keyIndex: 1, destination: nil, kind: .score, direction: .forward)
    }

    static func zrevrangebyscore(_ context: CommandContext) throws(CommandError) {
        try rangeGeneric(context, keyIndex: 1, destination: nil, kind: .score, direction: .reverse)
    }

    static func zrangebylex(_ context: CommandContext) throws(CommandError) {
        try rangeGeneric(context, keyIndex: 1, destination: nil, kind: .lex, direction: .forward)
    }

    static func zrevrangebylex(_ context: CommandContext) throws(CommandError) {
        try rangeGeneric(context, keyIndex: 1, destination: nil, kind: .lex, direction: .reverse)
    }

    /// `<src> <min> <max> [BYSCORE | BYLEX] [REV] [WITHSCORES] [LIMIT offset count]`,
    /// as Valkey's `zrangeGenericCommand`; ZRANGESTORE passes a destination.
    static func rangeGeneric(_ context: CommandContext, keyIndex: Int, destination: [UInt8]?,
                             kind: RangeKind, direction: Direction) throws(CommandError) {
        var kind = kind, direction = direction
        var withScores = false
        var offset = 0, limit = -1
        var index = keyIndex + 3
        while index < context.count {
            let left = context.count - index - 1
            if destination == nil && context.isToken(index, "WITHSCORES") {
                withScores = true
            } else if context.isToken(index, "LIMIT") && left >= 2 {
                offset = try context.integer(at: index + 1)
                limit = try context.integer(at: index + 2)
                index += 2
            } else if direction == .auto && context.isToken(index, "REV") {
                direction = .reverse
            } else if kind == .auto && context.isToken(index, "BYLEX") {
                kind = .lex
            } else if kind == .auto && context.isToken(index, "BYSCORE") {
                kind = .score
            } else {
                throw .syntax
            }
            index += 1
        }
        if direction == .auto { direction = .forward }
        if kind == .auto { kind = .rank }
        if limit != -1 && kind == .rank {
            throw CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
        }
        if withScores && kind == .lex {
            throw CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
        }
        let reverse = direction == .reverse
        // Reversed score and lex ranges are given as <max> <min>.
        var minIndex = keyIndex + 1, maxIndex = keyIndex + 2
        if reverse && kind != .rank { swap(&minIndex, &maxIndex) }

        enum Query { case rank(Int, Int), score(ScoreRange), lex(LexRange) }
        let query: Query
        switch kind {
        case .score: query = .score(try parseScoreRange(context, min: minIndex, max: maxIndex))
        case .lex: query = .lex(try parseLexRange(context, min: minIndex, max: maxIndex))
        default: query = .rank(try context.integer(at: minIndex), try context.integer(at: maxIndex))
        }

        let zset = try readZset(context, context[keyIndex])
        var selected: (rank: Int, count: Int)? = nil
        if let zset {
            switch query {
            case .rank(var start, var end):
                let length = zset.count
                if start < 0 { start += length }
                if end < 0 { end += length }
                if start < 0 { start = 0 }
                if start <= end && start < length {
                    if end >= length { end = length - 1 }
                    selected = (reverse ? length - 1 - start : start, end - start + 1)
                }
            case .score(let range):
                selected = slice(zset.ranks(in: range), reverse: reverse, offset: offset, limit: limit)
            case .lex(let range):
                selected = slice(zset.ranks(in: range), reverse: reverse, offset: offset, limit: limit)
            }
        }
        if let destination {
            var result: [Element] = []
            if let zset, let selected { result = elements(zset, fromRank: selected.rank, count: selected.count, reverse: reverse) }
            store(context, destination, result, event: "zrangestore")
        } else if let zset, let selected {
            writeElements(context, zset, fromRank: selected.rank, count: selected.count, reverse: reverse, withScores: withScores)
        } else {
            writeElementsHeader(context, count: 0, withScores: withScores)
        }
    }

    // MARK: ranks

    static func zrank(_ context: CommandContext) throws(CommandError) {
        try rankGeneric(context, reverse: false)
    }

    static func zrevrank(_ context: CommandContext) throws(CommandError) {
        try rankGeneric(context, reverse: true)
    }

    /// ZRANK / ZREVRANK key member [WITHSCORE].
    static func rankGeneric(_ context: CommandContext, reverse: Bool) throws(CommandError) {
        if context.count > 4 { throw .wrongArity(reverse ? "zrevrank" : "zrank") }
        let withScore = context.count == 4
        if withScore && !context.isToken(3, "WITHSCORE") { throw .syntax }
        guard let zset = try readZset(context, context[1]), let found = zset.rank(of: context[2]) else {
            return withScore ? context.reply.writeNullArray() : context.reply.writeNull()
        }
        let rank = reverse ? zset.count - 1 - found.rank : found.rank
        if withScore {
            context.reply.writeArrayHeader(2)
            context.reply.writeInteger(rank)
            context.reply.writeDouble(found.score)
        } else {
            context.reply.writeInteger(rank)
        }
    }

    // MARK: ZREMRANGEBY*

    static func zremrangebyrank(_ context: CommandContext) throws(CommandError) {
        let start = try context.integer(at: 2)
        let end = try context.integer(at: 3)
        try removeRange(context, event: "zremrangebyrank") { zset in
            let length = zset.count
            var start = start, end = end
            if start < 0 { start += length }
            if end < 0 { end += length }
            if start < 0 { start = 0 }
            guard start <= end && start < length else { return 0..<0 }
            return start..<(min(end, length - 1) + 1)
        }
    }

    static func zremrangebyscore(_ context: CommandContext) throws(CommandError) {
        let range = try parseScoreRange(context, min: 2, max: 3)
        try removeRange(context, event: "zremrangebyscore") { $0.ranks(in: range) }
    }

    static func zremrangebylex(_ context: CommandContext) throws(CommandError) {
        let range = try parseLexRange(context, min: 2, max: 3)
        try removeRange(context, event: "zremrangebylex") { $0.ranks(in: range) }
    }

    /// Removes the ranks `select` picks, records each member, replies the count.
    static func removeRange(_ context: CommandContext, event: StaticString, _ select: (SortedSetValue) -> Range<Int>) throws(CommandError) {
        let key = context[1]
        guard let (node, zset) = try writableZset(context, key) else { return context.reply.writeInteger(0) }
        let removed = zset.removeRanks(select(zset))
        let database = context.database
        for element in removed {
            database.record(.zsetRemove(db: database.index, key: key, member: element.member))
        }
        if zset.isEmpty { database.removeEmpty(node) }
        if !removed.isEmpty {
            KeyspaceNotifications.notify(context, .zset, event, key)
            if zset.isEmpty { KeyspaceNotifications.notify(context, .generic, "del", key) }
        }
        context.reply.writeInteger(removed.count)
    }

    // MARK: pops

    static func zpopmin(_ context: CommandContext) throws(CommandError) {
        try popCommand(context, fromMax: false)
    }

    static func zpopmax(_ context: CommandContext) throws(CommandError) {
        try popCommand(context, fromMax: true)
    }

    /// ZPOPMIN / ZPOPMAX key [count]: a flat array, or `[member, score]`
    /// pairs in RESP3 when a count was given.
    static func popCommand(_ context: CommandContext, fromMax: Bool) throws(CommandError) {
        if context.count > 3 { throw .syntax }
        var count = -1
        if context.count == 3 {
            // Valkey's getPositiveLong… gives the same text for non-numbers.
            guard let value = parseInteger(context[2]), value >= 0 else { throw notPositive }
            count = value
        }
        guard let target = try writableZset(context, context[1]), count != 0 else {
            return context.reply.writeArrayHeader(0)
        }
        let popped = pop(context, target, key: context[1], count: count == -1 ? 1 : count, fromMax: fromMax)
        if context.reply.version == .resp3 && count != -1 {
            context.reply.writeArrayHeader(popped.count)
            for element in popped {
                context.reply.writeArrayHeader(2)
                context.reply.writeBulkString(element.member)
                context.reply.writeDouble(element.score)
            }
        } else {
            context.reply.writeArrayHeader(popped.count * 2)
            for element in popped {
                context.reply.writeBulkString(element.member)
                context.reply.writeDouble(element.score)
            }
        }
    }

    /// Removes up to `count` lowest (or highest) elements, in pop order, recorded.
    static func pop(_ context: CommandContext, _ target: (node: Database.Node, zset: SortedSetValue),
                    key: [UInt8], count: Int, fromMax: Bool) -> [Element] {
        let zset = target.zset
        let taken = min(count, zset.count)
        var popped = zset.removeRanks(fromMax ? (zset.count - taken)..<zset.count : 0..<taken)
        if fromMax { popped.reverse() }
        let database = context.database
        for element in popped {
            database.record(.zsetRemove(db: database.index, key: key, member: element.member))
        }
        if zset.isEmpty { database.removeEmpty(target.node) }
        if !popped.isEmpty {
            KeyspaceNotifications.notify(context, .zset, fromMax ? "zpopmax" : "zpopmin", key)
            if zset.isEmpty { KeyspaceNotifications.notify(context, .generic, "del", key) }
        }
        return popped
    }

    /// ZMPOP numkeys key [key …] MIN | MAX [COUNT count]
    static func zmpop(_ context: CommandContext) throws(CommandError) {
        let numkeysError = CommandError("ERR numkeys should be greater than 0")
        guard let numkeys = parseInteger(context[1]) else { throw numkeysError }
        guard numkeys >= 1 else { throw numkeysError }
        guard numkeys < context.count - 2 else { throw .syntax }
        let whereIndex = 2 + numkeys
        let fromMax: Bool
        if context.isToken(whereIndex, "MIN") {
            fromMax = false
        } else if context.isToken(whereIndex, "MAX") {
            fromMax = true
        } else {
            throw .syntax
        }
        var count = -1
        var index = whereIndex + 1
        while index < context.count {
            guard count == -1, context.isToken(index, "COUNT"), index + 1 < context.count else { throw .syntax }
            let countError = CommandError("ERR count should be greater than 0")
            guard let value = parseInteger(context[index + 1]), value >= 1 else { throw countError }
            count = value
            index += 2
        }
        if count == -1 { count = 1 }
        for keyIndex in 2..<whereIndex {
            let key = context[keyIndex]
            guard let target = try writableZset(context, key) else { continue }
            let popped = pop(context, target, key: key, count: count, fromMax: fromMax)
            context.reply.writeArrayHeader(2)
            context.reply.writeBulkString(key)
            context.reply.writeArrayHeader(popped.count)
            for element in popped {
                context.reply.writeArrayHeader(2)
                context.reply.writeBulkString(element.member)
                context.reply.writeDouble(element.score)
            }
            return
        }
        context.reply.writeNullArray()
    }

    // MARK: ZRANDMEMBER

    /// ZRANDMEMBER key [count [WITHSCORES]]
    static func zrandmember(_ context: CommandContext) throws(CommandError) {
        guard context.count >= 3 else {
            guard let zset = try readZset(context, context[1]) else { return context.reply.writeNull() }
            return context.reply.writeBulkString(zset.element(atRank: zset.randomRank())!.member)
        }
        let requested = try context.integer(at: 2)
        if requested == Int.min {
            throw CommandError("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
        }
        if context.count > 4 || (context.count == 4 && !context.isToken(3, "WITHSCORES")) { throw .syntax }
        let withScores = context.count == 4
        if withScores && (requested < -(Int.max / 2) || requested > Int.max / 2) {
            throw CommandError("ERR value is out of range")
        }
        guard let zset = try readZset(context, context[1]) else { return context.reply.writeArrayHeader(0) }
        let size = zset.count
        let count = requested.magnitude
        if count == 0 { return context.reply.writeArrayHeader(0) }

        var picked: [Element] = []
        if requested < 0 || count == 1 {
            // Repetitions allowed: independent uniform picks, in random order.
            let total = Int(count)
            let pairs = withScores && context.reply.version == .resp3
            context.reply.writeArrayHeader(withScores && !pairs ? total * 2 : total)
            for _ in 0..<total {
                let element = zset.element(atRank: zset.randomRank())!
                if pairs { context.reply.writeArrayHeader(2) }
                context.reply.writeBulkString(element.member)
                if withScores { context.reply.writeDouble(element.score) }
            }
            return
        } else if count >= UInt(size) {
            // The whole set, from the highest element down as Valkey's iterator walks it.
            picked = elements(zset, fromRank: size - 1, count: size, reverse: true)
        } else if count * 3 > UInt(size) {
            // A large share of the set: shuffle the first `count` ranks into place.
            var ranks = Array(0..<size)
            for position in 0..<Int(count) {
                let other = position + zset.randomIndex(below: size - position)
                ranks.swapAt(position, other)
            }
            picked = ranks[0..<Int(count)].sorted().map { zset.element(atRank: $0)! }
        } else {
            var seen = Set<Int>()
            while seen.count < Int(count) {
                let rank = zset.randomRank()
                if seen.insert(rank).inserted { picked.append(zset.element(atRank: rank)!) }
            }
        }
        writeElements(context, picked, withScores: withScores)
    }

    // MARK: ZUNION / ZINTER / ZDIFF and their STORE forms

    enum Operation { case union, inter, diff }
    enum Aggregate { case sum, min, max }

    /// One input of the set algebra: a sorted set, a plain set (scores 1) or nothing.
    enum Source {
        case missing
        case zset(SortedSetValue)
        case set(SetValue)

        var count: Int {
            switch self {
            case .missing: return 0
            case .zset(let zset): return zset.count
            case .set(let set): return set.count
            }
        }

        func score(of member: [UInt8]) -> Double? {
            switch self {
            case .missing: return nil
            case .zset(let zset): return zset.score(of: member)
            case .set(let set): return set.contains(member) ? 1 : nil
            }
        }

        func forEach(_ body: (Element) -> Void) {
            switch self {
            case .missing: return
            case .zset(let zset): zset.forEach(body)
            case .set(let set): set.members.forEach { body(($0.key.bytes, 1)) }
            }
        }

        func isSameObject(as other: Source) -> Bool {
            switch (self, other) {
            case (.zset(let a), .zset(let b)): return a === b
            case (.set(let a), .set(let b)): return a === b
            default: return false
            }
        }
    }

    static func zunion(_ context: CommandContext) throws(CommandError) {
        try combine(context, destination: nil, numkeysIndex: 1, operation: .union)
    }

    static func zinter(_ context: CommandContext) throws(CommandError) {
        try combine(context, destination: nil, numkeysIndex: 1, operation: .inter)
    }

    static func zdiff(_ context: CommandContext) throws(CommandError) {
        try combine(context, destination: nil, numkeysIndex: 1, operation: .diff)
    }

    static func zunionstore(_ context: CommandContext) throws(CommandError) {
        try combine(context, destination: context[1], numkeysIndex: 2, operation: .union)
    }

    static func zinterstore(_ context: CommandContext) throws(CommandError) {
        try combine(context, destination: context[1], numkeysIndex: 2, operation: .inter)
    }

    static func zdiffstore(_ context: CommandContext) throws(CommandError) {
        try combine(context, destination: context[1], numkeysIndex: 2, operation: .diff)
    }

    static func zintercard(_ context: CommandContext) throws(CommandError) {
        try combine(context, destination: nil, numkeysIndex: 1, operation: .inter, cardinalityOnly: true)
    }

    @inline(__always)
    static func aggregate(_ target: inout Double, _ value: Double, _ mode: Aggregate) {
        switch mode {
        case .sum:
            target += value
            // inf + -inf is NaN; Valkey's convention makes it 0.
            if target.isNaN { target = 0 }
        case .min: target = value < target ? value : target
        case .max: target = value > target ? value : target
        }
    }

    /// Valkey's `zunionInterDiffGenericCommand`: numkeys key … [WEIGHTS w …]
    /// [AGGREGATE SUM|MIN|MAX] [WITHSCORES], or [LIMIT n] for ZINTERCARD.
    static func combine(_ context: CommandContext, destination: [UInt8]?, numkeysIndex: Int,
                        operation: Operation, cardinalityOnly: Bool = false) throws(CommandError) {
        let numkeys = try context.integer(at: numkeysIndex)
        guard numkeys >= 1 else {
            let name = context.text(at: 0).lowercased()
            throw CommandError("ERR at least 1 input key is needed for '\(name)' command")
        }
        guard numkeys <= context.count - numkeysIndex - 1 else { throw .syntax }

        // Keys are looked up (and type-checked) before the options are parsed.
        var sources: [Source] = []
        sources.reserveCapacity(numkeys)
        for index in (numkeysIndex + 1)...(numkeysIndex + numkeys) {
            guard let node = context.database.lookupForRead(context[index], touch: !context.client.noTouch) else {
                context.server.stats.keyspaceMisses += 1
                sources.append(.missing)
                continue
            }
            switch node.value.value {
            case .zset(let zset): sources.append(.zset(zset))
            case .set(let set): sources.append(.set(set))
            default: throw .wrongType
            }
            context.server.stats.keyspaceHits += 1
        }

        var weights = [Double](repeating: 1, count: numkeys)
        var mode = Aggregate.sum
        var withScores = false
        var limit = 0
        var index = numkeysIndex + 1 + numkeys
        while index < context.count {
            let remaining = context.count - index
            if operation != .diff && !cardinalityOnly && remaining >= numkeys + 1 && context.isToken(index, "WEIGHTS") {
                for source in 0..<numkeys {
                    guard let weight = parseDouble(context[index + 1 + source]) else {
                        throw CommandError("ERR weight value is not a float")
                    }
                    weights[source] = weight
                }
                index += numkeys + 1
            } else if operation != .diff && !cardinalityOnly && remaining >= 2 && context.isToken(index, "AGGREGATE") {
                if context.isToken(index + 1, "SUM") { mode = .sum }
                else if context.isToken(index + 1, "MIN") { mode = .min }
                else if context.isToken(index + 1, "MAX") { mode = .max }
                else { throw .syntax }
                index += 2
            } else if destination == nil && !cardinalityOnly && context.isToken(index, "WITHSCORES") {
                withScores = true
                index += 1
            } else if cardinalityOnly && remaining >= 2 && context.isToken(index, "LIMIT") {
                guard let value = parseInteger(context[index + 1]), value >= 0 else {
                    throw CommandError("ERR LIMIT can't be negative")
                }
                limit = value
                index += 2
            } else {
                throw .syntax
            }
        }

        var inputs = Array(zip(sources, weights))
        if operation != .diff {
            // Smallest first, as Valkey (it also fixes the order scores are aggregated in).
            inputs.sort { $0.0.count < $1.0.count }
        }

        var result: [Element] = []
        switch operation {
        case .inter:
            var cardinality = 0
            let (first, firstWeight) = inputs[0]
            if first.count > 0 {
                var stop = false
                first.forEach { element in
                    if stop { return }
                    var score = firstWeight * element.score
                    if score.isNaN { score = 0 }
                    for (source, weight) in inputs.dropFirst() {
                        guard let value = source.score(of: element.member) else { return }
                        aggregate(&score, value * weight, mode)
                    }
                    if cardinalityOnly {
                        cardinality += 1
                        if limit > 0 && cardinality >= limit { stop = true }
                    } else {
                        result.append((element.member, score))
                    }
                }
            }
            if cardinalityOnly { return context.reply.writeInteger(cardinality) }
        case .union:
            var positions: [ByteString: Int] = [:]
            for (source, weight) in inputs where source.count > 0 {
                source.forEach { element in
                    var score = weight * element.score
                    if score.isNaN { score = 0 }
                    let member = ByteString(element.member)
                    if let position = positions[member] {
                        aggregate(&result[position].score, score, mode)
                    } else {
                        positions[member] = result.count
                        result.append((element.member, score))
                    }
                }
            }
        case .diff:
            let first = inputs[0].0
            let others = inputs.dropFirst().map(\.0)
            if first.count > 0 && !others.contains(where: { $0.isSameObject(as: first) }) {
                first.forEach { element in
                    if !others.contains(where: { $0.score(of: element.member) != nil }) { result.append(element) }
                }
            }
        }

        if let destination {
            let event: StaticString = operation == .union ? "zunionstore" : (operation == .inter ? "zinterstore" : "zdiffstore")
            return store(context, destination, result, event: event)
        }
        // Reply in sorted-set order.
        let sorted = SortedSetValue()
        for element in result { sorted.insert(element.member, score: element.score) }
        var ordered: [Element] = []
        ordered.reserveCapacity(sorted.count)
        sorted.forEach { ordered.append($0) }
        writeElements(context, ordered, withScores: withScores)
    }

    // MARK: ZSCAN

    /// ZSCAN key cursor [MATCH pattern] [COUNT count] [NOSCORES]. A set Valkey
    /// would hold as a listpack is returned whole in one call (cursor 0), in order.
    static func zscan(_ context: CommandContext) throws(CommandError) {
        guard let cursor = UInt64(String(decoding: context[2], as: UTF8.self)) else {
            throw CommandError("ERR invalid cursor")
        }
        guard let zset = try readZset(context, context[1]) else {
            context.reply.writeArrayHeader(2)
            context.reply.writeBulkString("0")
            return context.reply.writeArrayHeader(0)
        }
        let arguments = try ScanArguments.parse(context, cursorIndex: 2, extra: .noScores)
        let noScores = arguments.noValues

        var next: UInt64 = 0
        var found: [Element] = []
        if zset.isListpack {
            zset.forEach { found.append($0) }
        } else {
            (next, found) = zset.scan(cursor: cursor, count: arguments.count)
        }
        if arguments.pattern != nil { found.removeAll { !arguments.matches($0.member) } }

        context.reply.writeArrayHeader(2)
        context.reply.writeBulkString(String(next))
        context.reply.writeArrayHeader(noScores ? found.count : found.count * 2)
        for element in found {
            context.reply.writeBulkString(element.member)
            // Scores are strings here in every protocol, as Valkey's scan replies.
            if !noScores { context.reply.writeBulkString(formatDouble(element.score)) }
        }
    }
}
