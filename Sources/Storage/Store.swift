#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Keyspace

/// The persistent copy of the keyspace: one WAL-mode SQLite database whose
/// tables mirror the Redis types (see migrations/), kept up to date from a
/// journal file beside it (`JournalWriter`: the flusher appends, the
/// `Materializer` copies into the tables). The single entry point of the
/// storage layer:
///
/// ```swift
/// let store = try Store.open(directory: dir, filename: "valkite.db", durability: .everysec)
/// let loaded = try store.load(into: keyspace, now: currentTimeMillis())
/// store.flusher.submit(keyspace.drainChanges()) { error in … }   // after each write batch
/// try store.save()                                                 // SAVE
/// try store.snapshot(to: "backup.db")                              // BGSAVE
/// store.close()                                                    // shutdown
/// ```
public final class Store: @unchecked Sendable {
    /// The database file.
    public let path: String
    /// The journal's current segment (`valkite-journal.000001.log` for `valkite.db`).
    public var journalPath: String { flusher.journal.currentPath }
    /// The write path: `submit`, durability, back-pressure, statistics.
    public let flusher: ChangeFlusher
    /// Copies the journal into the type tables.
    public let materializer: Materializer
    /// Journal changes replayed into the tables at open (left by a crash).
    public let replayedChanges: Int
    /// The schema version of the database (after migrations).
    public let schemaVersion: Int
    /// The newest schema version this binary knows (the last migration).
    public static var latestSchemaVersion: Int { Migration.latestVersion }

    private let connection: SQLiteConnection
    private let options: StoreOptions
    private let lifecycle = Mutex()
    private var closed = false
    private static let snapshotCounter = Mutex()
    nonisolated(unsafe) private static var snapshotSequence = 0

    /// Opens (creating if needed) `directory/filename`, applies pending
    /// migrations, and starts the flusher thread.
    public static func open(directory: String, filename: String = "valkite.db",
                            durability: Durability = .everysec,
                            options: StoreOptions = StoreOptions()) throws -> Store {
        try makeDirectory(directory)
        let path = directory.hasSuffix("/") ? directory + filename : directory + "/" + filename
        return try Store(path: path, durability: durability, options: options, migrations: Migration.embedded)
    }

    init(path: String, durability: Durability, options: StoreOptions, migrations: [Migration]) throws {
        self.path = path
        self.options = options
        connection = try SQLiteConnection(path: path)
        do {
            try Store.configure(connection, options: options)
            schemaVersion = try Migrator.migrate(connection, migrations: migrations).to
            let writer = try ChangeWriter(connection: connection)
            let replay = try Store.replayJournal(databasePath: path, writer: writer)
            replayedChanges = replay.changes
            materializer = try Materializer(writer: writer, materializedSequence: replay.last, options: options)
            let journal = try JournalFile(databasePath: path, nextSequence: replay.last + 1,
                                          segmentLimit: options.journalSegmentBytes)
            flusher = ChangeFlusher(journal: journal, materializer: materializer,
                                    durability: durability, options: options)
        } catch {
            connection.close()
            throw error
        }
        materializer.onMaterialized = { [unowned flusher] sequence in flusher.noteMaterialized(through: sequence) }
        materializer.start()
        flusher.start()
    }

    /// The error that keeps writes from persisting: a failed journal commit,
    /// else a failed materialization; nil when all is well.
    public var lastError: StorageError? { flusher.lastError ?? materializer.lastError }

    deinit { close() }

    /// The pragmas of the writer connection.
    static func configure(_ connection: SQLiteConnection, options: StoreOptions) throws {
        try connection.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
        let mode = try connection.scalarText("PRAGMA journal_mode = WAL")
        guard mode?.lowercased() == "wal" else {
            throw StorageError(kind: .sqlite, code: SQLITE_ERROR,
                               message: "cannot switch the database to WAL mode (journal_mode is \(mode ?? "?"))",
                               context: connection.path)
        }
        try connection.exec("""
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -\(options.cacheSizeKiB);
            PRAGMA mmap_size = \(options.mmapSize);
            PRAGMA journal_size_limit = \(options.journalSizeLimit);
            PRAGMA wal_autocheckpoint = \(options.checkpointPages);
            PRAGMA synchronous = NORMAL;
            """)
        // The flusher then replaces automatic checkpoints with its own, run
        // after each batch's completions (ChangeFlusher.checkpointIfNeeded).
    }

    /// Start-up: applies the journal records the tables have not absorbed
    /// (left by a crash) in one transaction, then deletes the segments.
    /// Returns the last record's sequence and how many changes were replayed.
    static func replayJournal(databasePath: String, writer: ChangeWriter) throws -> (last: Int64, changes: Int) {
        let main = writer.connection
        let materialized = try main.scalar("SELECT value FROM valkite_state WHERE name = 'materialized_seq'")
        var plan = MaterializationPlan()
        var last = materialized
        for record in try JournalFile.records(databasePath: databasePath, after: materialized) {
            try plan.add(row: record.payload)
            last = record.sequence
        }
        plan.finish()
        if last > materialized {
            let history = HistoryWriter(writer: writer)
            try writer.commit {
                let writes = try plan.apply(with: writer, history: history)
                try Materializer.recordProgress(on: main, sequence: last, at: currentTimeMillis())
                return writes
            }
            _ = try main.syncWAL()
        }
        for segment in JournalFile.existingSegments(databasePath: databasePath) {
            unlink(JournalFile.path(databasePath: databasePath, segment: segment))
        }
        return (last, plan.changeCount)
    }

