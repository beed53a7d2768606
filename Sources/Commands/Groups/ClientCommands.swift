import Keyspace
import RESP

/// CLIENT subcommands: identity, listing, killing and per-connection modes.
enum ClientCommands {
    static let handlers: [String: CommandHandler] = [
        "client|id": { $0.reply.writeInteger($0.client.id) },
        "client|setname": setname, "client|getname": getname, "client|setinfo": setinfo,
        "client|list": list, "client|info": info, "client|kill": kill,
        "client|no-evict": { context throws(CommandError) in context.client.noEvict = try onOff(context); context.reply.writeOK() },
        "client|no-touch": { context throws(CommandError) in context.client.noTouch = try onOff(context); context.reply.writeOK() },
        "client|reply": reply, "client|unblock": unblock, "client|help": help,
    ]

    /// Names may only use printable ASCII without spaces ('!'…'~'), as Valkey checks.
    static func validateName(_ name: [UInt8], what: String) throws(CommandError) {
        guard name.allSatisfy({ $0 >= 33 && $0 <= 126 }) else {
            throw CommandError("ERR \(what) cannot contain spaces, newlines or special characters.")
        }
    }

    static func setname(_ context: CommandContext) throws(CommandError) {
        try validateName(context[2], what: "Client names")
        context.client.name = context[2]
        context.reply.writeOK()
    }

    static func getname(_ context: CommandContext) throws(CommandError) {
        if context.client.name.isEmpty {
            context.reply.writeNull()
        } else {
            context.reply.writeBulkString(context.client.name)
        }
    }

    /// CLIENT SETINFO LIB-NAME name | LIB-VER version
    static func setinfo(_ context: CommandContext) throws(CommandError) {
        let value = context[3]
        if context.isToken(2, "LIB-NAME") {
            try validateName(value, what: "lib-name")
            context.client.libraryName = value
        } else if context.isToken(2, "LIB-VER") {
            try validateName(value, what: "lib-ver")
            context.client.libraryVersion = value
        } else {
            throw CommandError("ERR Unrecognized option '\(context.text(at: 2))'")
        }
        context.reply.writeOK()
    }

    private static func onOff(_ context: CommandContext) throws(CommandError) -> Bool {
        if context.isToken(2, "ON") { return true }
        if context.isToken(2, "OFF") { return false }
        throw .syntax
    }

    static func reply(_ context: CommandContext) throws(CommandError) {
        if context.isToken(2, "ON") {
            context.client.replyMode = .on
            context.reply.writeOK()
        } else if context.isToken(2, "OFF") {
            context.client.replyMode = .off
        } else if context.isToken(2, "SKIP") {
            if context.client.replyMode != .off { context.client.replyMode = .skipNext }
        } else {
            throw .syntax
        }
    }

    /// CLIENT UNBLOCK client-id [TIMEOUT | ERROR]: 1 when the client was
    /// blocked (it then gets a null array, or `-UNBLOCKED` with ERROR), else 0.
    static func unblock(_ context: CommandContext) throws(CommandError) {
        let id = try context.integer(at: 2)
        var withError = false
        if context.count == 4 {
            if context.isToken(3, "ERROR") {
                withError = true
            } else if !context.isToken(3, "TIMEOUT") {
                throw CommandError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
            }
        }
        let unblocked = context.server.blockedClients?.unblock(id: id, withError: withError, in: context.server) ?? false
        context.reply.writeInteger(unblocked ? 1 : 0)
    }

    // MARK: listing

    /// One CLIENT LIST line, with Valkey 8.0's fields in its order. Buffer sizes
    /// Valkite does not track are 0, and `fd` is -1 (NIO does not expose it), as
    /// Valkey prints for clients without a socket.
    static func describe(_ client: ClientSession, blocked: Bool, now: Int64) -> String {
        func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        let age = (now - client.createdAt) / 1000
        let idle = (now - client.lastInteraction) / 1000
        return "id=\(client.id) addr=\(client.address) laddr=\(client.localAddress) fd=-1 "
            + "name=\(text(client.name)) age=\(age) idle=\(idle) flags=\(flags(client, blocked: blocked)) db=\(client.database) "
            + "sub=\(client.subscriptions.channels.count) psub=\(client.subscriptions.patterns.count) ssub=\(client.subscriptions.shardChannels.count) multi=\(client.transaction.queuedCount) watch=\(client.transaction.watchedKeyCount) qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 "
            + "rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1024 events=r cmd=\(client.lastCommand) "
            + "user=default redir=-1 resp=\(client.protocolVersion.rawValue) "
            + "lib-name=\(text(client.libraryName)) lib-ver=\(text(client.libraryVersion)) "
            + "tot-net-in=\(client.bytesReceived) tot-net-out=\(client.bytesSent) tot-cmds=\(client.commandsProcessed)"
    }

