#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Keyspace

/// The write path: makes each submission of change records durable in the
/// journal (`JournalFile`) and hands it to the `Materializer`.
///
/// `submit` is called under the server's execution lock, so submissions are
/// in execution order. With a `writeScheduler` (the server sets one that runs
/// the write at the end of the current event-loop tick) submissions are
/// staged, and `writeStaged` appends everything staged as one record with one
/// `write(2)` — the way Valkey writes its AOF once per event-loop iteration,
/// before the replies of that iteration leave. Without one, `submit` writes
/// at once. In `everysec` and `no` the completions run after that write; a
/// thread fsyncs the journal once a second (`everysec`). In `always` the
/// thread fsyncs whatever was appended (one fsync for many submissions: group
/// commit) and then runs the completions in order.
///
/// If a write fails (disk full, I/O error, journal deleted…) the submission
/// is kept, its completion gets the error, later submissions queue behind it
/// (order is kept), and the thread retries every 100 ms–1 s until a write
/// succeeds: nothing is dropped. `lastError` holds the failure until then.
///
/// Thread-safe: every public member may be used from any thread.
public final class ChangeFlusher: @unchecked Sendable {
    public typealias Completion = (StorageError?) -> Void

    /// Who hears about a submission: a closure, or a listener the submitter
    /// already has (no allocation per submission, the server's hot path).
    enum Waiter {
        case closure(Completion)
        case listener(CommitListener, token: Int)

        func finish(_ error: StorageError?) {
            switch self {
            case .closure(let completion): completion(error)
            case .listener(let listener, let token): listener.commitFinished(token: token, error: error)
            }
        }
    }

    struct Submission {
        var changes: EncodedChanges
        /// Approximate memory held, counted once the submission is retained
        /// (a written one costs the materializer its row's size instead).
        var bytes = 0
        var time: Int64
        var sequence: UInt64
    }

    private enum State { case created, running, stopping, stopped }

    private let mutex = Mutex()
    private let workAvailable: Condition
    private let progress: Condition
    private var state = State.created
    private var durabilityValue: Durability
    private var maxQueuedBytesValue: Int
    private var onQueueDrainedValue: (() -> Void)?
    private var overLimit = false
    /// Submissions whose write failed, oldest first, retried by the thread.
    private var retained: [Submission] = []
    private var retainedBytes = 0
    /// `always`: completions waiting for the next fsync, in order.
    private var awaitingSync: [Waiter] = []
    private var unsynced = false
    private var lastErrorValue: StorageError?
    private var failureGeneration = 0
    private var stats = FlusherStatistics()
    private var lastSequence: UInt64 = 0
    private var nextRetry: UInt64 = 0
    private var retryDelay: UInt64
    private var lastSync: UInt64 = 0
    private var lastMoveCheck: UInt64 = 0
    private var thread: StorageThread?

    let journal: JournalFile
    private let materializer: Materializer
    private let options: StoreOptions
    /// The size of the last journal row (how much room the next one gets).
    private var lastRowBytes = 0
    /// Submitted, not yet written (with a `writeScheduler`), and their completions.
    private var staged: [Submission] = []
    private var stagedCompletions: [Waiter] = []
    /// Written by someone other than the scheduled `writeStaged` (SAVE, shutdown):
    /// completions it still has to run.
    private var writtenCompletions: [(Waiter, StorageError?)] = []
    private var writeSchedulerValue: ((@escaping () -> Void) -> Void)?

    init(journal: JournalFile, materializer: Materializer, durability: Durability, options: StoreOptions) {
        self.journal = journal
        self.materializer = materializer
        self.options = options
        durabilityValue = durability
        maxQueuedBytesValue = options.maxQueuedBytes
        retryDelay = UInt64(options.retryMinimumMilliseconds) * 1_000_000
        workAvailable = Condition(mutex)
        progress = Condition(mutex)
    }

    // MARK: public interface

    /// Makes `changes` durable per the durability mode and runs `completion`
    /// once: within this call (`everysec`, `no`), or on the flusher thread
    /// after the fsync (`always`), with nil — or with the error of a failed
    /// write (the changes stay queued and are retried). Completions never
    /// overtake each other. After `close` it runs at once with `.closed`.
    ///
    /// Returns true when more than `maxQueuedBytes` wait (unwritten, or
    /// written but not yet in the tables): the caller should stop reading
    /// new commands until `onQueueDrained` runs.
    @discardableResult
    public func submit(_ changes: EncodedChanges, completion: @escaping Completion) -> Bool {
        submit(changes, waiter: .closure(completion))
    }

