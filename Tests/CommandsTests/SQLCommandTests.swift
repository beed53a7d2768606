import Keyspace
import NIOCore
import RESP
import Testing
@testable import Commands

/// A stand-in for the query runner: records requests, answers with `outcome`.
private final class FakeSQLHost: SQLHost {
    var outcome: Result<SQLRows, SQLFailure>
    var requests: [SQLRequest] = []
    /// Background queries waiting for `complete()`.
    var pending: [(Result<SQLRows, SQLFailure>) -> Void] = []

    init(_ outcome: Result<SQLRows, SQLFailure> = .success(SQLRows(columns: [], rows: []))) {
        self.outcome = outcome
    }

    func query(_ request: SQLRequest, completion: @escaping (Result<SQLRows, SQLFailure>) -> Void) {
        requests.append(request)
        pending.append(completion)
    }

    func queryNow(_ request: SQLRequest) -> Result<SQLRows, SQLFailure> {
        requests.append(request)
        return outcome
    }

    func complete() {
        let waiting = pending
        pending.removeAll()
        for completion in waiting { completion(outcome) }
    }
}

private final class FakeHost: ServerControl, BlockingHost {
    let blockedClients = BlockedClients()
    func requestShutdown() {}
    var listeningPort: Int { 0 }
}

/// A connection that finishes background work at once (as the event loop would, later).
private final class FakeConnection: ClientConnection, BackgroundWaiter {
    let server: ServerState
    var blockedCount = 0
    var resumed = 0
    init(server: ServerState) { self.server = server }
    func close() {}
    func blocked(deadline: Int64, token: Int) { blockedCount += 1 }
    func unblocked() {}
    func finishBackgroundWork(_ finish: @escaping (ServerState) -> Bool) {
        if finish(server) { resumed += 1 }
    }
}

private func text(_ value: String) -> SQLValue { .text(Array(value.utf8)) }

@Suite struct SQLCommandTests {
    @Test func unavailableWithoutDatabase() {
        let h = CommandHarness()
        #expect(h.run("SQL", "SELECT 1") == "-ERR SQL is not available: the server runs without a database\r\n")
        #expect(h.run("SQL") == "-ERR wrong number of arguments for 'sql' command\r\n")
    }

