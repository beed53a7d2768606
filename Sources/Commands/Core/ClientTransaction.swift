import Keyspace

/// A client's MULTI/EXEC/WATCH state (Valkey's `multiState` plus the
/// `CLIENT_MULTI`, `CLIENT_DIRTY_EXEC` and `CLIENT_DIRTY_CAS` flags).
/// Used only under the execution lock.
public final class ClientTransaction {
    struct QueuedCommand {
        let command: Command
        let arguments: [[UInt8]]
    }

    /// Between MULTI and EXEC/DISCARD (also while EXEC runs the queue, as
    /// Valkey keeps `CLIENT_MULTI` set then: CLIENT LIST shows `flags=x`).
    public private(set) var isQueuing = false
    /// True while EXEC runs the queued commands. Blocking commands must read
    /// it: inside a transaction they never block and answer as if their
    /// timeout had passed at once (Valkey's `CLIENT_DENY_BLOCKING`).
    public internal(set) var isExecuting = false
    /// The hook for blocking commands (BLPOP, WAIT…): same as `isExecuting`.
    public var isInTransaction: Bool { isExecuting }
    /// A command was refused while queuing (unknown, wrong arity, NOAUTH, not
    /// allowed in MULTI…): EXEC answers EXECABORT.
    public private(set) var aborted = false
    /// A write command is queued: EXEC is then refused like a write (MISCONF).
    private(set) var queuesWrite = false
    private(set) var queue: [QueuedCommand] = []
    /// WATCHed keys and whether one changed.
    public let watcher = KeyWatcher()

    public init() {}

    /// Commands queued since MULTI (CLIENT LIST `multi=`, -1 outside MULTI).
    public var queuedCount: Int { isQueuing ? queue.count : -1 }
    /// Keys watched (CLIENT LIST `watch=`).
    public var watchedKeyCount: Int { watcher.count }

    func begin() {
        isQueuing = true
    }

    func enqueue(_ command: Command, _ arguments: [[UInt8]]) {
        queue.append(QueuedCommand(command: command, arguments: arguments))
        if command.metadata.flags.contains(.write) { queuesWrite = true }
    }

    /// Valkey's `flagTransaction`: a command refused while queuing dooms the EXEC.
    func flagError() {
        if isQueuing { aborted = true }
    }

    /// Hands the queue to EXEC.
    func takeQueue() -> [QueuedCommand] {
        defer { queue = [] }
        return queue
    }

    /// Valkey's `discardTransaction`: out of MULTI, queue dropped, flags
    /// cleared, every key unwatched. EXEC (at its end), DISCARD and RESET call
    /// it; so must a disconnect (`reset()`).
    func discard() {
        queue = []
        isQueuing = false
        isExecuting = false
        aborted = false
        queuesWrite = false
        watcher.clear()
    }

    /// RESET and disconnect: leave any transaction and unwatch everything.
    public func reset() {
        discard()
    }
}
