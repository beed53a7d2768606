import Testing
import Keyspace
@testable import Commands

@Suite struct ConnectionCommandTests {
    @Test func unknownCommandAndArity() {
        let h = CommandHarness()
        #expect(h.run("FOO", "a", "b") == "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n")
        #expect(h.run("GET") == "-ERR wrong number of arguments for 'get' command\r\n")
        #expect(h.run("CONFIG") == "-ERR wrong number of arguments for 'config' command\r\n")
        #expect(h.run("CONFIG", "GET") == "-ERR wrong number of arguments for 'config|get' command\r\n")
        #expect(h.run("CLIENT", "BOGUS") == "-ERR unknown subcommand 'BOGUS'. Try CLIENT HELP.\r\n")
    }

    @Test func authentication() {
        let h = CommandHarness(settings: [("requirepass", "secret")])
        #expect(h.run("GET", "k") == "-NOAUTH Authentication required.\r\n")
        #expect(h.run("AUTH", "wrong") == "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
        #expect(h.run("AUTH", "bob", "secret") == "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
        #expect(h.run("HELLO", "3") .hasPrefix("-NOAUTH HELLO must be called with the client already authenticated"))
        #expect(h.run("AUTH", "default", "secret") == "+OK\r\n")
        #expect(h.run("GET", "k") == "$-1\r\n")
        #expect(h.run("AUTH", "a", "b", "c") == "-ERR syntax error\r\n")
        #expect(h.run("RESET") == "+RESET\r\n")
        #expect(h.run("GET", "k") == "-NOAUTH Authentication required.\r\n")
    }

    @Test func authWithoutPassword() {
        let h = CommandHarness()
        #expect(h.run("AUTH", "x") == "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n")
        #expect(h.run("AUTH", "default", "anything") == "+OK\r\n")
    }

