#if canImport(Glibc)
import Glibc
#endif
import Keyspace

/// Reads every table back into a keyspace at start-up.
struct Loader {
    let writer: ChangeWriter

    /// Loads all keys into `keyspace` without recording changes. Keys whose TTL
    /// passed while the server was stopped are not loaded and are deleted from
    /// the database, as are TTL rows of keys that no longer exist.
    /// `finishCollection` runs once per loaded collection (the server sets
    /// its OBJECT ENCODING from the configured thresholds).
    func load(into keyspace: Keyspace, now: Int64,
              finishCollection: (RedisValue) -> Void) throws -> (keys: Int, expired: Int, milliseconds: Int) {
        let started = monotonicNanos()
        let restoreHeapGrowth = growHeapInLargeSteps()
        defer { restoreHeapGrowth() }
        let connection = writer.connection
        let wasRecording = keyspace.recordsChanges
        keyspace.recordsChanges = false
        defer { keyspace.recordsChanges = wasRecording }
        let databaseCount = keyspace.databases.count
        func database(_ db: Int) throws -> Database {
            guard db >= 0 && db < databaseCount else {
                throw StorageError(kind: .invalidData,
                                   message: "the database holds keys of database \(db), but only \(databaseCount) "
                                       + "databases are configured (see `databases`)",
                                   context: connection.path)
            }
            return keyspace[db]
        }

        if writer.mayHaveRows(.strings) {
            try loadStrings(into: keyspace, database: database)
        }
        // Collections: the key is looked up once per run of adjacent rows of
        // the same key, not once per row. Hashes are read in rowid order, their
        // table's pages in turn (ORDER BY key would fetch every row through the
        // primary-key index: a random seek per field), where one key's rows may
        // come in several runs: a run whose key already holds a collection of
        // the type adds to it. Lists are read in position order; sets and
        // sorted sets in their WITHOUT ROWID tables' own (primary-key) order.
        var collections: [RedisValue] = []
        func loadCollection(_ sql: String, _ make: () -> RedisValue, _ isSameType: (RedisValue) -> Bool,
                            _ add: (RedisValue, SQLiteStatement) -> Void) throws {
            let rows = try connection.prepare(sql)
            var currentDb = -1, currentKey: [UInt8] = [], current: RedisValue? = nil
            while try rows.step() {
                let db = rows.columnInt(0), key = rows.columnBytes(1)
                if current == nil || db != currentDb || key != currentKey {
                    let target = try database(db)
                    if let node = target.lookup(key), isSameType(node.value.value) {
                        current = node.value.value
                    } else {
                        let value = make()
                        target.create(key, value)
                        collections.append(value)
                        current = value
                    }
                    currentDb = db; currentKey = key
                }
                add(current!, rows)
            }
        }
        if writer.mayHaveRows(.hashes) {
            try loadCollection("SELECT db, key, field, value FROM hashes", { .hash(HashValue()) },
                               { if case .hash = $0 { true } else { false } }) {
                if case .hash(let hash) = $0 { hash.loadField($1.columnBytes(2), $1.columnBytes(3)) }
            }
        }
        if writer.mayHaveRows(.sets) {
            try loadCollection("SELECT db, key, member FROM sets", { .set(SetValue()) },
                               { if case .set = $0 { true } else { false } }) {
                if case .set(let set) = $0 { set.loadMember($1.columnBytes(2)) }
            }
        }
        if writer.mayHaveRows(.zsets) {
            try loadCollection("SELECT db, key, member, score FROM zsets", { .zset(SortedSetValue()) },
                               { if case .zset = $0 { true } else { false } }) {
                if case .zset(let zset) = $0 { zset.insert($1.columnBytes(2), score: $1.columnDouble(3)) }
            }
        }
        if writer.mayHaveRows(.lists) {
            try loadCollection("SELECT db, key, value FROM lists ORDER BY db, key, pos", { .list(ListValue()) },
                               { if case .list = $0 { true } else { false } }) {
                if case .list(let list) = $0 { list.elements.append($1.columnBytes(2)) }
            }
        }
        for collection in collections { finishCollection(collection) }

        // TTLs: keys already past theirs are dropped (from memory and the
        // database), as are TTL rows of keys that do not exist (nothing
        // writes those, but a hand edit could).
        var stale: [KeyIdentity] = []
        var expired = 0
        if writer.mayHaveRows(.expires) {
            let rows = try connection.prepare("SELECT db, key, at FROM expires")
            while try rows.step() {
                let db = rows.columnInt(0), key = rows.columnBytes(1), at = rows.columnInt64(2)
                guard let node = try database(db).lookup(key) else {
                    stale.append(KeyIdentity(db: db, key: key))
                    continue
                }
                if at <= now {
                    _ = keyspace[db].delete(key)
                    stale.append(KeyIdentity(db: db, key: key))
                    expired += 1
                } else {
                    keyspace[db].setExpiry(node, at: at)
                }
            }
        }
        if !stale.isEmpty {
            try connection.transaction {
                for identity in stale { try writer.deleteKey(db: identity.db, key: identity.key) }
            }
        }
        // Loading is not a change (INFO rdb_changes_since_last_save starts at 0).
        keyspace.resetChangeCount()
        try unmapDatabaseFile()
        let loaded = keyspace.databases.reduce(0) { $0 + $1.count }
        let milliseconds = Int((monotonicNanos() - started) / 1_000_000)
        return (loaded, expired, milliseconds)
    }

