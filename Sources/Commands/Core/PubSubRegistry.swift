import Keyspace
import NIOCore
import RESP

/// Channels and patterns → subscribed clients, and delivery of published
/// messages. Used only under the execution lock.
///
/// Delivery never writes to another client's socket from here: the encoded
/// message goes to the subscriber's `PushReceiver`, which queues it and flushes
/// once on the subscriber's own event loop. Messages for the publishing client
/// itself are deferred until its command's reply is written (Valkey's
/// `pending_push_messages`), so they never land inside an aggregate reply.
public final class PubSubRegistry {
    /// The clients subscribed to one channel or pattern, by client id.
    typealias Subscribers = [Int: ClientSession]

    struct PatternSubscribers {
        let glob: GlobPattern
        var clients: Subscribers
    }

    private(set) var channels: [[UInt8]: Subscribers] = [:]
    private(set) var patterns: [[UInt8]: PatternSubscribers] = [:]
    private(set) var shardChannels: [[UInt8]: Subscribers] = [:]

    /// `notify-keyspace-events` as Valkey's flag bits (`KeyspaceEventClass`);
    /// 0 when no event would be published (neither K nor E), so a command's
    /// notification costs one integer test when they are off.
    public internal(set) var keyspaceEventFlags: UInt32 = 0
    /// The `pubsub` class of `client-output-buffer-limit`.
    public internal(set) var outputLimit = OutputBufferLimit.pubsubDefault
    private var observing = false

    public init() {}

    // MARK: settings

    /// Reads the settings this registry caches and keeps them current on every
    /// CONFIG SET (chained onto `config.onChange`). Idempotent.
    public func observe(_ config: ServerConfig) {
        guard !observing else { return }
        observing = true
        reloadSettings(from: config)
        let previous = config.onChange
        config.onChange = { [weak self, unowned config] name, value in
            previous?(name, value)
            if name == "notify-keyspace-events" || name == "client-output-buffer-limit" {
                self?.reloadSettings(from: config)
            }
        }
    }

    public func reloadSettings(from config: ServerConfig) {
        keyspaceEventFlags = KeyspaceEventClass.parse(config.notifyKeyspaceEvents).effectiveFlags
        if let text = config.value("client-output-buffer-limit") {
            outputLimit = Self.parsePubsubLimit(text) ?? .pubsubDefault
        }
    }

    /// The `pubsub` triple of a canonical `client-output-buffer-limit` value
    /// ("normal 0 0 0 slave … pubsub 33554432 8388608 60").
    static func parsePubsubLimit(_ text: String) -> OutputBufferLimit? {
        let words = text.split(separator: " ")
        guard let index = words.firstIndex(of: "pubsub"), index + 3 < words.count else {
            return nil
        }
        guard let hard = Int(words[index + 1]), let soft = Int(words[index + 2]), let seconds = Int(words[index + 3]) else {
            return nil
        }
        return OutputBufferLimit(hard: hard, soft: soft, softSeconds: seconds)
    }

    // MARK: introspection (PUBSUB, INFO)

    /// Channels with at least one subscriber (INFO `pubsub_channels`).
    public var channelCount: Int { channels.count }
    /// Distinct patterns (INFO `pubsub_patterns`, PUBSUB NUMPAT).
    public var patternCount: Int { patterns.count }
    /// Shard channels with at least one subscriber (INFO `pubsubshard_channels`).
    public var shardChannelCount: Int { shardChannels.count }

    func subscriberCount(channel: [UInt8], shard: Bool) -> Int {
        (shard ? shardChannels : channels)[channel]?.count ?? 0
    }

    func activeChannels(matching pattern: [UInt8]?, shard: Bool) -> [[UInt8]] {
        let table = shard ? shardChannels : channels
        guard let pattern else { return Array(table.keys) }
        let glob = GlobPattern(pattern)
        return table.keys.filter { glob.matches($0) }
    }

    // MARK: subscriptions

    /// Returns false when the client was already subscribed.
    @discardableResult
    func subscribe(_ client: ClientSession, channel: [UInt8], shard: Bool) -> Bool {
        if shard {
            guard client.subscriptions.shardChannels.insert(channel).inserted else { return false }
            shardChannels[channel, default: [:]][client.id] = client
        } else {
            guard client.subscriptions.channels.insert(channel).inserted else { return false }
            channels[channel, default: [:]][client.id] = client
        }
        return true
    }

    @discardableResult
    func unsubscribe(_ client: ClientSession, channel: [UInt8], shard: Bool) -> Bool {
        if shard {
            guard client.subscriptions.shardChannels.remove(channel) != nil else { return false }
            Self.remove(client, from: &shardChannels, channel)
        } else {
            guard client.subscriptions.channels.remove(channel) != nil else { return false }
            Self.remove(client, from: &channels, channel)
        }
        return true
    }