    @Test func helloNegotiatesProtocol() {
        let h = CommandHarness(settings: [("requirepass", "pw")])
        let reply = h.run("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "app")
        #expect(reply.hasPrefix("%7\r\n$6\r\nserver\r\n$6\r\nvalkey\r\n$7\r\nversion\r\n$5\r\n8.0.0\r\n$5\r\nproto\r\n:3\r\n"))
        #expect(h.run("GET", "nope") == "_\r\n")
        #expect(h.run("CLIENT", "GETNAME") == "$3\r\napp\r\n")
        #expect(h.run("HELLO", "4") == "-NOPROTO unsupported protocol version\r\n")
        #expect(h.run("HELLO", "x") == "-ERR Protocol version is not an integer or out of range\r\n")
        #expect(h.run("HELLO", "3", "SETNAME") == "-ERR Syntax error in HELLO option 'SETNAME'\r\n")
        #expect(h.run("HELLO", "2").hasPrefix("*14\r\n"))
        #expect(h.run("GET", "nope") == "$-1\r\n")
    }

    @Test func pingEchoSelect() {
        let h = CommandHarness()
        #expect(h.run("PING") == "+PONG\r\n")
        #expect(h.run("PING", "hi") == "$2\r\nhi\r\n")
        #expect(h.run("PING", "a", "b") == "-ERR wrong number of arguments for 'ping' command\r\n")
        #expect(h.run("ECHO", "x") == "$1\r\nx\r\n")
        #expect(h.run("SELECT", "15") == "+OK\r\n")
        #expect(h.run("SELECT", "16") == "-ERR DB index is out of range\r\n")
        #expect(h.run("SELECT", "x") == "-ERR value is not an integer or out of range\r\n")
    }

    @Test func clientSubcommands() {
        let h = CommandHarness()
        #expect(h.run("CLIENT", "ID") == ":\(h.client.id)\r\n")
        #expect(h.run("CLIENT", "GETNAME") == "$-1\r\n")
        #expect(h.run("CLIENT", "SETNAME", "a b") == "-ERR Client names cannot contain spaces, newlines or special characters.\r\n")
        #expect(h.run("CLIENT", "SETNAME", "worker") == "+OK\r\n")
        #expect(h.run("CLIENT", "SETINFO", "LIB-NAME", "redis-py") == "+OK\r\n")
        #expect(h.run("CLIENT", "SETINFO", "BAD", "x") == "-ERR Unrecognized option 'BAD'\r\n")
        let info = h.run("CLIENT", "INFO")
        #expect(info.contains("name=worker"))
        #expect(info.contains("lib-name=redis-py"))
        #expect(h.run("CLIENT", "LIST").contains("id=\(h.client.id) addr=127.0.0.1:5000"))
        #expect(h.run("CLIENT", "NO-EVICT", "maybe") == "-ERR syntax error\r\n")
        #expect(h.run("CLIENT", "KILL", "ID", "999") == ":0\r\n")
        #expect(h.run("CLIENT", "KILL", "1.2.3.4:5") == "-ERR No such client\r\n")
        #expect(h.run("CLIENT", "UNBLOCK", "\(h.client.id)") == ":0\r\n")
        #expect(h.run("CLIENT", "UNBLOCK", "1", "ERROR") == ":0\r\n")
        #expect(h.run("CLIENT", "UNBLOCK", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("CLIENT", "UNBLOCK", "1", "BOGUS") == "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n")
    }

    @Test func clientReplyModes() {
        let h = CommandHarness()
        #expect(h.run("CLIENT", "REPLY", "OFF") == "")
        #expect(h.run("SET", "a", "1") == "")
        #expect(h.run("CLIENT", "REPLY", "ON") == "+OK\r\n")
        #expect(h.run("CLIENT", "REPLY", "SKIP") == "")
        #expect(h.run("GET", "a") == "")
        #expect(h.run("GET", "a") == "$1\r\n1\r\n")
    }

    @Test func serverCommands() {
        let h = CommandHarness()
        h.run("MSET", "a", "1", "b", "2")
        #expect(h.run("DBSIZE") == ":2\r\n")
        #expect(h.run("SWAPDB", "0", "1") == "+OK\r\n")
        #expect(h.run("DBSIZE") == ":0\r\n")
        #expect(h.run("SWAPDB", "0", "x") == "-ERR invalid second DB index\r\n")
        #expect(h.run("SWAPDB", "0", "16") == "-ERR DB index is out of range\r\n")
        #expect(h.run("FLUSHALL", "FOO") == "-ERR syntax error\r\n")
        #expect(h.run("FLUSHALL", "ASYNC") == "+OK\r\n")
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("DBSIZE") == ":0\r\n")
        #expect(h.run("TIME").hasPrefix("*2\r\n$10\r\n"))
        #expect(h.run("SHUTDOWN", "ABORT") == "-ERR No shutdown in progress.\r\n")
    }

    @Test func infoAndConfig() {
        let h = CommandHarness()
        h.run("SET", "a", "1")
        let info = h.run("INFO")
        #expect(info.contains("valkey_version:8.0.0"))
        #expect(info.contains("redis_version:7.2.4"))
        #expect(info.contains("db0:keys=1,expires=0,avg_ttl=0"))
        #expect(!info.contains("cmdstat_set"))
        #expect(h.run("INFO", "commandstats").contains("cmdstat_set:calls=1,"))
        #expect(h.run("CONFIG", "GET", "maxclients") == "*2\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n")
        #expect(h.run("CONFIG", "SET", "maxclients", "50") == "+OK\r\n")
        #expect(h.run("CONFIG", "GET", "maxclients") == "*2\r\n$10\r\nmaxclients\r\n$2\r\n50\r\n")
        #expect(h.run("CONFIG", "SET", "dir", "/tmp") == "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n")
        #expect(h.run("CONFIG", "SET", "a") == "-ERR wrong number of arguments for 'config|set' command\r\n")
        #expect(h.run("CONFIG", "RESETSTAT") == "+OK\r\n")
        #expect(!h.run("INFO", "commandstats").contains("cmdstat_set"))
    }

