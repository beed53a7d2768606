/// WATCH bookkeeping, as Valkey's multi.c: per database, the keys some client
/// watches → one `WatchedKey` per (client, key); and per client (`KeyWatcher`)
/// the list of its `WatchedKey`s, so UNWATCH/EXEC/DISCARD remove them without a
/// search.
///
/// `Keyspace.record` is the single choke point for "a key changed": when the
/// registry is not empty it passes every change record here, which marks the
/// watchers of the touched keys dirty (EXEC then answers a null array). When
/// nobody watches anything the whole cost is one `count != 0` check.
///
/// Watchers are referenced weakly: a client that disconnects without
/// UNWATCH leaves entries whose watcher is gone; they are dropped when their
/// key is touched and by an amortized sweep when the registry grows.
/// Everything here runs under the server's execution lock.
public final class WatchRegistry {
    /// Per database: watched key → the watches on it (one per client).
    var databases: [[ByteString: [WatchedKey]]]
    /// Number of watched (db, key) entries. Zero means no one watches.
    public internal(set) var count = 0
    /// Entry count past which the next new entry triggers a sweep of dead watchers.
    private var sweepThreshold = 1024

    init(databaseCount: Int) {
        databases = Array(repeating: [:], count: databaseCount)
    }

    // MARK: registration

    fileprivate func add(_ watched: WatchedKey) {
        if databases[watched.db][watched.key, default: []].isEmpty { count += 1 }
        databases[watched.db][watched.key, default: []].append(watched)
        if count > sweepThreshold {
            sweep()
            sweepThreshold = max(1024, count * 2)
        }
    }

    fileprivate func remove(_ watched: WatchedKey) {
        guard var watches = databases[watched.db][watched.key] else { return }
        watches.removeAll { $0 === watched }
        store(watches, db: watched.db, key: watched.key)
    }

    fileprivate func find(_ key: ByteString, db: Int, watcher: KeyWatcher) -> WatchedKey? {
        databases[db][key]?.first { $0.watcher === watcher }
    }

    private func store(_ watches: [WatchedKey], db: Int, key: ByteString) {
        if watches.isEmpty {
            if databases[db].removeValue(forKey: key) != nil { count -= 1 }
        } else {
            databases[db][key] = watches
        }
    }

    /// Drops the watches of clients that are gone.
    func sweep() {
        for db in databases.indices {
            for (key, watches) in databases[db] where watches.contains(where: { $0.watcher == nil }) {
                store(watches.filter { $0.watcher != nil }, db: db, key: key)
            }
        }
    }

    /// Watches on `key` in `db` (tests and introspection).
    public func watcherCount(_ key: [UInt8], db: Int) -> Int {
        databases[db][ByteString(key)]?.count ?? 0
    }

    // MARK: changes

    /// Called by `Keyspace.record` for every change while `count > 0`.
    func touch(_ change: ChangeRecord, in keyspace: Keyspace) {
        switch change {
        case .setString(let db, let key, _), .replaceWithString(let db, let key, _), .delete(let db, let key), .expired(let db, let key),
             .setExpiry(let db, let key, _),
             .hashSet(let db, let key, _, _), .hashDelete(let db, let key, _),
             .setAdd(let db, let key, _), .setRemove(let db, let key, _),
             .zsetAdd(let db, let key, _, _), .zsetRemove(let db, let key, _),
             .listPush(let db, let key, _, _), .listTrim(let db, let key, _, _),
             .listSet(let db, let key, _, _), .listInsert(let db, let key, _, _),
             .listRemove(let db, let key, _):
            touchKey(key, db: db, in: keyspace)
        case .rename(let db, let from, let to):
            touchKey(from, db: db, in: keyspace)
            touchKey(to, db: db, in: keyspace)
        case .move(let fromDb, let toDb, let key):
            touchKey(key, db: fromDb, in: keyspace)
            touchKey(key, db: toDb, in: keyspace)
        case .copy(_, _, let toDb, let to):
            touchKey(to, db: toDb, in: keyspace)
        case .flushDatabase(let db):
            touchDatabase(db, swapped: false, in: keyspace)
        case .flushAll:
            for db in databases.indices { touchDatabase(db, swapped: false, in: keyspace) }
        case .swapDatabases(let first, let second):
            touchDatabase(first, swapped: true, in: keyspace)
            touchDatabase(second, swapped: true, in: keyspace)
        case .history:
            break
        }
    }

    /// Valkey's `touchWatchedKey`: every client watching the key becomes dirty,
    /// except one that watched it while it was already (logically) expired and
    /// the key is now gone: deleting a stale key is no logical change.
    private func touchKey(_ key: [UInt8], db: Int, in keyspace: Keyspace) {
        guard db < databases.count else { return }
        let byteKey = ByteString(key)
        guard let watches = databases[db][byteKey] else { return }
        var dirtied: [KeyWatcher] = []
        var dead = false
        for watched in watches {
            guard let watcher = watched.watcher else {
                dead = true
                continue
            }
            if watched.expired && keyspace.databases[db].table.node(for: byteKey) == nil {
                watched.expired = false
                watched.existed = false
                continue
            }
            dirtied.append(watcher)
        }
        for watcher in dirtied { watcher.markDirty() }
        if dead, let remaining = databases[db][byteKey] {
            store(remaining.filter { $0.watcher != nil }, db: db, key: byteKey)
        }
    }

