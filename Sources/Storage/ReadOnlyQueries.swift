import Keyspace

/// Runs clients' read-only statements on a thread of its own, on its own
/// read-only connection to the server's database, so a slow query never holds
/// up the event loops. Before each statement the tables are brought up to date
/// with every write submitted so far (`Store.waitUntilMaterialized`), so a
/// query sees every write acknowledged before it.
///
/// Statements run one at a time, in submission order; `completion` is called
/// on the query thread.
public final class ReadOnlyQueries: @unchecked Sendable {
    private typealias Job = (query: SQLRequest, completion: (Result<SQLRows, SQLFailure>) -> Void)

    private let path: String
    private let busyTimeoutMilliseconds: Int
    /// Brings the tables up to date; runs before each statement.
    private let catchUp: () throws -> Void
    private let mutex = Mutex()
    private let available: Condition
    private var jobs: [Job] = []
    private var stopping = false
    private var thread: StorageThread?
    /// Opened by the query thread on first use (and again after a failure to open).
    private var connection: ReadOnlyQueriesConnection?

    /// Queries on `store`'s database.
    public convenience init(store: Store, busyTimeoutMilliseconds: Int = StoreOptions().busyTimeoutMilliseconds) {
        self.init(path: store.path, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
                  catchUp: { try store.waitUntilMaterialized() })
    }

    init(path: String, busyTimeoutMilliseconds: Int, catchUp: @escaping () throws -> Void) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.catchUp = catchUp
        available = Condition(mutex)
        thread = StorageThread(name: "sql-queries") { [unowned self] in self.run() }
    }

    /// Queues `query`; `completion` runs on the query thread once it is done
    /// (with `.unavailable` if the runner stops first).
    public func submit(_ query: SQLRequest, completion: @escaping (Result<SQLRows, SQLFailure>) -> Void) {
        let accepted = mutex.withLock { () -> Bool in
            guard !stopping else { return false }
            jobs.append((query, completion))
            available.signal()
            return true
        }
        if !accepted { completion(.failure(.unavailable("the server is shutting down"))) }
    }

    /// Runs `query` on the calling thread, on a connection of its own (for a
    /// caller that cannot wait: a command inside MULTI/EXEC).
    public func runNow(_ query: SQLRequest) -> Result<SQLRows, SQLFailure> {
        do {
            let connection = try ReadOnlyQueriesConnection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            return execute(query, on: connection)
        } catch {
            return .failure(.unavailable("\(error)"))
        }
    }

    /// Finishes the statement running, fails the queued ones, and closes the
    /// connection. Call before closing the store. Idempotent.
    public func stop() {
        let thread = mutex.withLock { () -> StorageThread? in
            stopping = true
            available.signal()
            defer { self.thread = nil }
            return self.thread
        }
        thread?.join()
    }

    deinit { stop() }

    private func run() {
        while true {
            mutex.lock()
            while jobs.isEmpty && !stopping { available.wait() }
            if stopping {
                let abandoned = jobs
                jobs.removeAll()
                mutex.unlock()
                for job in abandoned { job.completion(.failure(.unavailable("the server is shutting down"))) }
                connection = nil
                return
            }
            let job = jobs.removeFirst()
            mutex.unlock()
            job.completion(runOnThread(job.query))
        }
    }

    private func runOnThread(_ query: SQLRequest) -> Result<SQLRows, SQLFailure> {
        if connection == nil {
            do {
                connection = try ReadOnlyQueriesConnection(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            } catch {
                return .failure(.unavailable("\(error)"))
            }
        }
        return execute(query, on: connection!)
    }

    private func execute(_ query: SQLRequest, on connection: ReadOnlyQueriesConnection) -> Result<SQLRows, SQLFailure> {
        do {
            try catchUp()
        } catch {
            return .failure(.unavailable("the tables are not up to date: \(error)"))
        }
        return connection.run(query)
    }
}
