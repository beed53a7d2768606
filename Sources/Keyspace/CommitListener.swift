/// Told when a batch of change records handed to persistence has been
/// written (or has failed to be). A connection submits one batch per read,
/// so it implements this itself: submitting then allocates no closure.
public protocol CommitListener: AnyObject {
    /// `token` is the one given with the batch. `error` is nil once the changes
    /// are durable as the mode promises; otherwise why they are not yet (they
    /// stay queued and are retried).
    func commitFinished(token: Int, error: (any Error)?)
}
