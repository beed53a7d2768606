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
            let rows = try connection.prepare("SELECT db, key, value FROM strings")
            while try rows.step() {
                try database(rows.columnInt(0)).setString(rows.columnBytes(1), rows.columnBytes(2), expiry: .clear)
            }
        }
        // Collections: rows of one key are adjacent in primary-key order, so
        // the key is looked up once per run of rows, not once per row.
        var collections: [RedisValue] = []
        func loadCollection(_ sql: String, _ make: () -> RedisValue,
                            _ add: (RedisValue, SQLiteStatement) -> Void) throws {
            let rows = try connection.prepare(sql)
            var currentDb = -1, currentKey: [UInt8] = [], current: RedisValue? = nil
            while try rows.step() {
                let db = rows.columnInt(0), key = rows.columnBytes(1)
                if current == nil || db != currentDb || key != currentKey {
                    let value = make()
                    try database(db).create(key, value)
                    collections.append(value)
                    currentDb = db; currentKey = key; current = value
                }
                add(current!, rows)
            }
        }
        if writer.mayHaveRows(.hashes) {
            try loadCollection("SELECT db, key, field, value FROM hashes ORDER BY db, key", { .hash(HashValue()) }) {
                if case .hash(let hash) = $0 { hash.fields.insert(ByteString($1.columnBytes(2)), $1.columnBytes(3)) }
            }
        }
        if writer.mayHaveRows(.sets) {
            try loadCollection("SELECT db, key, member FROM sets", { .set(SetValue()) }) {
                if case .set(let set) = $0 { set.members.insert(ByteString($1.columnBytes(2)), ()) }
            }
        }
        if writer.mayHaveRows(.zsets) {
            try loadCollection("SELECT db, key, member, score FROM zsets", { .zset(SortedSetValue()) }) {
                if case .zset(let zset) = $0 { zset.insert($1.columnBytes(2), score: $1.columnDouble(3)) }
            }
        }
        if writer.mayHaveRows(.lists) {
            try loadCollection("SELECT db, key, value FROM lists ORDER BY db, key, pos", { .list(ListValue()) }) {
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
        let loaded = keyspace.databases.reduce(0) { $0 + $1.count }
        let milliseconds = Int((monotonicNanos() - started) / 1_000_000)
        return (loaded, expired, milliseconds)
    }
}
