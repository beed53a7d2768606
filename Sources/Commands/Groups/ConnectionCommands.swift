import Keyspace
import RESP

/// AUTH, HELLO, PING, ECHO, QUIT, RESET, SELECT: the commands clients send on
/// their own when they connect.
enum ConnectionCommands {
    static let handlers: [String: CommandHandler] = [
        "auth": auth, "hello": hello, "ping": ping, "echo": echo, "quit": quit, "reset": reset,
        "select": select,
    ]

    /// AUTH [username] password — only the `default` user exists.
    static func auth(_ context: CommandContext) throws(CommandError) {
        guard context.count <= 3 else { throw .syntax }
        if context.count == 2 && !context.server.requiresPassword {
            throw CommandError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
        }
        let username = context.count == 3 ? context[1] : Array("default".utf8)
        let password = context[context.count - 1]
        try authenticate(context, username: username, password: password)
        context.reply.writeOK()
    }

    private static func authenticate(_ context: CommandContext, username: [UInt8], password: [UInt8]) throws(CommandError) {
        let required = Array(context.server.config.requirepass.utf8)
        let passwordMatches = required.isEmpty || constantTimeEquals(password, required)
        guard username == Array("default".utf8) && passwordMatches else { throw .wrongPass }
        context.client.authenticated = true
    }

    /// HELLO [protover [AUTH username password] [SETNAME clientname]]
    static func hello(_ context: CommandContext) throws(CommandError) {
        var version = context.client.protocolVersion
        if context.count >= 2 {
            guard let requested = parseInteger(context[1]) else {
                throw CommandError("ERR Protocol version is not an integer or out of range")
            }
            guard let supported = ProtocolVersion(rawValue: requested) else {
                throw CommandError("NOPROTO unsupported protocol version")
            }
            version = supported
        }
        var credentials: (username: [UInt8], password: [UInt8])? = nil
        var clientName: [UInt8]? = nil
        var index = 2
        while index < context.count {
            let remaining = context.count - 1 - index
            if context.isToken(index, "AUTH") && remaining >= 2 {
                credentials = (context[index + 1], context[index + 2])
                index += 3
            } else if context.isToken(index, "SETNAME") && remaining >= 1 {
                clientName = context[index + 1]
                index += 2
            } else {
                throw CommandError("ERR Syntax error in HELLO option '\(context.text(at: index))'")
            }
        }
        if let credentials {
            try authenticate(context, username: credentials.username, password: credentials.password)
        }
        if !context.client.authenticated && context.server.requiresPassword {
            throw CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
        }
        if let clientName {
            try ClientCommands.validateName(clientName, what: "Client names")
            context.client.name = clientName
        }
        context.client.protocolVersion = version
        context.reply.writeMapHeader(7)
        context.reply.writeBulkString("server")
        context.reply.writeBulkString("valkey")
        context.reply.writeBulkString("version")
        context.reply.writeBulkString(Version.valkey)
        context.reply.writeBulkString("proto")
        context.reply.writeInteger(version.rawValue)
        context.reply.writeBulkString("id")
        context.reply.writeInteger(context.client.id)
        context.reply.writeBulkString("mode")
        context.reply.writeBulkString("standalone")
        context.reply.writeBulkString("role")
        context.reply.writeBulkString("master")
        context.reply.writeBulkString("modules")
        context.reply.writeArrayHeader(0)
    }

    static func ping(_ context: CommandContext) throws(CommandError) {
        guard context.count <= 2 else { throw .wrongArity("ping") }
        if PubSubCommands.answerSubscribedPing(context) { return }
        if context.count == 2 {
            context.reply.writeBulkString(context[1])
        } else {
            context.reply.writeSimpleString("PONG")
        }
    }

    static func echo(_ context: CommandContext) throws(CommandError) {
        context.reply.writeBulkString(context[1])
    }

    static func quit(_ context: CommandContext) throws(CommandError) {
        context.reply.writeOK()
        context.client.closeAfterReply = true
    }

    static func reset(_ context: CommandContext) throws(CommandError) {
        PubSubCommands.unsubscribeAll(context.client, in: context.server)
        context.client.reset(authenticated: !context.server.requiresPassword)
        context.reply.writeSimpleString("RESET")
    }

    static func select(_ context: CommandContext) throws(CommandError) {
        let index = try context.integer(at: 1)
        guard index >= 0 && index < context.keyspace.databases.count else { throw .invalidDatabaseIndex }
        context.client.database = index
        context.reply.writeOK()
    }
}

/// Compares secrets in time that depends only on their lengths, not on where
/// they first differ.
func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
    let length = max(a.count, b.count)
    for index in 0..<length {
        let x = index < a.count ? a[index] : 0
        let y = index < b.count ? b[index] : 0
        difference |= x ^ y
    }
    return difference == 0 && a.count == b.count
}
