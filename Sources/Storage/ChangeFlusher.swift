#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Keyspace

/// The write path: a queue of change records and a dedicated thread that
/// makes them durable.
///
/// `submit` only appends to the queue and signals; it never blocks on SQLite.
/// The flusher thread takes everything queued since its last commit, appends
/// it to the journal as one row (`JournalWriter`, one transaction), hands it
/// to the `Materializer` for the type tables, then calls the batch's
/// completions in submission order. While one batch commits the next one
/// fills, so under load batches grow (group commit).
///
/// If a commit fails (disk full, I/O error, read-only file…) it is rolled
/// back, the batch's completions get the error, and the same changes (plus
/// newer ones) are retried every 100 ms–1 s until a commit succeeds: nothing
/// is dropped. `lastError` holds the failure until then.
///
/// Thread-safe: every public member may be used from any thread.
public final class ChangeFlusher: @unchecked Sendable {
    public typealias Completion = (StorageError?) -> Void

    struct Submission {
        var changes: [ChangeRecord]
        var completion: Completion?
        var bytes: Int
        /// Unix ms at submit (`updated_at`).
        var time: Int64
        var sequence: UInt64
    }

    private enum State { case created, running, stopping, stopped }

    // MARK: state shared with submitters (guarded by `mutex`)

    private let mutex = Mutex()
    private let workAvailable: Condition
    private let progress: Condition
    private var state = State.created
    private var queue: [Submission] = []
    private var durabilityValue: Durability
    private var maxQueuedBytesValue: Int
    private var onQueueDrainedValue: (() -> Void)?
    private var overLimit = false
    /// Queued submissions whose completion waits for their commit.
    private var waitingCompletions = 0
    private var lastErrorValue: StorageError?
    private var stats = FlusherStatistics()
    private var lastSequence: UInt64 = 0
    private var committedSequence: UInt64 = 0
    private var failureGeneration = 0
    private var flushRequested = false
    /// Failed commits retained for retry (their completions were called).
    /// Written by the flusher thread under `mutex`.
    private var retained: [Submission] = []
    private var nextRetry: UInt64 = 0
    private var retryDelay: UInt64
    private var lastCommit: UInt64 = 0
    private var lastSync: UInt64 = 0
    /// Commits made with synchronous=NORMAL that no fsync has covered yet.
    private var unsyncedCommits = false
    private var failuresWhileStopping = 0
    #if os(Linux)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif

    // MARK: the writer connection (guarded by `connectionLock`)

    /// Held by the flusher thread while it uses the connection, and by the
    /// store's load/save/close.
    let connectionLock = Mutex()
    let journal: JournalWriter
    private let materializer: Materializer
    /// Journal rows the main database has absorbed, to delete with the next
    /// append (set by the materializer, under `mutex`).
    private var materializedThrough: Int64 = 0
    private var appliedDurability: Durability?
    /// WAL size in frames after the last commit (from the WAL hook).
    private var walFrames = 0
    private var walFramesAtLastCheckpoint = -1

    private let options: StoreOptions

    init(journal: JournalWriter, materializer: Materializer, durability: Durability, options: StoreOptions) throws {
        self.journal = journal
        self.materializer = materializer
        self.options = options
        durabilityValue = durability
        maxQueuedBytesValue = options.maxQueuedBytes
        retryDelay = UInt64(options.retryMinimumMilliseconds) * 1_000_000
        workAvailable = Condition(mutex)
        progress = Condition(mutex)
        try journal.connection.setWALHook { [unowned self] frames in walFrames = frames }
        try applyDurability(durability)
    }

    deinit { try? journal.connection.setWALHook(nil) }

    /// The materializer absorbed journal rows through `sequence`.
    func noteMaterialized(through sequence: Int64) {
        mutex.withLock { materializedThrough = max(materializedThrough, sequence) }
    }

    /// The number of the last submission so far (for `Materializer.waitUntilMaterialized`).
    var lastSubmission: UInt64 { mutex.withLock { lastSequence } }

    // MARK: public interface

