/// The whole in-memory dataset: databases 0…n-1 and the log of changes made to
/// them since the last drain.
///
/// Not thread-safe by design: the server runs commands one at a time against it
/// (under its execution lock), as Valkey does on its main thread.
public final class Keyspace {
    public private(set) var databases: [Database] = []

    /// The time commands see, in Unix ms. The server sets it before each
    /// command so one command (or one MULTI/EXEC) sees a single instant.
    public var now: Int64

    /// Changes recorded since the last drain, encoded (`ChangeRecordCodec`)
    /// as they were made: encoding them later, at the journal write, read
    /// keys and values gone cold and retained and released every record.
    public private(set) var pendingChanges = EncodedChanges()
    /// How many bytes the last drain handed over: the next batch's buffer
    /// starts with that much room instead of growing from nothing.
    private var lastDrainBytes = 0
    /// When false, mutations record nothing (e.g. while loading from storage).
    public var recordsChanges = true
    /// Mutations since start (INFO persistence `rdb_changes_since_last_save`).
    public private(set) var changeCount = 0
    /// Keys removed by expiry, lazily or actively (INFO stats `expired_keys`).
    public internal(set) var expiredKeys = 0

    var random = FastRandom()

    /// A generator for a command's sampling (SPOP, SRANDMEMBER, HRANDFIELD…),
    /// seeded from the keyspace's own: seeding from the system generator cost
    /// a `getrandom` system call per command.
    public func makeRandom() -> FastRandom { FastRandom(seed: random.next()) }

    /// WATCHed keys (Keyspace/WatchedKeys.swift): every recorded change is
    /// checked against it while it is not empty.
    public let watches: WatchRegistry

    /// `history-keys`: changes to matching keys are preceded by a `.history`
    /// marker naming `currentOperation` (HistoryTracking.swift).
    public var historyKeys = HistoryKeys()
    /// The command running now, upper case; kept up to date by the dispatcher
    /// while `historyKeys` is not empty.
    public var currentOperation: [UInt8] = []

    public init(databaseCount: Int = 16, now: Int64 = currentTimeMillis()) {
        self.now = now
        self.watches = WatchRegistry(databaseCount: databaseCount)
        databases = (0..<databaseCount).map { Database(index: $0, keyspace: self) }
    }

    public subscript(index: Int) -> Database { databases[index] }

    @inline(__always)
    func record(_ change: ChangeRecord) {
        changeCount += 1
        if recordsChanges {
            if pendingChanges.bytes.capacity == 0 { pendingChanges.reserveCapacity(max(lastDrainBytes, 64)) }
            if !historyKeys.isEmpty, let marker = historyMarker(for: change) { pendingChanges.append(marker) }
            pendingChanges.append(change)
        }
        // WATCH: zero cost beyond this check while no client watches a key.
        if watches.count != 0 { watches.touch(change, in: self) }
    }

    /// Hands the recorded changes to the caller (the persistence layer) and
    /// clears them. The buffer itself goes to the caller, so the next batch
    /// starts a new one; an empty drain allocates nothing.
    public func drainEncodedChanges() -> EncodedChanges {
        guard !pendingChanges.isEmpty else { return EncodedChanges() }
        let drained = pendingChanges
        lastDrainBytes = min(drained.bytes.count, 64 * 1024)
        pendingChanges = EncodedChanges()
        return drained
    }

    /// `drainEncodedChanges`, decoded: the records themselves (tests, tools).
    public func drainChanges() -> [ChangeRecord] {
        drainEncodedChanges().decoded()
    }

    public func resetChangeCount() { changeCount = 0 }

    /// Takes over the data of `loaded` (filled at start-up without the server's
    /// lock), database by database; `loaded` is left empty. Records nothing.
    public func adopt(_ loaded: Keyspace) {
        for (database, source) in zip(databases, loaded.databases) {
            database.swapContents(with: source)
        }
    }

    // MARK: cross-database operations

    /// FLUSHALL.
    public func flushAll() {
        for database in databases {
            recordHistoryOfFlush(database)
            database.table.removeAll()
            database.volatileKeys.removeAll()
        }
        record(.flushAll)
    }

    /// SWAPDB.
    public func swapDatabases(_ first: Int, _ second: Int) {
        guard first != second else { return }
        databases[first].swapContents(with: databases[second])
        record(.swapDatabases(first, second))
    }

    /// RENAME within one database; the source must exist. Overwrites `to`.
    public func rename(in db: Int, from: [UInt8], to: [UInt8]) {
        let database = databases[db]
        guard from != to else { return }
        guard var entry = database.takeEntry(from) else { return }
        _ = database.takeEntry(to)
        entry.accessedAt = now
        database.insertEntry(ByteString(to), entry)
        record(.rename(db: db, from: from, to: to))
    }

    /// MOVE: the key must exist in `from` and not in `to`.
    public func move(key: [UInt8], from: Int, to: Int) {
        guard let entry = databases[from].takeEntry(key) else { return }
        databases[to].insertEntry(ByteString(key), entry)
        record(.move(fromDb: from, toDb: to, key: key))
    }

    /// COPY of a live key, value and TTL, overwriting the destination.
    public func copy(from source: [UInt8], in sourceDb: Int, to destination: [UInt8], in destinationDb: Int) {
        guard let node = databases[sourceDb].lookup(source) else { return }
        var entry = node.value
        entry.value = entry.value.deepCopy()
        entry.accessedAt = now
        entry.frequency = 5
        _ = databases[destinationDb].takeEntry(destination)
        databases[destinationDb].insertEntry(ByteString(destination), entry)
        record(.copy(fromDb: sourceDb, from: source, toDb: destinationDb, to: destination))
    }

    // MARK: incremental resizing

    /// Moves key-table buckets of resizes in progress (Valkey's
    /// `activerehashing`), 100 at a time within `budgetMicros`, so a resize
    /// finishes even when few writes come to step it along.
    public func resizeCycle(budgetMicros: Int64) {
        let started = currentTimeMicros()
        for database in databases {
            while database.table.moveBuckets(100) || database.volatileKeys.moveBuckets(100) {
                if currentTimeMicros() - started > budgetMicros { return }
            }
        }
    }

    // MARK: active expiry

    /// One active expiry cycle, as Valkey's `activeExpireCycle`: per database,
    /// sample 20 keys with a TTL, delete the expired ones, and repeat while more
    /// than a quarter of a sample was expired, within `budgetMicros`.
    /// Returns the number of keys deleted.
    @discardableResult
    public func activeExpireCycle(budgetMicros: Int64) -> Int {
        let started = currentTimeMicros()
        var deleted = 0
        for database in databases where database.volatileCount > 0 {
            while true {
                let (sampled, expired) = database.expireSample(samples: 20, using: &random)
                deleted += expired
                if sampled == 0 || expired * 4 <= sampled { break }
                if currentTimeMicros() - started > budgetMicros { return deleted }
            }
        }
        return deleted
    }
}
