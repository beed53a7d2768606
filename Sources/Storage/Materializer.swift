#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Keyspace

/// Copies committed journal rows into the type tables of the main database,
/// on its own thread and connection, so the reply path never waits for it.
///
/// It collects what the flusher committed and applies it as one coalesced
/// transaction (`BatchPlan`) once the writes pause (`idleDelay`), once a
/// second under steady load (`interval`), when `maxPendingChanges` pile up,
/// or when asked (SAVE, BGSAVE, shutdown). The same transaction moves
/// `valkite_state.materialized_seq`, so a crash at any point replays each
/// journal row exactly once. After the commit the main WAL is fsynced and
/// the flusher may delete the absorbed journal rows.
///
/// Thread-safe: every public member may be used from any thread.
public final class Materializer: @unchecked Sendable {
    struct Entry {
        let sequence: Int64
        /// The journal row as written (`JournalCodec`), decoded once when
        /// materialized. Holding the change records themselves here until the
        /// next materialization made this thread release them cold, a quarter
        /// of its time, and their memory went back to the event loop's heap
        /// through glibc's cross-thread merging.
        let row: [UInt8]
        let changeCount: Int
        /// Approximate memory the entry holds (back-pressure).
        let bytes: Int
        /// The flusher's submission number of the entry's last submission.
        let lastSubmission: UInt64
    }

    /// Memory an entry holds besides its row's buffer (back-pressure).
    static let entryOverhead = 80

    private enum State { case created, running, stopping, stopped }

    private let mutex = Mutex()
    private let workAvailable: Condition
    private let progress: Condition
    private var state = State.created
    private var pending: [Entry] = []
    /// The entries being materialized now (`pending` before, gone after).
    private var inFlight: [Entry] = []
    private var pendingChanges = 0
    private var pendingBytesValue = 0
    private var oldestPendingAt: UInt64 = 0
    private var lastArrivalAt: UInt64 = 0
    private var flushRequested = false
    private var materializedSequenceValue: Int64
    private var materializedSubmission: UInt64 = 0
    private var lastErrorValue: StorageError?
    private var failureGeneration = 0
    private var nextRetry: UInt64 = 0
    private var retryDelay: UInt64
    private var stats = MaterializerStatistics()
    private var thread: StorageThread?
    private var historyRetention: Int64 = 0
    /// When to release idle memory (0: nothing to release since the last time).
    private var releaseMemoryAt: UInt64 = 0
    private var nextPruneAt: UInt64 = 0

    /// Held while the main connection is in use (this thread, or the store's
    /// load/save/close).
    let connectionLock = Mutex()
    let writer: ChangeWriter
    private let history: HistoryWriter
    private let options: StoreOptions
    /// Told the newest absorbed journal row after each materialization.
    var onMaterialized: ((Int64) -> Void)?
    /// The main database's WAL size in pages (from the WAL hook).
    private var walFrames = 0

    init(writer: ChangeWriter, materializedSequence: Int64, options: StoreOptions) throws {
        self.writer = writer
        history = HistoryWriter(writer: writer)
        self.options = options
        materializedSequenceValue = materializedSequence
        retryDelay = UInt64(options.retryMinimumMilliseconds) * 1_000_000
        workAvailable = Condition(mutex)
        progress = Condition(mutex)
        try writer.connection.setWALHook { [unowned self] frames in walFrames = frames }
    }

    deinit { try? writer.connection.setWALHook(nil) }

    // MARK: interface

    /// The last journal row reflected in the type tables.
    public var materializedSequence: Int64 { mutex.withLock { materializedSequenceValue } }

    /// The error of the last failed materialization; nil once one succeeds.
    public var lastError: StorageError? { mutex.withLock { lastErrorValue } }

    public var statistics: MaterializerStatistics { mutex.withLock { stats } }

    /// `history-retention` in ms (0 = keep forever): older history rows are
    /// deleted in small batches about once a second.
    public var historyRetentionMilliseconds: Int64 {
        get { mutex.withLock { historyRetention } }
        set {
            mutex.withLock { historyRetention = max(newValue, 0); nextPruneAt = 0 }
            workAvailable.signal()
        }
    }

    /// Approximate memory held by entries not yet in the tables.
    var pendingBytes: Int { mutex.withLock { pendingBytesValue } }

    /// Hands over a committed journal row (flusher thread).
    func enqueue(_ entry: Entry) {
        let now = monotonicNanos()
        mutex.lock()
        if pending.isEmpty { oldestPendingAt = now }
        lastArrivalAt = now
        pending.append(entry)
        pendingChanges += entry.changeCount
        pendingBytesValue += entry.bytes
        stats.pendingChanges = pendingChanges
        let wake = pending.count == 1 || pendingChanges >= options.maxPendingChanges
        mutex.unlock()
        if wake { workAvailable.signal() }
    }

