import Keyspace
import RESP

/// Runs one request for one client: table look-up, arity, authentication, the
/// handler, reply modes, and statistics. The caller holds the execution lock.
public enum CommandDispatcher {
    public static func execute(_ arguments: [[UInt8]], for client: ClientSession, in server: ServerState) {
        let started = currentTimeMicros()
        server.keyspace.now = started / 1000
        client.lastInteraction = server.keyspace.now
        server.stats.commandsProcessed += 1

        let replyStart = client.reply.buffer.writerIndex
        defer { applyReplyMode(client, replyStart: replyStart) }

        let command: Command
        switch server.commands.lookup(arguments) {
        case .found(let found):
            command = found
        case .unknownCommand:
            return reject(client, server, unknownCommandMessage(arguments))
        case .unknownSubcommand(let container):
            return reject(client, server, CommandError.unknownSubcommand(arguments[1], of: container.name).message)
        case .missingSubcommand(let container):
            return reject(client, server, CommandError.wrongArity(container.name).message, command: container)
        }
        guard command.acceptsArgumentCount(arguments.count) else {
            return reject(client, server, CommandError.wrongArity(command.name).message, command: command)
        }
        let flags = command.metadata.flags
        if !client.authenticated && !flags.contains(.noAuth) && server.requiresPassword {
            return reject(client, server, CommandError.noAuth.message, command: command)
        }
        if server.loading && !flags.contains(.loading) {
            return reject(client, server, CommandError.loading.message, command: command)
        }
        // As Valkey: while persistence fails, writes (and PING, so health checks notice) are refused.
        if let cause = server.persistenceError, flags.contains(.write) || command.name == "ping" {
            return reject(client, server, CommandError.persistenceFailed(cause).message, command: command)
        }

        client.lastCommand = command.name
        client.commandsProcessed += 1
        let context = CommandContext(server: server, client: client, arguments: arguments)
        var failed = false
        do {
            try command.handler!(context)
        } catch {
            failed = true
            client.reply.writeError(error.message)
            server.stats.countError(error.message)
        }
        let elapsed = currentTimeMicros() - started
        command.statistics.record(microseconds: elapsed, failed: failed)
    }

    private static func reject(_ client: ClientSession, _ server: ServerState, _ message: String, command: Command? = nil) {
        client.reply.writeError(message)
        server.stats.countError(message)
        command?.statistics.rejectedCalls += 1
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
