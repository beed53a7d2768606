#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Keyspace

/// The persistent copy of the keyspace: one WAL-mode SQLite database whose
/// tables mirror the Redis types (see migrations/). The single entry point of
/// the storage layer:
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
    /// The write path: `submit`, durability, back-pressure, statistics.
    public let flusher: ChangeFlusher
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
            flusher = try ChangeFlusher(writer: writer, durability: durability, options: options)
        } catch {
            connection.close()
            throw error
        }
        flusher.start()
    }

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

    // MARK: loading

    /// Reads every key back into `keyspace` (with `recordsChanges` off, so
    /// nothing is queued again), drops keys whose TTL passed while stopped
    /// (deleting them from the database), and resets the keyspace's change
    /// count. Call before serving.
    public func load(into keyspace: Keyspace, now: Int64 = currentTimeMillis()) throws
        -> (keys: Int, expired: Int, milliseconds: Int) {
        try withWriterConnection { _ in
            try Loader(writer: flusher.writer).load(into: keyspace, now: now)
        }
    }

    // MARK: saving

    /// SAVE: waits until everything submitted so far has committed, then
    /// checkpoints the WAL into the database file and truncates it.
    public func save() throws {
        try flusher.waitUntilCommitted()
        try withWriterConnection { connection in
            let result = try connection.checkpoint(SQLITE_CHECKPOINT_TRUNCATE)
            if result.busy {
                // A reader kept the checkpoint from finishing: make the
                // committed data durable anyway.
                try connection.syncWAL()
            }
            flusher.noteCheckpointed()
        }
    }

    /// BGSAVE: writes a consistent copy of the database, including everything
    /// submitted before the call, to `destination` (replaced atomically),
    /// without stopping writes: `VACUUM INTO` runs on its own read-only
    /// connection while the flusher keeps committing.
    public func snapshot(to destination: String) throws {
        try flusher.waitUntilCommitted()
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
        flusher.connectionLock.withLock {
            if let result = try? connection.checkpoint(SQLITE_CHECKPOINT_TRUNCATE) {
                if result.busy { _ = try? connection.syncWAL() }
                flusher.noteCheckpointed()
            }
            try? connection.setWALHook(nil)
            connection.close()
        }
    }

    // MARK: internals

    /// Runs `body` with exclusive use of the writer connection (the flusher
    /// waits). Also the tests' hook for SQL on the writer connection.
    func withWriterConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try flusher.connectionLock.withLock {
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
