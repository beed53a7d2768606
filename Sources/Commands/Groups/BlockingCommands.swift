import Keyspace
import RESP

/// The blocking pops (Valkey's BLPOP family in t_list.c and t_zset.c). A key
/// with data is served at once, as the non-blocking command; otherwise the
/// client blocks in `BlockedClients` until a key gets data (the command then
/// runs again), its timeout passes (null array) or CLIENT UNBLOCK. Inside
/// MULTI/EXEC they never block: a null reply, as on a timeout.
enum BlockingCommands {
    static let handlers: [String: CommandHandler] = [
        "blpop": blpop, "brpop": brpop, "blmove": blmove, "brpoplpush": brpoplpush, "blmpop": blmpop,
        "bzpopmin": bzpopmin, "bzpopmax": bzpopmax, "bzmpop": bzmpop,
    ]

    /// Blocks the client on `keys`, or, where it may not block (a transaction,
    /// no running server), replies as its timeout would (`nullBulk` for BLMOVE).
    static func block(_ context: CommandContext, _ kind: BlockedClient.Kind, keys: [[UInt8]],
                      deadline: Int64, nullBulk: Bool = false) {
        guard !context.client.transaction.isInTransaction, let registry = context.server.blockedClients else {
            if nullBulk { context.reply.writeNull() } else { context.reply.writeNullArray() }
            return
        }
        registry.block(context, kind: kind, keys: keys, deadline: deadline)
    }

    // MARK: lists

    static func blpop(_ context: CommandContext) throws(CommandError) { try blockingPop(context, fromHead: true) }
    static func brpop(_ context: CommandContext) throws(CommandError) { try blockingPop(context, fromHead: false) }

    /// BLPOP/BRPOP key [key ...] timeout: `[key, element]`.
    static func blockingPop(_ context: CommandContext, fromHead: Bool) throws(CommandError) {
        let last = context.count - 1
        let deadline = try blockingDeadline(context, at: last)
        for index in 1..<last {
            let key = context[index]
            guard let (node, list) = try ListCommands.writableList(context, key), !list.isEmpty else { continue }
            let value = fromHead ? list.popFront() : list.popBack()
            context.reply.writeArrayHeader(2)
            context.reply.writeBulkString(key)
            context.reply.writeBulkString(value)
            let emptied = ListCommands.finishRemoval(context, node, list, head: fromHead ? 1 : 0, tail: fromHead ? 0 : 1)
            ListCommands.notifyPop(context, key, fromHead: fromHead, emptied: emptied)
            return
        }
        block(context, .list, keys: Array(context.arguments[1..<last]), deadline: deadline)
    }

    /// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
    static func blmove(_ context: CommandContext) throws(CommandError) {
        let fromHead = try ListCommands.position(context, 3)
        let toHead = try ListCommands.position(context, 4)
        try blockingMove(context, fromHead: fromHead, toHead: toHead, timeoutIndex: 5)
    }

    /// BRPOPLPUSH source destination timeout
    static func brpoplpush(_ context: CommandContext) throws(CommandError) {
        try blockingMove(context, fromHead: false, toHead: true, timeoutIndex: 3)
    }

    static func blockingMove(_ context: CommandContext, fromHead: Bool, toHead: Bool, timeoutIndex: Int) throws(CommandError) {
        let deadline = try blockingDeadline(context, at: timeoutIndex)
        if let (_, source) = try ListCommands.writableList(context, context[1]), !source.isEmpty {
            return try ListCommands.move(context, fromHead: fromHead, toHead: toHead)
        }
        block(context, .list, keys: [context[1]], deadline: deadline, nullBulk: true)
    }

    /// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
    static func blmpop(_ context: CommandContext) throws(CommandError) {
        let keys = try multiPopKeys(context, where: { index throws(CommandError) in
            _ = try ListCommands.position(context, index)
        })
        let deadline = try blockingDeadline(context, at: 1)
        for key in keys {
            guard let (_, list) = try ListCommands.writableList(context, key), !list.isEmpty else { continue }
            return try ListCommands.lmpop(withoutTimeout(context))
        }
        block(context, .list, keys: keys, deadline: deadline)
    }

    /// Checks `numkeys key… where [COUNT count]` from index 2 as LMPOP/ZMPOP
    /// do (their errors, in their order) and returns the keys.
    static func multiPopKeys(_ context: CommandContext,
                             where checkWhere: (Int) throws(CommandError) -> Void) throws(CommandError) -> [[UInt8]] {
        guard let numkeys = parseInteger(context[2]), numkeys >= 1 else {
            throw CommandError("ERR numkeys should be greater than 0")
        }
        guard numkeys < context.count - 3 else { throw .syntax }
        let whereIndex = 3 + numkeys
        try checkWhere(whereIndex)
        var sawCount = false
        var index = whereIndex + 1
        while index < context.count {
            guard !sawCount, context.isToken(index, "COUNT"), index + 1 < context.count else { throw .syntax }
            guard let parsed = parseInteger(context[index + 1]), parsed >= 1 else {
                throw CommandError("ERR count should be greater than 0")
            }
            sawCount = true
            index += 2
        }
        return Array(context.arguments[3..<whereIndex])
    }

    /// The same request as LMPOP/ZMPOP see it: the timeout left out.
    static func withoutTimeout(_ context: CommandContext) -> CommandContext {
        var arguments = context.arguments
        arguments.remove(at: 1)
        return CommandContext(server: context.server, client: context.client, arguments: arguments)
    }

    // MARK: sorted sets

    static func bzpopmin(_ context: CommandContext) throws(CommandError) { try blockingZpop(context, fromMax: false) }
    static func bzpopmax(_ context: CommandContext) throws(CommandError) { try blockingZpop(context, fromMax: true) }

    /// BZPOPMIN/BZPOPMAX key [key ...] timeout: `[key, member, score]`.
    static func blockingZpop(_ context: CommandContext, fromMax: Bool) throws(CommandError) {
        let last = context.count - 1
        let deadline = try blockingDeadline(context, at: last)
        for index in 1..<last {
            let key = context[index]
            guard let target = try SortedSetCommands.writableZset(context, key), !target.zset.isEmpty else { continue }
            let popped = SortedSetCommands.pop(context, target, key: key, count: 1, fromMax: fromMax)
            context.reply.writeArrayHeader(3)
            context.reply.writeBulkString(key)
            context.reply.writeBulkString(popped[0].member)
            context.reply.writeDouble(popped[0].score)
            return
        }
        block(context, .zset, keys: Array(context.arguments[1..<last]), deadline: deadline)
    }

    /// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
    static func bzmpop(_ context: CommandContext) throws(CommandError) {
        let keys = try multiPopKeys(context, where: { index throws(CommandError) in
            guard context.isToken(index, "MIN") || context.isToken(index, "MAX") else { throw .syntax }
        })
        let deadline = try blockingDeadline(context, at: 1)
        for key in keys {
            guard let target = try SortedSetCommands.writableZset(context, key), !target.zset.isEmpty else { continue }
            return try SortedSetCommands.zmpop(withoutTimeout(context))
        }
        block(context, .zset, keys: keys, deadline: deadline)
    }
}
