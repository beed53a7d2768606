import Keyspace

/// The classes of `notify-keyspace-events`, with Valkey's bit values (server.h).
public struct KeyspaceEventClass: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let keyspace = KeyspaceEventClass(rawValue: 1 << 0)   // K
    public static let keyevent = KeyspaceEventClass(rawValue: 1 << 1)   // E
    public static let generic = KeyspaceEventClass(rawValue: 1 << 2)    // g
    public static let string = KeyspaceEventClass(rawValue: 1 << 3)     // $
    public static let list = KeyspaceEventClass(rawValue: 1 << 4)       // l
    public static let set = KeyspaceEventClass(rawValue: 1 << 5)        // s
    public static let hash = KeyspaceEventClass(rawValue: 1 << 6)       // h
    public static let zset = KeyspaceEventClass(rawValue: 1 << 7)       // z
    public static let expired = KeyspaceEventClass(rawValue: 1 << 8)    // x
    public static let evicted = KeyspaceEventClass(rawValue: 1 << 9)    // e
    public static let stream = KeyspaceEventClass(rawValue: 1 << 10)    // t
    public static let keyMiss = KeyspaceEventClass(rawValue: 1 << 11)   // m
    public static let module = KeyspaceEventClass(rawValue: 1 << 13)    // d
    public static let new = KeyspaceEventClass(rawValue: 1 << 14)       // n

    /// "A": every class except key-miss and new.
    public static let all: KeyspaceEventClass = [.generic, .string, .list, .set, .hash, .zset, .expired, .evicted, .stream, .module]

    /// Valkey's `keyspaceEventsStringToFlags`; unknown characters are ignored
    /// (the configuration layer already refused them).
    public static func parse(_ text: String) -> KeyspaceEventClass {
        var flags: KeyspaceEventClass = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A"): flags.formUnion(.all)
            case UInt8(ascii: "g"): flags.insert(.generic)
            case UInt8(ascii: "$"): flags.insert(.string)
            case UInt8(ascii: "l"): flags.insert(.list)
            case UInt8(ascii: "s"): flags.insert(.set)
            case UInt8(ascii: "h"): flags.insert(.hash)
            case UInt8(ascii: "z"): flags.insert(.zset)
            case UInt8(ascii: "x"): flags.insert(.expired)
            case UInt8(ascii: "e"): flags.insert(.evicted)
            case UInt8(ascii: "t"): flags.insert(.stream)
            case UInt8(ascii: "m"): flags.insert(.keyMiss)
            case UInt8(ascii: "d"): flags.insert(.module)
            case UInt8(ascii: "n"): flags.insert(.new)
            case UInt8(ascii: "K"): flags.insert(.keyspace)
            case UInt8(ascii: "E"): flags.insert(.keyevent)
            default: break
            }
        }
        return flags
    }

    /// The flags to cache: none at all when neither K nor E is on, since then no
    /// event is ever published.
    public var effectiveFlags: UInt32 {
        isDisjoint(with: [.keyspace, .keyevent]) ? 0 : rawValue
    }
}

/// Keyspace notifications (Valkey's `notifyKeyspaceEvent`): an event about a
/// key is published as `event` on `__keyspace@<db>__:<key>` (class K) and as
/// `key` on `__keyevent@<db>__:<event>` (class E). Off by default; when off a
/// call costs one integer test.
public enum KeyspaceNotifications {
    /// Notifies `event` of class `type` for `key` in the client's database (or `db`).
    @inline(__always)
    static func notify(_ context: CommandContext, _ type: KeyspaceEventClass, _ event: StaticString, _ key: [UInt8], db: Int? = nil) {
        if context.server.pubsub.keyspaceEventFlags & type.rawValue != 0 {
            publish(context.server, event, key, db: db ?? context.client.database, from: context.client)
        }
    }

    /// Publishes the event (the caller checked that its class is enabled),
    /// after the `new`/`expired` events the command caused before it.
    static func publish(_ server: ServerState, _ event: StaticString, _ key: [UInt8], db: Int, from client: ClientSession?) {
        let lifecycle = server.keyLifecycleEvents
        if !lifecycle.pending.isEmpty { lifecycle.publishPending(server, from: client) }
        publishNow(server, event, key, db: db, from: client)
    }

    fileprivate static func publishNow(_ server: ServerState, _ event: StaticString, _ key: [UInt8], db: Int, from client: ClientSession?) {
        let flags = server.pubsub.keyspaceEventFlags
        let eventBytes = [UInt8](UnsafeBufferPointer(start: event.utf8Start, count: event.utf8CodeUnitCount))
        let now = server.keyspace.now
        if flags & KeyspaceEventClass.keyspace.rawValue != 0 {
            var channel = prefix(keyspace: true, db: db)
            channel.append(contentsOf: key)
            server.pubsub.publish(channel: channel, message: eventBytes, from: client, now: now)
        }
        if flags & KeyspaceEventClass.keyevent.rawValue != 0 {
            var channel = prefix(keyspace: false, db: db)
            channel.append(contentsOf: eventBytes)
            server.pubsub.publish(channel: channel, message: key, from: client, now: now)
        }
    }

    /// `__keyspace@<db>__:` or `__keyevent@<db>__:`.
    private static func prefix(keyspace: Bool, db: Int) -> [UInt8] {
        var bytes = Array((keyspace ? "__keyspace@" : "__keyevent@").utf8)
        bytes.append(contentsOf: String(db).utf8)
        bytes.append(contentsOf: "__:".utf8)
        return bytes
    }

    /// Publishes the `new` and `expired` events no command event has carried
    /// out yet (a GET that expired a key, the active-expiry cycle). Called by
    /// the server wherever it drains `changes` (every such event comes with a
    /// change): after each batch of a client and after the active-expiry cron.
    public static func publishExpired(in server: ServerState) {
        let lifecycle = server.keyLifecycleEvents
        if !lifecycle.pending.isEmpty { lifecycle.publishPending(server, from: nil) }
    }
}

/// The `new` (class n) and `expired` (class x) events, which happen inside the
/// keyspace (a key inserted; a key found expired on access or by the active
/// cycle). Valkey publishes them on the spot, so they precede the events of
/// the command that caused them; here they wait in `pending` until the next
/// event is published or the batch ends, and then go out first, with the
/// publishing client known (its own pushes follow its reply).
final class KeyLifecycleEvents: KeyLifecycleObserver {
    private let flags: PubSubRegistry
    private(set) var pending: [(event: StaticString, db: Int, key: ByteString)] = []

    init(observing keyspace: Keyspace, flags: PubSubRegistry) {
        self.flags = flags
        for database in keyspace.databases { database.lifecycleObserver = self }
    }

    func keyCreated(_ key: ByteString, in db: Int) {
        if flags.keyspaceEventFlags & KeyspaceEventClass.new.rawValue != 0 { pending.append(("new", db, key)) }
    }

    func keyExpired(_ key: ByteString, in db: Int) {
        if flags.keyspaceEventFlags & KeyspaceEventClass.expired.rawValue != 0 { pending.append(("expired", db, key)) }
    }

    func publishPending(_ server: ServerState, from client: ClientSession?) {
        let events = pending
        pending.removeAll(keepingCapacity: true)
        for event in events {
            KeyspaceNotifications.publishNow(server, event.event, event.key.bytes, db: event.db, from: client)
        }
    }
}
