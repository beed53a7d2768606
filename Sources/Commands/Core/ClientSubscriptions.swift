import NIOCore

/// Where pushes for a client go when they come from another client's command
/// (PUBLISH, keyspace notifications). Implemented by the network layer; called
/// under the execution lock, from whichever thread runs the publishing command.
public protocol PushReceiver: AnyObject {
    /// Queues an encoded push (message, pmessage, smessage) for the client and
    /// arranges for it to be written on the client's own event loop. Enforces
    /// `limit` (the `pubsub` class of `client-output-buffer-limit`) by closing
    /// the connection instead of queueing more.
    func enqueuePush(_ message: ByteBuffer, limit: OutputBufferLimit, now: Int64)
}

/// A `client-output-buffer-limit` class: bytes (0 = no limit) and seconds.
public struct OutputBufferLimit: Equatable, Sendable {
    public var hard: Int
    public var soft: Int
    public var softSeconds: Int

    public init(hard: Int, soft: Int, softSeconds: Int) {
        self.hard = hard
        self.soft = soft
        self.softSeconds = softSeconds
    }

    /// Valkey's default for the `pubsub` class: `32mb 8mb 60`.
    public static let pubsubDefault = OutputBufferLimit(hard: 32 << 20, soft: 8 << 20, softSeconds: 60)
}

/// A client's pub/sub subscriptions. Mutated only under the execution lock.
public final class ClientSubscriptions {
    /// SUBSCRIBE channels, PSUBSCRIBE patterns and SSUBSCRIBE shard channels.
    public internal(set) var channels: Set<[UInt8]> = []
    public internal(set) var patterns: Set<[UInt8]> = []
    public internal(set) var shardChannels: Set<[UInt8]> = []
    /// Delivery of pushes published by other clients (set by the network layer).
    public weak var receiver: PushReceiver?
    /// Pushes for this very client produced while one of its commands runs (a
    /// PUBLISH to a channel it listens to, notifications of its own writes).
    /// As Valkey's `pending_push_messages`, they follow the command's reply
    /// (the whole EXEC reply for a transaction): see `takeDeferredPushes`.
    public internal(set) var deferred: ByteBuffer?

    public init() {}

    /// The count SUBSCRIBE/PSUBSCRIBE confirmations report (channels + patterns).
    public var count: Int { channels.count + patterns.count }

    /// True while the client has any subscription: RESP2 clients are then in
    /// subscriber mode and receive the `pubsub` output-buffer class.
    public var isSubscribed: Bool { !channels.isEmpty || !patterns.isEmpty || !shardChannels.isEmpty }

    /// The pushes produced for this client by its own last command, to be
    /// appended to its replies after that command; nil when none (the usual case).
    @inline(__always)
    public func takeDeferredPushes() -> ByteBuffer? {
        guard deferred != nil else { return nil }
        defer { deferred = nil }
        return deferred
    }

    func appendDeferred(_ message: ByteBuffer) {
        if deferred == nil {
            deferred = message
        } else {
            var message = message
            deferred!.writeBuffer(&message)
        }
    }
}