    /// The `flags=` field: one letter per mode in Valkey's order, `N` when none.
    static func flags(_ client: ClientSession, blocked: Bool) -> String {
        var letters = ""
        if client.subscriptions.isSubscribed { letters += "P" }
        if client.transaction.isQueuing { letters += "x" }
        if blocked { letters += "b" }
        if client.transaction.watcher.dirty { letters += "d" }
        if client.noEvict { letters += "e" }
        if client.noTouch { letters += "T" }
        return letters.isEmpty ? "N" : letters
    }

    /// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id …]
    static func list(_ context: CommandContext) throws(CommandError) {
        var clients = context.server.clients.ordered
        if context.count > 2 {
            if context.isToken(2, "TYPE") && context.count == 4 {
                let type = context.text(at: 3).lowercased()
                switch type {
                case "normal": clients.removeAll { $0.subscriptions.isSubscribed }
                case "pubsub": clients.removeAll { !$0.subscriptions.isSubscribed }
                case "master", "replica", "slave": clients = []
                default: throw CommandError("ERR Unknown client type '\(context.text(at: 3))'")
                }
            } else if context.isToken(2, "ID") && context.count >= 4 {
                var ids = Set<Int>()
                for index in 3..<context.count {
                    guard let id = parseInteger(context[index]), id > 0 else {
                        throw CommandError("ERR Invalid client ID")
                    }
                    ids.insert(id)
                }
                clients = clients.filter { ids.contains($0.id) }
            } else {
                throw .syntax
            }
        }
        let now = context.now
        let blocked = context.server.blockedClients
        let text = clients.map { describe($0, blocked: blocked?.isBlocked($0) == true, now: now) + "\n" }.joined()
        context.reply.writeVerbatimString(text)
    }

    static func info(_ context: CommandContext) throws(CommandError) {
        // A client running a command is not blocked.
        context.reply.writeVerbatimString(describe(context.client, blocked: false, now: context.now) + "\n")
    }

    /// CLIENT KILL addr:port, or CLIENT KILL <filter> <value> … (ID, ADDR, LADDR,
    /// USER, SKIPME, TYPE, MAXAGE).
    static func kill(_ context: CommandContext) throws(CommandError) {
        let clients = context.server.clients.ordered
        if context.count == 3 {
            let address = context.text(at: 2)
            guard let target = clients.first(where: { $0.address == address }) else {
                throw CommandError("ERR No such client")
            }
            close(target, by: context)
            return context.reply.writeOK()
        }
        var skipMe = true
        var filters: [(ClientSession) -> Bool] = []
        var index = 2
        while index < context.count {
            guard index + 1 < context.count else { throw .syntax }
            let value = context.text(at: index + 1)
            if context.isToken(index, "ID") {
                guard let id = parseInteger(context[index + 1]) else { throw .syntax }
                guard id > 0 else { throw CommandError("ERR client-id should be greater than 0") }
                filters.append { $0.id == id }
            } else if context.isToken(index, "ADDR") {
                filters.append { $0.address == value }
            } else if context.isToken(index, "LADDR") {
                filters.append { $0.localAddress == value }
            } else if context.isToken(index, "USER") {
                guard value == "default" else { throw CommandError("ERR No such user '\(value)'") }
            } else if context.isToken(index, "TYPE") {
                switch value.lowercased() {
                case "normal": filters.append { !$0.subscriptions.isSubscribed }
                case "pubsub": filters.append { $0.subscriptions.isSubscribed }
                case "master", "replica", "slave": filters.append { _ in false }
                default: throw CommandError("ERR Unknown client type '\(value)'")
                }
            } else if context.isToken(index, "SKIPME") {
                switch value.lowercased() {
                case "yes": skipMe = true
                case "no": skipMe = false
                default: throw .syntax
                }
            } else if context.isToken(index, "MAXAGE") {
                guard let maxAge = parseInteger(context[index + 1]) else {
                    throw CommandError("ERR maxage is not an integer or out of range")
                }
                guard maxAge > 0 else { throw CommandError("ERR maxage should be greater than 0") }
                let now = context.now
                filters.append { (now - $0.createdAt) / 1000 >= maxAge }
            } else {
                throw .syntax
            }
            index += 2
        }
        var killed = 0
        for client in clients where filters.allSatisfy({ $0(client) }) {
            if skipMe && client === context.client { continue }
            close(client, by: context)
            killed += 1
        }
        context.reply.writeInteger(killed)
    }

    /// Closes a client; the caller's own connection closes after its reply is written.
    private static func close(_ client: ClientSession, by context: CommandContext) {
        if client === context.client {
            client.closeAfterReply = true
        } else {
            client.connection?.close()
        }
    }

    static func help(_ context: CommandContext) throws(CommandError) {
        context.writeHelp("CLIENT", [
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "    * ID <client-id>",
            "      Kill connections by client id.",
            "    * MAXAGE <maxage>",
            "      Kill connections older than the specified age.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction.",
            "NO-TOUCH (ON|OFF)",
            "    Will not touch LRU/LFU stats when this mode is on.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "SETINFO <option> <value>",
            "    Set client meta attr. Options are:",
            "    * LIB-NAME: the client lib name.",
            "    * LIB-VER: the client lib version.",
        ])
    }
}