    /// `submit` for records not yet encoded (tests, tools).
    @discardableResult
    public func submit(_ changes: [ChangeRecord], completion: @escaping Completion) -> Bool {
        submit(EncodedChanges(changes), waiter: .closure(completion))
    }

    /// `submit`, telling `listener` (with `token`) instead of running a closure.
    @discardableResult
    public func submit(_ changes: EncodedChanges, listener: CommitListener, token: Int) -> Bool {
        submit(changes, waiter: .listener(listener, token: token))
    }

    private func submit(_ changes: EncodedChanges, waiter: Waiter) -> Bool {
        let time = currentTimeMillis()
        mutex.lock()
        guard state == .running else {
            mutex.unlock()
            waiter.finish(StorageError.closed)
            return false
        }
        lastSequence += 1
        let submission = Submission(changes: changes, time: time, sequence: lastSequence)
        staged.append(submission)
        stagedCompletions.append(waiter)
        let over = retainedBytes + materializer.pendingBytes > maxQueuedBytesValue
        if over { overLimit = true }
        guard let scheduler = writeSchedulerValue else {
            // No scheduler: this submission is its own record, written now.
            writeStagedAndUnlock()
            return over
        }
        let first = staged.count == 1
        mutex.unlock()
        if first { scheduler { self.writeStaged() } }
        return over
    }

    /// Appends everything staged as one journal record, then runs the
    /// completions (`everysec`, `no`) or hands them to the fsync (`always`).
    /// The server runs it at the end of each event-loop tick that submitted.
    public func writeStaged() {
        mutex.lock()
        writeStagedAndUnlock()
    }

    /// `writeStaged` for a caller that holds `mutex`; releases it before
    /// running the completions.
    private func writeStagedAndUnlock() {
        let (completions, error) = writeStagedLocked()
        let earlier = writtenCompletions
        writtenCompletions.removeAll()
        // The thread fsyncs for `always` and retries failed writes.
        let wakeThread = !awaitingSync.isEmpty || !retained.isEmpty
        mutex.unlock()
        if wakeThread { workAvailable.signal() }
        for (waiter, error) in earlier { waiter.finish(error) }
        for waiter in completions { waiter.finish(error) }
    }

    /// Writes the staged submissions (or queues them behind failed ones) and
    /// returns the completions the caller must run with `error`; those that
    /// wait for the fsync (`always`) went to `awaitingSync`. Caller holds `mutex`.
    private func writeStagedLocked() -> (completions: [Waiter], error: StorageError?) {
        guard !staged.isEmpty else { return ([], nil) }
        // Taken whole, not copied and cleared: clearing a shared array with
        // keepingCapacity allocates its full capacity again (it showed in the
        // event loop's profile). The next tick starts with room for as many.
        let submissions = staged
        var completions = stagedCompletions
        staged = []
        stagedCompletions = []
        staged.reserveCapacity(submissions.count)
        stagedCompletions.reserveCapacity(submissions.count)
        var error: StorageError? = nil
        if retained.isEmpty, append(submissions) {
            // Written.
        } else {
            for var submission in submissions {
                submission.bytes = submission.changes.bytes.capacity + Self.submissionOverhead
                retained.append(submission)
                retainedBytes += submission.bytes
                stats.queuedBytes += submission.bytes
                stats.queuedChanges += submission.changes.count
            }
            error = lastErrorValue ?? StorageError(kind: .system, message: "journal write failed")
        }
        if error == nil && durabilityValue == .always {
            awaitingSync.append(contentsOf: completions)
            unsynced = true
            completions = []
        }
        return (completions, error)
    }

    /// How `submit` gets `writeStaged` run soon (at the end of the current
    /// event-loop tick); nil writes within `submit`.
    public var writeScheduler: ((@escaping () -> Void) -> Void)? {
        get { mutex.withLock { writeSchedulerValue } }
        set { mutex.withLock { writeSchedulerValue = newValue } }
    }

    /// The durability mode; changeable at any time.
    public var durability: Durability {
        get { mutex.withLock { durabilityValue } }
        set {
            mutex.withLock { durabilityValue = newValue }
            workAvailable.signal()
        }
    }

    /// Approximate bytes of changes not yet written to the journal.
    public var queuedBytes: Int { mutex.withLock { retainedBytes } }

    /// Back-pressure threshold: `submit` returns true above it.
    public var maxQueuedBytes: Int {
        get { mutex.withLock { maxQueuedBytesValue } }
        set { mutex.withLock { maxQueuedBytesValue = max(newValue, 1) } }
    }

