import Keyspace
import RESP

/// Runs one request for one client: table look-up, arity, authentication, the
/// handler, reply modes, and statistics. The caller holds the execution lock.
public enum CommandDispatcher {
    /// `clock`: a reading of `currentTimeMicros` taken just before, when the
    /// caller runs a pipelined batch (the end of the previous command): one
    /// clock read per command instead of two (~1.5% of the event loop at
    /// `-P 16`). Returns the reading taken when the command ended, nil when
    /// it did not run (refused or queued).
    @discardableResult
    public static func execute(_ arguments: [[UInt8]], for client: ClientSession, in server: ServerState,
                               clock: Int64? = nil) -> Int64? {
        let started = clock ?? currentTimeMicros()
        server.keyspace.now = started / 1000
        client.lastInteraction = server.keyspace.now

        let replyStart = client.reply.buffer.writerIndex
        defer { applyReplyMode(client, replyStart: replyStart) }

        let command: Command
        if let cached = client.cachedLookup, sameStorage(arguments[0], cached.name) {
            command = cached.command
        } else {
            switch server.commands.lookup(arguments) {
            case .found(let found):
                command = found
                // Commands with subcommands depend on the next argument too.
                if found.subcommands.isEmpty && !found.isSubcommand { client.cachedLookup = (arguments[0], found) }
            case .unknownCommand:
                return reject(client, server, unknownCommandMessage(arguments))
            case .unknownSubcommand(let container):
                return reject(client, server, CommandError.unknownSubcommand(arguments[1], of: container.name).message)
            case .missingSubcommand(let container):
                return reject(client, server, CommandError.wrongArity(container.name).message, command: container)
            }
        }
        guard command.acceptsArgumentCount(arguments.count) else {
            return reject(client, server, CommandError.wrongArity(command.name).message, command: command)
        }
        let flags = command.metadata.flags
        if !client.authenticated && !flags.contains(.noAuth) && server.requiresPassword {
            return reject(client, server, CommandError.noAuth.message, command: command)
        }
        let transaction = client.transaction
        if transaction.isQueuing && flags.contains(.noMulti) {
            return reject(client, server, "ERR Command not allowed inside a transaction", command: command)
        }
        if let message = PubSubCommands.subscriberModeError(command: command, client: client) {
            return reject(client, server, message, command: command)
        }
        if server.loading && !flags.contains(.loading) {
            return reject(client, server, CommandError.loading.message, command: command)
        }
        // As Valkey: while persistence fails, writes (and PING, so health checks notice) are refused,
        // and so is an EXEC whose queue holds a write.
        if let cause = server.persistenceError,
           flags.contains(.write) || command.name == "ping" || (transaction.queuesWrite && isExec(command)) {
            return reject(client, server, CommandError.persistenceFailed(cause).message, command: command)
        }

        client.lastCommand = command.name
        // MULTI: everything but the transaction commands themselves (and QUIT, RESET) is queued.
        if transaction.isQueuing && !runsInsideMulti(command) {
            transaction.enqueue(command, arguments)
            client.reply.writeSimpleString("QUEUED")
            return nil
        }
        return call(command, arguments, for: client, in: server, started: started)
    }

    /// Whether two arrays are one buffer (so equal without comparing bytes).
    /// The cache keeps its array alive, so its buffer cannot be reused by another.
    @inline(__always)
    private static func sameStorage(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.count > 0
            && a.withUnsafeBufferPointer { $0.baseAddress } == b.withUnsafeBufferPointer { $0.baseAddress }
    }

    /// Runs one command whose checks passed (Valkey's `call`): the handler, its
    /// error reply, statistics. EXEC calls it for each queued command.
    /// Returns the clock reading taken when it ended.
    @discardableResult
    static func call(_ command: Command, _ arguments: [[UInt8]], for client: ClientSession, in server: ServerState,
                     started: Int64) -> Int64 {
        server.stats.commandsProcessed += 1
        client.commandsProcessed += 1
        let context = CommandContext(server: server, client: client, arguments: arguments)
        if !server.keyspace.historyKeys.isEmpty { server.keyspace.currentOperation = command.operationName }
        var failed = false
        do {
            try command.handler!(context)
        } catch {
            failed = true
            client.reply.writeError(error.message)
            server.stats.countError(error.message)
        }
        let ended = currentTimeMicros()
        command.statistics.record(microseconds: ended - started, failed: failed)
        return ended
    }

    /// A command refused before it ran (Valkey's `rejectCommand`): inside MULTI
    /// it dooms the transaction; a refused EXEC discards it with EXECABORT.
    /// Not counted in `total_commands_processed` (Valkey counts in `call` only).
    /// Returns nil, `execute`'s result for a command that did not run.
    private static func reject(_ client: ClientSession, _ server: ServerState, _ message: String,
                               command: Command? = nil) -> Int64? {
        client.transaction.flagError()
        var message = message
        if let command {
            command.statistics.rejectedCalls += 1
            if isExec(command) {
                client.transaction.discard()
                message = execAbortMessage(message)
            }
        }
        client.reply.writeError(message)
        server.stats.countError(message)
        return nil
    }

    /// `EXECABORT Transaction discarded because of: <error>`, the error as
    /// Valkey formats a rejection: generic errors without their `ERR ` code,
    /// specific ones (NOAUTH, MISCONF, LOADING…) with theirs.
    static func execAbortMessage(_ message: String) -> String {
        let cause = message.hasPrefix("ERR ") ? String(message.dropFirst(4)) : message
        return "EXECABORT Transaction discarded because of: " + cause
    }

    private static func isExec(_ command: Command) -> Bool {
        command.name == "exec"
    }

    /// The commands Valkey runs at once inside MULTI instead of queuing them.
    private static func runsInsideMulti(_ command: Command) -> Bool {
        switch command.name {
        case "exec", "discard", "multi", "watch", "quit", "reset": return true
        default: return false
        }
    }

    /// `ERR unknown command 'x', with args beginning with: 'a' 'b' ` as Valkey words it.
    static func unknownCommandMessage(_ arguments: [[UInt8]]) -> String {
        var args = ""
        var index = 1
        while index < arguments.count && args.utf8.count < 128 {
            let room = 128 - args.utf8.count
            args += "'" + printable(arguments[index], limit: room) + "' "
            index += 1
        }
        return "ERR unknown command '\(printable(arguments[0]))', with args beginning with: \(args)"
    }

    /// CLIENT REPLY OFF/SKIP: drop what the command wrote.
    private static func applyReplyMode(_ client: ClientSession, replyStart: Int) {
        switch client.replyMode {
        case .on:
            return
        case .off:
            client.reply.buffer.moveWriterIndex(to: replyStart)
        case .skipNext:
            // Set by this very command (CLIENT REPLY SKIP): its own reply is dropped too, skip the next.
            client.reply.buffer.moveWriterIndex(to: replyStart)
            client.replyMode = .skipping
        case .skipping:
            client.reply.buffer.moveWriterIndex(to: replyStart)
            client.replyMode = .on
        }
    }
}

extension ServerStats.CommandStats {
    mutating func record(microseconds: Int64, failed: Bool) {
        calls += 1
        self.microseconds += microseconds
        if failed { failedCalls += 1 }
    }
}
