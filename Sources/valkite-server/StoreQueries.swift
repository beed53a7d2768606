import Commands
import Keyspace
import Storage

/// `SQL` and `HISTORY` over the store's read-only query runner.
final class StoreQueries: SQLHost, @unchecked Sendable {
    private let runner: ReadOnlyQueries

    init(store: Store) {
        runner = ReadOnlyQueries(store: store)
    }

    func query(_ request: SQLRequest, completion: @escaping (Result<SQLRows, SQLFailure>) -> Void) {
        runner.submit(request, completion: completion)
    }

    func queryNow(_ request: SQLRequest) -> Result<SQLRows, SQLFailure> {
        runner.runNow(request)
    }

    /// Shutdown, before the store closes: lets the running statement finish.
    func stop() { runner.stop() }
}
