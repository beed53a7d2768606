import Keyspace

/// CONFIG GET / SET / RESETSTAT / HELP over the parameter table in `Config/`.
enum ConfigCommands {
    static let handlers: [String: CommandHandler] = [
        "config|get": get, "config|set": set, "config|resetstat": resetstat, "config|help": help,
    ]

    static func get(_ context: CommandContext) throws(CommandError) {
        let patterns = (2..<context.count).map { context.text(at: $0) }
        let pairs = context.server.config.get(patterns: patterns)
        context.reply.writeMapHeader(pairs.count)
        for pair in pairs {
            context.reply.writeBulkString(pair.name)
            context.reply.writeBulkString(pair.value)
        }
    }

    static func set(_ context: CommandContext) throws(CommandError) {
        guard context.count % 2 == 0 else { throw .wrongArity("config|set") }
        let pairs = stride(from: 2, to: context.count, by: 2).map { (context.text(at: $0), context.text(at: $0 + 1)) }
        do {
            try context.server.config.set(pairs)
        } catch {
            throw CommandError(error.message)
        }
        context.reply.writeOK()
    }

    static func resetstat(_ context: CommandContext) throws(CommandError) {
        context.server.stats.reset()
        context.server.commands.resetStatistics()
        context.reply.writeOK()
    }

    static func help(_ context: CommandContext) throws(CommandError) {
        context.writeHelp("CONFIG", [
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ])
    }
}