    /// Called when the backlog, after having gone over `maxQueuedBytes`,
    /// falls back under half of it.
    public var onQueueDrained: (() -> Void)? {
        get { mutex.withLock { onQueueDrainedValue } }
        set { mutex.withLock { onQueueDrainedValue = newValue } }
    }

    /// The error of the last failed write (or fsync); nil once one succeeds again.
    public var lastError: StorageError? { mutex.withLock { lastErrorValue } }

    /// A consistent snapshot of the counters.
    public var statistics: FlusherStatistics { mutex.withLock { stats } }

    /// The number of the last submission so far (for `Materializer.waitUntilMaterialized`).
    var lastSubmission: UInt64 { mutex.withLock { lastSequence } }

    /// Runs `body` on the journal under the flusher's lock (test hook).
    func withJournal(_ body: (JournalFile) -> Void) {
        mutex.withLock { body(journal) }
    }

    // MARK: lifecycle (used by Store)

    func start() {
        mutex.withLock {
            state = .running
            lastSync = monotonicNanos()
        }
        thread = StorageThread(name: "flusher") { self.run() }
    }

    /// Waits until everything submitted before the call is in the journal
    /// (retried writes included). Throws the error of a retry that fails meanwhile.
    func waitUntilCommitted() throws {
        mutex.lock()
        defer { mutex.unlock() }
        // Staged submissions are written now; their completions stay for the
        // scheduled `writeStaged` (the caller may hold the server's lock).
        let (completions, error) = writeStagedLocked()
        writtenCompletions.append(contentsOf: completions.map { ($0, error) })
        if !awaitingSync.isEmpty { workAvailable.signal() }
        guard !retained.isEmpty else { return }
        let target = lastSequence
        let generation = failureGeneration
        nextRetry = 0
        workAvailable.signal()
        while let first = retained.first, first.sequence <= target {
            if failureGeneration != generation {
                throw lastErrorValue ?? StorageError(kind: .system, message: "journal write failed")
            }
            if state == .stopped { throw StorageError.closed }
            progress.wait()
        }
    }

    /// The materializer absorbed the journal through `sequence`: closed
    /// segments up to there can go, and the backlog may have drained.
    func noteMaterialized(through sequence: Int64) {
        mutex.lock()
        journal.removeSegments(through: sequence)
        var drained: (() -> Void)? = nil
        if overLimit && retainedBytes + materializer.pendingBytes <= maxQueuedBytesValue / 2 {
            overLimit = false
            drained = onQueueDrainedValue
        }
        mutex.unlock()
        drained?()
    }

    /// Stops accepting submissions, writes what is retained (giving up after
    /// a few failed attempts, counted in `droppedChanges`), fsyncs, and stops
    /// the thread. Idempotent; concurrent callers wait for the first.
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

    // MARK: writing (caller holds `mutex`)

    /// Writes the submissions as one record and hands it to the materializer;
    /// false (with `lastErrorValue` set) when the write failed.
    private func append(_ submissions: [Submission]) -> Bool {
        let last = submissions.last!
        let changeCount = submissions.reduce(0) { $0 + $1.changes.count }
        guard changeCount > 0 else {
            materializer.enqueue(.init(sequence: journal.nextSequence - 1, row: [], changeCount: 0,
                                       bytes: 0, lastSubmission: last.sequence))
            return true
        }
        // Each row goes to the materializer as written, so it is framed
        // into a buffer of its own, sized from the previous one.
        var row: [UInt8] = []
        row.reserveCapacity(lastRowBytes + lastRowBytes / 4)
        for submission in submissions {
            JournalCodec.append(time: submission.time, count: submission.changes.count,
                                records: submission.changes.bytes, to: &row)
        }
        lastRowBytes = min(row.count, JournalFile.largeBufferBytes)
        let sequence: Int64
        do {
            sequence = try journal.append(row)
        } catch let error as StorageError {
            noteFailure(error)
            return false
        } catch {
            noteFailure(StorageError(kind: .system, message: "\(error)"))
            return false
        }
        materializer.enqueue(.init(sequence: sequence, row: row, changeCount: changeCount,
                                   bytes: row.capacity + Materializer.entryOverhead, lastSubmission: last.sequence))
        stats.commits += 1
        stats.changesCommitted += changeCount
        stats.lastBatchChanges = changeCount
        stats.lastCommitAt = last.time
        if durabilityValue == .everysec { unsynced = true }
        if lastErrorValue != nil && retained.isEmpty { lastErrorValue = nil }
        return true
    }

    private func noteFailure(_ error: StorageError) {
        stats.failedCommits += 1
        lastErrorValue = error
        failureGeneration += 1
        progress.broadcast()
    }

