import Keyspace
import NIOCore
import RESP

/// What the network layer lets commands do to a connection.
public protocol ClientConnection: AnyObject {
    /// Closes the connection after pending replies are written (CLIENT KILL, QUIT).
    func close()
}

/// The state of one connected client that commands read and change: selected
/// database, authentication, protocol, name, reply mode. Mutated only while the
/// server's execution lock is held.
public final class ClientSession {
    public enum ReplyMode: Equatable {
        case on
        case off
        /// Skip the reply of the next command only.
        case skipNext
        case skipping
    }

    public let id: Int
    public let address: String
    public let localAddress: String
    public let createdAt: Int64
    public var lastInteraction: Int64
    public weak var connection: ClientConnection?

    public var database = 0
    public var authenticated: Bool
    public var name: [UInt8] = []
    public var libraryName: [UInt8] = []
    public var libraryVersion: [UInt8] = []
    public var lastCommand = "NULL"
    /// The command table's answer for the last command name this client sent,
    /// with that name's bytes: the decoder hands a repeated name over as the
    /// same array, so the dispatcher can skip the table look-up.
    var cachedLookup: (name: [UInt8], command: Command)?
    public var replyMode = ReplyMode.on
    public var noEvict = false
    public var noTouch = false
    /// Totals for CLIENT LIST (`tot-cmds`, `tot-net-in`, `tot-net-out`).
    public var commandsProcessed = 0
    public var bytesReceived = 0
    public var bytesSent = 0
    /// Set by QUIT and CLIENT KILL of oneself: close once the replies are out.
    public var closeAfterReply = false
    /// MULTI/EXEC/WATCH state (Core/ClientTransaction.swift).
    public var transaction = ClientTransaction()
    /// Pub/sub subscriptions and push delivery (Core/ClientSubscriptions.swift).
    public var subscriptions = ClientSubscriptions()

    /// Replies of the current batch, written by commands and flushed by the network layer.
    public var reply: ReplyWriter

    public var protocolVersion: ProtocolVersion {
        get { reply.version }
        set { reply.version = newValue }
    }

    public init(id: Int, address: String, localAddress: String, authenticated: Bool, reply: ReplyWriter, now: Int64) {
        self.id = id
        self.address = address
        self.localAddress = localAddress
        self.authenticated = authenticated
        self.reply = reply
        self.createdAt = now
        self.lastInteraction = now
    }

    /// Back to a fresh connection's state (RESET).
    public func reset(authenticated: Bool) {
        database = 0
        self.authenticated = authenticated
        name = []
        replyMode = .on
        noEvict = false
        noTouch = false
        protocolVersion = .resp2
        transaction.reset()  // RESET discards MULTI and unwatches, as Valkey
    }
}

/// Every connected client, by id (CLIENT LIST/KILL, INFO clients).
public final class ClientRegistry {
    public private(set) var clients: [Int: ClientSession] = [:]
    private var nextID = 1

    public init() {}

    public var count: Int { clients.count }

    public func allocateID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    public func add(_ client: ClientSession) { clients[client.id] = client }
    public func remove(_ client: ClientSession) {
        clients[client.id] = nil
        client.transaction.reset()  // frees its watches at once
    }

    /// Clients ordered by id, as CLIENT LIST prints them.
    public var ordered: [ClientSession] { clients.values.sorted { $0.id < $1.id } }
}
