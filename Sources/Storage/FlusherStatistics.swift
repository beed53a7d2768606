/// Counters of the write path, read with `ChangeFlusher.statistics` (a
/// consistent snapshot taken under the flusher's lock).
public struct FlusherStatistics: Sendable, Equatable {
    /// Successful commits (transactions) since open.
    public internal(set) var commits = 0
    /// Commits that failed and were rolled back (their changes were kept and retried).
    public internal(set) var failedCommits = 0
    /// Change records in committed batches.
    public internal(set) var changesCommitted = 0
    /// SQL writes those batches took after coalescing.
    public internal(set) var writesCommitted = 0
    /// Submissions (`submit` calls) in the last committed batch.
    public internal(set) var lastBatchSubmissions = 0
    /// Change records in the last committed batch.
    public internal(set) var lastBatchChanges = 0
    /// SQL writes the last committed batch took after coalescing (1,000 SETs of
    /// one key are one write).
    public internal(set) var lastBatchWrites = 0
    /// Wall time of the last commit, BEGIN to COMMIT, in microseconds.
    public internal(set) var lastCommitMicroseconds = 0
    /// Unix ms of the last successful commit (0 before the first).
    public internal(set) var lastCommitAt: Int64 = 0
    /// Change records queued and not yet committed (including a failed batch
    /// waiting for its retry).
    public internal(set) var queuedChanges = 0
    /// Approximate bytes of those changes.
    public internal(set) var queuedBytes = 0
    /// Explicit fsyncs of the WAL (`everysec`).
    public internal(set) var walSyncs = 0
    /// WAL checkpoints run by the flusher, the duration of the last one, and
    /// their total duration.
    public internal(set) var checkpoints = 0
    public internal(set) var lastCheckpointMicroseconds = 0
    public internal(set) var checkpointMicroseconds = 0
    /// Changes given up on at close after repeated failures (0 unless the
    /// disk failed at shutdown).
    public internal(set) var droppedChanges = 0

    public init() {}
}
