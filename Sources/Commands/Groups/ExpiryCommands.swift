import Keyspace

/// EXPIRE and friends: setting, reading and removing TTLs.
enum ExpiryCommands {
    static let handlers: [String: CommandHandler] = [
        "expire": { context throws(CommandError) in try expire(context, unitMillis: 1000, relative: true) },
        "pexpire": { context throws(CommandError) in try expire(context, unitMillis: 1, relative: true) },
        "expireat": { context throws(CommandError) in try expire(context, unitMillis: 1000, relative: false) },
        "pexpireat": { context throws(CommandError) in try expire(context, unitMillis: 1, relative: false) },
        "ttl": { context throws(CommandError) in try ttl(context, millis: false) },
        "pttl": { context throws(CommandError) in try ttl(context, millis: true) },
        "expiretime": { context throws(CommandError) in try expiretime(context, millis: false) },
        "pexpiretime": { context throws(CommandError) in try expiretime(context, millis: true) },
        "persist": persist,
    ]

    /// EXPIRE key time [NX | XX | GT | LT], with Valkey's overflow and flag rules.
    static func expire(_ context: CommandContext, unitMillis: Int, relative: Bool) throws(CommandError) {
        var nx = false, xx = false, gt = false, lt = false
        for index in 3..<max(context.count, 3) {
            if context.isToken(index, "NX") { nx = true }
            else if context.isToken(index, "XX") { xx = true }
            else if context.isToken(index, "GT") { gt = true }
            else if context.isToken(index, "LT") { lt = true }
            else { throw CommandError("ERR Unsupported option \(context.text(at: index))") }
        }
        if nx && (xx || gt || lt) {
            throw CommandError("ERR NX and XX, GT or LT options at the same time are not compatible")
        }
        if gt && lt {
            throw CommandError("ERR GT and LT options at the same time are not compatible")
        }
        let command = String(decoding: context[0], as: UTF8.self).lowercased()
        let amount = try context.integer(at: 2)
        let (scaled, overflow) = amount.multipliedReportingOverflow(by: unitMillis)
        guard !overflow else { throw .invalidExpireTime(command) }
        var at = Int64(scaled)
        if relative {
            let (sum, overflow) = at.addingReportingOverflow(context.now)
            guard !overflow else { throw .invalidExpireTime(command) }
            at = sum
        }
        let database = context.database
        guard let node = database.lookup(context[1]) else { return context.reply.writeInteger(0) }
        let current = node.value.expireAt  // 0 = no TTL, which counts as infinite
        if nx && current != 0 { return context.reply.writeInteger(0) }
        if xx && current == 0 { return context.reply.writeInteger(0) }
        if gt && (current == 0 || at <= current) { return context.reply.writeInteger(0) }
        if lt && current != 0 && at >= current { return context.reply.writeInteger(0) }
        database.setExpiry(node, at: at)
        // A time in the past deletes the key: `del` instead of `expire`.
        KeyspaceNotifications.notify(context, .generic, at <= context.now ? "del" : "expire", context[1])
        context.reply.writeInteger(1)
    }

    static func ttl(_ context: CommandContext, millis: Bool) throws(CommandError) {
        guard let node = context.database.lookupForRead(context[1], touch: !context.client.noTouch) else {
            return context.reply.writeInteger(-2)
        }
        guard node.value.expireAt != 0 else { return context.reply.writeInteger(-1) }
        let remaining = max(node.value.expireAt - context.now, 0)
        context.reply.writeInteger(millis ? remaining : (remaining + 500) / 1000)
    }

    static func expiretime(_ context: CommandContext, millis: Bool) throws(CommandError) {
        guard let node = context.database.lookupForRead(context[1], touch: !context.client.noTouch) else {
            return context.reply.writeInteger(-2)
        }
        guard node.value.expireAt != 0 else { return context.reply.writeInteger(-1) }
        context.reply.writeInteger(millis ? node.value.expireAt : node.value.expireAt / 1000)
    }

    static func persist(_ context: CommandContext) throws(CommandError) {
        guard let node = context.database.lookup(context[1]) else { return context.reply.writeInteger(0) }
        let removed = context.database.persist(node)
        if removed { KeyspaceNotifications.notify(context, .generic, "persist", context[1]) }
        context.reply.writeInteger(removed ? 1 : 0)
    }
}