    @Test func rowsInBothProtocols() {
        let h = CommandHarness()
        let host = FakeSQLHost(.success(SQLRows(
            columns: ["i", "r", "t", "b", "n"],
            rows: [[.integer(-3), .real(2.5), text("x"), .blob([65, 0]), .null], [.integer(1), .real(0.1), text(""), .blob([]), .null]])))
        h.server.sql = host
        #expect(h.run("SQL", "SELECT …", "a", "b") == "*3\r\n*5\r\n$1\r\ni\r\n$1\r\nr\r\n$1\r\nt\r\n$1\r\nb\r\n$1\r\nn\r\n"
            + "*5\r\n:-3\r\n$3\r\n2.5\r\n$1\r\nx\r\n$2\r\nA\u{0}\r\n$-1\r\n"
            + "*5\r\n:1\r\n$3\r\n0.1\r\n$0\r\n\r\n$0\r\n\r\n$-1\r\n")
        #expect(host.requests.last?.sql == Array("SELECT …".utf8))
        #expect(host.requests.last?.parameters == [.bytes(Array("a".utf8)), .bytes(Array("b".utf8))])
        #expect(host.requests.last?.timeoutMilliseconds == 1000)
        #expect(host.requests.last?.maxRows == 10000)
        h.client.protocolVersion = .resp3
        host.outcome = .success(SQLRows(columns: ["i", "r", "n"], rows: [[.integer(7), .real(1e-7), .null]]))
        #expect(h.run("SQL", "q") == "*1\r\n%3\r\n$1\r\ni\r\n:7\r\n$1\r\nr\r\n,1e-7\r\n$1\r\nn\r\n_\r\n")
        host.outcome = .success(SQLRows(columns: ["a"], rows: []))
        #expect(h.run("SQL", "q") == "*0\r\n")
        h.client.protocolVersion = .resp2
        #expect(h.run("SQL", "q") == "*1\r\n*1\r\n$1\r\na\r\n")
    }

    @Test func limitsComeFromTheConfiguration() {
        let h = CommandHarness(settings: [("sql-timeout", "250"), ("sql-max-rows", "0")])
        let host = FakeSQLHost()
        h.server.sql = host
        h.run("SQL", "q")
        #expect(host.requests.last?.timeoutMilliseconds == 250)
        #expect(host.requests.last?.maxRows == 0)
        #expect(h.run("CONFIG", "GET", "sql-*") == "*4\r\n$12\r\nsql-max-rows\r\n$1\r\n0\r\n$11\r\nsql-timeout\r\n$3\r\n250\r\n")
    }

    @Test func failureMessages() {
        let h = CommandHarness()
        let host = FakeSQLHost()
        h.server.sql = host
        let expected: [(SQLFailure, String)] = [
            (.empty, "ERR SQL error: no statement to run"),
            (.multipleStatements, "ERR SQL error: only one statement can be run at a time"),
            (.refused("INSERT into strings"), "ERR SQL error: not authorized: INSERT into strings (SQL is read-only)"),
            (.timedOut(milliseconds: 1000), "ERR SQL query timed out after 1000 ms"),
            (.tooManyRows(10000), "ERR SQL query returned more than 10000 rows"),
            (.sqlite("no such table: x"), "ERR SQL error: no such table: x"),
            (.unavailable("the server is shutting down"), "ERR SQL error: the server is shutting down"),
        ]
        for (failure, message) in expected {
            host.outcome = .failure(failure)
            #expect(h.run("SQL", "q") == "-\(message)\r\n")
        }
    }

    /// The client waits off the event loop; its reply arrives once the work is done.
    @Test func waitsInTheBackground() {
        let h = CommandHarness()
        let host = FakeSQLHost(.success(SQLRows(columns: ["a"], rows: [[.integer(1)]])))
        h.server.sql = host
        let control = FakeHost()
        h.server.control = control
        let connection = FakeConnection(server: h.server)
        h.client.connection = connection
        #expect(h.run("SQL", "q") == "")
        #expect(connection.blockedCount == 1)
        #expect(control.blockedClients.isBlocked(h.client))
        #expect(host.requests.isEmpty)  // started only once the batch's changes are submitted
        control.blockedClients.startStagedWork()
        #expect(host.requests.count == 1)
        host.complete()
        #expect(connection.resumed == 1)
        #expect(!control.blockedClients.isBlocked(h.client))
        #expect(String(buffer: h.client.reply.buffer) == "*2\r\n*1\r\n$1\r\na\r\n*1\r\n:1\r\n")
        h.client.reply.buffer.clear()

        // An error counts in errorstats.
        host.outcome = .failure(.timedOut(milliseconds: 5))
        h.run("SQL", "q")
        control.blockedClients.startStagedWork()
        host.complete()
        #expect(String(buffer: h.client.reply.buffer) == "-ERR SQL query timed out after 5 ms\r\n")
        h.client.reply.buffer.clear()
        #expect(h.run("INFO", "errorstats").contains("errorstat_ERR:count=1"))

        // CLIENT REPLY OFF: nothing is written.
        h.run("CLIENT", "REPLY", "OFF")
        h.run("SQL", "q")
        control.blockedClients.startStagedWork()
        host.complete()
        #expect(h.client.reply.buffer.readableBytes == 0)
        h.run("CLIENT", "REPLY", "ON")

        // A client gone meanwhile: the reply is dropped, nothing resumes.
        h.run("SQL", "q")
        #expect(control.blockedClients.unblock(id: h.client.id, withError: false, in: h.server) == false)
        control.blockedClients.startStagedWork()
        control.blockedClients.remove(h.client)
        let resumedBefore = connection.resumed
        host.complete()
        #expect(connection.resumed == resumedBefore)
        #expect(h.client.reply.buffer.readableBytes == 0)

        // Inside MULTI/EXEC it runs at once.
        h.run("MULTI")
        h.run("SQL", "q")
        host.outcome = .success(SQLRows(columns: ["a"], rows: []))
        #expect(h.run("EXEC") == "*1\r\n*1\r\n*1\r\n$1\r\na\r\n")
        #expect(host.pending.isEmpty)
    }
}

