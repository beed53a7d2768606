import CSQLite

/// Start-up: reads the `strings` table on a thread of its own and hands the
/// rows over in batches, so that on two cores SQLite's stepping and the copies
/// of keys and values out of its pages (about half the load's CPU) run beside
/// the inserts into the key table instead of before each of them.
///
/// The loader's thread holds the writer connection's lock for the whole load,
/// and waits for this thread (`next()` returning nil, or `stop()`, which the
/// loader must call on every way out) before it lets go, so the connection is
/// only ever used by one thread at a time.
final class StringRowReader: @unchecked Sendable {
    /// Consecutive rows of one database, their bytes copied out of SQLite's
    /// pages back to back: one buffer per batch here, while the loader's
    /// thread makes the arrays the keyspace keeps (their allocations and
    /// copies, and the page faults of fresh memory, are the other half of
    /// the work).
    struct Batch {
        var db: Int
        /// The keys are distinct from each other and from every key loaded
        /// before (see `Loader.loadStrings`): no lookup needed.
        var distinct: Bool
        /// Row i's key is bytes[bounds[2i]..<bounds[2i+1]], its value
        /// bytes[bounds[2i+1]..<bounds[2i+2]].
        var bytes: [UInt8] = []
        var bounds: [Int] = [0]

        init(db: Int, distinct: Bool) {
            self.db = db
            self.distinct = distinct
            bytes.reserveCapacity(StringRowReader.batchSize * 128)
            bounds.reserveCapacity(2 * StringRowReader.batchSize + 1)
        }

        var count: Int { bounds.count / 2 }
        func key(_ row: Int) -> [UInt8] { Array(bytes[bounds[2 * row]..<bounds[2 * row + 1]]) }
        func value(_ row: Int) -> [UInt8] { Array(bytes[bounds[2 * row + 1]..<bounds[2 * row + 2]]) }

        mutating func append(_ column: UnsafeRawBufferPointer) {
            bytes.append(contentsOf: column)
            bounds.append(bytes.count)
        }
    }

    static let batchSize = 512
    /// Batches read ahead at most (a few hundred KB of rows).
    private static let queueLimit = 8

    private let rows: SQLiteStatement
    private var keysAreDistinct: Bool
    private let mutex = Mutex()
    private let changed: Condition
    private var queue: [Batch] = []
    private var finished = false
    private var stopping = false
    private var failure: Error?
    private var thread: StorageThread?

    /// Starts reading `rows` (`SELECT db, key, value FROM strings`).
    /// `keysAreDistinct`: nothing is loaded yet, so the first rows need no lookup.
    init(rows: SQLiteStatement, keysAreDistinct: Bool) {
        self.rows = rows
        self.keysAreDistinct = keysAreDistinct
        changed = Condition(mutex)
        thread = StorageThread(name: "string-loader") { [self] in run() }
    }

    /// The next batch in table order; nil once every row was handed over.
    /// Rethrows the reader's SQLite error.
    func next() throws -> Batch? {
        let result: Result<Batch?, Error> = mutex.withLock {
            while queue.isEmpty && !finished { changed.wait() }
            if !queue.isEmpty {
                let batch = queue.removeFirst()
                changed.broadcast()
                return .success(batch)
            }
            if let failure { return .failure(failure) }
            return .success(nil)
        }
        let batch = try result.get()
        if batch == nil { join() }
        return batch
    }

    /// Stops reading (the loader failed) and waits for the thread.
    func stop() {
        mutex.withLock {
            stopping = true
            changed.broadcast()
        }
        join()
    }

    private func join() {
        thread?.join()
        thread = nil
    }

    private func run() {
        let statement = rows.handle
        /// The column's bytes in SQLite's page, valid until the next step.
        func column(_ index: Int32) -> UnsafeRawBufferPointer {
            guard let pointer = sqlite3_column_blob(statement, index) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(statement, index)))
        }
        do {
            var batch = Batch(db: 0, distinct: keysAreDistinct)
            while try rows.step() {
                let db = rows.columnInt(0)
                let storedAsText = rows.columnType(1) == SQLITE_TEXT  // before reading the bytes
                let key = column(1)
                // A row breaking StoredBytes' rule could repeat another row's
                // key: from it on, every key is looked up.
                let distinct = keysAreDistinct && storedAsText == StoredBytes.isText(key.bindMemory(to: UInt8.self))
                if !distinct { keysAreDistinct = false }
                if db != batch.db || distinct != batch.distinct || batch.count == StringRowReader.batchSize {
                    guard hand(&batch) else { return }
                    batch = Batch(db: db, distinct: distinct)
                }
                batch.append(key)
                batch.append(column(2))
            }
            _ = hand(&batch)
        } catch {
            mutex.withLock { failure = error }
        }
        mutex.withLock {
            finished = true
            changed.broadcast()
        }
    }

    /// Queues `batch` (if it has rows), waiting while the queue is full.
    /// False when the loader asked to stop.
    private func hand(_ batch: inout Batch) -> Bool {
        mutex.withLock {
            while queue.count >= StringRowReader.queueLimit && !stopping { changed.wait() }
            if stopping { return false }
            if batch.count > 0 {
                queue.append(batch)
                changed.broadcast()
            }
            return true
        }
    }
}