    /// A pipelined batch passes each command's end reading to the next as
    /// its start: commands that ran return theirs, refused or queued ones
    /// nil (the next then reads the clock itself); statistics count as before.
    @Test func dispatcherChainsClockReadings() {
        let h = CommandHarness()
        let before = currentTimeMicros()
        let ended = CommandDispatcher.execute([Array("SET".utf8), Array("k".utf8), Array("v".utf8)],
                                              for: h.client, in: h.server, clock: before)
        #expect(ended != nil && ended! >= before)
        #expect(h.server.keyspace.now == before / 1000)
        let next = CommandDispatcher.execute([Array("GET".utf8), Array("k".utf8)], for: h.client, in: h.server, clock: ended)
        #expect(next != nil && next! >= ended!)
        #expect(CommandDispatcher.execute([Array("NOPE".utf8)], for: h.client, in: h.server, clock: next) == nil)
        #expect(CommandDispatcher.execute([Array("GET".utf8)], for: h.client, in: h.server) == nil)
        _ = h.run("MULTI")
        #expect(CommandDispatcher.execute([Array("GET".utf8), Array("k".utf8)], for: h.client, in: h.server) == nil)
        h.client.reply.buffer.clear()
        #expect(h.run("EXEC") == "*1\r\n$1\r\nv\r\n")
        #expect(h.run("INFO", "commandstats").contains("cmdstat_get:calls=2,"))
    }

    @Test func commandIntrospection() {
        let h = CommandHarness()
        #expect(h.run("COMMAND", "COUNT") == ":\(h.server.commands.count)\r\n")
        #expect(h.run("COMMAND", "INFO", "nope") == "*1\r\n$-1\r\n")
        #expect(h.run("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2") == "*2\r\n$1\r\na\r\n$1\r\nb\r\n")
        #expect(h.run("COMMAND", "GETKEYS", "PING") == "-ERR The command has no key arguments\r\n")
        #expect(h.run("COMMAND", "GETKEYS", "NOPE") == "-ERR Invalid command specified\r\n")
        #expect(h.run("COMMAND", "GETKEYS", "GET") == "-ERR Invalid number of arguments specified for command\r\n")
        #expect(h.run("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v") == "*1\r\n*2\r\n$1\r\nk\r\n*4\r\n+RW\r\n+access\r\n+update\r\n+variable_flags\r\n")
        #expect(h.run("COMMAND", "LIST", "FILTERBY", "PATTERN", "client|*").contains("client|list"))
        #expect(h.run("COMMAND", "DOCS", "get").hasPrefix("*2\r\n$3\r\nget\r\n"))
    }
}

@Suite struct ServerStateGateTests {
    @Test func loadingRefusesAllButLoadingFlaggedCommands() {
        let h = CommandHarness()
        h.server.loading = true
        #expect(h.run("GET", "k") == "-LOADING Valkey is loading the dataset in memory\r\n")
        #expect(h.run("SET", "k", "v") == "-LOADING Valkey is loading the dataset in memory\r\n")
        #expect(h.run("INFO", "persistence").contains("loading:1"))
        // PING is not flagged `loading` in Valkey either.
        #expect(h.run("PING") == "-LOADING Valkey is loading the dataset in memory\r\n")
        h.server.loading = false
        #expect(h.run("GET", "k") == "$-1\r\n")
    }

    @Test func persistenceFailureRefusesWritesNotReads() {
        let h = CommandHarness()
        h.run("SET", "k", "v")
        h.server.persistenceError = "database or disk is full"
        let misconf = "-MISCONF Errors writing to the database file: database or disk is full\r\n"
        #expect(h.run("SET", "k", "w") == misconf)
        #expect(h.run("DEL", "k") == misconf)
        #expect(h.run("PING") == misconf)
        #expect(h.run("GET", "k") == "$1\r\nv\r\n")
        h.server.persistenceError = nil
        #expect(h.run("SET", "k", "w") == "+OK\r\n")
    }
}
