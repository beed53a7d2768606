import Keyspace
import RESP

/// COMMAND and its subcommands: what the server can do, from the declarative table.
enum CommandIntrospection {
    static let handlers: [String: CommandHandler] = [
        "command": { context throws(CommandError) in writeInfos(context, context.server.commands.all.map(\.metadata)) },
        "command|count": { $0.reply.writeInteger($0.server.commands.count) },
        "command|info": info, "command|docs": docs, "command|list": list,
        "command|getkeys": { context throws(CommandError) in try getkeys(context, withFlags: false) },
        "command|getkeysandflags": { context throws(CommandError) in try getkeys(context, withFlags: true) },
        "command|help": help,
    ]

    private static func writeInfos(_ context: CommandContext, _ commands: [CommandMetadata?]) {
        context.reply.writeArrayHeader(commands.count)
        for metadata in commands {
            if let metadata { metadata.writeInfo(into: &context.reply) } else { context.reply.writeNull() }
        }
    }

    static func info(_ context: CommandContext) throws(CommandError) {
        if context.count == 2 { return writeInfos(context, context.server.commands.all.map(\.metadata)) }
        writeInfos(context, (2..<context.count).map { context.server.commands.find(context.text(at: $0).lowercased())?.metadata })
    }

    static func docs(_ context: CommandContext) throws(CommandError) {
        let commands: [Command]
        if context.count == 2 {
            commands = context.server.commands.all
        } else {
            commands = (2..<context.count).compactMap { context.server.commands.find(context.text(at: $0).lowercased()) }
        }
        context.reply.writeMapHeader(commands.count)
        for command in commands {
            context.reply.writeBulkString(command.name)
            command.metadata.writeDocs(into: &context.reply)
        }
    }

    /// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]
    static func list(_ context: CommandContext) throws(CommandError) {
        var names: [String] = []
        for command in context.server.commands.all {
            names.append(command.name)
            names += context.server.commands.subcommands(of: command).map(\.name)
        }
        if context.count > 2 {
            guard context.count == 5, context.isToken(2, "FILTERBY") else { throw .syntax }
            let value = context.text(at: 4)
            if context.isToken(3, "MODULE") {
                names = []
            } else if context.isToken(3, "ACLCAT") {
                let category = "@" + value.lowercased()
                names = names.filter { CommandCatalog.find($0)?.aclCategories.contains(category) ?? false }
            } else if context.isToken(3, "PATTERN") {
                let pattern = GlobPattern(value, caseInsensitive: true)
                names = names.filter { pattern.matches($0) }
            } else {
                throw .syntax
            }
        }
        context.reply.writeArrayHeader(names.count)
        for name in names { context.reply.writeBulkString(name) }
    }

    static func getkeys(_ context: CommandContext, withFlags: Bool) throws(CommandError) {
        let arguments = Array(context.arguments[2...])
        guard case .found(let command) = context.server.commands.lookup(arguments) else {
            throw CommandError("ERR Invalid command specified")
        }
        guard command.acceptsArgumentCount(arguments.count) else {
            throw CommandError("ERR Invalid number of arguments specified for command")
        }
        let keys = command.metadata.keys(in: arguments)
        guard !keys.isEmpty else { throw CommandError("ERR The command has no key arguments") }
        context.reply.writeArrayHeader(keys.count)
        for key in keys {
            if withFlags {
                context.reply.writeArrayHeader(2)
                context.reply.writeBulkString(arguments[key.position])
                let flags = key.flags.names
                context.reply.writeSetHeader(flags.count)
                for flag in flags { context.reply.writeSimpleString(flag) }
            } else {
                context.reply.writeBulkString(arguments[key.position])
            }
        }
    }

    static func help(_ context: CommandContext) throws(CommandError) {
        context.writeHelp("COMMAND", [
            "(no subcommand)",
            "    Return details about all commands.",
            "COUNT",
            "    Return the total number of commands in this server.",
            "LIST",
            "    Return a list of all commands in this server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full command.",
        ])
    }
}
