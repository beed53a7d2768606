/// A command's implementation: reads `context.arguments`, writes `context.reply`,
/// or throws the error reply.
public typealias CommandHandler = (CommandContext) throws(CommandError) -> Void

/// A command name compared case-insensitively, hashed without building a String.
struct CommandName: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { self.bytes = Array(text.utf8) }

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        for byte in bytes { hasher.combine(byte | 0x20) }  // ASCII case folding; letters only matter here
    }

    static func == (lhs: CommandName, rhs: CommandName) -> Bool {
        guard lhs.bytes.count == rhs.bytes.count else { return false }
        for index in 0..<lhs.bytes.count {
            var a = lhs.bytes[index], b = rhs.bytes[index]
            if a >= 65 && a <= 90 { a += 32 }
            if b >= 65 && b <= 90 { b += 32 }
            if a != b { return false }
        }
        return true
    }
}

/// One entry of the command table: its declarative metadata (arity, flags, keys,
/// docs) joined with the function that runs it. Containers (CLIENT, CONFIG…)
/// have subcommands instead of a handler.
public final class Command {
    public let metadata: CommandMetadata
    let handler: CommandHandler?
    let subcommands: [CommandName: Command]
    /// Statistics key and error-message name: `get`, `client|list`.
    public var name: String { metadata.name }
    /// INFO commandstats counters, kept here so counting needs no look-up by
    /// name. Changed only under the execution lock.
    public internal(set) var statistics = ServerStats.CommandStats()
    /// The name history rows give the changes it makes: `HSET`, `CLIENT KILL`.
    let operationName: [UInt8]
    /// `client|list` and the like: found through its container's name and the next argument.
    let isSubcommand: Bool

    init(metadata: CommandMetadata, handler: CommandHandler?, subcommands: [CommandName: Command]) {
        self.metadata = metadata
        operationName = Array(String(metadata.name.uppercased().map { $0 == "|" ? " " : $0 }).utf8)
        isSubcommand = metadata.name.contains("|")
        self.handler = handler
        self.subcommands = subcommands
    }

    /// Arity as Valkey checks it: exact when positive, a minimum when negative.
    func acceptsArgumentCount(_ count: Int) -> Bool {
        let arity = metadata.arity
        return arity >= 0 ? count == arity : count >= -arity
    }
}

/// The declarative command table: every command the server answers, looked up
/// by name case-insensitively. Arity, flags and key positions come from the
/// generated metadata (`Metadata/`); behaviour from the handlers each command
/// group registers.
public final class CommandTable {
    public enum Lookup {
        case found(Command)
        case unknownCommand
        /// The container exists but has no such subcommand.
        case unknownSubcommand(Command)
        /// The container was called without a subcommand.
        case missingSubcommand(Command)
    }

    private let commands: [CommandName: Command]

    /// Builds the table from handlers keyed by full name (`get`, `client|list`).
    /// Every handler must have metadata: a missing entry is a programming error.
    init(handlers: [String: CommandHandler]) {
        var table: [CommandName: Command] = [:]
        for metadata in CommandCatalog.all {
            var subcommands: [CommandName: Command] = [:]
            for sub in metadata.subcommands {
                guard let handler = handlers[sub.name] else { continue }
                let subname = String(sub.name.split(separator: "|").last!)
                subcommands[CommandName(subname)] = Command(metadata: sub, handler: handler, subcommands: [:])
            }
            let handler = handlers[metadata.name]
            guard handler != nil || !subcommands.isEmpty else { continue }
            table[CommandName(metadata.name)] = Command(metadata: metadata, handler: handler, subcommands: subcommands)
        }
        for name in handlers.keys {
            precondition(CommandCatalog.find(name) != nil, "no metadata for command '\(name)': add it to scripts/commands.txt")
        }
        self.commands = table
    }

    /// All commands, with their handlers, that the server ships (a new table per
    /// server, since each command carries its own counters).
    public static func standard() -> CommandTable { CommandTable(handlers: allCommandHandlers()) }

    public var all: [Command] { Array(commands.values) }
    public var count: Int { commands.count }

    public func lookup(_ arguments: [[UInt8]]) -> Lookup {
        guard let command = commands[CommandName(arguments[0])] else { return .unknownCommand }
        if command.subcommands.isEmpty { return .found(command) }
        guard arguments.count >= 2 else {
            // COMMAND alone runs itself; CLIENT, CONFIG… need a subcommand.
            return command.handler != nil ? .found(command) : .missingSubcommand(command)
        }
        guard let sub = command.subcommands[CommandName(arguments[1])] else { return .unknownSubcommand(command) }
        return .found(sub)
    }

    /// The command or subcommand with this full name (`get`, `config|get`).
    public func find(_ fullName: String) -> Command? {
        let parts = fullName.split(separator: "|").map { Array($0.utf8) }
        guard let top = commands[CommandName(parts[0])] else { return nil }
        if parts.count == 1 { return top }
        return top.subcommands[CommandName(parts[1])]
    }

    /// Every command and subcommand that has been called or rejected, by name.
    var calledCommands: [Command] {
        var called: [Command] = []
        for command in commands.values {
            for candidate in [command] + Array(command.subcommands.values)
            where candidate.statistics.calls > 0 || candidate.statistics.rejectedCalls > 0 {
                called.append(candidate)
            }
        }
        return called.sorted { $0.name < $1.name }
    }

    /// CONFIG RESETSTAT.
    func resetStatistics() {
        for command in commands.values {
            command.statistics = .init()
            for sub in command.subcommands.values { sub.statistics = .init() }
        }
    }

    /// Subcommands of a container, for COMMAND INFO of the container itself.
    func subcommands(of command: Command) -> [Command] {
        command.subcommands.values.sorted { $0.name < $1.name }
    }
}

/// The handlers of every command group, by full command name.
func allCommandHandlers() -> [String: CommandHandler] {
    var handlers: [String: CommandHandler] = [:]
    for group in [
        ConnectionCommands.handlers, ClientCommands.handlers, ServerCommands.handlers,
        ConfigCommands.handlers, CommandIntrospection.handlers, InfoCommand.handlers,
        StringCommands.handlers, KeyCommands.handlers, ExpiryCommands.handlers, ObjectCommands.handlers,
        PersistenceCommands.handlers, SQLCommands.handlers, HistoryCommands.handlers,
        HashCommands.handlers, ListCommands.handlers, SetCommands.handlers, SortedSetCommands.handlers,
        TransactionCommands.handlers, PubSubCommands.handlers, BlockingCommands.handlers,
    ] {
        handlers.merge(group) { _, _ in preconditionFailure("command registered twice") }
    }
    return handlers
}