    // MARK: the flusher thread

    private func run() {
        let syncInterval = UInt64(options.syncIntervalMilliseconds) * 1_000_000
        var failuresWhileStopping = 0
        mutex.lock()
        while true {
            let now = monotonicNanos()
            let stopping = state == .stopping
            if stopping && (!staged.isEmpty || !writtenCompletions.isEmpty) {
                // Shutting down: nobody may run the scheduled write any more.
                let (completions, error) = writeStagedLocked()
                let pending = writtenCompletions + completions.map { ($0, error) }
                writtenCompletions.removeAll()
                mutex.unlock()
                for (waiter, error) in pending { waiter.finish(error) }
                mutex.lock()
                continue
            }
            // Retry failed writes, oldest first.
            if !retained.isEmpty && (now >= nextRetry || stopping) {
                retryRetained()
                if !retained.isEmpty {
                    if stopping {
                        failuresWhileStopping += 1
                        if failuresWhileStopping >= 3 {
                            // Shutting down and the disk keeps failing: give up.
                            stats.droppedChanges += retained.reduce(0) { $0 + $1.changes.count }
                            retained.removeAll()
                            retainedBytes = 0
                            stats.queuedBytes = 0
                            stats.queuedChanges = 0
                        }
                    }
                    nextRetry = monotonicNanos() &+ retryDelay
                    retryDelay = min(retryDelay * 2, UInt64(options.retryMaximumMilliseconds) * 1_000_000)
                }
                continue
            }
            // always: one fsync for everything appended since the last one.
            if !awaitingSync.isEmpty || (unsynced && (stopping || now >= lastSync &+ syncInterval)) {
                let completions = awaitingSync
                awaitingSync.removeAll()
                unsynced = false
                mutex.unlock()
                let outcome = syncJournal()
                mutex.lock()
                lastSync = monotonicNanos()
                if let outcome {
                    lastErrorValue = outcome
                } else {
                    stats.walSyncs += 1
                    if retained.isEmpty { lastErrorValue = nil }
                }
                mutex.unlock()
                for waiter in completions { waiter.finish(outcome) }
                mutex.lock()
                continue
            }
            // The journal deleted under us: continue in a new segment.
            if now >= lastMoveCheck &+ 1_000_000_000 {
                lastMoveCheck = now
                if journal.hasMoved() {
                    do {
                        try reopenJournal()
                    } catch let error as StorageError {
                        noteFailure(error)
                    } catch {}
                }
            }
            if stopping && retained.isEmpty && !unsynced { break }
            var deadline = now &+ 1_000_000_000
            if unsynced { deadline = min(deadline, lastSync &+ syncInterval) }
            if !retained.isEmpty { deadline = min(deadline, nextRetry) }
            workAvailable.wait(until: deadline)
        }
        state = .stopped
        progress.broadcast()
        mutex.unlock()
    }

    /// Continues the journal in a new segment that starts with the records
    /// of the deleted one the tables have not absorbed yet (the materializer
    /// still holds them), so that a crash right after loses nothing and the
    /// next start finds a journal that continues the database. Caller holds `mutex`.
    private func reopenJournal() throws {
        try journal.reopen(rewriting: materializer.unabsorbedRows(from: journal.segmentFirstSequence))
    }

    /// Writes retained submissions in order until one fails. Caller holds `mutex`.
    private func retryRetained() {
        if journal.hasMoved() { try? reopenJournal() }
        while let first = retained.first {
            guard append([first]) else { return }
            retained.removeFirst()
            retainedBytes -= first.bytes
            stats.queuedBytes -= first.bytes
            stats.queuedChanges -= first.changes.count
        }
        lastErrorValue = nil
        retryDelay = UInt64(options.retryMinimumMilliseconds) * 1_000_000
        if durabilityValue == .always { unsynced = true }
        progress.broadcast()
    }

    /// fsyncs the journal without holding `mutex` (writers keep appending):
    /// a duplicate of the segment's descriptor stays valid even if the
    /// segment rotates meanwhile (rotation fsyncs the old segment itself).
    private func syncJournal() -> StorageError? {
        let descriptor = mutex.withLock { journal.duplicateDescriptor() }
        guard descriptor >= 0 else { return JournalFile.systemError("dup journal descriptor") }
        defer { _ = close(descriptor) }
        if fdatasync(descriptor) != 0 { return JournalFile.systemError("fdatasync \(journal.databasePath) journal") }
        return nil
    }

    // MARK: accounting

    /// Memory a retained submission holds besides its records' bytes.
    static let submissionOverhead = 64
}