    /// Queues `changes` for the next commit. Never blocks on I/O: callable with
    /// the server's execution lock held.
    ///
    /// `completion` runs once: after the batch holding these changes committed
    /// (nil) or failed (the error; the changes stay queued and are retried),
    /// on the flusher thread, in submission order. With `Durability.no` it
    /// runs before `submit` returns, on the caller's thread (unless earlier
    /// submissions still wait for their commit: completions never overtake
    /// each other). After `close` it runs at once with a `.closed` error.
    ///
    /// Returns true when the queue holds more than `maxQueuedBytes`: the
    /// caller should stop reading new commands until `onQueueDrained` runs.
    @discardableResult
    public func submit(_ changes: [ChangeRecord], completion: @escaping Completion) -> Bool {
        let bytes = Self.estimatedBytes(changes)
        let time = currentTimeMillis()
        mutex.lock()
        guard state == .running else {
            mutex.unlock()
            completion(StorageError.closed)
            return false
        }
        let immediate = durabilityValue == .no && waitingCompletions == 0
        lastSequence += 1
        queue.append(Submission(changes: changes, completion: immediate ? nil : completion,
                                bytes: bytes, time: time, sequence: lastSequence))
        if !immediate { waitingCompletions += 1 }
        stats.queuedBytes += bytes
        stats.queuedChanges += changes.count
        let over = stats.queuedBytes > maxQueuedBytesValue
        if over { overLimit = true }
        let wake = queue.count == 1 || over
        mutex.unlock()
        if wake { workAvailable.signal() }
        if immediate { completion(nil) }
        return over
    }

    /// The durability mode; changeable at any time (applies from the next batch).
    public var durability: Durability {
        get { mutex.withLock { durabilityValue } }
        set {
            mutex.withLock { durabilityValue = newValue }
            workAvailable.signal()
        }
    }

    /// Approximate bytes of changes queued and not yet committed.
    public var queuedBytes: Int { mutex.withLock { stats.queuedBytes } }

    /// Back-pressure threshold: `submit` returns true above it.
    public var maxQueuedBytes: Int {
        get { mutex.withLock { maxQueuedBytesValue } }
        set { mutex.withLock { maxQueuedBytesValue = max(newValue, 1) } }
    }

    /// Called (on the flusher thread) when the queue, after having gone over
    /// `maxQueuedBytes`, falls back under half of it.
    public var onQueueDrained: (() -> Void)? {
        get { mutex.withLock { onQueueDrainedValue } }
        set { mutex.withLock { onQueueDrainedValue = newValue } }
    }

    /// The error of the last failed commit (or WAL fsync); nil once a commit succeeds again.
    public var lastError: StorageError? { mutex.withLock { lastErrorValue } }

    /// A consistent snapshot of the counters.
    public var statistics: FlusherStatistics { mutex.withLock { stats } }

    // MARK: lifecycle (used by Store)

    func start() {
        mutex.withLock { state = .running }
        let context = Unmanaged.passRetained(self).toOpaque()
        #if os(Linux)
        let code = pthread_create(&thread, nil, { context in
            let flusher = Unmanaged<ChangeFlusher>.fromOpaque(context!).takeRetainedValue()
            flusher.run()
            return nil
        }, context)
        #else
        let code = pthread_create(&thread, nil, { context in
            let flusher = Unmanaged<ChangeFlusher>.fromOpaque(context).takeRetainedValue()
            flusher.run()
            return nil
        }, context)
        #endif
        precondition(code == 0, "cannot start the flusher thread: errno \(code)")
    }

    /// Waits until everything submitted before the call has committed. Throws
    /// the error of a commit that fails meanwhile.
    func waitUntilCommitted() throws {
        mutex.lock()
        defer { mutex.unlock() }
        let target = lastSequence
        guard committedSequence < target else { return }
        let generation = failureGeneration
        flushRequested = true
        workAvailable.signal()
        while committedSequence < target {
            if failureGeneration != generation {
                throw lastErrorValue ?? StorageError(kind: .sqlite, message: "commit failed")
            }
            if state == .stopped { throw StorageError.closed }
            progress.wait()
        }
    }

