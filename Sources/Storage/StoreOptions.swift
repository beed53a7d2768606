/// Tunables of a `Store`. The defaults suit a server on a small machine.
public struct StoreOptions: Sendable {
    /// How long a statement waits for a lock held by another process (e.g.
    /// someone writing at the sqlite3 prompt) before failing.
    public var busyTimeoutMilliseconds = 5_000
    /// Page cache of the writer connection, in KiB (`PRAGMA cache_size=-N`).
    /// The keyspace answers reads, so this only needs to hold the B-tree
    /// pages the flusher keeps touching.
    public var cacheSizeKiB = 64 * 1024
    /// Memory-mapped I/O window (`PRAGMA mmap_size`): reads of pages come from
    /// the OS page cache without a copy.
    public var mmapSize: Int64 = 1 << 30
    /// The materializer checkpoints the main database once its WAL holds
    /// this many pages (4 KB each): pages rewritten by several
    /// materializations are copied into the database file once.
    public var checkpointPages = 8_000
    /// The journal starts a new segment file past this size; segments the
    /// tables have absorbed are deleted.
    public var journalSegmentBytes = 64 << 20
    /// Truncate the WAL to this size when it is reset after a burst.
    public var journalSizeLimit: Int64 = 64 << 20
    /// Back-pressure threshold for the change queue (see `ChangeFlusher.submit`).
    public var maxQueuedBytes = 64 << 20
    /// In `Durability.no`, how long changes may wait before a commit.
    public var noDurabilityCommitIntervalMilliseconds = 5
    /// In `Durability.everysec`, the longest time between WAL fsyncs.
    public var syncIntervalMilliseconds = 1_000
    /// First and longest wait before retrying a failed commit (doubling in between).
    public var retryMinimumMilliseconds = 100
    public var retryMaximumMilliseconds = 1_000

    /// The materializer copies the journal into the type tables when writes
    /// pause for this long…
    public var materializeIdleMilliseconds = 20
    /// …or at least this often under steady writes…
    public var materializeIntervalMilliseconds = 1_000
    /// …or when this many changes wait.
    public var maxPendingChanges = 200_000
    /// After this long without writes the materializer gives the memory of the
    /// last burst back: its SQLite page cache and the heap's free pages.
    public var releaseIdleMemoryMilliseconds = 2_000

    public init() {}
}
