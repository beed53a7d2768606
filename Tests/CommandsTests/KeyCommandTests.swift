import Testing
@testable import Commands

@Suite struct KeyCommandTests {
    @Test func delExistsTypeTouch() {
        let h = CommandHarness()
        h.run("MSET", "a", "1", "b", "2")
        #expect(h.run("EXISTS", "a", "a", "nope") == ":2\r\n")
        #expect(h.run("TYPE", "a") == "+string\r\n")
        #expect(h.run("TYPE", "nope") == "+none\r\n")
        #expect(h.run("TOUCH", "a", "nope") == ":1\r\n")
        #expect(h.run("DEL", "a", "b", "nope") == ":2\r\n")
        #expect(h.run("UNLINK", "a") == ":0\r\n")
    }

    @Test func renameFamily() {
        let h = CommandHarness()
        #expect(h.run("RENAME", "nope", "x") == "-ERR no such key\r\n")
        h.run("SET", "a", "1", "EX", "100")
        #expect(h.run("RENAME", "a", "b") == "+OK\r\n")
        #expect(h.run("TTL", "b") == ":100\r\n")
        #expect(h.run("RENAME", "b", "b") == "+OK\r\n")
        h.run("SET", "c", "3")
        #expect(h.run("RENAMENX", "b", "c") == ":0\r\n")
        #expect(h.run("RENAMENX", "b", "d") == ":1\r\n")
        #expect(h.run("GET", "d") == "$1\r\n1\r\n")
    }

    @Test func copyAndMove() {
        let h = CommandHarness()
        h.run("SET", "a", "1")
        #expect(h.run("COPY", "a", "a") == "-ERR source and destination objects are the same\r\n")
        #expect(h.run("COPY", "a", "b") == ":1\r\n")
        #expect(h.run("COPY", "a", "b") == ":0\r\n")
        #expect(h.run("COPY", "a", "b", "REPLACE") == ":1\r\n")
        #expect(h.run("COPY", "a", "a", "DB", "1") == ":1\r\n")
        #expect(h.run("COPY", "a", "x", "DB", "16") == "-ERR DB index is out of range\r\n")
        #expect(h.run("COPY", "a", "x", "BOGUS") == "-ERR syntax error\r\n")
        #expect(h.run("MOVE", "a", "1") == ":0\r\n")  // exists in db 1 already
        #expect(h.run("MOVE", "b", "1") == ":1\r\n")
        #expect(h.run("MOVE", "b", "0") == "-ERR source and destination objects are the same\r\n")
        #expect(h.run("MOVE", "a", "99") == "-ERR DB index is out of range\r\n")
        #expect(h.run("SELECT", "1") == "+OK\r\n")
        #expect(h.run("MGET", "a", "b") == "*2\r\n$1\r\n1\r\n$1\r\n1\r\n")
    }

    @Test func keysScanRandomkey() {
        let h = CommandHarness()
        #expect(h.run("RANDOMKEY") == "$-1\r\n")
        for index in 0..<200 { h.run("SET", "other:\(index)", "x") }
        for index in 0..<5 { h.run("SET", "tickers:\(index)", "x") }
        #expect(h.run("KEYS", "tickers:[0-1]").components(separatedBy: "tickers:").count == 3)
        var cursor = "0"
        var found = Set<String>()
        repeat {
            let reply = h.run("SCAN", cursor, "MATCH", "tickers:*", "COUNT", "20")
            let lines = reply.split(separator: "\r\n").map(String.init)
            cursor = lines[2]
            for line in lines where line.hasPrefix("tickers:") { found.insert(line) }
        } while cursor != "0"
        #expect(found.count == 5)
        #expect(h.run("SCAN", "abc") == "-ERR invalid cursor\r\n")
        #expect(h.run("SCAN", "0", "COUNT", "0") == "-ERR syntax error\r\n")
        #expect(h.run("SCAN", "0", "TYPE", "hash", "COUNT", "1000") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(h.run("RANDOMKEY").hasPrefix("$"))
    }