    /// The journal rows from `sequence` on that the tables have not absorbed
    /// (pending or being materialized), oldest first: what a journal
    /// segment deleted under the server held (`ChangeFlusher`).
    func unabsorbedRows(from sequence: Int64) -> [(sequence: Int64, payload: [UInt8])] {
        mutex.withLock {
            (inFlight + pending).filter { $0.sequence >= sequence && $0.sequence > materializedSequenceValue && !$0.row.isEmpty }
                .map { ($0.sequence, $0.row) }
        }
    }

    /// Materializes what is pending now instead of at the next due time.
    func requestFlush() {
        mutex.withLock { flushRequested = true }
        workAvailable.signal()
    }

    /// Waits until every submission up to `submission` is in the type tables.
    func waitUntilMaterialized(submission: UInt64) throws {
        mutex.lock()
        defer { mutex.unlock() }
        let generation = failureGeneration
        while materializedSubmission < submission {
            flushRequested = true
            workAvailable.signal()
            if failureGeneration != generation {
                throw lastErrorValue ?? StorageError(kind: .sqlite, message: "materialization failed")
            }
            if state == .stopped { throw StorageError.closed }
            progress.wait()
        }
    }

    func start() {
        mutex.withLock { state = .running }
        thread = StorageThread(name: "materializer") { self.run() }
    }

    /// Materializes what is pending (a few attempts if it fails) and stops
    /// the thread. Call after the flusher stopped. Idempotent.
    func stop() {
        mutex.lock()
        switch state {
        case .created:
            state = .stopped
            mutex.unlock()
            return
        case .stopping, .stopped:
            while state != .stopped { progress.wait() }
            mutex.unlock()
            return
        case .running:
            state = .stopping
            mutex.unlock()
        }
        workAvailable.signal()
        thread?.join()
    }

    /// Stops the thread without materializing what is pending (the journal
    /// keeps it for the next start). Test hook for crashes.
    func abandon() {
        mutex.withLock {
            pending.removeAll()
            pendingChanges = 0
            pendingBytesValue = 0
        }
        stop()
    }

    // MARK: the thread

    private func run() {
        let interval = UInt64(options.materializeIntervalMilliseconds) * 1_000_000
        let idleDelay = UInt64(options.materializeIdleMilliseconds) * 1_000_000
        var failuresWhileStopping = 0
        mutex.lock()
        while true {
            let stopping = state == .stopping
            if historyRetention > 0 && !stopping && monotonicNanos() >= nextPruneAt {
                let cutoff = currentTimeMillis() - historyRetention
                mutex.unlock()
                pruneHistory(olderThan: cutoff)
                mutex.lock()
                nextPruneAt = monotonicNanos() &+ Materializer.pruneInterval
                continue
            }
            if pending.isEmpty {
                if stopping { break }
                if releaseMemoryAt != 0 && monotonicNanos() >= releaseMemoryAt {
                    releaseMemoryAt = 0
                    stats.idleMemoryReleases += 1
                    mutex.unlock()
                    releaseIdleMemory()
                    mutex.lock()
                    continue
                }
                var deadline = UInt64.max
                if historyRetention > 0 { deadline = nextPruneAt }
                if releaseMemoryAt != 0 { deadline = min(deadline, releaseMemoryAt) }
                if deadline == .max { workAvailable.wait() } else { workAvailable.wait(until: deadline) }
                continue
            }
            let now = monotonicNanos()
            if now < nextRetry && !stopping {
                workAvailable.wait(until: nextRetry)
                continue
            }
            let due = stopping || flushRequested || pendingChanges >= options.maxPendingChanges
                || now >= oldestPendingAt &+ interval || now >= lastArrivalAt &+ idleDelay
            guard due else {
                workAvailable.wait(until: min(oldestPendingAt &+ interval, lastArrivalAt &+ idleDelay))
                continue
            }
            var entries = pending
            inFlight = pending
            pending.removeAll()
            let changes = pendingChanges
            let bytes = pendingBytesValue
            let lastSequence = entries.last!.sequence
            let lastSubmission = entries.last!.lastSubmission
            pendingChanges = 0
            pendingBytesValue = 0
            flushRequested = false
            mutex.unlock()
            let outcome = materialize(entries)
            mutex.lock()
            switch outcome {
            case .success(let microseconds):
                materializedSequenceValue = lastSequence
                materializedSubmission = max(materializedSubmission, lastSubmission)
                lastErrorValue = nil
                retryDelay = UInt64(options.retryMinimumMilliseconds) * 1_000_000
                stats.materializations += 1
                stats.changesMaterialized += changes
                stats.lastChanges = changes
                stats.lastMicroseconds = microseconds
                stats.materializedAt = currentTimeMillis()
                stats.pendingChanges = pendingChanges
                releaseMemoryAt = monotonicNanos() &+ UInt64(options.releaseIdleMemoryMilliseconds) * 1_000_000
                let sequence = materializedSequenceValue
                let notify = onMaterialized
                inFlight = []  // shares its storage with `entries`: nothing is freed here
                progress.broadcast()
                mutex.unlock()
                notify?(sequence)
                // Freeing every change record takes a while: not with the mutex
                // held, which `enqueue` (the flusher) waits for, and only once the
                // statistics (INFO's pending changes) say the tables hold them.
                entries = []
                mutex.lock()
            case .failure(let error):
                // Keep the entries, in front of newer ones, and retry later.
                pending.insert(contentsOf: entries, at: 0)
                inFlight = []
                pendingChanges += changes
                pendingBytesValue += bytes
                if pendingChanges == changes { oldestPendingAt = monotonicNanos() }
                stats.failures += 1
                lastErrorValue = error
                failureGeneration += 1
                nextRetry = monotonicNanos() &+ retryDelay
                retryDelay = min(retryDelay * 2, UInt64(options.retryMaximumMilliseconds) * 1_000_000)
                if stopping {
                    failuresWhileStopping += 1
                    // Shutting down and the disk keeps failing: the journal
                    // still holds the changes; the next start replays them.
                    if failuresWhileStopping >= 3 { pending.removeAll(); pendingChanges = 0; pendingBytesValue = 0 }
                }
                progress.broadcast()
            }
        }
        state = .stopped
        progress.broadcast()
        mutex.unlock()
    }

