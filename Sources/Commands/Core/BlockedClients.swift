import Keyspace
import NIOCore
import RESP

/// The connection of a blocked client, as the registry sees it (implemented by
/// the network layer). Called with the execution lock held.
public protocol BlockedWaiter: AnyObject {
    /// The client was blocked: arm its timeout (`deadline` in Unix ms, 0 for none).
    func blocked(deadline: Int64, token: Int)
    /// The client was unblocked and its reply written to its reply buffer: it
    /// may send it and process its pending input (after `afterCommit` when the
    /// unblocking pop still has to reach the durable log).
    func unblocked()
}

/// A connection whose client can wait for work done off the event loop
/// (`SQL`, `HISTORY`), blocked as by BLPOP meanwhile.
public protocol BackgroundWaiter: BlockedWaiter {
    /// Called on any thread once the work is done: on the client's event loop,
    /// runs `finish` under the execution lock (it writes the reply and returns
    /// false when the client no longer waits), then resumes the client as
    /// `unblocked` does.
    func finishBackgroundWork(_ finish: @escaping (ServerState) -> Bool)
}

/// What background work hands back: its encoded reply, and the error text
/// when the reply is an error (for INFO errorstats).
public struct BackgroundReply {
    public var buffer: ByteBuffer
    public var error: String?

    public init(buffer: ByteBuffer, error: String?) {
        self.buffer = buffer
        self.error = error
    }
}

/// Where commands find the blocked clients registry: implemented by the
/// running server (`ServerState.control`). Without it (unit tests) blocking
/// commands never block and answer as on a timeout.
public protocol BlockingHost: AnyObject {
    var blockedClients: BlockedClients { get }
}

/// One blocked client: what it waits for and the command to run again once
/// one of its keys gets data (as Valkey 7.2+, which re-executes the command).
public final class BlockedClient {
    public enum Kind {
        case list
        case zset
        /// Waits for work off the event loop (SQL), not for a key.
        case background
    }

    public let session: ClientSession
    let kind: Kind
    let database: Int
    let keys: [[UInt8]]
    let arguments: [[UInt8]]
    let command: Command
    public let token: Int
    public let deadline: Int64
    weak var waiter: BlockedWaiter?
    /// CLIENT REPLY OFF/SKIP was in force when it blocked: its reply is dropped.
    let dropsReply: Bool

    init(session: ClientSession, kind: Kind, database: Int, keys: [[UInt8]], arguments: [[UInt8]],
         command: Command, token: Int, deadline: Int64, waiter: BlockedWaiter?, dropsReply: Bool = false) {
        self.session = session
        self.kind = kind
        self.database = database
        self.keys = keys
        self.arguments = arguments
        self.command = command
        self.token = token
        self.deadline = deadline
        self.waiter = waiter
        self.dropsReply = dropsReply
    }

    /// True when `key` holds data this client's command can take.
    func canServe(_ key: [UInt8], in keyspace: Keyspace) -> Bool {
        guard let node = keyspace[database].lookup(key) else { return false }
        switch (kind, node.value.value) {
        case (.list, .list(let list)): return !list.isEmpty
        case (.zset, .zset(let zset)): return !zset.isEmpty
        default: return false
        }
    }
}

/// Clients blocked on keys (Valkey's `blocking_keys`), FIFO per key. Used
/// only under the execution lock.
public final class BlockedClients {
    struct KeyID: Hashable {
        let database: Int
        let key: [UInt8]
    }

    private var byClient: [Int: BlockedClient] = [:]
    private var byKey: [KeyID: [BlockedClient]] = [:]
    private var nextToken = 1
    /// Background work of the batch running, started once its changes are
    /// handed to persistence (`startStagedWork`).
    private var staged: [() -> Void] = []

    public init() {}

    /// Blocked clients (INFO `blocked_clients`).
    public var count: Int { byClient.count }
    public var isEmpty: Bool { byClient.isEmpty }
    /// Keys some client waits on (INFO `total_blocking_keys`).
    public var keyCount: Int { byKey.count }

    public func isBlocked(_ session: ClientSession) -> Bool {
        !byClient.isEmpty && byClient[session.id] != nil
    }

    func block(_ context: CommandContext, kind: BlockedClient.Kind, keys: [[UInt8]], deadline: Int64) {
        let session = context.client
        guard case .found(let command) = context.server.commands.lookup(context.arguments) else { return }
        let entry = BlockedClient(
            session: session, kind: kind, database: session.database, keys: keys,
            arguments: context.arguments, command: command, token: nextToken, deadline: deadline,
            waiter: session.connection as? BlockedWaiter)
        nextToken += 1
        byClient[session.id] = entry
        for key in keys {
            let id = KeyID(database: session.database, key: key)
            if byKey[id]?.contains(where: { $0 === entry }) == true { continue }
            byKey[id, default: []].append(entry)
        }
        entry.waiter?.blocked(deadline: deadline, token: entry.token)
    }

    /// Forgets `session` (unblocked or disconnected); returns its entry.
    @discardableResult
    public func remove(_ session: ClientSession) -> BlockedClient? {
        guard !byClient.isEmpty, let entry = byClient.removeValue(forKey: session.id) else { return nil }
        for key in entry.keys {
            let id = KeyID(database: entry.database, key: key)
            guard var queue = byKey[id] else { continue }
            queue.removeAll { $0 === entry }
            byKey[id] = queue.isEmpty ? nil : queue
        }
        return entry
    }

    /// The timeout of the block `token` passed: replies with a null array
    /// and returns true when the client was still blocked by it.
    public func timeOut(_ session: ClientSession, token: Int) -> Bool {
        guard let entry = byClient[session.id], entry.token == token else { return false }
        remove(session)
        session.reply.writeNullArray()
        return true
    }

