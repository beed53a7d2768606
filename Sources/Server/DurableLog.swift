import Keyspace

/// The persistence layer as the network layer sees it: somewhere to hand each
/// batch's change records, in execution order, and to learn when they are durable.
/// (Implemented over `Storage` by the executable; Server does not know SQLite.)
public protocol DurableLog: AnyObject {
    /// Queues `changes`. Called with the execution lock held, so it must not block.
    /// `listener` hears `token` on any thread once the changes are durable as the
    /// current mode promises (the replies of the batch wait for it), or with the
    /// error of a failed write. Returns true when the queue is over its memory
    /// limit and writers should be slowed down.
    func submit(_ changes: EncodedChanges, listener: CommitListener, token: Int) -> Bool

    /// Why commits are failing, while they are; nil when healthy. Write commands
    /// get `-MISCONF` meanwhile.
    var failure: String? { get }
}
