import Foundation
import Keyspace
import Testing
@testable import Storage

/// The runner behind `SQL` and `HISTORY`: value conversion, binding, and the
/// authorizer's refusals, on a real WAL database.
@Suite struct ReadOnlyQueriesTests {
    /// A WAL database with one table `t(a, b)` holding three rows.
    private static func database(_ directory: TemporaryDirectory) throws {
        let writer = try SQLiteConnection(path: directory.databasePath)
        defer { writer.close() }
        _ = try writer.scalarText("PRAGMA journal_mode = WAL")
        try writer.exec("CREATE TABLE t (a, b); INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL); CREATE INDEX t_a ON t (a)")
    }

    private static func runner(_ directory: TemporaryDirectory, catchUp: @escaping () throws -> Void = {}) throws -> ReadOnlyQueries {
        try database(directory)
        return ReadOnlyQueries(path: directory.databasePath, busyTimeoutMilliseconds: 1000, catchUp: catchUp)
    }

    private static func query(_ sql: String, _ parameters: [SQLParameter] = [], timeout: Int = 0, maxRows: Int = 0) -> SQLRequest {
        SQLRequest(sql: Array(sql.utf8), parameters: parameters, timeoutMilliseconds: timeout, maxRows: maxRows)
    }

    @Test func convertsEveryStorageClass() throws {
        let directory = TemporaryDirectory()
        let queries = try Self.runner(directory)
        defer { queries.stop() }
        let result = try queries.runNow(Self.query("SELECT 42 AS i, -1.5 AS r, 'é' AS t, x'00ff' AS b, NULL AS n")).get()
        #expect(result.columns == ["i", "r", "t", "b", "n"])
        #expect(result.rows == [[.integer(42), .real(-1.5), .text(Array("é".utf8)), .blob([0, 255]), .null]])
        let table = try queries.runNow(Self.query("SELECT a, b FROM t ORDER BY a")).get()
        #expect(table.rows == [[.integer(1), .text(Array("one".utf8))], [.integer(2), .text(Array("two".utf8))], [.integer(3), .null]])
    }