    /// Stops accepting submissions, commits what is queued (giving up after a
    /// few failed attempts, counted in `droppedChanges`), and stops the
    /// thread. Idempotent; concurrent callers wait for the first.
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
            #if os(Linux)
            precondition(pthread_equal(pthread_self(), thread) == 0,
                         "Store.close() called from a completion (the flusher thread) would wait for itself")
            #endif
            state = .stopping
            mutex.unlock()
        }
        workAvailable.signal()
        #if os(Linux)
        pthread_join(thread, nil)
        #else
        if let thread { pthread_join(thread, nil) }
        #endif
    }

    // MARK: the flusher thread

    private func run() {
        let commitInterval = UInt64(options.noDurabilityCommitIntervalMilliseconds) * 1_000_000
        let syncInterval = UInt64(options.syncIntervalMilliseconds) * 1_000_000
        mutex.lock()
        while true {
            let now = monotonicNanos()
            // everysec: fsync the WAL once a second while commits are unsynced,
            // even under a steady stream of batches.
            if unsyncedCommits && now >= lastSync &+ syncInterval {
                mutex.unlock()
                syncWAL()
                mutex.lock()
                continue
            }
            let hasWork = !queue.isEmpty || !retained.isEmpty
            let stopping = state == .stopping
            if stopping && !hasWork { break }
            var deadline: UInt64? = unsyncedCommits ? lastSync &+ syncInterval : nil
            var commitNow = false
            if hasWork {
                let hurry = stopping || flushRequested || overLimit
                if !retained.isEmpty && now < nextRetry && !flushRequested {
                    deadline = min(deadline ?? nextRetry, nextRetry)
                } else if retained.isEmpty && durabilityValue == .no && now < lastCommit &+ commitInterval && !hurry {
                    deadline = min(deadline ?? (lastCommit + commitInterval), lastCommit + commitInterval)
                } else {
                    commitNow = true
                }
            }
            guard commitNow else {
                if let deadline { workAvailable.wait(until: deadline) } else { workAvailable.wait() }
                continue
            }
            var batch = retained
            retained = []
            if batch.isEmpty { swap(&batch, &queue) } else { batch.append(contentsOf: queue); queue.removeAll() }
            flushRequested = false
            mutex.unlock()
            commit(batch)
            mutex.lock()
        }
        state = .stopped
        progress.broadcast()
        mutex.unlock()
    }

    /// Commits one batch and reports it; on failure keeps it for a retry.
    private func commit(_ batch: [Submission]) {
        var changes = 0
        var bytes = 0
        for submission in batch {
            changes += submission.changes.count
            bytes += submission.bytes
        }
        let trimThrough = mutex.withLock { materializedThrough }
        var sequence = journal.nextSequence - 1

        connectionLock.lock()
        let started = monotonicNanos()
        var result: Result<Int, StorageError>
        do {
            try applyDurability(durability)
            if journal.connection.hasMoved() {
                throw StorageError(kind: .fileMoved,
                                   message: "the journal file was deleted or replaced while open; "
                                       + "changes are kept in memory but cannot be persisted",
                                   context: journal.connection.path)
            }
            if changes > 0 {
                var row: [UInt8] = []
                row.reserveCapacity(bytes)
                JournalCodec.encode(batch.map { ($0.time, $0.changes) }, into: &row)
                sequence = try journal.append(row, trimThrough: trimThrough)
            }
            result = .success(changes > 0 ? 1 : 0)
        } catch let error as StorageError {
            result = .failure(error)
        } catch {
            result = .failure(StorageError(kind: .sqlite, message: "\(error)"))
        }
        let finished = monotonicNanos()
        connectionLock.unlock()

        var completions: [Completion] = []
        completions.reserveCapacity(batch.count)
        for submission in batch { if let completion = submission.completion { completions.append(completion) } }

        switch result {
        case .success(let writes):
            // The materializer learns of the row before anyone can wait for it.
            materializer.enqueue(Materializer.Entry(
                sequence: sequence, submissions: changes > 0 ? batch.map { ($0.time, $0.changes) } : [],
                changeCount: changes, lastSubmission: batch.last?.sequence ?? 0))
            var drained: (() -> Void)?
            mutex.lock()
            if changes > 0 {
                stats.commits += 1
                stats.changesCommitted += changes
                stats.writesCommitted += writes
                stats.lastBatchSubmissions = batch.count
                stats.lastBatchChanges = changes
                stats.lastBatchWrites = writes
                stats.lastCommitMicroseconds = Int((finished - started) / 1000)
                stats.lastCommitAt = currentTimeMillis()
                if appliedDurability == .everysec { unsyncedCommits = true }
            }
            stats.queuedBytes -= bytes
            stats.queuedChanges -= changes
            waitingCompletions -= completions.count
            committedSequence = batch.last?.sequence ?? committedSequence
            lastErrorValue = nil
            retryDelay = UInt64(options.retryMinimumMilliseconds) * 1_000_000
            failuresWhileStopping = 0
            lastCommit = finished
            if overLimit && stats.queuedBytes <= maxQueuedBytesValue / 2 {
                overLimit = false
                drained = onQueueDrainedValue
            }
            progress.broadcast()
            mutex.unlock()
            for completion in completions { completion(nil) }
            drained?()
            checkpointIfNeeded()
        case .failure(let error):
            mutex.lock()
            stats.failedCommits += 1
            lastErrorValue = error
            failureGeneration += 1
            waitingCompletions -= completions.count
            var kept = batch
            for index in kept.indices { kept[index].completion = nil }
            if state == .stopping {
                failuresWhileStopping += 1
                if failuresWhileStopping >= 3 {
                    // Shutting down and the disk keeps failing: give up.
                    stats.droppedChanges += changes
                    stats.queuedBytes -= bytes
                    stats.queuedChanges -= changes
                    kept = []
                }
            }
            retained = kept
            nextRetry = finished &+ retryDelay
            retryDelay = min(retryDelay * 2, UInt64(options.retryMaximumMilliseconds) * 1_000_000)
            progress.broadcast()
            mutex.unlock()
            for completion in completions { completion(error) }
        }
    }

    /// Sets `PRAGMA synchronous` for `durability` if it changed. Caller holds
    /// `connectionLock` (or is the initializer).
    private func applyDurability(_ durability: Durability) throws {
        guard appliedDurability != durability else { return }
        try journal.connection.exec("PRAGMA synchronous = \(durability.synchronousPragma)")
        appliedDurability = durability
    }

    /// fsyncs the WAL (everysec).
    private func syncWAL() {
        let outcome: StorageError?
        connectionLock.lock()
        do {
            try journal.connection.syncWAL()
            outcome = nil
        } catch let error as StorageError {
            outcome = error
        } catch {
            outcome = StorageError(kind: .system, message: "\(error)")
        }
        connectionLock.unlock()
        mutex.withLock {
            lastSync = monotonicNanos()
            unsyncedCommits = false
            if let outcome {
                lastErrorValue = outcome
            } else {
                stats.walSyncs += 1
            }
        }
    }

    /// A checkpoint once the journal's WAL has grown past
    /// `journalCheckpointPages`, run after the batch's completions so replies
    /// do not wait for it. Cheap: the journal's rows come and go, so its WAL
    /// holds the same few pages over and over.
    private func checkpointIfNeeded() {
        connectionLock.lock()
        guard walFrames >= options.journalCheckpointPages, walFrames != walFramesAtLastCheckpoint else {
            connectionLock.unlock()
            return
        }
        let started = monotonicNanos()
        let result = try? journal.connection.checkpoint(SQLITE_CHECKPOINT_PASSIVE)
        let finished = monotonicNanos()
        walFramesAtLastCheckpoint = walFrames
        connectionLock.unlock()
        mutex.withLock {
            stats.checkpoints += 1
            stats.lastCheckpointMicroseconds = Int((finished - started) / 1000)
            stats.checkpointMicroseconds += stats.lastCheckpointMicroseconds
            // A checkpoint that copied every frame fsynced the WAL first.
            if let result, !result.busy, result.log == result.checkpointed {
                unsyncedCommits = false
                lastSync = finished
            }
        }
    }

    /// Run by the store with `connectionLock` held, after a TRUNCATE checkpoint.
    func noteCheckpointed() {
        walFrames = 0
        walFramesAtLastCheckpoint = -1
        mutex.withLock {
            unsyncedCommits = false
            lastSync = monotonicNanos()
        }
    }

    // MARK: accounting

    /// Approximate memory held by queued changes.
    static func estimatedBytes(_ changes: [ChangeRecord]) -> Int {
        var total = 0
        for change in changes {
            switch change {
            case .setString(_, let key, let value): total += 64 + key.count + value.count
            case .delete(_, let key), .expired(_, let key), .setExpiry(_, let key, _), .move(_, _, let key):
                total += 48 + key.count
            case .rename(_, let from, let to), .copy(_, let from, _, let to): total += 48 + from.count + to.count
            case .flushDatabase, .flushAll, .swapDatabases: total += 32
            case .hashSet(_, let key, let field, let value): total += 64 + key.count + field.count + value.count
            case .hashDelete(_, let key, let member), .setAdd(_, let key, let member), .setRemove(_, let key, let member),
                 .zsetAdd(_, let key, let member, _), .zsetRemove(_, let key, let member):
                total += 56 + key.count + member.count
            case .listPush(_, let key, _, let value), .listSet(_, let key, _, let value), .listInsert(_, let key, _, let value):
                total += 56 + key.count + value.count
            case .listTrim(_, let key, _, _), .listRemove(_, let key, _): total += 48 + key.count
            }
        }
        return total
    }
}
