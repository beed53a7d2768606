#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Keyspace

/// The write path: makes each submission of change records durable in the
/// journal (`JournalFile`) and hands it to the `Materializer`.
///
/// `submit` appends the submission's record with one `write(2)` on the
/// caller's thread — the server calls it under its execution lock, so records
/// are in execution order — the way Valkey writes its AOF before replying.
/// In `everysec` and `no` the completion runs right there; a thread fsyncs
/// the journal once a second (`everysec`). In `always` the thread fsyncs
/// whatever was appended (one fsync for many submissions: group commit) and
/// then runs the completions in order.
///
/// If a write fails (disk full, I/O error, journal deleted…) the submission
/// is kept, its completion gets the error, later submissions queue behind it
/// (order is kept), and the thread retries every 100 ms–1 s until a write
/// succeeds: nothing is dropped. `lastError` holds the failure until then.
///
/// Thread-safe: every public member may be used from any thread.
public final class ChangeFlusher: @unchecked Sendable {
    public typealias Completion = (StorageError?) -> Void

    struct Submission {
        var changes: [ChangeRecord]
        var bytes: Int
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
    private var awaitingSync: [Completion] = []
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
    private var encoded: [UInt8] = []

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
    public func submit(_ changes: [ChangeRecord], completion: @escaping Completion) -> Bool {
        let bytes = Self.estimatedBytes(changes)
        let time = currentTimeMillis()
        mutex.lock()
        guard state == .running else {
            mutex.unlock()
            completion(StorageError.closed)
            return false
        }
        lastSequence += 1
        let submission = Submission(changes: changes, bytes: bytes, time: time, sequence: lastSequence)
        var error: StorageError? = nil
        if retained.isEmpty, append(submission) {
            // Written.
        } else {
            retained.append(submission)
            retainedBytes += bytes
            stats.queuedBytes += bytes
            stats.queuedChanges += changes.count
            error = lastErrorValue ?? StorageError(kind: .system, message: "journal write failed")
        }
        let waitForSync = error == nil && durabilityValue == .always
        if waitForSync {
            awaitingSync.append(completion)
            unsynced = true
        }
        let over = retainedBytes + materializer.pendingBytes > maxQueuedBytesValue
        if over { overLimit = true }
        mutex.unlock()
        if waitForSync || error != nil { workAvailable.signal() }
        if !waitForSync { completion(error) }
        return over
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

    /// Writes one submission's record and hands it to the materializer;
    /// false (with `lastErrorValue` set) when the write failed.
    private func append(_ submission: Submission) -> Bool {
        guard !submission.changes.isEmpty else {
            materializer.enqueue(.init(sequence: journal.nextSequence - 1, submissions: [], changeCount: 0,
                                       bytes: 0, lastSubmission: submission.sequence))
            return true
        }
        encoded.removeAll(keepingCapacity: true)
        JournalCodec.encode([(time: submission.time, changes: submission.changes)], into: &encoded)
        let sequence: Int64
        do {
            sequence = try journal.append(encoded)
        } catch let error as StorageError {
            noteFailure(error)
            return false
        } catch {
            noteFailure(StorageError(kind: .system, message: "\(error)"))
            return false
        }
        materializer.enqueue(.init(sequence: sequence, submissions: [(submission.time, submission.changes)],
                                   changeCount: submission.changes.count, bytes: submission.bytes,
                                   lastSubmission: submission.sequence))
        stats.commits += 1
        stats.changesCommitted += submission.changes.count
        stats.lastBatchChanges = submission.changes.count
        stats.lastCommitAt = submission.time
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
                for completion in completions { completion(outcome) }
                mutex.lock()
                continue
            }
            // The journal deleted under us: continue in a new segment and have
            // the tables absorb what the lost one held right away.
            if now >= lastMoveCheck &+ 1_000_000_000 {
                lastMoveCheck = now
                if journal.hasMoved() {
                    do {
                        try journal.reopen()
                        materializer.requestFlush()
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

    /// Writes retained submissions in order until one fails. Caller holds `mutex`.
    private func retryRetained() {
        if journal.hasMoved() { try? journal.reopen() }
        while let first = retained.first {
            guard append(first) else { return }
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
            case .history(let operation, _, _): total += 32 + operation.count
            }
        }
        return total
    }
}
