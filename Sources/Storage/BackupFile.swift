#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Keyspace

/// Why a restore was refused; `description` is the whole message for the user.
public struct RestoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// `valkite-server --restore FILE`: checks a database file (a BGSAVE snapshot,
/// or the file of a stopped server) and puts it in place of the server's
/// database before the store opens it.
///
/// The check reads FILE without changing it: `PRAGMA integrity_check` must say
/// ok, its schema version (`PRAGMA user_version`) must be one this binary knows,
/// and every table, view and index that the migrations up to that version
/// create must be there. The file is then copied with `VACUUM INTO` (a
/// consistent copy even of a file someone is writing) next to the database and
/// migrated there; only then is anything replaced.
///
/// Replacing refuses while a process has the current database open (a running
/// server holds a shared lock on it in WAL mode). What it replaces is kept, not
/// deleted: it is first brought up to date as a start-up would (the journal
/// segments a crash left are replayed into it, the WAL checkpointed), then moved
/// to `<dir>/backups/before-restore-<unix-ms>.db`, a file that restores like any
/// snapshot. Its journal must not stay beside the restored database: those
/// records would be replayed onto it at start-up. If the old database cannot be
/// opened, its `-wal` and segments move along with it, renamed to match.
public enum BackupFile {
    public struct Restored: Sendable {
        /// The database file now in place.
        public let path: String
        /// FILE's schema version, and the version after migrating.
        public let schemaVersion: (from: Int, to: Int)
        /// Where the replaced database went, if there was one.
        public let replacedPath: String?
    }

    /// Checks `source` and installs a copy as `directory/filename`.
    public static func restore(from source: String, directory: String, filename: String,
                               now: Int64 = currentTimeMillis()) throws -> Restored {
        let destination = directory.hasSuffix("/") ? directory + filename : directory + "/" + filename
        if let real = realPath(source), real == realPath(destination) {
            throw RestoreError(description: "\(source) is the server's own database file: restore from a snapshot "
                               + "(BGSAVE writes them to \(directory)/backups) or another copy")
        }
        try checkNotInUse(destination)
        let version = try check(source)
        try makeDirectory(directory)
        let temporary = "\(destination).restore-\(getpid())"
        removeDatabaseFiles(temporary)
        defer { removeDatabaseFiles(temporary) }
        let migrated: Int
        do {
            try copy(source, to: temporary)
            let connection = try SQLiteConnection(path: temporary)
            defer { connection.close() }
            migrated = try Migrator.migrate(connection).to
        } catch {
            throw RestoreError(description: "Can't copy \(source) to \(temporary): \(error)")
        }
        try fsyncPath(temporary)

        // Checked again right before the swap: the checks above can take a while.
        try checkNotInUse(destination)
        if access(destination, F_OK) == 0, let old = try? Store.open(directory: directory, filename: filename) {
            old.close()
        }
        let replaced = try moveAside(destination, into: directory + "/backups", now: now)
        if rename(temporary, destination) != 0 {
            throw RestoreError(description: "Can't rename \(temporary) to \(destination): \(errnoText())")
        }
        try fsyncPath(directory)
        return Restored(path: destination, schemaVersion: (version, migrated), replacedPath: replaced)
    }

