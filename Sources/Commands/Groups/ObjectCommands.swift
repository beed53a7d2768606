import Keyspace
import RESP

/// OBJECT ENCODING / FREQ / IDLETIME / REFCOUNT / HELP.
enum ObjectCommands {
    static let handlers: [String: CommandHandler] = [
        "object|encoding": encoding, "object|freq": freq, "object|idletime": idletime,
        "object|refcount": refcount, "object|help": help,
    ]

    /// The encoding Valkey would use for this value, so tools that read it behave.
    static func encodingName(_ entry: KeyEntry) -> String {
        switch entry.value {
        case .string(let bytes):
            switch entry.stringEncoding {
            case .raw: return "raw"
            case .plain: return bytes.count <= 44 ? "embstr" : "raw"
            case .automatic:
                if bytes.count <= 20, parseInteger(bytes) != nil { return "int" }
                return bytes.count <= 44 ? "embstr" : "raw"
            }
        case .hash(let hash): return hash.isListpack ? "listpack" : "hashtable"
        case .list(let list): return list.isQuicklist ? "quicklist" : "listpack"
        case .set(let set):
            switch set.encoding {
            case .intset: return "intset"
            case .listpack: return "listpack"
            case .hashtable: return "hashtable"
            }
        case .zset(let zset): return zset.isListpack ? "listpack" : "skiplist"
        }
    }

    static func encoding(_ context: CommandContext) throws(CommandError) {
        guard let node = context.database.lookup(context[2]) else { return context.reply.writeNull() }
        context.reply.writeBulkString(encodingName(node.value))
    }

    private static func usesLFU(_ context: CommandContext) -> Bool {
        (context.server.config.value("maxmemory-policy") ?? "").contains("lfu")
    }

    static func freq(_ context: CommandContext) throws(CommandError) {
        guard let node = context.database.lookup(context[2]) else { return context.reply.writeNull() }
        guard usesLFU(context) else {
            throw CommandError("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
        }
        context.reply.writeInteger(Int(node.value.frequency))
    }

    static func idletime(_ context: CommandContext) throws(CommandError) {
        guard let node = context.database.lookup(context[2]) else { return context.reply.writeNull() }
        guard !usesLFU(context) else {
            throw CommandError("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
        }
        context.reply.writeInteger(Int(max(context.now - node.value.accessedAt, 0) / 1000))
    }

    static func refcount(_ context: CommandContext) throws(CommandError) {
        guard let node = context.database.lookup(context[2]) else { return context.reply.writeNull() }
        // Valkey shares the objects of small integers and reports INT_MAX for them.
        if case .string(let bytes) = node.value.value, let number = parseInteger(bytes), number >= 0, number < 10000 {
            return context.reply.writeInteger(Int(Int32.max))
        }
        context.reply.writeInteger(1)
    }

    static func help(_ context: CommandContext) throws(CommandError) {
        context.writeHelp("OBJECT", [
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        ])
    }
}

extension CommandContext {
    /// The reply of every `X HELP` subcommand, framed as Valkey's `addReplyHelp`.
    func writeHelp(_ command: String, _ lines: [String]) {
        reply.writeArrayHeader(lines.count + 3)
        reply.writeSimpleString("\(command) <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
        for line in lines { reply.writeSimpleString(line) }
        reply.writeSimpleString("HELP")
        reply.writeSimpleString("    Print this help.")
    }
}