    /// CLIENT UNBLOCK: false when `id` is not blocked, or waits for
    /// background work (which ends by itself, within `sql-timeout`).
    func unblock(id: Int, withError: Bool, in server: ServerState) -> Bool {
        guard let entry = byClient[id], entry.kind != .background else { return false }
        remove(entry.session)
        if withError {
            let message = "UNBLOCKED client unblocked via CLIENT UNBLOCK"
            entry.session.reply.writeError(message)
            server.stats.countError(message)
        } else {
            entry.session.reply.writeNullArray()
        }
        entry.waiter?.unblocked()
        return true
    }

    /// Serves, in the order they blocked, the clients whose keys now hold
    /// data, by running their command again (its pops are recorded like any
    /// command's). Repeats while serving makes more keys ready (BLMOVE).
    /// Returns the waiters to resume once the batch's changes are submitted.
    public func serveReady(_ server: ServerState) -> [BlockedWaiter] {
        var served: [BlockedWaiter] = []
        var progress = true
        while progress && !byKey.isEmpty {
            progress = false
            for (id, queue) in byKey {
                for entry in queue {
                    guard byClient[entry.session.id] === entry else { continue }
                    guard entry.canServe(id.key, in: server.keyspace) else { break }
                    remove(entry.session)
                    run(entry, in: server)
                    if byClient[entry.session.id] == nil, let waiter = entry.waiter { served.append(waiter) }
                    progress = true
                }
            }
        }
        return served
    }

    // MARK: background work

    /// Blocks the client until `work` hands back its reply through `done`
    /// (from any thread). `work` starts once the running batch's changes are
    /// handed to persistence, so it can wait for them to reach the tables.
    /// False when the client cannot wait (inside MULTI/EXEC, or no connection
    /// that can, as in unit tests): the caller then does the work at once.
    func waitForBackgroundWork(_ context: CommandContext,
                               _ work: @escaping (_ done: @escaping (BackgroundReply) -> Void) -> Void) -> Bool {
        let session = context.client
        guard !session.transaction.isInTransaction, let waiter = session.connection as? BackgroundWaiter,
              case .found(let command) = context.server.commands.lookup(context.arguments)
        else { return false }
        let entry = BlockedClient(
            session: session, kind: .background, database: session.database, keys: [],
            arguments: context.arguments, command: command, token: nextToken, deadline: 0, waiter: waiter,
            dropsReply: session.replyMode == .off || session.replyMode == .skipping)
        nextToken += 1
        byClient[session.id] = entry
        waiter.blocked(deadline: 0, token: entry.token)
        let token = entry.token
        staged.append { [weak self, weak waiter] in
            work { reply in
                waiter?.finishBackgroundWork { server in
                    self?.finishBackgroundWork(of: session, token: token, reply: reply, in: server) ?? false
                }
            }
        }
        return true
    }

    /// Starts the background work the batch's commands asked for. Called by
    /// the network layer under the execution lock, after the batch's changes
    /// were handed to persistence.
    public func startStagedWork() {
        guard !staged.isEmpty else { return }
        let starting = staged
        staged.removeAll()
        for start in starting { start() }
    }

    /// Under the execution lock: the reply of a client's background work goes
    /// to its reply buffer. False when the client no longer waits for it
    /// (disconnected).
    private func finishBackgroundWork(of session: ClientSession, token: Int, reply: BackgroundReply,
                                      in server: ServerState) -> Bool {
        guard let entry = byClient[session.id], entry.token == token else { return false }
        remove(session)
        if !entry.dropsReply {
            var buffer = reply.buffer
            session.reply.buffer.writeBuffer(&buffer)
        }
        if let error = reply.error {
            server.stats.countError(error)
            entry.command.statistics.failedCalls += 1
        }
        return true
    }

    /// Runs a blocked client's command again, as the dispatcher's `call` does.
    private func run(_ entry: BlockedClient, in server: ServerState) {
        let started = currentTimeMicros()
        server.keyspace.now = started / 1000
        let client = entry.session
        let context = CommandContext(server: server, client: client, arguments: entry.arguments)
        if !server.keyspace.historyKeys.isEmpty { server.keyspace.currentOperation = entry.command.operationName }
        var failed = false
        do {
            try entry.command.handler!(context)
        } catch {
            failed = true
            client.reply.writeError(error.message)
            server.stats.countError(error.message)
        }
        entry.command.statistics.record(microseconds: currentTimeMicros() - started, failed: failed)
    }
}

extension ServerState {
    /// The registry of the running server; nil in unit tests (no server).
    var blockedClients: BlockedClients? { (control as? BlockingHost)?.blockedClients }
}

/// Valkey's `getTimeoutFromObjectOrReply` (seconds, decimals allowed): the
/// deadline in Unix ms, or 0 to wait forever.
func blockingDeadline(_ context: CommandContext, at index: Int) throws(CommandError) -> Int64 {
    guard let seconds = parseLongDouble(context[index]) else {
        throw CommandError("ERR timeout is not a float or out of range")
    }
    let milliseconds = seconds * 1000
    if milliseconds > Float80(Int64.max) { throw CommandError("ERR timeout is out of range") }
    let rounded = milliseconds.rounded(.up)
    if rounded < 0 { throw CommandError("ERR timeout is negative") }
    let value = Int64(rounded)
    guard value > 0 else { return 0 }
    let now = context.now
    if value > Int64.max - now { throw CommandError("ERR timeout is out of range") }
    return value + now
}
