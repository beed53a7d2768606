import Keyspace
import RESP

/// SUBSCRIBE, PUBLISH, PUBSUB and the pattern and shard variants.
public enum PubSubCommands {
    static let handlers: [String: CommandHandler] = [
        "subscribe": subscribe, "unsubscribe": unsubscribe,
        "psubscribe": psubscribe, "punsubscribe": punsubscribe,
        "ssubscribe": ssubscribe, "sunsubscribe": sunsubscribe,
        "publish": publish, "spublish": spublish,
        "pubsub|channels": channels, "pubsub|shardchannels": shardChannels,
        "pubsub|numsub": numsub, "pubsub|shardnumsub": shardNumsub,
        "pubsub|numpat": numpat, "pubsub|help": help,
    ]

    // MARK: subscriber mode

    /// Commands a RESP2 client may run while it has subscriptions.
    private static let allowedInSubscriberMode: Set<String> = [
        "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
        "psubscribe", "punsubscribe", "quit", "reset",
    ]

    /// The error for a command a RESP2 client in subscriber mode may not run,
    /// as Valkey's `processCommand`; nil when the command may run.
    public static func subscriberModeError(command: Command, client: ClientSession) -> String? {
        guard client.protocolVersion == .resp2, client.subscriptions.isSubscribed,
              !allowedInSubscriberMode.contains(command.name) else { return nil }
        return "ERR Can't execute '\(command.name)': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    }

    /// PING of a RESP2 client in subscriber mode answers `["pong", message or ""]`
    /// (Valkey's `pingCommand`). Returns true when it wrote that reply.
    public static func answerSubscribedPing(_ context: CommandContext) -> Bool {
        guard context.client.protocolVersion == .resp2, context.client.subscriptions.isSubscribed else { return false }
        context.reply.writeArrayHeader(2)
        context.reply.writeBulkString(pongBytes)
        context.reply.writeBulkString(context.count > 1 ? context[1] : [])
        return true
    }

    private static let pongBytes = Array("pong".utf8)

    /// Drops every subscription (RESET, connection closed).
    public static func unsubscribeAll(_ client: ClientSession, in server: ServerState) {
        server.pubsub.removeAll(client)
    }

    // MARK: SUBSCRIBE / UNSUBSCRIBE

    private enum Kind {
        case channel, pattern, shard

        var subscribeWord: [UInt8] {
            switch self {
            case .channel: return Array("subscribe".utf8)
            case .pattern: return Array("psubscribe".utf8)
            case .shard: return Array("ssubscribe".utf8)
            }
        }

        var unsubscribeWord: [UInt8] {
            switch self {
            case .channel: return Array("unsubscribe".utf8)
            case .pattern: return Array("punsubscribe".utf8)
            case .shard: return Array("sunsubscribe".utf8)
            }
        }

        /// The count a confirmation reports: channels + patterns, or shard channels.
        func count(_ subscriptions: ClientSubscriptions) -> Int {
            self == .shard ? subscriptions.shardChannels.count : subscriptions.count
        }

        func current(_ subscriptions: ClientSubscriptions) -> Set<[UInt8]> {
            switch self {
            case .channel: return subscriptions.channels
            case .pattern: return subscriptions.patterns
            case .shard: return subscriptions.shardChannels
            }
        }
    }

    static func subscribe(_ context: CommandContext) throws(CommandError) { subscribe(context, .channel) }
    static func psubscribe(_ context: CommandContext) throws(CommandError) { subscribe(context, .pattern) }
    static func ssubscribe(_ context: CommandContext) throws(CommandError) { subscribe(context, .shard) }
    static func unsubscribe(_ context: CommandContext) throws(CommandError) { unsubscribe(context, .channel) }
    static func punsubscribe(_ context: CommandContext) throws(CommandError) { unsubscribe(context, .pattern) }
    static func sunsubscribe(_ context: CommandContext) throws(CommandError) { unsubscribe(context, .shard) }

    private static func subscribe(_ context: CommandContext, _ kind: Kind) {
        let registry = context.server.pubsub
        let client = context.client
        let word = kind.subscribeWord
        for index in 1..<context.count {
            let name = context[index]
            switch kind {
            case .channel: registry.subscribe(client, channel: name, shard: false)
            case .shard: registry.subscribe(client, channel: name, shard: true)
            case .pattern: registry.subscribe(client, pattern: name)
            }
            confirm(context, word, name, kind.count(client.subscriptions))
        }
    }

    private static func unsubscribe(_ context: CommandContext, _ kind: Kind) {
        let registry = context.server.pubsub
        let client = context.client
        let word = kind.unsubscribeWord
        let names: [[UInt8]] = context.count > 1 ? Array(context.arguments[1...]) : Array(kind.current(client.subscriptions))
        if names.isEmpty {
            // Nothing to unsubscribe from: one confirmation with a null name.
            context.reply.writePushHeader(3)
            context.reply.writeBulkString(word)
            context.reply.writeNull()
            context.reply.writeInteger(kind.count(client.subscriptions))
            return
        }
        for name in names {
            switch kind {
            case .channel: registry.unsubscribe(client, channel: name, shard: false)
            case .shard: registry.unsubscribe(client, channel: name, shard: true)
            case .pattern: registry.unsubscribe(client, pattern: name)
            }
            confirm(context, word, name, kind.count(client.subscriptions))
        }
    }

    /// `[subscribe, channel, count]`: a push in RESP3, an array in RESP2.
    private static func confirm(_ context: CommandContext, _ word: [UInt8], _ name: [UInt8], _ count: Int) {
        context.reply.writePushHeader(3)
        context.reply.writeBulkString(word)
        context.reply.writeBulkString(name)
        context.reply.writeInteger(count)
    }

    // MARK: PUBLISH

    static func publish(_ context: CommandContext) throws(CommandError) {
        let receivers = context.server.pubsub.publish(channel: context[1], message: context[2], from: context.client, now: context.now)
        context.reply.writeInteger(receivers)
    }

    static func spublish(_ context: CommandContext) throws(CommandError) {
        let receivers = context.server.pubsub.publishShard(channel: context[1], message: context[2], from: context.client, now: context.now)
        context.reply.writeInteger(receivers)
    }

    // MARK: PUBSUB

    static func channels(_ context: CommandContext) throws(CommandError) { try listChannels(context, shard: false) }
    static func shardChannels(_ context: CommandContext) throws(CommandError) { try listChannels(context, shard: true) }

    private static func listChannels(_ context: CommandContext, shard: Bool) throws(CommandError) {
        guard context.count <= 3 else { throw syntaxError(context) }
        let names = context.server.pubsub.activeChannels(matching: context.count == 3 ? context[2] : nil, shard: shard)
        context.reply.writeBulkStringArray(names)
    }

    static func numsub(_ context: CommandContext) throws(CommandError) { countSubscribers(context, shard: false) }
    static func shardNumsub(_ context: CommandContext) throws(CommandError) { countSubscribers(context, shard: true) }

    private static func countSubscribers(_ context: CommandContext, shard: Bool) {
        let registry = context.server.pubsub
        context.reply.writeArrayHeader((context.count - 2) * 2)
        for index in 2..<context.count {
            context.reply.writeBulkString(context[index])
            context.reply.writeInteger(registry.subscriberCount(channel: context[index], shard: shard))
        }
    }

    static func numpat(_ context: CommandContext) throws(CommandError) {
        context.reply.writeInteger(context.server.pubsub.patternCount)
    }

    static func help(_ context: CommandContext) throws(CommandError) {
        context.writeHelp("PUBSUB", [
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)",
        ])
    }

    /// Valkey's `addReplySubcommandSyntaxError`.
    private static func syntaxError(_ context: CommandContext) -> CommandError {
        CommandError("ERR unknown subcommand or wrong number of arguments for '\(printable(context[1]))'. Try PUBSUB HELP.")
    }
}
