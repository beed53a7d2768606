import Commands
import Keyspace
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The running server: listens, owns the shared state and the lock that makes
/// commands run one at a time, and drives the periodic tasks (active expiry,
/// idle-client timeout).
public final class ValkiteServer: ServerControl, @unchecked Sendable {
    public let logger: Logger
    private let state: ServerState
    /// Commands of all connections execute under this lock, so each one (and each
    /// pipelined batch) is atomic, as on Valkey's single main thread.
    private let lock = NIOLock()
    private let group: MultiThreadedEventLoopGroup
    private var serverChannels: [Channel] = []
    private var cron: RepeatedTask?
    private let shutdownPromise: EventLoopPromise<Void>
    private var shuttingDown = false
    private let shutdownFlagLock = NIOLock()

    public static let protectedModeMessage = "DENIED Running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Valkey you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Valkey from the same host the server is running, however MAKE SURE Valkey is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Valkey configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside."

    /// Where change records go; nil runs the server purely in memory.
    let durableLog: DurableLog?
    /// Clients blocked by BLPOP and friends (used under the execution lock).
    public let blockedClients = BlockedClients()
    /// Channels whose reading is paused because persistence is behind.
    private var pausedChannels: [ObjectIdentifier: Channel] = [:]
    private let pausedLock = NIOLock()