    /// Valkey's `touchAllWatchedKeysInDb` for FLUSHDB/FLUSHALL (`swapped` false:
    /// the database was emptied) and SWAPDB (`swapped` true: the database now
    /// holds what the other one held). Called after the operation, so what the
    /// database held before is known from each watch's `existed` flag: a watch
    /// that is not dirty has seen no change to its key since WATCH.
    private func touchDatabase(_ db: Int, swapped: Bool, in keyspace: Keyspace) {
        guard db < databases.count, !databases[db].isEmpty else { return }
        let now = keyspace.now
        var dirtied: [KeyWatcher] = []
        for (key, watches) in databases[db] {
            let replacement = swapped ? keyspace.databases[db].table.node(for: key) : nil
            let existsInReplacement = replacement != nil
            let replacementExpired = replacement.map { $0.value.expireAt != 0 && $0.value.expireAt <= now } ?? false
            for watched in watches {
                guard let watcher = watched.watcher else { continue }
                let existedBefore = watched.existed
                guard existedBefore || existsInReplacement else { continue }
                if watched.expired {
                    if !existsInReplacement {
                        // A stale key deleted: no logical change.
                        watched.expired = false
                        watched.existed = false
                        continue
                    } else if replacementExpired {
                        // Stale before, stale after.
                        watched.existed = true
                        continue
                    }
                } else if !existedBefore && replacementExpired {
                    // No key replaced by a stale key: no logical change.
                    watched.expired = true
                    watched.existed = true
                    continue
                }
                dirtied.append(watcher)
            }
        }
        for watcher in dirtied { watcher.markDirty() }
    }
}

/// One (client, database, key) watch.
final class WatchedKey {
    let db: Int
    let key: ByteString
    weak var watcher: KeyWatcher?
    /// The key was already logically expired when watched (Valkey's `expired`
    /// flag): its deletion by expiry is not a modification.
    var expired: Bool
    /// The key was physically present (live or stale) when watched; kept up to
    /// date while the watch is clean, so FLUSHDB knows whether it removed it.
    var existed: Bool

    init(db: Int, key: ByteString, watcher: KeyWatcher, expired: Bool, existed: Bool) {
        self.db = db
        self.key = key
        self.watcher = watcher
        self.expired = expired
        self.existed = existed
    }
}

/// One client's WATCH state: its watched keys and whether one of them changed
/// (Valkey's `CLIENT_DIRTY_CAS`). Owned by the client's transaction state.
public final class KeyWatcher {
    /// A watched key was modified since WATCH: EXEC must fail.
    public private(set) var dirty = false
    private var keys: [WatchedKey] = []
    private var registry: WatchRegistry?

    public init() {}

    /// Number of keys watched (CLIENT LIST `watch=`).
    public var count: Int { keys.count }

    /// WATCH `key` in database `db`. Watching a key twice is a no-op; a dirty
    /// watcher watches nothing more (EXEC will fail anyway).
    public func watch(_ key: [UInt8], db: Int, in keyspace: Keyspace) {
        guard !dirty else { return }
        let registry = keyspace.watches
        self.registry = registry
        let byteKey = ByteString(key)
        if registry.find(byteKey, db: db, watcher: self) != nil { return }
        let node = keyspace.databases[db].table.node(for: byteKey)
        let expired = node.map { $0.value.expireAt != 0 && $0.value.expireAt <= keyspace.now } ?? false
        let watched = WatchedKey(db: db, key: byteKey, watcher: self, expired: expired, existed: node != nil)
        keys.append(watched)
        registry.add(watched)
    }

    /// Removes every watch of this client; `dirty` is left as is (Valkey's `unwatchAllKeys`).
    public func unwatchAll() {
        guard !keys.isEmpty else { return }
        if let registry {
            for watched in keys { registry.remove(watched) }
        }
        keys.removeAll()
    }

    /// UNWATCH, EXEC, DISCARD, RESET: no watches and a clean slate.
    public func clear() {
        unwatchAll()
        dirty = false
    }

    /// Whether EXEC must fail: a watched key was modified, or (Valkey's
    /// `isWatchedKeyExpired`) one that was live at WATCH time has logically
    /// expired since, even if nothing deleted it yet.
    public func modified(in keyspace: Keyspace) -> Bool {
        if dirty { return true }
        let now = keyspace.now
        for watched in keys where !watched.expired {
            if let node = keyspace.databases[watched.db].table.node(for: watched.key),
               node.value.expireAt != 0 && node.value.expireAt <= now {
                dirty = true
                return true
            }
        }
        return false
    }

    /// A watched key changed: dirty, and nothing left to watch.
    fileprivate func markDirty() {
        dirty = true
        unwatchAll()
    }
}
