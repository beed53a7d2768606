import Keyspace
import NIOCore
import RESP
import Testing
@testable import Commands

/// A second (third…) client on the harness's server, for WATCH races.
private extension CommandHarness {
    func connect() -> ClientSession {
        let other = ClientSession(
            id: server.clients.allocateID(), address: "127.0.0.1:5001", localAddress: "127.0.0.1:6379",
            authenticated: !server.requiresPassword, reply: ReplyWriter(buffer: ByteBuffer()), now: server.keyspace.now)
        server.clients.add(other)
        return other
    }

    @discardableResult
    func run(as other: ClientSession, _ arguments: String...) -> String {
        CommandDispatcher.execute(arguments.map { Array($0.utf8) }, for: other, in: server)
        let text = String(buffer: other.reply.buffer)
        other.reply.buffer.clear()
        return text
    }

    /// MULTI, PING, EXEC: "+PONG" when the transaction ran, "nil" when WATCH failed it.
    func pingTransaction() -> String {
        #expect(run("MULTI") == "+OK\r\n")
        #expect(run("PING") == "+QUEUED\r\n")
        switch run("EXEC") {
        case "*1\r\n+PONG\r\n": return "+PONG"
        case "*-1\r\n", "_\r\n": return "nil"
        case let other: return other
        }
    }

    var watchedEntries: Int { server.keyspace.watches.count }

    func statLine(_ prefix: String) -> String? {
        run("INFO", "everything").split(separator: "\r\n").first { $0.hasPrefix(prefix) }.map(String.init)
    }
}

@Suite struct TransactionCommandTests {
    // MARK: MULTI / EXEC / DISCARD