    /// Checks that `path` is a database this binary can restore; returns its
    /// schema version. Reads only.
    public static func check(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw RestoreError(description: "Can't read \(path): \(errnoText())") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw RestoreError(description: "\(path) is not a file") }
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, flags: SQLiteConnection.readOnly)
        } catch {
            throw RestoreError(description: "Can't open \(path): \(error)")
        }
        defer { connection.close() }
        func refuse(_ reason: String) -> RestoreError { RestoreError(description: "\(path) \(reason); not restored") }
        do {
            try connection.setBusyTimeout(milliseconds: 5_000)
            let problems = try rows(connection, "PRAGMA integrity_check(10)")
            guard problems == ["ok"] else {
                throw refuse("fails the integrity check: " + problems.joined(separator: "; "))
            }
        } catch let error as RestoreError {
            throw error
        } catch let error as StorageError {
            // "file is not a database", "database disk image is malformed"…
            throw refuse("is not a readable SQLite database (\(error.message))")
        }
        let version: Int
        let present: Set<String>
        do {
            version = try Migrator.version(of: connection)
            present = try schemaObjects(connection)
        } catch {
            throw refuse("can't be read: \(error)")
        }
        if version > Migration.latestVersion {
            throw refuse("has schema version \(version), newer than this binary supports (\(Migration.latestVersion)): "
                         + "it was written by a newer Valkite")
        }
        if version < 1 {
            throw refuse("is not a Valkite database (schema version 0, no migrations applied)")
        }
        let missing = try expectedObjects(version: version).subtracting(present).sorted()
        if !missing.isEmpty {
            throw refuse("is not a Valkite database of schema version \(version): it lacks "
                         + missing.joined(separator: ", "))
        }
        return version
    }

    // MARK: steps

    /// Refuses while a process has `path` open: a connection in exclusive
    /// locking mode cannot read a WAL database another connection holds (a
    /// server keeps a shared lock on it). A file SQLite cannot read at all is
    /// not in use by a server either.
    static func checkNotInUse(_ path: String) throws {
        guard access(path, F_OK) == 0, let connection = try? SQLiteConnection(path: path) else { return }
        defer { connection.close() }
        do {
            try connection.exec("PRAGMA locking_mode = EXCLUSIVE")
            _ = try connection.scalar("SELECT count(*) FROM sqlite_schema")
        } catch let error as StorageError where error.primaryCode == SQLITE_BUSY || error.primaryCode == SQLITE_LOCKED {
            throw RestoreError(description: "\(path) is in use (is the server running? stop it first); not restored")
        } catch {
            return
        }
    }

    /// `VACUUM INTO` on a read-only connection: a consistent, compact copy.
    private static func copy(_ source: String, to destination: String) throws {
        let reader = try SQLiteConnection(path: source, flags: SQLiteConnection.readOnly)
        defer { reader.close() }
        try reader.setBusyTimeout(milliseconds: 5_000)
        let vacuum = try reader.prepare("VACUUM INTO ?1")
        try vacuum.bind(text: destination, at: 1)
        try vacuum.run()
    }

    /// Moves the database at `path`, its `-wal` and its journal segments (if
    /// any are left) into `backups` as `before-restore-<now>.db` (+ `-wal`,
    /// `-journal.NNNNNN.log`); deletes its `-shm` (rebuilt from the WAL).
    /// Returns the new path.
    private static func moveAside(_ path: String, into backups: String, now: Int64) throws -> String? {
        let segments = JournalFile.existingSegments(databasePath: path)
        guard access(path, F_OK) == 0 || access(path + "-wal", F_OK) == 0 || !segments.isEmpty else { return nil }
        try makeDirectory(backups)
        let target = "\(backups)/before-restore-\(now).db"
        var moves = [(path, target), (path + "-wal", target + "-wal")]
        for segment in segments {
            moves.append((JournalFile.path(databasePath: path, segment: segment),
                          JournalFile.path(databasePath: target, segment: segment)))
        }
        for (from, to) in moves where access(from, F_OK) == 0 {
            if rename(from, to) != 0 {
                throw RestoreError(description: "Can't move \(from) to \(to): \(errnoText()); not restored")
            }
        }
        unlink(path + "-shm")
        try fsyncPath(backups)
        return target
    }

    // MARK: schema

    /// "table strings", "view keys", "index zsets_by_score"… (SQLite's own objects left out).
    private static func schemaObjects(_ connection: SQLiteConnection) throws -> Set<String> {
        Set(try rows(connection, """
            SELECT type || ' ' || name FROM sqlite_schema
             WHERE type IN ('table', 'view', 'index', 'trigger') AND name NOT LIKE 'sqlite_%'
            """))
    }

    /// What the embedded migrations up to `version` create, built in memory.
    private static func expectedObjects(version: Int) throws -> Set<String> {
        let memory = try SQLiteConnection(path: ":memory:")
        defer { memory.close() }
        for migration in Migration.embedded where migration.version <= version {
            try memory.exec(migration.sql)
        }
        return try schemaObjects(memory)
    }

    private static func rows(_ connection: SQLiteConnection, _ sql: String) throws -> [String] {
        let statement = try connection.prepare(sql)
        var result: [String] = []
        while try statement.step() { result.append(statement.columnText(0) ?? "") }
        return result
    }

    // MARK: files

    /// Removes a database file and the files SQLite keeps beside it.
    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func makeDirectory(_ directory: String) throws {
        var partial = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw RestoreError(description: "Can't create \(partial): \(errnoText())")
            }
        }
    }

    private static func fsyncPath(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let text = errnoText()
            if descriptor >= 0 { close(descriptor) }
            throw RestoreError(description: "Can't fsync \(path): \(text)")
        }
        close(descriptor)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