    /// One transaction for `entries`; returns its duration in µs.
    private func materialize(_ entries: [Entry]) -> Result<Int, StorageError> {
        var plan = MaterializationPlan(expectedChanges: entries.reduce(0) { $0 + $1.changeCount })
        do {
            for entry in entries { try plan.add(row: entry.row) }
        } catch {
            // Rows this process encoded itself: only a bug gets here.
            return .failure(error as? StorageError ?? StorageError(kind: .invalidData, message: "\(error)"))
        }
        plan.finish()
        let last = entries.last!.sequence
        connectionLock.lock()
        defer { connectionLock.unlock() }
        let started = monotonicNanos()
        do {
            if writer.connection.hasMoved() {
                throw StorageError(kind: .fileMoved,
                                   message: "the database file was deleted or replaced while open; "
                                       + "changes are kept in the journal but cannot be copied into it",
                                   context: writer.connection.path)
            }
            try writer.commit {
                let writes = try plan.apply(with: writer, history: history)
                try Materializer.recordProgress(on: writer.connection, sequence: last, at: currentTimeMillis())
                return writes
            }
            // The journal rows go once this is on disk.
            _ = try writer.connection.syncWAL()
            if walFrames >= options.checkpointPages {
                _ = try? writer.connection.checkpoint(SQLITE_CHECKPOINT_PASSIVE)
            }
        } catch let error as StorageError {
            return .failure(error)
        } catch {
            return .failure(StorageError(kind: .sqlite, message: "\(error)"))
        }
        return .success(Int((monotonicNanos() - started) / 1000))
    }

    /// Once the writes stop: the page cache (pages the next burst reads back
    /// from the memory-mapped file) and the heap freed by the change records
    /// and replies of the burst go back to the system, so a server that
    /// received its data holds about what one that loaded it at start-up does.
    private func releaseIdleMemory() {
        connectionLock.lock()
        writer.connection.releaseMemory()
        connectionLock.unlock()
        _ = csqlite_release_free_heap()
    }

    private static let pruneInterval: UInt64 = 1_000_000_000
    private static let pruneBatchSize = 1000
    private static let pruneBatchesPerRound = 20

    /// Deletes history rows older than `cutoff` (Unix ms), a small transaction
    /// at a time so that materializations and readers are never held up long.
    private func pruneHistory(olderThan cutoff: Int64) {
        for _ in 0..<Materializer.pruneBatchesPerRound {
            connectionLock.lock()
            let deleted = try? writer.commit { try history.prune(olderThan: cutoff, limit: Materializer.pruneBatchSize) }
            connectionLock.unlock()
            // A failure is retried on the next round.
            guard let deleted, deleted == Materializer.pruneBatchSize else { return }
        }
    }

    /// Moves `valkite_state` to journal row `sequence` (inside the caller's transaction).
    static func recordProgress(on connection: SQLiteConnection, sequence: Int64, at time: Int64) throws {
        let update = try connection.cached("UPDATE valkite_state SET value = ?2 WHERE name = ?1")
        defer { update.reset() }
        try update.bind(text: "materialized_seq", at: 1)
        try update.bind(sequence, at: 2)
        try update.run()
        update.reset()
        try update.bind(text: "materialized_at", at: 1)
        try update.bind(time, at: 2)
        try update.run()
    }
}

/// Counters of the materializer (INFO persistence).
public struct MaterializerStatistics: Sendable, Equatable {
    public internal(set) var materializations = 0
    public internal(set) var failures = 0
    public internal(set) var changesMaterialized = 0
    public internal(set) var lastChanges = 0
    public internal(set) var lastMicroseconds = 0
    /// Unix ms of the last materialization: the type tables hold every
    /// write acknowledged before it.
    public internal(set) var materializedAt: Int64 = 0
    /// Changes committed to the journal, not yet in the tables.
    public internal(set) var pendingChanges = 0
    /// Times the page cache and free heap were given back after writes stopped.
    public internal(set) var idleMemoryReleases = 0

    public init() {}
}
