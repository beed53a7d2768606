import Commands
import Keyspace
import Logging
import NIOConcurrencyHelpers
import Server
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Wires the SQLite store to the rest of the server: the network layer hands it
/// each batch's change records (`DurableLog`), commands ask it to SAVE/BGSAVE
/// (`PersistenceControl`), and CONFIG SET appendfsync reaches its flusher.
final class StorePersistence: DurableLog, PersistenceControl, @unchecked Sendable {
    let store: Store
    private let logger: Logger
    private let backupDirectory: String
    private let lock = NIOLock()
    private var bgsaveRunning = false
    private var bgsaveSucceeded = true
    private var bgsaveFinishedAt: Int64 = 0

    init(store: Store, directory: String, logger: Logger) {
        self.store = store
        self.logger = logger
        self.backupDirectory = directory + "/backups"
    }

    // MARK: DurableLog

    var repliesWaitForCommit: Bool { !store.flusher.durability.completesAtSubmit }

    func submit(_ changes: [ChangeRecord], committed: @escaping () -> Void) -> Bool {
        store.flusher.submit(changes) { [weak self] error in
            if let error {
                // Like Valkey with AOF everysec: the batch's replies go out (its changes
                // stay queued and are retried), and further writes get -MISCONF once
                // the server's cron sees `failure`.
                self?.logger.warning("Error writing to the database: \(error)")
            }
            committed()
        }
    }

    /// The current failure, if commits keep failing (polled by the server's cron).
    var failure: String? { store.lastError.map { String(describing: $0) } }

    // MARK: PersistenceControl

    func save() throws(CommandError) {
        do {
            try store.save()
        } catch {
            logger.warning("SAVE failed: \(error)")
            throw CommandError("ERR \(error)")
        }
    }

    func startBackgroundSave() -> Bool {
        let started = lock.withLock { () -> Bool in
            guard !bgsaveRunning else { return false }
            bgsaveRunning = true
            return true
        }
        guard started else { return false }
        let destination = "\(backupDirectory)/valkite-\(currentTimeMillis()).db"
        let thread = BackgroundWork { [self] in
            mkdir(backupDirectory, 0o755)
            let succeeded: Bool
            do {
                try store.snapshot(to: destination)
                logger.notice("Background saving terminated with success: \(destination)")
                succeeded = true
            } catch {
                logger.warning("Background saving error: \(error)")
                succeeded = false
            }
            lock.withLock {
                bgsaveRunning = false
                bgsaveSucceeded = succeeded
                if succeeded { bgsaveFinishedAt = currentTimeMillis() / 1000 }
            }
        }
        thread.start()
        return true
    }

    var backgroundSaveInProgress: Bool { lock.withLock { bgsaveRunning } }
    var lastBackgroundSaveSucceeded: Bool { lock.withLock { bgsaveSucceeded } }
    var lastBackgroundSaveTime: Int64 { lock.withLock { bgsaveFinishedAt } }

    var infoFields: [(String, String)] {
        let stats = store.flusher.statistics
        let tables = store.materializer.statistics
        return [
            ("valkite_database", store.path),
            ("valkite_journal", store.journalPath),
            ("valkite_appendfsync", store.flusher.durability.rawValue),
            ("valkite_queue_changes", "\(stats.queuedChanges)"),
            ("valkite_queue_bytes", "\(stats.queuedBytes)"),
            ("valkite_journal_writes", "\(stats.commits)"),
            ("valkite_journal_failed_writes", "\(stats.failedCommits)"),
            ("valkite_journal_fsyncs", "\(stats.walSyncs)"),
            ("valkite_changes_committed", "\(stats.changesCommitted)"),
            ("valkite_tables_pending_changes", "\(tables.pendingChanges)"),
            ("valkite_tables_materialized_at", "\(tables.materializedAt)"),
            ("valkite_tables_materializations", "\(tables.materializations)"),
            ("valkite_tables_failed_materializations", "\(tables.failures)"),
            ("valkite_tables_last_changes", "\(tables.lastChanges)"),
            ("valkite_tables_last_usec", "\(tables.lastMicroseconds)"),
        ]
    }
}

/// A detached POSIX thread running one closure (BGSAVE, start-up loading):
/// long blocking work that must stay off the event loops.
final class BackgroundWork {
    private let body: () -> Void

    init(_ body: @escaping () -> Void) { self.body = body }

    func start() {
        let retained = Unmanaged.passRetained(self)
        var thread = pthread_t()
        pthread_create(&thread, nil, { argument in
            let work = Unmanaged<BackgroundWork>.fromOpaque(argument!).takeRetainedValue()
            work.body()
            return nil
        }, retained.toOpaque())
        pthread_detach(thread)
    }
}