    @Test func expireFlags() {
        let h = CommandHarness()
        h.run("SET", "k", "v")
        #expect(h.run("EXPIRE", "k", "100", "XX") == ":0\r\n")
        #expect(h.run("EXPIRE", "k", "100", "NX") == ":1\r\n")
        #expect(h.run("EXPIRE", "k", "200", "NX") == ":0\r\n")
        #expect(h.run("EXPIRE", "k", "50", "GT") == ":0\r\n")
        #expect(h.run("EXPIRE", "k", "200", "GT") == ":1\r\n")
        #expect(h.run("EXPIRE", "k", "300", "LT") == ":0\r\n")
        #expect(h.run("EXPIRE", "k", "100", "LT") == ":1\r\n")
        #expect(h.run("TTL", "k") == ":100\r\n")
        #expect(h.run("EXPIRE", "k", "1", "NX", "XX") == "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n")
        #expect(h.run("EXPIRE", "k", "1", "GT", "LT") == "-ERR GT and LT options at the same time are not compatible\r\n")
        #expect(h.run("EXPIRE", "k", "1", "FOO") == "-ERR Unsupported option FOO\r\n")
        #expect(h.run("EXPIRE", "k", "9223372036854775807") == "-ERR invalid expire time in 'expire' command\r\n")
        #expect(h.run("EXPIRE", "nope", "10") == ":0\r\n")
        #expect(h.run("PERSIST", "k") == ":1\r\n")
        #expect(h.run("PERSIST", "k") == ":0\r\n")
        #expect(h.run("TTL", "k") == ":-1\r\n")
        #expect(h.run("TTL", "nope") == ":-2\r\n")
        #expect(h.run("EXPIREAT", "k", "4102444800") == ":1\r\n")
        #expect(h.run("EXPIRETIME", "k") == ":4102444800\r\n")
        #expect(h.run("PEXPIRETIME", "k") == ":4102444800000\r\n")
        #expect(h.run("EXPIRE", "k", "-1") == ":1\r\n")
        #expect(h.run("EXISTS", "k") == ":0\r\n")
    }

    @Test func expiredKeysAreInvisible() {
        let h = CommandHarness()
        h.run("SET", "k", "v", "EX", "100")
        h.expireAllNow()
        #expect(h.run("GET", "k") == "$-1\r\n")
        #expect(h.run("TTL", "k") == ":-2\r\n")
        #expect(h.run("EXISTS", "k") == ":0\r\n")
    }

    @Test func objectSubcommands() {
        let h = CommandHarness()
        h.run("SET", "i", "12345")
        h.run("SET", "e", "short")
        h.run("SET", "r", String(repeating: "x", count: 45))
        #expect(h.run("OBJECT", "ENCODING", "i") == "$3\r\nint\r\n")
        #expect(h.run("OBJECT", "ENCODING", "e") == "$6\r\nembstr\r\n")
        #expect(h.run("OBJECT", "ENCODING", "r") == "$3\r\nraw\r\n")
        #expect(h.run("OBJECT", "ENCODING", "nope") == "$-1\r\n")
        // The encoding follows how the value was written, as in Valkey.
        h.run("APPEND", "i", "6")
        #expect(h.run("OBJECT", "ENCODING", "i") == "$3\r\nraw\r\n")
        h.run("INCRBYFLOAT", "f", "1")
        #expect(h.run("OBJECT", "ENCODING", "f") == "$6\r\nembstr\r\n")
        h.run("INCR", "f")
        #expect(h.run("OBJECT", "ENCODING", "f") == "$3\r\nint\r\n")
        #expect(h.run("OBJECT", "REFCOUNT", "r") == ":1\r\n")
        #expect(h.run("OBJECT", "IDLETIME", "r") == ":0\r\n")
        #expect(h.run("OBJECT", "FREQ", "r").hasPrefix("-ERR An LFU maxmemory policy is not selected"))
        #expect(h.run("OBJECT", "NOPE", "r") == "-ERR unknown subcommand 'NOPE'. Try OBJECT HELP.\r\n")
    }
}
