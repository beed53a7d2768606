import Commands
import Foundation
import Keyspace
import Logging
import NIOConcurrencyHelpers
import NIOPosix
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
    private var keep: Int

    init(store: Store, directory: String, backupKeep: Int, logger: Logger) {
        self.store = store
        self.logger = logger
        self.backupDirectory = directory + "/backups"
        self.keep = backupKeep
        // The journal is written once per event-loop tick, for every connection
        // that wrote in it (as Valkey writes its AOF before sleeping), and
        // replies leave after that write.
        store.flusher.writeScheduler = { write in
            if let loop = MultiThreadedEventLoopGroup.currentEventLoop { loop.execute(write) } else { write() }
        }
    }

    /// `backup-keep`: how many BGSAVE snapshots to keep (0 = all).
    var backupKeep: Int {
        get { lock.withLock { keep } }
        set { lock.withLock { keep = newValue } }
    }

    // MARK: DurableLog

    func submit(_ changes: EncodedChanges, listener: CommitListener, token: Int) -> Bool {
        store.flusher.submit(changes, listener: listener, token: token)
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
                pruneSnapshots(keeping: backupKeep)
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

    /// Deletes the oldest `valkite-<unix-ms>.db` snapshots beyond the newest `count`
    /// (0 keeps all). Other files in the directory are left alone.
    private func pruneSnapshots(keeping count: Int) {
        guard count > 0, let names = try? FileManager.default.contentsOfDirectory(atPath: backupDirectory) else { return }
        let snapshots = names.compactMap { name -> (time: Int64, name: String)? in
            let digits = name.dropFirst("valkite-".count).dropLast(".db".count)
            guard name.hasPrefix("valkite-"), name.hasSuffix(".db"), !digits.isEmpty,
                  digits.allSatisfy({ $0.isASCII && $0.isNumber }), let time = Int64(digits) else { return nil }
            return (time, name)
        }.sorted { $0.time > $1.time }
        for old in snapshots.dropFirst(count) {
            let path = "\(backupDirectory)/\(old.name)"
            if unlink(path) == 0 {
                logger.info("Deleted old snapshot \(path) (backup-keep \(count))")
            } else {
                logger.warning("Can't delete old snapshot \(path): \(String(cString: strerror(errno)))")
            }
        }
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
