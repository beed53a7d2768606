import Keyspace
import RESP

/// Whole-server commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, LASTSAVE,
/// SHUTDOWN, LOLWUT.
enum ServerCommands {
    static let handlers: [String: CommandHandler] = [
        "dbsize": { $0.reply.writeInteger($0.database.count) },
        "flushdb": flushdb, "flushall": flushall, "swapdb": swapdb, "time": time,
        "lastsave": { $0.reply.writeInteger(Int($0.server.lastSaveTime)) },
        "shutdown": shutdown, "lolwut": lolwut,
    ]

    /// The optional ASYNC | SYNC argument of the flush commands (both run at once here).
    private static func checkFlushMode(_ context: CommandContext) throws(CommandError) {
        guard context.count <= 2 else { throw .syntax }
        if context.count == 2 && !context.isToken(1, "ASYNC") && !context.isToken(1, "SYNC") {
            throw .syntax
        }
    }

    static func flushdb(_ context: CommandContext) throws(CommandError) {
        try checkFlushMode(context)
        context.database.flush()
        context.reply.writeOK()
    }

    static func flushall(_ context: CommandContext) throws(CommandError) {
        try checkFlushMode(context)
        context.keyspace.flushAll()
        context.reply.writeOK()
    }

    static func swapdb(_ context: CommandContext) throws(CommandError) {
        guard let first = parseInteger(context[1]) else { throw CommandError("ERR invalid first DB index") }
        guard let second = parseInteger(context[2]) else { throw CommandError("ERR invalid second DB index") }
        let count = context.keyspace.databases.count
        guard first >= 0 && first < count && second >= 0 && second < count else {
            throw .invalidDatabaseIndex
        }
        context.keyspace.swapDatabases(first, second)
        context.reply.writeOK()
    }

    static func time(_ context: CommandContext) throws(CommandError) {
        let micros = currentTimeMicros()
        context.reply.writeArrayHeader(2)
        context.reply.writeBulkString(String(micros / 1_000_000))
        context.reply.writeBulkString(String(micros % 1_000_000))
    }

    /// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]. The data is the database,
    /// so NOSAVE still leaves every committed write in place.
    static func shutdown(_ context: CommandContext) throws(CommandError) {
        var abort = false
        var other = false
        for index in 1..<context.count {
            if context.isToken(index, "ABORT") {
                abort = true
            } else if context.isToken(index, "NOSAVE") || context.isToken(index, "SAVE")
                        || context.isToken(index, "NOW") || context.isToken(index, "FORCE") {
                other = true
            } else {
                throw .syntax
            }
        }
        if abort {
            if other { throw .syntax }
            throw CommandError("ERR No shutdown in progress.")
        }
        context.server.control?.requestShutdown()
    }

    static func lolwut(_ context: CommandContext) throws(CommandError) {
        var index = 1
        while index < context.count {
            guard context.isToken(index, "VERSION") && index + 1 < context.count else { throw .syntax }
            _ = try context.integer(at: index + 1)
            index += 2
        }
        context.reply.writeVerbatimString("Valkite, a Valkey-compatible server on SQLite.\nValkey ver. \(Version.valkey)\n")
    }
}
