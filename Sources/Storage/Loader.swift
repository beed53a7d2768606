import Keyspace

/// Reads every table back into a keyspace at start-up.
struct Loader {
    let writer: ChangeWriter

    /// Loads all keys into `keyspace` without recording changes. Keys whose TTL
    /// passed while the server was stopped are not loaded and are deleted from
    /// the database, as are TTL rows of keys that no longer exist.
    func load(into keyspace: Keyspace, now: Int64) throws -> (keys: Int, expired: Int, milliseconds: Int) {
        let started = monotonicNanos()
        let connection = writer.connection
        for table in [DataTable.hashes, .lists, .sets, .zsets] where writer.mayHaveRows(table) {
            throw StorageError(kind: .invalidData,
                               message: "the database holds \(table.name) rows, which this build cannot load yet",
                               context: connection.path)
        }

        var expiries: [KeyIdentity: Int64] = [:]
        if writer.mayHaveRows(.expires) {
            let statement = try connection.prepare("SELECT db, key, at FROM expires")
            while try statement.step() {
                expiries[KeyIdentity(db: statement.columnInt(0), key: statement.columnBytes(1))] = statement.columnInt64(2)
            }
        }

        let wasRecording = keyspace.recordsChanges
        keyspace.recordsChanges = false
        defer { keyspace.recordsChanges = wasRecording }
        let databaseCount = keyspace.databases.count
        var loaded = 0
        var expired: [KeyIdentity] = []

        let strings = try connection.prepare("SELECT db, key, value FROM strings")
        while try strings.step() {
            let db = strings.columnInt(0)
            guard db >= 0 && db < databaseCount else {
                throw StorageError(kind: .invalidData,
                                   message: "the database holds keys of database \(db), but only \(databaseCount) "
                                       + "databases are configured (see `databases`)",
                                   context: connection.path)
            }
            let key = strings.columnBytes(1)
            var expiry = ExpiryUpdate.clear
            if !expiries.isEmpty, let at = expiries.removeValue(forKey: KeyIdentity(db: db, key: key)) {
                if at <= now {
                    expired.append(KeyIdentity(db: db, key: key))
                    continue
                }
                expiry = .at(at)
            }
            keyspace[db].setString(key, strings.columnBytes(2), expiry: expiry)
            loaded += 1
        }

        // TTLs left over belong to no key (nothing writes those, but a hand
        // edit could): drop them with the expired keys.
        if !expired.isEmpty || !expiries.isEmpty {
            try connection.transaction {
                for identity in expired { try writer.deleteKey(db: identity.db, key: identity.key) }
                for identity in expiries.keys { try writer.deleteKey(db: identity.db, key: identity.key) }
            }
        }
        // Loading is not a change (INFO rdb_changes_since_last_save starts at 0).
        keyspace.resetChangeCount()
        let milliseconds = Int((monotonicNanos() - started) / 1_000_000)
        return (loaded, expired.count, milliseconds)
    }
}
