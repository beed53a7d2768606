import Keyspace

/// SAVE and BGSAVE: make the database file complete, or copy it while serving.
enum PersistenceCommands {
    static let handlers: [String: CommandHandler] = ["save": save, "bgsave": bgsave]

    static func save(_ context: CommandContext) throws(CommandError) {
        guard let persistence = context.server.persistence else {
            throw CommandError("ERR Persistence is disabled")
        }
        try persistence.save()
        context.server.lastSave = currentTimeMillis() / 1000
        context.keyspace.resetChangeCount()
        context.reply.writeOK()
    }

    /// BGSAVE [SCHEDULE]
    static func bgsave(_ context: CommandContext) throws(CommandError) {
        if context.count > 2 || (context.count == 2 && !context.isToken(1, "SCHEDULE")) { throw .syntax }
        guard let persistence = context.server.persistence else {
            throw CommandError("ERR Persistence is disabled")
        }
        if persistence.startBackgroundSave() {
            context.reply.writeSimpleString("Background saving started")
        } else if context.count == 2 {
            context.reply.writeSimpleString("Background saving scheduled")
        } else {
            throw CommandError("ERR Background save already in progress")
        }
    }
}