    /// Strings, in rowid order (the table's pages one after the other), read
    /// by a `StringRowReader` on a second thread while this one inserts.
    ///
    /// The primary key (db, key) holds each key once, and a row whose storage
    /// class follows StoredBytes' rule (TEXT exactly when the bytes are UTF-8
    /// without NUL) cannot have the same bytes as another such row: those rows
    /// go in without a lookup, a batch at a time (`Database.loadNewStrings`).
    /// A hand-edited row breaking the rule could repeat a key as the other
    /// class, so from the first such row on every key is looked up.
    private func loadStrings(into keyspace: Keyspace, database: (Int) throws -> Database) throws {
        try reserveStringKeys(in: keyspace)
        let reader = StringRowReader(rows: try writer.connection.prepare("SELECT db, key, value FROM strings"),
                                     keysAreDistinct: keyspace.databases.allSatisfy { $0.count == 0 })
        defer { reader.stop() }
        var keys: [[UInt8]] = [], values: [[UInt8]] = []
        while let batch = try reader.next() {
            let target = try database(batch.db)
            if batch.distinct {
                keys.removeAll(keepingCapacity: true)
                values.removeAll(keepingCapacity: true)
                for row in 0..<batch.count {
                    keys.append(batch.key(row))
                    values.append(batch.value(row))
                }
                target.loadNewStrings(keys, values)
            } else {
                for row in 0..<batch.count { target.loadString(batch.key(row), batch.value(row)) }
            }
        }
    }

    /// Sizes the key table before the strings load when they all live in one
    /// database (the usual case; `count(*)` reads only the primary-key index,
    /// ~40 ms for 1,000,000 keys). Keys spread over several databases load
    /// without it: counting per database costs as much as the doublings it saves.
    private func reserveStringKeys(in keyspace: Keyspace) throws {
        let range = try writer.connection.prepare("""
            SELECT (SELECT min(db) FROM strings), (SELECT max(db) FROM strings), (SELECT count(*) FROM strings)
            """)
        guard try range.step() else { return }
        let first = range.columnInt(0), last = range.columnInt(1), count = range.columnInt(2)
        if first == last && first >= 0 && first < keyspace.databases.count {
            keyspace[first].reserveCapacity(count)
        }
    }

    /// The load read the whole database file through SQLite's memory map, so
    /// its pages count in the server's RSS for as long as the mapping lives.
    /// Dropping the mapping (mmap_size 0, then back) leaves them to the OS page
    /// cache; the materializer maps again what it reads later.
    private func unmapDatabaseFile() throws {
        let connection = writer.connection
        let limit = try connection.scalar("PRAGMA mmap_size")
        guard limit > 0 else { return }
        try connection.exec("PRAGMA mmap_size = 0; PRAGMA mmap_size = \(limit);")
    }
}

/// The keyspace grows by hundreds of MB during a large load, in the loading
/// threads' malloc arenas, which glibc extends 128 KB at a time (its default
/// `M_TOP_PAD`) with one mprotect call each: ~2,500 calls, ~15 % of the
/// load's CPU for a million keys. This extends it 64 MB at a time until the
/// returned closure restores the default; reserved memory that is never
/// touched costs nothing. A process started with its own malloc settings
/// (MALLOC_TOP_PAD_, GLIBC_TUNABLES) is left alone.
private func growHeapInLargeSteps() -> () -> Void {
    #if canImport(Glibc)
    guard getenv("MALLOC_TOP_PAD_") == nil, getenv("GLIBC_TUNABLES") == nil,
          let mallopt = glibcMallopt else { return {} }
    let topPad: Int32 = -2  // M_TOP_PAD in malloc.h
    guard mallopt(topPad, 64 << 20) == 1 else { return {} }
    return { _ = mallopt(topPad, 128 << 10) }
    #else
    return {}
    #endif
}

#if canImport(Glibc)
/// glibc's `mallopt`, found at run time: malloc.h is not part of the Glibc module.
private let glibcMallopt: (@convention(c) (Int32, Int32) -> Int32)? = {
    guard let symbol = dlsym(nil, "mallopt") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
}()
#endif