    // MARK: loading

    /// Reads every key back into `keyspace` (with `recordsChanges` off, so
    /// nothing is queued again), drops keys whose TTL passed while stopped
    /// (deleting them from the database), and resets the keyspace's change
    /// count. Call before serving. `finishCollection` runs once per loaded
    /// collection (to set its OBJECT ENCODING from the configuration).
    public func load(into keyspace: Keyspace, now: Int64 = currentTimeMillis(),
                     finishCollection: (RedisValue) -> Void = { _ in }) throws
        -> (keys: Int, expired: Int, milliseconds: Int) {
        try withWriterConnection { _ in
            try Loader(writer: materializer.writer).load(into: keyspace, now: now, finishCollection: finishCollection)
        }
    }

    /// Waits until everything submitted so far is in the type tables.
    public func waitUntilMaterialized() throws {
        let target = flusher.lastSubmission
        try flusher.waitUntilCommitted()
        try materializer.waitUntilMaterialized(submission: target)
    }

    // MARK: saving

    /// SAVE: waits until everything submitted so far is in the type tables,
    /// then checkpoints the WAL into the database file and truncates it.
    public func save() throws {
        try waitUntilMaterialized()
        try withWriterConnection { connection in
            let result = try connection.checkpoint(SQLITE_CHECKPOINT_TRUNCATE)
            if result.busy {
                // A reader kept the checkpoint from finishing: make the
                // committed data durable anyway.
                try connection.syncWAL()
            }
        }
    }

    /// BGSAVE: writes a consistent copy of the database, including everything
    /// submitted before the call, to `destination` (replaced atomically),
    /// without stopping writes: `VACUUM INTO` runs on its own read-only
    /// connection while the flusher keeps committing.
    public func snapshot(to destination: String) throws {
        try waitUntilMaterialized()
        let sequence = Store.snapshotCounter.withLock { () -> Int in
            Store.snapshotSequence += 1
            return Store.snapshotSequence
        }
        let temporary = "\(destination).tmp-\(getpid())-\(sequence)"
        unlink(temporary)
        do {
            let reader = try SQLiteConnection(path: path, flags: SQLiteConnection.readOnly)
            defer { reader.close() }
            try reader.setBusyTimeout(milliseconds: options.busyTimeoutMilliseconds)
            let vacuum = try reader.prepare("VACUUM INTO ?1")
            try vacuum.bind(text: temporary, at: 1)
            try vacuum.run()
            try fsyncFile(temporary)
            if rename(temporary, destination) != 0 {
                throw systemError("rename \(temporary) to \(destination)")
            }
            try fsyncFile(directory(of: destination))
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Shutdown: stops accepting changes, commits everything queued,
    /// checkpoints and truncates the WAL, closes the database. Idempotent.
    /// If the final commits fail, the error stays in `flusher.lastError`.
    public func close() {
        lifecycle.lock()
        defer { lifecycle.unlock() }
        guard !closed else { return }
        closed = true
        flusher.stop()
        materializer.stop()
        let materialized = materializer.materializedSequence
        var checkpointed = false
        materializer.connectionLock.withLock {
            if let result = try? connection.checkpoint(SQLITE_CHECKPOINT_TRUNCATE) {
                checkpointed = !result.busy || (try? connection.syncWAL()) != nil
            }
            try? connection.setWALHook(nil)
            connection.close()
        }
        // The tables hold everything the journal does: it can go.
        if checkpointed && materialized == flusher.journal.nextSequence - 1 {
            flusher.journal.deleteAll()
        }
        flusher.journal.close()
    }

    // MARK: internals

    /// Test hook standing in for `kill -9`: everything submitted is in the
    /// journal, the tables are left as they are (nothing pending is
    /// materialized), and the files are closed.
    func closeAbruptly() {
        lifecycle.withLock {
            guard !closed else { return }
            closed = true
            flusher.stop()
            materializer.abandon()
            materializer.connectionLock.withLock { try? connection.setWALHook(nil); connection.close() }
            flusher.journal.close()
        }
    }

    /// Test hook: runs `body` on the journal with the flusher's lock held.
    func withJournal(_ body: (JournalFile) -> Void) {
        flusher.withJournal(body)
    }

    /// Runs `body` with exclusive use of the writer connection (the
    /// materializer waits). Also the tests' hook for SQL on it.
    func withWriterConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try materializer.connectionLock.withLock {
            guard connection.isOpen else { throw StorageError.closed }
            return try body(connection)
        }
    }

    private static func makeDirectory(_ directory: String) throws {
        var partial = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw systemError("mkdir \(partial)")
            }
        }
    }
}

// File-system helpers (at file scope, where `open` is the C function).

private func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

private func fsyncFile(_ path: String) throws {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw systemError("open \(path)") }
    defer { close(descriptor) }
    if fsync(descriptor) != 0 { throw systemError("fsync \(path)") }
}

private func systemError(_ context: String) -> StorageError {
    let code = errno
    return StorageError(kind: .system, code: code, message: String(cString: strerror(code)), context: context)
}