@Suite struct HistoryCommandTests {
    private static func harness(_ outcome: Result<SQLRows, SQLFailure> = .success(SQLRows(columns: [], rows: [])))
        -> (CommandHarness, FakeSQLHost) {
        let h = CommandHarness(settings: [("history-keys", "h:* tracked at")])
        let host = FakeSQLHost(outcome)
        h.server.sql = host
        return (h, host)
    }

    @Test func argumentErrors() {
        let (h, host) = Self.harness()
        #expect(h.run("HISTORY") == "-ERR wrong number of arguments for 'history' command\r\n")
        #expect(h.run("HISTORY", "h:1", "COUNT", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("HISTORY", "h:1", "COUNT", "-1") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("HISTORY", "h:1", "SINCE", "1.5") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("HISTORY", "h:1", "FIELD") == "-ERR syntax error\r\n")
        #expect(h.run("HISTORY", "h:1", "BOGUS", "1") == "-ERR syntax error\r\n")
        #expect(h.run("HISTORY", "AT", "h:1", "soon") == "-ERR value is not an integer or out of range\r\n")
        // Syntax first, then whether the key is tracked.
        #expect(h.run("HISTORY", "other", "BOGUS", "1") == "-ERR syntax error\r\n")
        #expect(h.run("HISTORY", "other") == "-ERR key does not match history-keys: its changes are not recorded\r\n")
        #expect(h.run("HISTORY", "AT", "other", "5") == "-ERR key does not match history-keys: its changes are not recorded\r\n")
        #expect(host.requests.isEmpty)
    }