    @Test func queuesAndExecutesInOrder() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "k", "1") == "+QUEUED\r\n")
        #expect(h.run("INCR", "k") == "+QUEUED\r\n")
        #expect(h.run("GET", "k") == "+QUEUED\r\n")
        #expect(h.run("GET", "k") == "+QUEUED\r\n")
        // Nothing ran yet.
        #expect(h.server.keyspace[0].lookup(Array("k".utf8)) == nil)
        #expect(h.run("EXEC") == "*4\r\n+OK\r\n:2\r\n$1\r\n2\r\n$1\r\n2\r\n")
        #expect(h.run("GET", "k") == "$1\r\n2\r\n")
        #expect(h.client.transaction.isQueuing == false)
    }

    @Test func emptyTransaction() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("EXEC") == "*0\r\n")
    }

    @Test func discardDropsTheQueue() {
        let h = CommandHarness()
        #expect(h.run("SET", "foo", "1") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("INCR", "foo") == "+QUEUED\r\n")
        #expect(h.run("DISCARD") == "+OK\r\n")
        #expect(h.run("GET", "foo") == "$1\r\n1\r\n")
        #expect(h.run("EXEC") == "-ERR EXEC without MULTI\r\n")
    }

    @Test func errorsOutsideMulti() {
        let h = CommandHarness()
        #expect(h.run("EXEC") == "-ERR EXEC without MULTI\r\n")
        #expect(h.run("DISCARD") == "-ERR DISCARD without MULTI\r\n")
        #expect(h.run("exec", "x") == "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n")
        #expect(h.run("MULTI", "x") == "-ERR wrong number of arguments for 'multi' command\r\n")
        #expect(h.run("WATCH") == "-ERR wrong number of arguments for 'watch' command\r\n")
        #expect(h.run("UNWATCH") == "+OK\r\n")
    }

    /// Valkey 8 flags MULTI and WATCH no-multi (valkey#723): refused with the
    /// generic text, and the transaction is doomed.
    @Test func nestedMultiAndWatchInsideMultiAbort() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("MULTI") == "-ERR Command not allowed inside a transaction\r\n")
        #expect(h.run("SET", "k", "v") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
        #expect(h.run("EXISTS", "k") == ":0\r\n")

        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("WATCH", "k") == "-ERR Command not allowed inside a transaction\r\n")
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")

        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SAVE") == "-ERR Command not allowed inside a transaction\r\n")
        #expect(h.run("SHUTDOWN") == "-ERR Command not allowed inside a transaction\r\n")
        #expect(h.run("DISCARD") == "+OK\r\n")
        #expect(h.watchedEntries == 0)
    }

    @Test func queueTimeErrorsAbortTheTransaction() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "foo1", "bar1") == "+QUEUED\r\n")
        #expect(h.run("NOSUCH", "a") == "-ERR unknown command 'NOSUCH', with args beginning with: 'a' \r\n")
        #expect(h.run("SET", "foo2", "bar2") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
        #expect(h.run("EXISTS", "foo1", "foo2") == ":0\r\n")
        #expect(h.run("PING") == "+PONG\r\n")

        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("INCR", "a", "b") == "-ERR wrong number of arguments for 'incr' command\r\n")
        #expect(h.run("CONFIG", "NOPE") == "-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n")
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
    }

    @Test func execArityErrorDiscards() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "k", "v") == "+QUEUED\r\n")
        #expect(h.run("EXEC", "now") == "-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n")
        #expect(h.run("EXEC") == "-ERR EXEC without MULTI\r\n")
        #expect(h.run("EXISTS", "k") == ":0\r\n")
    }

    @Test func runtimeErrorsStayInTheirSlot() {
        let h = CommandHarness()
        #expect(h.run("SET", "a", "abc") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("LPOP", "a") == "+QUEUED\r\n")
        #expect(h.run("INCR", "a") == "+QUEUED\r\n")
        #expect(h.run("SET", "b", "1") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "*3\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
            + "-ERR value is not an integer or out of range\r\n+OK\r\n")
        #expect(h.run("GET", "b") == "$1\r\n1\r\n")
    }

    @Test func selectAndHelloInsideExec() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SELECT", "3") == "+QUEUED\r\n")
        #expect(h.run("SET", "inner", "1") == "+QUEUED\r\n")
        #expect(h.run("HELLO", "3") == "+QUEUED\r\n")
        #expect(h.run("GET", "missing") == "+QUEUED\r\n")
        let reply = h.run("EXEC")
        #expect(reply.hasPrefix("*4\r\n+OK\r\n+OK\r\n%7\r\n"))
        #expect(reply.hasSuffix("_\r\n"))  // the command after HELLO 3 answers in RESP3
        #expect(h.client.database == 3)
        #expect(h.server.keyspace[3].lookup(Array("inner".utf8)) != nil)
    }

    @Test func quitAndResetRunAtOnce() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("RESET") == "+RESET\r\n")
        let other = h.connect()
        #expect(h.run(as: other, "MULTI") == "+OK\r\n")
        #expect(h.run(as: other, "QUIT") == "+OK\r\n")
        #expect(other.closeAfterReply)
    }

    @Test func execWritesAreDrainedTogether() {
        let h = CommandHarness()
        _ = h.server.keyspace.drainChanges()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "a", "1") == "+QUEUED\r\n")
        #expect(h.run("SET", "b", "2") == "+QUEUED\r\n")
        #expect(h.run("DEL", "a") == "+QUEUED\r\n")
        #expect(h.server.keyspace.pendingChanges.isEmpty)  // queuing changes nothing
        #expect(h.run("EXEC") == "*3\r\n+OK\r\n+OK\r\n:1\r\n")
        // One EXEC, one drain: the connection hands these to the durable log as one submission.
        #expect(h.server.keyspace.drainChanges() == [
            .setString(db: 0, key: Array("a".utf8), value: Array("1".utf8)),
            .setString(db: 0, key: Array("b".utf8), value: Array("2".utf8)),
            .delete(db: 0, key: Array("a".utf8)),
        ])
    }

    @Test func isExecutingOnlyDuringExec() {
        let h = CommandHarness()
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.client.transaction.isQueuing)
        #expect(!h.client.transaction.isInTransaction)
        #expect(h.run("PING") == "+QUEUED\r\n")
        #expect(h.client.transaction.queuedCount == 1)
        #expect(h.run("EXEC") == "*1\r\n+PONG\r\n")
        #expect(!h.client.transaction.isInTransaction)
        #expect(h.client.transaction.queuedCount == -1)
    }

    // MARK: refusals while queuing and at EXEC

    @Test func noAuthWhileQueuingAndOnExec() {
        let h = CommandHarness(settings: [("requirepass", "secret")])
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n")
        #expect(h.run("AUTH", "secret") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "k", "v") == "+QUEUED\r\n")
        h.client.authenticated = false
        #expect(h.run("GET", "k") == "-NOAUTH Authentication required.\r\n")
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n")
        h.client.authenticated = true
        #expect(h.run("EXEC") == "-ERR EXEC without MULTI\r\n")
    }

    @Test func persistenceFailureRefusesQueuedWrites() {
        let h = CommandHarness()
        h.server.persistenceError = "disk full"
        let misconf = "-MISCONF Errors writing to the database file: disk full\r\n"
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "k", "v") == misconf)
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
        // Reads only: EXEC runs.
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("GET", "k") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "*1\r\n$-1\r\n")
        // A write queued before the failure: EXEC itself is refused.
        h.server.persistenceError = nil
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "k", "v") == "+QUEUED\r\n")
        h.server.persistenceError = "disk full"
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of: MISCONF Errors writing to the database file: disk full\r\n")
        h.server.persistenceError = nil
        #expect(h.run("EXISTS", "k") == ":0\r\n")
        #expect(h.run("EXEC") == "-ERR EXEC without MULTI\r\n")
    }

    // MARK: WATCH

    @Test func watchedKeyModifiedByAnotherClient() {
        let h = CommandHarness()
        let other = h.connect()
        #expect(h.run("SET", "x", "30") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.watchedEntries == 1)
        #expect(h.run(as: other, "SET", "x", "40") == "+OK\r\n")
        #expect(h.client.transaction.watcher.dirty)
        #expect(h.watchedEntries == 0)  // a dirty client stops watching
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "x", "50") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "*-1\r\n")
        #expect(h.run("GET", "x") == "$2\r\n40\r\n")
        // After a failed EXEC the key is no longer watched.
        #expect(h.run(as: other, "SET", "x", "41") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")
    }

    @Test func watchedKeyModifiedBySelfBeforeMulti() {
        let h = CommandHarness()
        #expect(h.run("WATCH", "a", "b", "x", "k", "z") == "+OK\r\n")
        #expect(h.run("SET", "x", "40") == "+OK\r\n")
        #expect(h.pingTransaction() == "nil")
    }

    @Test func untouchedWatchLetsExecRun() {
        let h = CommandHarness()
        let other = h.connect()
        #expect(h.run("WATCH", "x", "y", "z") == "+OK\r\n")
        #expect(h.run("WATCH", "k") == "+OK\r\n")
        #expect(h.run("WATCH", "k") == "+OK\r\n")  // twice: one watch
        #expect(h.client.transaction.watchedKeyCount == 4)
        #expect(h.run(as: other, "SET", "unrelated", "1") == "+OK\r\n")
        #expect(h.run(as: other, "GET", "x") == "$-1\r\n")  // reads do not touch
        #expect(h.pingTransaction() == "+PONG")
        #expect(h.watchedEntries == 0)
        #expect(h.client.transaction.watchedKeyCount == 0)
        // After a successful EXEC the key is no longer watched.
        #expect(h.run("SET", "x", "40") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")
    }

    @Test func watchRemembersTheDatabase() {
        let h = CommandHarness()
        let other = h.connect()
        #expect(h.run("SELECT", "5") == "+OK\r\n")
        #expect(h.run("SET", "x", "30") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run(as: other, "SELECT", "1") == "+OK\r\n")
        #expect(h.run(as: other, "SET", "x", "10") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")
        // Watching in db 5, then the key changes in db 5 while the client is elsewhere.
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SELECT", "0") == "+OK\r\n")
        #expect(h.run(as: other, "SELECT", "5") == "+OK\r\n")
        #expect(h.run(as: other, "DEL", "x") == ":1\r\n")
        #expect(h.pingTransaction() == "nil")
    }

    @Test func unwatchAndDiscardClearTheDirtyFlag() {
        let h = CommandHarness()
        #expect(h.run("SET", "x", "30") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SET", "x", "40") == "+OK\r\n")
        #expect(h.run("UNWATCH") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")

        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SET", "x", "10") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("DISCARD") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("INCR", "x") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "*1\r\n:11\r\n")
    }

    @Test func watchWhileDirtyWatchesNothingMore() {
        let h = CommandHarness()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SET", "x", "1") == "+OK\r\n")
        #expect(h.run("WATCH", "y") == "+OK\r\n")
        #expect(h.watchedEntries == 0)
        #expect(h.pingTransaction() == "nil")
    }

    @Test func unwatchInsideMultiIsQueued() {
        let h = CommandHarness()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SET", "x", "1") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("UNWATCH") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "*-1\r\n")
    }

    @Test func nullArrayInResp3() {
        let h = CommandHarness()
        #expect(h.run("HELLO", "3").hasPrefix("%7"))
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SET", "x", "1") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("GET", "x") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "_\r\n")
    }

    @Test func everyKindOfWriteTouches() {
        // (watched key, write by another client)
        let cases: [(String, [String])] = [
            ("w", ["DEL", "w"]), ("w", ["UNLINK", "w"]), ("w", ["EXPIRE", "w", "100"]), ("v", ["PERSIST", "v"]),
            ("w", ["APPEND", "w", "x"]), ("w", ["RENAME", "w", "other"]), ("w", ["RENAME", "src", "w"]),
            ("w", ["MOVE", "w", "1"]), ("w", ["COPY", "src", "w", "REPLACE"]), ("h", ["HSET", "h", "f", "v"]),
            ("l", ["RPUSH", "l", "x"]), ("l", ["LPOP", "l"]), ("s", ["SADD", "s", "m"]), ("z", ["ZADD", "z", "1", "m"]),
            ("w", ["GETDEL", "w"]), ("w", ["SETRANGE", "w", "0", "z"]), ("n", ["INCR", "n"]), ("w", ["FLUSHDB"]),
            ("w", ["FLUSHALL"]), ("w", ["SWAPDB", "0", "1"]), ("fresh", ["SET", "fresh", "1"]),
        ]
        for (watched, write) in cases {
            let h = CommandHarness()
            let other = h.connect()
            for setup in [["SET", "w", "1"], ["SET", "v", "1", "EX", "100"], ["SET", "src", "s"], ["RPUSH", "l", "a", "b"], ["SET", "n", "1"]] {
                _ = h.run(setup.map { Array($0.utf8) })
            }
            #expect(h.run("WATCH", watched) == "+OK\r\n")
            CommandDispatcher.execute(write.map { Array($0.utf8) }, for: other, in: h.server)
            let reply = String(buffer: other.reply.buffer)
            #expect(!reply.hasPrefix("-"), "\(write): \(reply)")
            #expect(h.pingTransaction() == "nil", "\(write) should touch \(watched)")
        }
    }

    @Test func renameTouchesBothNames() {
        let h = CommandHarness()
        #expect(h.run("SET", "from", "1") == "+OK\r\n")
        #expect(h.run("WATCH", "from") == "+OK\r\n")
        #expect(h.run("RENAME", "from", "to") == "+OK\r\n")
        #expect(h.pingTransaction() == "nil")
        #expect(h.run("WATCH", "elsewhere") == "+OK\r\n")
        #expect(h.run("MOVE", "to", "2") == ":1\r\n")
        #expect(h.pingTransaction() == "+PONG")
    }

    // MARK: WATCH and expiry

    @Test func expireOfWatchedKeyTouches() {
        let h = CommandHarness()
        #expect(h.run("SET", "x", "foo") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("EXPIRE", "x", "10") == ":1\r\n")
        #expect(h.pingTransaction() == "nil")
    }

    /// A key live at WATCH that has logically expired by EXEC fails it, even if
    /// nothing deleted it yet (Valkey's isWatchedKeyExpired).
    @Test func watchedKeyThatExpiresFailsExec() {
        let h = CommandHarness()
        #expect(h.run("SET", "x", "1", "PX", "100000") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.server.keyspace[0].count == 1)  // still there, only stale
        #expect(h.pingTransaction() == "nil")
    }

    @Test func watchedKeyRemovedByExpiryFailsExec() {
        let h = CommandHarness()
        let other = h.connect()
        #expect(h.run("SET", "x", "1", "PX", "100000") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run(as: other, "GET", "x") == "$-1\r\n")  // lazy expiry deletes it
        #expect(h.client.transaction.watcher.dirty)
        #expect(h.pingTransaction() == "nil")
        // Active expiry too.
        #expect(h.run("SET", "y", "1", "PX", "100000") == "+OK\r\n")
        #expect(h.run("WATCH", "y") == "+OK\r\n")
        h.expireAllNow()
        h.server.keyspace.activeExpireCycle(budgetMicros: 1_000_000)
        #expect(h.server.keyspace[0].count == 0)
        #expect(h.client.transaction.watcher.dirty)
        #expect(h.pingTransaction() == "nil")
    }

    @Test func watchingAStaleKeyIsNotFailedByItsDeletion() {
        let h = CommandHarness()
        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")

        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("EXISTS", "x") == ":0\r\n")  // lazy deletion of the stale key
        #expect(h.pingTransaction() == "+PONG")

        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("FLUSHDB") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")

        // …but a stale key recreated is a change.
        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SET", "x", "new") == "+OK\r\n")
        #expect(h.pingTransaction() == "nil")
    }

    // MARK: WATCH and whole-database operations

    @Test func flushTouchesOnlyKeysThatExisted() {
        for flush in ["FLUSHDB", "FLUSHALL"] {
            let h = CommandHarness()
            #expect(h.run("SET", "x", "30") == "+OK\r\n")
            #expect(h.run("WATCH", "x") == "+OK\r\n")
            #expect(h.run(flush) == "+OK\r\n")
            #expect(h.pingTransaction() == "nil", "\(flush) touches an existing key")

            #expect(h.run("DEL", "x") == ":0\r\n")
            #expect(h.run("WATCH", "x") == "+OK\r\n")
            #expect(h.run(flush) == "+OK\r\n")
            #expect(h.pingTransaction() == "+PONG", "\(flush) does not touch a missing key")

            // A key created after WATCH is a change already; one watched in another db is not touched by FLUSHDB.
            #expect(h.run("SELECT", "1") == "+OK\r\n")
            #expect(h.run("SET", "x", "1") == "+OK\r\n")
            #expect(h.run("WATCH", "x") == "+OK\r\n")
            #expect(h.run("SELECT", "0") == "+OK\r\n")
            #expect(h.run("SET", "x", "1") == "+OK\r\n")
            #expect(h.run(flush) == "+OK\r\n")
            #expect(h.pingTransaction() == (flush == "FLUSHDB" ? "+PONG" : "nil"))
        }
    }

    @Test func flushallWhileWatchingSeveralKeys() {
        let h = CommandHarness()
        #expect(h.run("MSET", "a", "a", "b", "b") == "+OK\r\n")
        #expect(h.run("WATCH", "b", "a") == "+OK\r\n")
        #expect(h.run("FLUSHALL") == "+OK\r\n")
        #expect(h.run("PING") == "+PONG\r\n")
        #expect(h.watchedEntries == 0)
        #expect(h.pingTransaction() == "nil")
    }

    @Test func swapdbTouchesKeysThatExistOnEitherSide() {
        let h = CommandHarness()
        // Exists, swapped away.
        #expect(h.run("SET", "x", "30") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.pingTransaction() == "nil")
        #expect(h.run("FLUSHALL") == "+OK\r\n")
        // Missing, swapped in.
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("SET", "x", "30") == "+OK\r\n")
        #expect(h.run("SELECT", "0") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.pingTransaction() == "nil")
        #expect(h.run("FLUSHALL") == "+OK\r\n")
        // Missing on both sides.
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")
        // The watcher of the other database too.
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("WATCH", "y") == "+OK\r\n")
        #expect(h.run("SELECT", "0") == "+OK\r\n")
        #expect(h.run("SET", "y", "1") == "+OK\r\n")
        #expect(h.run("SWAPDB", "1", "0") == "+OK\r\n")
        #expect(h.pingTransaction() == "nil")
    }

    @Test func swapdbAndStaleKeys() {
        // Stale key replaced with no key: no change.
        var h = CommandHarness()
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")
        // No key replaced with a stale key: no change.
        h = CommandHarness()
        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")
        // Stale key replaced with another stale key: no change.
        h = CommandHarness()
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        #expect(h.run("SELECT", "0") == "+OK\r\n")
        #expect(h.run("SET", "x", "bar", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.pingTransaction() == "+PONG")
        // Stale key replaced with a live one: a change.
        h = CommandHarness()
        #expect(h.run("SET", "x", "live") == "+OK\r\n")
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("SET", "x", "foo", "PX", "100000") == "+OK\r\n")
        h.expireAllNow()
        #expect(h.run("WATCH", "x") == "+OK\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.pingTransaction() == "nil")
    }

    // MARK: registry hygiene

    @Test func registryEmptiesWhenWatchesEnd() {
        let h = CommandHarness()
        let other = h.connect()
        #expect(h.run("WATCH", "a", "b") == "+OK\r\n")
        #expect(h.run(as: other, "WATCH", "b", "c") == "+OK\r\n")
        #expect(h.watchedEntries == 3)
        #expect(h.server.keyspace.watches.watcherCount(Array("b".utf8), db: 0) == 2)
        #expect(h.run("UNWATCH") == "+OK\r\n")
        #expect(h.watchedEntries == 2)
        #expect(h.run(as: other, "MULTI") == "+OK\r\n")
        #expect(h.run(as: other, "DISCARD") == "+OK\r\n")
        #expect(h.watchedEntries == 0)
        #expect(h.run("WATCH", "a") == "+OK\r\n")
        other.transaction.reset()
        h.client.transaction.reset()
        #expect(h.watchedEntries == 0)
    }

    /// A client that goes away without UNWATCH leaves no watcher behind:
    /// ClientRegistry.remove frees its watches at once (and entries are weak,
    /// purged by a sweep when many pile up).
    @Test func disconnectedWatcherIsPurged() {
        let h = CommandHarness()
        do {
            let gone = h.connect()
            #expect(h.run(as: gone, "WATCH", "k") == "+OK\r\n")
            #expect(h.watchedEntries == 1)
            h.server.clients.remove(gone)
        }
        #expect(h.watchedEntries == 0)
        #expect(h.run("SET", "k", "1") == "+OK\r\n")
        // And by the sweep when many pile up.
        for index in 0..<1100 {
            let gone = h.connect()
            #expect(h.run(as: gone, "WATCH", "key\(index)") == "+OK\r\n")
            h.server.clients.remove(gone)
        }
        #expect(h.watchedEntries < 1100)
    }

    // MARK: statistics

    @Test func commandStatistics() {
        let h = CommandHarness()
        #expect(h.run("SET", "s", "abc") == "+OK\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("INCR", "s") == "+QUEUED\r\n")
        #expect(h.run("GET", "s") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "*2\r\n-ERR value is not an integer or out of range\r\n$3\r\nabc\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("FOO") == "-ERR unknown command 'FOO', with args beginning with: \r\n")
        #expect(h.run("GET", "s", "x") == "-ERR wrong number of arguments for 'get' command\r\n")
        #expect(h.run("GET", "s") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "-EXECABORT Transaction discarded because of previous errors.\r\n")
        #expect(h.statLine("cmdstat_exec:")?.hasSuffix("rejected_calls=0,failed_calls=1") == true)
        #expect(h.statLine("cmdstat_exec:")?.hasPrefix("cmdstat_exec:calls=2,") == true)
        #expect(h.statLine("cmdstat_multi:")?.hasPrefix("cmdstat_multi:calls=2,") == true)
        #expect(h.statLine("cmdstat_incr:")?.hasSuffix("rejected_calls=0,failed_calls=1") == true)
        #expect(h.statLine("cmdstat_get:")?.hasPrefix("cmdstat_get:calls=1,") == true)
        #expect(h.statLine("cmdstat_get:")?.hasSuffix("rejected_calls=1,failed_calls=0") == true)
        #expect(h.statLine("errorstat_EXECABORT:") == "errorstat_EXECABORT:count=1")
        #expect(h.statLine("errorstat_ERR:") == "errorstat_ERR:count=3")
    }

    // MARK: WAIT, WAITAOF

    @Test func wait() {
        let h = CommandHarness()
        #expect(h.run("WAIT", "0", "0") == ":0\r\n")
        #expect(h.run("WAIT", "1", "10") == ":0\r\n")
        #expect(h.run("WAIT", "-1", "0") == ":0\r\n")
        #expect(h.run("WAIT", "x", "1") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("WAIT", "1", "x") == "-ERR timeout is not an integer or out of range\r\n")
        #expect(h.run("WAIT", "1", "1.5") == "-ERR timeout is not an integer or out of range\r\n")
        #expect(h.run("WAIT", "1", "-1") == "-ERR timeout is negative\r\n")
        #expect(h.run("WAIT", "1", "9223372036854775807") == "-ERR timeout is out of range\r\n")
        #expect(h.run("WAIT", "1") == "-ERR wrong number of arguments for 'wait' command\r\n")
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("WAIT", "1", "0") == "+QUEUED\r\n")
        #expect(h.run("EXEC") == "*1\r\n:0\r\n")
    }

    @Test func waitaof() {
        let h = CommandHarness()
        #expect(h.run("WAITAOF", "0", "0", "0") == "*2\r\n:1\r\n:0\r\n")
        #expect(h.run("WAITAOF", "1", "0", "0") == "*2\r\n:1\r\n:0\r\n")
        #expect(h.run("WAITAOF", "1", "2", "10") == "*2\r\n:1\r\n:0\r\n")
        #expect(h.run("WAITAOF", "2", "0", "0") == "-ERR value is out of range, value must between 0 and 1\r\n")
        #expect(h.run("WAITAOF", "-1", "0", "0") == "-ERR value is out of range, value must between 0 and 1\r\n")
        #expect(h.run("WAITAOF", "x", "0", "0") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("WAITAOF", "0", "-1", "0") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("WAITAOF", "1", "0", "-5") == "-ERR timeout is negative\r\n")
        #expect(h.run("WAITAOF", "1", "0", "y") == "-ERR timeout is not an integer or out of range\r\n")
        #expect(h.run("WAITAOF", "1", "0") == "-ERR wrong number of arguments for 'waitaof' command\r\n")
    }
}

extension TransactionCommandTests {
    /// As Valkey's `call`: MULTI, EXEC and each command EXEC runs count once;
    /// queued commands at queue time and refused ones do not.
    @Test func commandsProcessedCountsWhatRan() {
        let h = CommandHarness()
        let before = h.server.stats.commandsProcessed
        #expect(h.run("MULTI") == "+OK\r\n")
        #expect(h.run("SET", "k", "1") == "+QUEUED\r\n")
        #expect(h.run("GET", "k") == "+QUEUED\r\n")
        #expect(h.server.stats.commandsProcessed == before + 1)
        #expect(h.run("EXEC") == "*2\r\n+OK\r\n$1\r\n1\r\n")
        #expect(h.server.stats.commandsProcessed == before + 4)
        #expect(h.run("NOSUCH").hasPrefix("-ERR unknown command"))
        #expect(h.run("GET").hasPrefix("-ERR wrong number"))
        #expect(h.server.stats.commandsProcessed == before + 4)
        #expect(h.client.commandsProcessed == 4)
        #expect(h.client.lastCommand == "exec")
    }
}
