/// Counters of the write path, read with `ChangeFlusher.statistics` (a
/// consistent snapshot taken under the flusher's lock).
public struct FlusherStatistics: Sendable, Equatable {
    /// Journal records written (one per submission with changes).
    public internal(set) var commits = 0
    /// Journal writes that failed (their changes were kept and retried).
    public internal(set) var failedCommits = 0
    /// Change records written to the journal.
    public internal(set) var changesCommitted = 0
    /// Change records in the last record written.
    public internal(set) var lastBatchChanges = 0
    /// Unix ms of the last record written (0 before the first).
    public internal(set) var lastCommitAt: Int64 = 0
    /// Change records not yet written (a failed write waiting for its retry).
    public internal(set) var queuedChanges = 0
    /// Approximate bytes of those changes.
    public internal(set) var queuedBytes = 0
    /// fsyncs of the journal (`everysec`: once a second; `always`: one per group).
    public internal(set) var walSyncs = 0
    /// Changes given up on at close after repeated failures (0 unless the
    /// disk failed at shutdown).
    public internal(set) var droppedChanges = 0

    public init() {}
}