    public init(state: ServerState, logger: Logger, eventLoopThreads: Int, durableLog: DurableLog?) {
        self.state = state
        self.logger = logger
        self.durableLog = durableLog
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(eventLoopThreads, 1))
        self.group = group
        self.commitNotifiers = Dictionary(uniqueKeysWithValues: group.makeIterator().map {
            (ObjectIdentifier($0), CommitNotifier(eventLoop: $0))
        })
        self.shutdownPromise = group.next().makePromise()
        state.keyspace.recordsChanges = durableLog != nil
        state.control = self
    }

    /// One per event loop, created up front so look-ups need no lock.
    private let commitNotifiers: [ObjectIdentifier: CommitNotifier]

    func commitNotifier(for eventLoop: EventLoop) -> CommitNotifier {
        commitNotifiers[ObjectIdentifier(eventLoop)]!
    }

    /// Start-up: until `finishLoading`, commands not flagged `loading` get `-LOADING`.
    public func beginLoading() {
        withState { $0.loading = true }
    }

    /// Start-up: adopts the keyspace loaded from the database and starts serving it.
    public func finishLoading(_ loaded: Keyspace) {
        withState { state in
            state.keyspace.adopt(loaded)
            state.keyspace.resetChangeCount()
            state.loading = false
        }
    }

    /// Back-pressure: stop reading from a client that writes while persistence is behind.
    func pauseReading(_ channel: Channel) {
        pausedLock.withLock { pausedChannels[ObjectIdentifier(channel)] = channel }
        channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
    }

    /// Called when the persistence queue has drained below its limit.
    public func resumeReading() {
        let channels = pausedLock.withLock { () -> [Channel] in
            defer { pausedChannels.removeAll() }
            return Array(pausedChannels.values)
        }
        for channel in channels {
            channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
        }
    }

    /// Runs `body` with exclusive access to the server state.
    @inline(__always)
    func withState<Result>(_ body: (ServerState) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(state) }
    }

    public private(set) var listeningPort = 0

    /// Binds every address of `bind` on `port` and starts the periodic tasks.
    public func start() throws {
        let (addresses, port, backlog, hz) = withState { state in
            (state.config.bind, state.config.port, state.config.value("tcp-backlog").flatMap { Int($0) } ?? 511, state.config.hz)
        }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: Int32(backlog))
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            // A client that shuts down its sending side still gets the replies
            // of what it sent (ConnectionHandler closes once they are out).
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.pipeline.addHandler(ConnectionHandler(server: self))
            }
        for address in addresses {
            // Valkey's "-::*" form (optional IPv6) is skipped when unavailable.
            let optional = address.hasPrefix("-")
            let host = optional ? String(address.dropFirst()) : address
            let resolved = host == "*" ? "0.0.0.0" : (host == "::*" ? "::" : host)
            do {
                let channel = try bootstrap.bind(host: resolved, port: port).wait()
                serverChannels.append(channel)
                listeningPort = channel.localAddress?.port ?? port
            } catch where optional {
                logger.warning("Could not bind \(host):\(port) (optional): \(error)")
            }
        }
        let interval = TimeAmount.milliseconds(Int64(1000 / max(min(hz, 500), 1)))
        cron = group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.serverCron(interval: interval)
        }
    }

    /// Periodic work, as Valkey's `serverCron`: active expiry within a quarter of
    /// the interval, key-table resizes moved along, and closing clients idle
    /// longer than `timeout`.
    private func serverCron(interval: TimeAmount) {
        let idleClients: [ClientSession] = withState { state in
            state.keyspace.now = currentTimeMillis()
            state.keyspace.activeExpireCycle(budgetMicros: interval.nanoseconds / 4000)
            // 1 ms per 100 ms at the default hz, as Valkey's activerehashing.
            state.keyspace.resizeCycle(budgetMicros: interval.nanoseconds / 100_000)
            let changes = state.keyspace.drainEncodedChanges()
            if !changes.isEmpty { KeyspaceNotifications.publishExpired(in: state) }
            if !changes.isEmpty { _ = durableLog?.submit(changes, listener: IgnoredCommits.shared, token: 0) }
            let failure = durableLog?.failure
            if failure != state.persistenceError {
                if let failure {
                    logger.warning("Writes refused until the database accepts commits again: \(failure)")
                } else {
                    logger.notice("The database accepts commits again: writes resumed")
                }
                state.persistenceError = failure
            }
            let timeout = Int64(state.config.timeout)
            guard timeout > 0 else { return [] }
            let now = state.keyspace.now
            // Blocked clients wait for their own timeout, as in Valkey.
            let blocked = blockedClients
            return state.clients.clients.values.filter {
                now - $0.lastInteraction > timeout * 1000 && !blocked.isBlocked($0)
            }
        }
        for client in idleClients {
            logger.debug("Closing idle client id=\(client.id)")
            client.connection?.close()
        }
    }

    /// ServerControl: stop accepting, let replies out, close clients, then finish `wait()`.
    /// Safe to call with the execution lock held (SHUTDOWN runs under it): the
    /// work is handed to an event loop.
    public func requestShutdown() {
        let first = shutdownFlagLock.withLock { () -> Bool in
            defer { shuttingDown = true }
            return !shuttingDown
        }
        guard first else { return }
        group.next().execute { self.shutDown() }
    }

    private func shutDown() {
        logger.notice("User requested shutdown...")
        cron?.cancel()
        let closes = serverChannels.map { $0.close() }
        let clients = withState { Array($0.clients.clients.values) }
        for client in clients { client.connection?.close() }
        EventLoopFuture.andAllComplete(closes, on: group.next()).whenComplete { _ in
            // Give client closes (already queued on their loops) a moment to flush.
            self.group.next().scheduleTask(in: .milliseconds(50)) {
                self.logger.notice("Valkite is now ready to exit, bye bye...")
                self.shutdownPromise.succeed(())
            }
        }
    }

    /// Blocks until shutdown completes, then releases the event loops.
    public func wait() throws {
        try shutdownPromise.futureResult.wait()
        try group.syncShutdownGracefully()
    }
}

extension ValkiteServer: BlockingHost {}

/// Active expiry's deletions need no reply: nobody waits for their commit
/// (a failing write shows in `DurableLog.failure`, which the cron polls).
private final class IgnoredCommits: CommitListener {
    static let shared = IgnoredCommits()
    func commitFinished(token: Int, error: (any Error)?) {}
}