    @Test func bindsParametersAsStored() throws {
        let directory = TemporaryDirectory()
        let queries = try Self.runner(directory)
        defer { queries.stop() }
        let result = try queries.runNow(Self.query("SELECT typeof(?1), typeof(?2), typeof(?3), ?1, ?3",
                                                   [.bytes(Array("10".utf8)), .bytes([0xff, 0x00]), .integer(7)])).get()
        #expect(result.rows == [[.text(Array("text".utf8)), .text(Array("blob".utf8)), .text(Array("integer".utf8)),
                                 .text(Array("10".utf8)), .integer(7)]])
        let found = try queries.runNow(Self.query("SELECT a FROM t WHERE b = ?", [.bytes(Array("two".utf8))])).get()
        #expect(found.rows == [[.integer(2)]])
        // Missing parameters are NULL; extra ones are ignored.
        let missing = try queries.runNow(Self.query("SELECT ?1 IS NULL")).get()
        #expect(missing.rows == [[.integer(1)]])
        #expect(try queries.runNow(Self.query("SELECT 1", [.integer(1), .integer(2)])).get().rows == [[.integer(1)]])
    }

    @Test func authorizerRefusesEverythingButReads() throws {
        let directory = TemporaryDirectory()
        let queries = try Self.runner(directory)
        defer { queries.stop() }
        let refused: [(String, String)] = [
            ("INSERT INTO t VALUES (4, 'four')", "INSERT into t"),
            ("UPDATE t SET a = 0", "UPDATE of t"),
            ("DELETE FROM t", "DELETE from t"),
            ("DROP TABLE t", "DROP TABLE t"),
            ("CREATE TABLE u (x)", "CREATE TABLE u"),
            ("CREATE TEMP TABLE u (x)", "CREATE TABLE u"),
            ("CREATE INDEX i ON t (a)", "CREATE INDEX i"),
            ("ALTER TABLE t ADD COLUMN c", "ALTER TABLE t"),
            ("ATTACH '\(directory.path)/other.db' AS other", "ATTACH"),
            ("DETACH main", "DETACH"),
            ("BEGIN", "BEGIN"),
            ("SAVEPOINT s", "SAVEPOINT"),
            ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = DELETE"),
            ("PRAGMA user_version = 3", "PRAGMA user_version = 3"),
            ("PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint"),
            ("PRAGMA query_only = 0", "PRAGMA query_only = 0"),
            // VACUUM attaches its target (a file the client names, with INTO).
            ("VACUUM", "ATTACH"),
            ("VACUUM INTO '\(directory.path)/copy.db'", "ATTACH"),
            ("SELECT load_extension('x')", "load_extension()"),
            ("ANALYZE", "CREATE TABLE sqlite_stat1"),
            ("REINDEX t_a", "REINDEX"),
        ]
        for (sql, what) in refused {
            #expect(queries.runNow(Self.query(sql)) == .failure(.refused(what)), "\(sql)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/copy.db"))
        #expect(try queries.runNow(Self.query("SELECT count(*) FROM t")).get().rows == [[.integer(3)]])
    }

    @Test func readOnlyPragmasAndRecursiveQueriesRun() throws {
        let directory = TemporaryDirectory()
        let queries = try Self.runner(directory)
        defer { queries.stop() }
        let info = try queries.runNow(Self.query("PRAGMA table_info(t)")).get()
        #expect(info.rows.map { $0[1] } == [.text(Array("a".utf8)), .text(Array("b".utf8))])
        let function = try queries.runNow(Self.query("SELECT name FROM pragma_table_info('t')")).get()
        #expect(function.rows == [[.text(Array("a".utf8))], [.text(Array("b".utf8))]])
        #expect(try queries.runNow(Self.query("PRAGMA user_version")).get().rows == [[.integer(0)]])
        #expect(try queries.runNow(Self.query("PRAGMA journal_mode")).get().rows == [[.text(Array("wal".utf8))]])
        let counted = try queries.runNow(Self.query(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT sum(x) FROM c")).get()
        #expect(counted.rows == [[.integer(15)]])
    }

    @Test func oneStatementOnly() throws {
        let directory = TemporaryDirectory()
        let queries = try Self.runner(directory)
        defer { queries.stop() }
        #expect(queries.runNow(Self.query("SELECT 1; SELECT 2")) == .failure(.multipleStatements))
        #expect(queries.runNow(Self.query("SELECT 1; DELETE FROM t")) == .failure(.multipleStatements))
        #expect(queries.runNow(Self.query("SELECT 1; garbage")) == .failure(.multipleStatements))
        #expect(try queries.runNow(Self.query("SELECT 1;")).get().rows == [[.integer(1)]])
        #expect(try queries.runNow(Self.query("SELECT 1; -- done\n /* really */ ")).get().rows == [[.integer(1)]])
        #expect(queries.runNow(Self.query("")) == .failure(.empty))
        #expect(queries.runNow(Self.query("  -- nothing")) == .failure(.empty))
        #expect(queries.runNow(Self.query("SELEC 1")) == .failure(.sqlite("near \"SELEC\": syntax error")))
        #expect(queries.runNow(Self.query("SELECT * FROM nowhere")) == .failure(.sqlite("no such table: nowhere")))
    }

    @Test func boundedInRowsAndTime() throws {
        let directory = TemporaryDirectory()
        let queries = try Self.runner(directory)
        defer { queries.stop() }
        #expect(queries.runNow(Self.query("SELECT * FROM t", maxRows: 2)) == .failure(.tooManyRows(2)))
        #expect(try queries.runNow(Self.query("SELECT * FROM t", maxRows: 3)).get().rows.count == 3)
        let started = Date()
        let forever = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        #expect(queries.runNow(Self.query(forever, timeout: 100)) == .failure(.timedOut(milliseconds: 100)))
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.1 && elapsed < 3)
        // The connection is usable again after the interruption.
        #expect(try queries.runNow(Self.query("SELECT 1", timeout: 100)).get().rows == [[.integer(1)]])
    }

    @Test func queryThreadRunsInOrderAfterCatchingUp() throws {
        let directory = TemporaryDirectory()
        let caughtUp = Locked(0)
        let queries = try Self.runner(directory) { caughtUp.value += 1 }
        let results = Locked<[Result<SQLRows, SQLFailure>]>([])
        let done = DispatchSemaphore(value: 0)
        for value in 1...3 {
            queries.submit(Self.query("SELECT ?", [.integer(Int64(value))])) { result in
                results.value.append(result)
                done.signal()
            }
        }
        for _ in 1...3 { done.wait() }
        #expect(results.value.map { try? $0.get().rows } == [[[.integer(1)]], [[.integer(2)]], [[.integer(3)]]])
        #expect(caughtUp.value == 3)
        queries.stop()
        let late = Locked<Result<SQLRows, SQLFailure>?>(nil)
        queries.submit(Self.query("SELECT 1")) { late.value = $0 }
        #expect(late.value == .failure(.unavailable("the server is shutting down")))
    }

    @Test func failsWhenTheTablesCannotCatchUp() throws {
        let directory = TemporaryDirectory()
        struct Broken: Error, CustomStringConvertible { var description: String { "disk full" } }
        let queries = try Self.runner(directory) { throw Broken() }
        defer { queries.stop() }
        #expect(queries.runNow(Self.query("SELECT 1")) == .failure(.unavailable("the tables are not up to date: disk full")))
    }
}
