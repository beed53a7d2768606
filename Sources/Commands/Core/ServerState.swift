import Keyspace

/// What commands may ask of the running server process (implemented by the
/// network layer; commands know nothing of sockets).
public protocol ServerControl: AnyObject {
    /// Stops accepting, lets in-flight replies go out, then exits (SHUTDOWN, signals).
    func requestShutdown()
    /// The port actually listened on.
    var listeningPort: Int { get }
}

/// Everything a command can reach: the keyspace, configuration, connected
/// clients and counters. One instance per server; used only under the
/// execution lock.
public final class ServerState {
    public let keyspace: Keyspace
    public let config: ServerConfig
    public let clients = ClientRegistry()
    /// Channels and patterns → subscribers (Core/PubSubRegistry.swift).
    public let pubsub = PubSubRegistry()
    /// `new` and `expired` notifications reported by the databases (Core/KeyspaceEvents.swift).
    let keyLifecycleEvents: KeyLifecycleEvents
    public var stats = ServerStats()
    public let commands: CommandTable
    public weak var control: ServerControl?
    /// The persistence layer; nil when the server runs purely in memory (tests).
    public weak var persistence: PersistenceControl?
    /// Read-only SQL on the database (`SQL`, `HISTORY`); nil without one.
    public var sql: SQLHost?

    public let startedAt: Int64
    public let runID: String
    public var configFile = ""
    public var executable = ""
    /// When the last SAVE finished, or start-up (Unix seconds); see `lastSaveTime`.
    public var lastSave: Int64
    /// True while the dataset is being loaded at start-up: only commands flagged
    /// `loading` run, others get `-LOADING`.
    public var loading = false
    /// Why the last commit to the database failed, while it keeps failing: write
    /// commands get `-MISCONF` with it, reads keep working.
    public var persistenceError: String?

    public init(config: ServerConfig, now: Int64 = currentTimeMillis()) {
        self.config = config
        self.keyspace = Keyspace(databaseCount: config.databases, now: now)
        self.commands = CommandTable.standard()
        self.startedAt = now
        self.lastSave = now / 1000
        var generator = SystemRandomNumberGenerator()
        self.runID = String((0..<40).map { _ in "0123456789abcdef".randomElement(using: &generator)! })
        self.keyLifecycleEvents = KeyLifecycleEvents(observing: keyspace, flags: pubsub)
        HistoryConfiguration.install(on: self)
    }

    public var requiresPassword: Bool { !config.requirepass.isEmpty }

    /// LASTSAVE: the latest of SAVE, a finished BGSAVE, and start-up.
    public var lastSaveTime: Int64 { max(lastSave, persistence?.lastBackgroundSaveTime ?? 0) }
}
