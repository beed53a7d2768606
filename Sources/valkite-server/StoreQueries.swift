import Commands
import Storage

/// `SQL` and `HISTORY` over the store's read-only query runner: converts
/// between the commands' types and Storage's (neither module knows the other).
final class StoreQueries: SQLHost, @unchecked Sendable {
    private let runner: ReadOnlyQueries

    init(store: Store) {
        runner = ReadOnlyQueries(store: store)
    }

    func query(_ request: SQLRequest, completion: @escaping (Result<SQLRows, SQLFailure>) -> Void) {
        runner.submit(Self.query(request)) { completion(Self.outcome($0)) }
    }

    func queryNow(_ request: SQLRequest) -> Result<SQLRows, SQLFailure> {
        Self.outcome(runner.runNow(Self.query(request)))
    }

    /// Shutdown, before the store closes: lets the running statement finish.
    func stop() { runner.stop() }

    private static func query(_ request: SQLRequest) -> ReadOnlyQuery {
        ReadOnlyQuery(
            sql: request.sql,
            parameters: request.parameters.map { parameter in
                switch parameter {
                case .integer(let value): return .integer(value)
                case .bytes(let bytes): return .bytes(bytes)
                }
            },
            timeoutMilliseconds: request.timeoutMilliseconds, maxRows: request.maxRows)
    }

    private static func outcome(_ result: Result<QueryResult, QueryError>) -> Result<SQLRows, SQLFailure> {
        switch result {
        case .success(let result):
            return .success(SQLRows(columns: result.columns, rows: result.rows.map { $0.map(value) }))
        case .failure(let error):
            switch error {
            case .empty: return .failure(.empty)
            case .multipleStatements: return .failure(.multipleStatements)
            case .refused(let what): return .failure(.refused(what))
            case .timedOut(let milliseconds): return .failure(.timedOut(milliseconds: milliseconds))
            case .tooManyRows(let limit): return .failure(.tooManyRows(limit))
            case .sqlite(let message): return .failure(.sqlite(message))
            case .unavailable(let message): return .failure(.unavailable(message))
            }
        }
    }

    private static func value(_ value: QueryValue) -> SQLValue {
        switch value {
        case .null: return .null
        case .integer(let number): return .integer(number)
        case .real(let number): return .real(number)
        case .text(let bytes): return .text(bytes)
        case .blob(let bytes): return .blob(bytes)
        }
    }
}