    @Test func listingQuery() {
        let (h, host) = Self.harness()
        h.run("SELECT", "3")
        h.run("HISTORY", "h:1")
        #expect(String(decoding: host.requests.last!.sql, as: UTF8.self) == "SELECT at, operation, type, kind, field, "
            + "old_value, new_value FROM history WHERE db = ?1 AND key = ?2 ORDER BY id LIMIT 100")
        #expect(host.requests.last!.parameters == [.integer(3), .bytes(Array("h:1".utf8))])
        h.run("HISTORY", "h:1", "field", "7", "SINCE", "10", "until", "20", "COUNT", "0", "REV")
        #expect(String(decoding: host.requests.last!.sql, as: UTF8.self) == "SELECT at, operation, type, kind, field, "
            + "old_value, new_value FROM history WHERE db = ?1 AND key = ?2 AND (field = ?3 OR field = ?4) "
            + "AND at >= ?5 AND at <= ?6 ORDER BY id DESC")
        #expect(host.requests.last!.parameters == [.integer(3), .bytes(Array("h:1".utf8)), .bytes(Array("7".utf8)),
                                                   .integer(7), .integer(10), .integer(20)])
        // A key named "at" with more than two arguments after it is listed.
        h.run("HISTORY", "at", "SINCE", "0", "REV")
        #expect(host.requests.count == 3)
        #expect(h.run("HISTORY", "at", "COUNT", "5") == "-ERR key does not match history-keys: its changes are not recorded\r\n")
    }

    @Test func listingReply() {
        let row: [SQLValue] = [.integer(1000), text("HSET"), text("hash"), text("value"), text("f"), .null, text("v")]
        let expiry: [SQLValue] = [.integer(1001), text("EXPIRE"), text("hash"), text("expiry"), .null, .null, .integer(99)]
        let (h, _) = Self.harness(.success(SQLRows(columns: [], rows: [row, expiry])))
        #expect(h.run("HISTORY", "h:1") == "*2\r\n"
            + "*14\r\n$4\r\ntime\r\n:1000\r\n$9\r\noperation\r\n$4\r\nHSET\r\n$4\r\ntype\r\n$4\r\nhash\r\n"
            + "$4\r\nkind\r\n$5\r\nvalue\r\n$5\r\nfield\r\n$1\r\nf\r\n$3\r\nold\r\n$-1\r\n$3\r\nnew\r\n$1\r\nv\r\n"
            + "*14\r\n$4\r\ntime\r\n:1001\r\n$9\r\noperation\r\n$6\r\nEXPIRE\r\n$4\r\ntype\r\n$4\r\nhash\r\n"
            + "$4\r\nkind\r\n$6\r\nexpiry\r\n$5\r\nfield\r\n$-1\r\n$3\r\nold\r\n$-1\r\n$3\r\nnew\r\n:99\r\n")
        h.client.protocolVersion = .resp3
        #expect(h.run("HISTORY", "h:1").hasPrefix("*2\r\n%7\r\n$4\r\ntime\r\n:1000\r\n"))
    }

    private static func at(_ rows: [[SQLValue]], resp3: Bool = false) -> String {
        let (h, host) = harness(.success(SQLRows(columns: ["type", "field", "old_value", "new_value"], rows: rows)))
        if resp3 { h.client.protocolVersion = .resp3 }
        let reply = h.run("HISTORY", "at", "tracked", "12345")
        #expect(host.requests.last!.parameters == [.integer(0), .bytes(Array("tracked".utf8)), .integer(12345)])
        return reply
    }

    @Test func replaysEachType() {
        #expect(Self.at([]) == "$-1\r\n")
        #expect(Self.at([[text("string"), .null, .null, text("a")], [text("string"), .null, text("a"), text("b")]]) == "$1\r\nb\r\n")
        #expect(Self.at([[text("string"), .null, .null, text("a")], [text("string"), .null, text("a"), .null]]) == "$-1\r\n")
        let hash: [[SQLValue]] = [
            [text("hash"), text("f"), .null, text("1")], [text("hash"), text("g"), .null, text("2")],
            [text("hash"), text("f"), text("1"), text("3")], [text("hash"), text("g"), text("2"), .null],
            [text("hash"), text("e"), .null, text("4")],
        ]
        #expect(Self.at(hash) == "*4\r\n$1\r\nf\r\n$1\r\n3\r\n$1\r\ne\r\n$1\r\n4\r\n")
        #expect(Self.at(hash, resp3: true) == "%2\r\n$1\r\nf\r\n$1\r\n3\r\n$1\r\ne\r\n$1\r\n4\r\n")
        // LPUSH a b (b first), RPUSH c, LSET 0 B, LPOP, then an insert at 1.
        let list: [[SQLValue]] = [
            [text("list"), .integer(0), .null, text("a")], [text("list"), .integer(0), .null, text("b")],
            [text("list"), .integer(2), .null, text("c")], [text("list"), .integer(0), text("b"), text("B")],
            [text("list"), .integer(0), text("B"), .null], [text("list"), .integer(1), .null, text("x")],
        ]
        #expect(Self.at(list) == "*3\r\n$1\r\na\r\n$1\r\nx\r\n$1\r\nc\r\n")
        let set: [[SQLValue]] = [
            [text("set"), text("m"), .null, text("m")], [text("set"), text("n"), .null, text("n")],
            [text("set"), text("m"), text("m"), .null],
        ]
        #expect(Self.at(set) == "*1\r\n$1\r\nn\r\n")
        #expect(Self.at(set, resp3: true) == "~1\r\n$1\r\nn\r\n")
        let zset: [[SQLValue]] = [
            [text("zset"), text("b"), .null, .real(2)], [text("zset"), text("a"), .null, .real(2)],
            [text("zset"), text("c"), .null, .real(0.5)], [text("zset"), text("c"), .real(0.5), .null],
            [text("zset"), text("d"), .null, .real(-1.5)],
        ]
        #expect(Self.at(zset) == "*6\r\n$1\r\nd\r\n$4\r\n-1.5\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n2\r\n")
        #expect(Self.at(zset, resp3: true)
            == "*3\r\n*2\r\n$1\r\nd\r\n,-1.5\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nb\r\n,2\r\n")
        // Deleted as a hash, then set as a string: the string.
        #expect(Self.at([[text("hash"), text("f"), .null, text("1")], [text("hash"), text("f"), text("1"), .null],
                         [text("string"), .null, .null, text("s")]]) == "$1\r\ns\r\n")
        // Deleted as a string, then a list: the list.
        #expect(Self.at([[text("string"), .null, .null, text("s")], [text("string"), .null, text("s"), .null],
                         [text("list"), .integer(0), .null, text("e")]]) == "*1\r\n$1\r\ne\r\n")
        // Every element removed: the key did not exist.
        #expect(Self.at([[text("set"), text("m"), .null, text("m")], [text("set"), text("m"), text("m"), .null]]) == "$-1\r\n")
    }
}
