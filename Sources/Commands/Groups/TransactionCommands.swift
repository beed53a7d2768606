import Keyspace
import RESP

/// MULTI, EXEC, DISCARD, WATCH, UNWATCH, and the replication barriers WAIT and
/// WAITAOF. Queuing itself happens in `CommandDispatcher` (as in Valkey's
/// `processCommand`); the per-client state is `ClientTransaction`, the watched
/// keys live in `Keyspace.watches`.
enum TransactionCommands {
    static let handlers: [String: CommandHandler] = [
        "multi": multi, "exec": exec, "discard": discard, "watch": watch, "unwatch": unwatch,
        "wait": wait, "waitaof": waitaof,
    ]

    // MARK: transactions

    static func multi(_ context: CommandContext) throws(CommandError) {
        let transaction = context.client.transaction
        // Unreachable through the dispatcher (MULTI is flagged no-multi), kept as Valkey's own guard.
        guard !transaction.isQueuing else { throw CommandError("ERR MULTI calls can not be nested") }
        transaction.begin()
        context.reply.writeOK()
    }

    /// Runs the queue: every reply in its slot of one array, a failing command's
    /// error in its slot while the others still apply. The whole EXEC runs within
    /// the execution lock hold of its batch, so no other client interleaves, and
    /// its change records are drained with the batch: one durable-log submission.
    static func exec(_ context: CommandContext) throws(CommandError) {
        let client = context.client
        let transaction = client.transaction
        guard transaction.isQueuing else { throw CommandError("ERR EXEC without MULTI") }
        if transaction.aborted {
            transaction.discard()
            throw CommandError("EXECABORT Transaction discarded because of previous errors.")
        }
        if transaction.watcher.modified(in: context.keyspace) {
            transaction.discard()
            context.reply.writeNullArray()
            return
        }
        let queued = transaction.takeQueue()
        transaction.watcher.unwatchAll()  // as Valkey: unwatch before running, nothing to check any more
        transaction.isExecuting = true
        context.reply.writeArrayHeader(queued.count)
        // Each command's end is the next one's start: one clock read each.
        var clock = currentTimeMicros()
        for entry in queued {
            clock = CommandDispatcher.call(entry.command, entry.arguments, for: client, in: context.server, started: clock)
        }
        transaction.discard()
    }

    static func discard(_ context: CommandContext) throws(CommandError) {
        let transaction = context.client.transaction
        guard transaction.isQueuing else { throw CommandError("ERR DISCARD without MULTI") }
        transaction.discard()
        context.reply.writeOK()
    }

    static func watch(_ context: CommandContext) throws(CommandError) {
        let transaction = context.client.transaction
        // Unreachable through the dispatcher (WATCH is flagged no-multi), kept as Valkey's own guard.
        guard !transaction.isQueuing else { throw CommandError("ERR WATCH inside MULTI is not allowed") }
        let db = context.client.database
        for index in 1..<context.count {
            transaction.watcher.watch(context[index], db: db, in: context.keyspace)
        }
        context.reply.writeOK()
    }

    static func unwatch(_ context: CommandContext) throws(CommandError) {
        context.client.transaction.watcher.clear()
        context.reply.writeOK()
    }

    // MARK: WAIT, WAITAOF

    /// WAIT numreplicas timeout: there are no replicas, so the answer is 0. Valkey
    /// would block until the timeout when numreplicas > 0 (forever with 0);
    /// Valkite answers at once (see README).
    static func wait(_ context: CommandContext) throws(CommandError) {
        _ = try context.integer(at: 1)
        _ = try timeout(context, at: 2)
        context.reply.writeInteger(0)
    }

    /// WAITAOF numlocal numreplicas timeout → [local, replicas]. Every write is in
    /// the journal before its reply leaves (in `everysec` and `always`), which is
    /// Valkite's AOF: local is 1. No replicas: 0, at once (Valkey would wait for
    /// the timeout when numreplicas > 0).
    static func waitaof(_ context: CommandContext) throws(CommandError) {
        let numlocal = try context.integer(at: 1)
        guard numlocal >= 0 && numlocal <= 1 else {
            throw CommandError("ERR value is out of range, value must between 0 and 1")
        }
        guard try context.integer(at: 2) >= 0 else {
            throw CommandError("ERR value is out of range, must be positive")
        }
        _ = try timeout(context, at: 3)
        context.reply.writeArrayHeader(2)
        context.reply.writeInteger(1)
        context.reply.writeInteger(0)
    }

    /// Valkey's `getTimeoutFromObjectOrReply` in milliseconds.
    private static func timeout(_ context: CommandContext, at index: Int) throws(CommandError) -> Int {
        guard let value = parseInteger(context[index]) else {
            throw CommandError("ERR timeout is not an integer or out of range")
        }
        guard value >= 0 else { throw CommandError("ERR timeout is negative") }
        if value > 0 && value > Int.max - Int(context.now) {
            throw CommandError("ERR timeout is out of range")
        }
        return value
    }
}