    @discardableResult
    func subscribe(_ client: ClientSession, pattern: [UInt8]) -> Bool {
        guard client.subscriptions.patterns.insert(pattern).inserted else { return false }
        if patterns[pattern] == nil {
            patterns[pattern] = PatternSubscribers(glob: GlobPattern(pattern), clients: [client.id: client])
        } else {
            patterns[pattern]!.clients[client.id] = client
        }
        return true
    }

    @discardableResult
    func unsubscribe(_ client: ClientSession, pattern: [UInt8]) -> Bool {
        guard client.subscriptions.patterns.remove(pattern) != nil else { return false }
        patterns[pattern]?.clients[client.id] = nil
        if patterns[pattern]?.clients.isEmpty == true { patterns[pattern] = nil }
        return true
    }

    private static func remove(_ client: ClientSession, from table: inout [[UInt8]: Subscribers], _ channel: [UInt8]) {
        table[channel]?[client.id] = nil
        if table[channel]?.isEmpty == true { table[channel] = nil }
    }

    /// Drops every subscription of a client (its connection closed).
    public func removeAll(_ client: ClientSession) {
        let subscriptions = client.subscriptions
        guard subscriptions.isSubscribed else { return }
        for channel in subscriptions.channels { Self.remove(client, from: &channels, channel) }
        for channel in subscriptions.shardChannels { Self.remove(client, from: &shardChannels, channel) }
        for pattern in subscriptions.patterns {
            patterns[pattern]?.clients[client.id] = nil
            if patterns[pattern]?.clients.isEmpty == true { patterns[pattern] = nil }
        }
        subscriptions.channels.removeAll()
        subscriptions.shardChannels.removeAll()
        subscriptions.patterns.removeAll()
    }

    // MARK: publishing

    /// PUBLISH (and keyspace notifications): delivers `message` to the channel's
    /// subscribers and to every client whose pattern matches the channel.
    /// Returns the number of deliveries, as PUBLISH replies.
    @discardableResult
    public func publish(channel: [UInt8], message: [UInt8], from publisher: ClientSession?, now: Int64) -> Int {
        var receivers = 0
        if let subscribers = channels[channel] {
            var encoded = EncodedPush(kind: Self.messageKind, pattern: nil, channel: channel, message: message)
            for client in subscribers.values {
                deliver(&encoded, to: client, publisher: publisher, now: now)
            }
            receivers += subscribers.count
        }
        if !patterns.isEmpty {
            for (pattern, entry) in patterns where entry.glob.matches(channel) {
                var encoded = EncodedPush(kind: Self.pmessageKind, pattern: pattern, channel: channel, message: message)
                for client in entry.clients.values {
                    deliver(&encoded, to: client, publisher: publisher, now: now)
                }
                receivers += entry.clients.count
            }
        }
        return receivers
    }

    /// SPUBLISH: shard channel subscribers only (no patterns).
    public func publishShard(channel: [UInt8], message: [UInt8], from publisher: ClientSession?, now: Int64) -> Int {
        guard let subscribers = shardChannels[channel] else { return 0 }
        var encoded = EncodedPush(kind: Self.smessageKind, pattern: nil, channel: channel, message: message)
        for client in subscribers.values {
            deliver(&encoded, to: client, publisher: publisher, now: now)
        }
        return subscribers.count
    }

    @inline(__always)
    private func deliver(_ encoded: inout EncodedPush, to client: ClientSession, publisher: ClientSession?, now: Int64) {
        let bytes = encoded.buffer(for: client.protocolVersion)
        if client === publisher {
            client.subscriptions.appendDeferred(bytes)
        } else {
            client.subscriptions.receiver?.enqueuePush(bytes, limit: outputLimit, now: now)
        }
    }

    static let messageKind = Array("message".utf8)
    static let pmessageKind = Array("pmessage".utf8)
    static let smessageKind = Array("smessage".utf8)
}

/// One published message encoded at most once per protocol version.
struct EncodedPush {
    let kind: [UInt8]
    let pattern: [UInt8]?
    let channel: [UInt8]
    let message: [UInt8]
    private var resp2: ByteBuffer?
    private var resp3: ByteBuffer?

    init(kind: [UInt8], pattern: [UInt8]?, channel: [UInt8], message: [UInt8]) {
        self.kind = kind
        self.pattern = pattern
        self.channel = channel
        self.message = message
    }

    static let allocator = ByteBufferAllocator()

    mutating func buffer(for version: ProtocolVersion) -> ByteBuffer {
        if version == .resp3 {
            if let resp3 { return resp3 }
            resp3 = encode(version)
            return resp3!
        }
        if let resp2 { return resp2 }
        resp2 = encode(version)
        return resp2!
    }

    private func encode(_ version: ProtocolVersion) -> ByteBuffer {
        let size = kind.count + (pattern?.count ?? 0) + channel.count + message.count + 64
        var writer = ReplyWriter(buffer: Self.allocator.buffer(capacity: size), version: version)
        writer.writePushHeader(pattern == nil ? 3 : 4)
        writer.writeBulkString(kind)
        if let pattern { writer.writeBulkString(pattern) }
        writer.writeBulkString(channel)
        writer.writeBulkString(message)
        return writer.buffer
    }
}
