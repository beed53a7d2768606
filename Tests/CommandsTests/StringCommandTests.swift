import Testing
@testable import Commands

@Suite struct StringCommandTests {
    @Test func setAndGet() {
        let h = CommandHarness()
        #expect(h.run("SET", "k", "v") == "+OK\r\n")
        #expect(h.run("GET", "k") == "$1\r\nv\r\n")
        #expect(h.run("GET", "missing") == "$-1\r\n")
        #expect(h.run("set", "k", "") == "+OK\r\n")
        #expect(h.run("GET", "k") == "$0\r\n\r\n")
    }

    @Test func setOptions() {
        let h = CommandHarness()
        #expect(h.run("SET", "k", "1", "NX") == "+OK\r\n")
        #expect(h.run("SET", "k", "2", "NX") == "$-1\r\n")
        #expect(h.run("SET", "other", "2", "XX") == "$-1\r\n")
        #expect(h.run("SET", "k", "3", "XX", "GET") == "$1\r\n1\r\n")
        #expect(h.run("SET", "k", "4", "NX", "GET") == "$1\r\n3\r\n")
        #expect(h.run("SET", "new", "x", "GET") == "$-1\r\n")
        #expect(h.run("SET", "k", "v", "EX", "100") == "+OK\r\n")
        #expect(h.run("TTL", "k") == ":100\r\n")
        #expect(h.run("SET", "k", "w", "KEEPTTL") == "+OK\r\n")
        #expect(h.run("TTL", "k") == ":100\r\n")
        #expect(h.run("SET", "k", "w") == "+OK\r\n")
        #expect(h.run("TTL", "k") == ":-1\r\n")
        #expect(h.run("SET", "k", "v", "PX", "5000") == "+OK\r\n")
        #expect(["4", "5"].contains(h.run("PTTL", "k").dropFirst().prefix(1)))
        #expect(h.run("SET", "k", "v", "IFEQ", "v") == "+OK\r\n")
        #expect(h.run("SET", "k", "z", "IFEQ", "nope") == "$-1\r\n")
    }

    @Test func setErrors() {
        let h = CommandHarness()
        #expect(h.run("SET", "k", "v", "NX", "XX") == "-ERR syntax error\r\n")
        #expect(h.run("SET", "k", "v", "EX", "10", "PX", "10") == "-ERR syntax error\r\n")
        #expect(h.run("SET", "k", "v", "EX") == "-ERR syntax error\r\n")
        #expect(h.run("SET", "k", "v", "EX", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("SET", "k", "v", "EX", "0") == "-ERR invalid expire time in 'set' command\r\n")
        #expect(h.run("SET", "k", "v", "EX", "-5") == "-ERR invalid expire time in 'set' command\r\n")
        #expect(h.run("SET", "k", "v", "EX", "9223372036854775807") == "-ERR invalid expire time in 'set' command\r\n")
        #expect(h.run("SET", "k") == "-ERR wrong number of arguments for 'set' command\r\n")
        #expect(h.run("SETEX", "k", "0", "v") == "-ERR invalid expire time in 'setex' command\r\n")
        #expect(h.run("PSETEX", "k", "-1", "v") == "-ERR invalid expire time in 'psetex' command\r\n")
    }

    @Test func expiryInThePastDeletes() {
        let h = CommandHarness()
        h.run("SET", "k", "v")
        #expect(h.run("SET", "k", "v", "PXAT", "1") == "+OK\r\n")
        #expect(h.run("EXISTS", "k") == ":0\r\n")
        #expect(h.run("DBSIZE") == ":0\r\n")
    }

    @Test func counters() {
        let h = CommandHarness()
        #expect(h.run("INCR", "n") == ":1\r\n")
        #expect(h.run("INCRBY", "n", "10") == ":11\r\n")
        #expect(h.run("DECR", "n") == ":10\r\n")
        #expect(h.run("DECRBY", "n", "20") == ":-10\r\n")
        #expect(h.run("GET", "n") == "$3\r\n-10\r\n")
        h.run("SET", "big", "9223372036854775807")
        #expect(h.run("INCR", "big") == "-ERR increment or decrement would overflow\r\n")
        #expect(h.run("DECRBY", "n", "-9223372036854775808") == "-ERR decrement would overflow\r\n")
        h.run("SET", "s", "abc")
        #expect(h.run("INCR", "s") == "-ERR value is not an integer or out of range\r\n")
        h.run("SET", "sp", " 1")
        #expect(h.run("INCR", "sp") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("INCRBY", "n", "1.5") == "-ERR value is not an integer or out of range\r\n")
    }

    @Test func incrbyfloatUsesLongDoubleFormatting() {
        let h = CommandHarness()
        #expect(h.run("INCRBYFLOAT", "f", "10.5") == "$4\r\n10.5\r\n")
        #expect(h.run("INCRBYFLOAT", "f", "0.1") == "$4\r\n10.6\r\n")
        #expect(h.run("INCRBYFLOAT", "f", "-5.6") == "$1\r\n5\r\n")
        #expect(h.run("INCRBYFLOAT", "f", "5.0e3") == "$4\r\n5005\r\n")
        #expect(h.run("INCRBYFLOAT", "f", "abc") == "-ERR value is not a valid float\r\n")
        #expect(h.run("INCRBYFLOAT", "f", "inf") == "-ERR increment would produce NaN or Infinity\r\n")
        #expect(h.run("INCRBYFLOAT", "f", "nan") == "-ERR value is not a valid float\r\n")
        h.run("SET", "t", "1e5000")  // beyond even long double
        #expect(h.run("INCRBYFLOAT", "t", "1") == "-ERR value is not a valid float\r\n")
    }

    @Test func rangesAndLengths() {
        let h = CommandHarness()
        #expect(h.run("APPEND", "s", "Hello") == ":5\r\n")
        #expect(h.run("APPEND", "s", " World") == ":11\r\n")
        #expect(h.run("STRLEN", "s") == ":11\r\n")
        #expect(h.run("STRLEN", "nope") == ":0\r\n")
        #expect(h.run("GETRANGE", "s", "0", "4") == "$5\r\nHello\r\n")
        #expect(h.run("GETRANGE", "s", "-5", "-1") == "$5\r\nWorld\r\n")
        #expect(h.run("GETRANGE", "s", "5", "1") == "$0\r\n\r\n")
        #expect(h.run("GETRANGE", "s", "-1", "-5") == "$0\r\n\r\n")
        #expect(h.run("GETRANGE", "s", "0", "100") == "$11\r\nHello World\r\n")
        #expect(h.run("SUBSTR", "s", "0", "0") == "$1\r\nH\r\n")
        #expect(h.run("SETRANGE", "s", "6", "Redis") == ":11\r\n")
        #expect(h.run("GET", "s") == "$11\r\nHello Redis\r\n")
        #expect(h.run("SETRANGE", "z", "3", "ab") == ":5\r\n")
        #expect(h.run("GET", "z") == "$5\r\n\0\0\0ab\r\n")
        #expect(h.run("SETRANGE", "empty", "5", "") == ":0\r\n")
        #expect(h.run("EXISTS", "empty") == ":0\r\n")
        #expect(h.run("SETRANGE", "z", "-1", "x") == "-ERR offset is out of range\r\n")
        #expect(h.run("SETRANGE", "z", "536870911", "xx") == "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n")
    }

    @Test func multiKey() {
        let h = CommandHarness()
        #expect(h.run("MSET", "a", "1", "b", "2") == "+OK\r\n")
        #expect(h.run("MGET", "a", "nope", "b") == "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n")
        #expect(h.run("MSET", "a", "1", "b") == "-ERR wrong number of arguments for 'mset' command\r\n")
        #expect(h.run("MSETNX", "a", "x", "c", "3") == ":0\r\n")
        #expect(h.run("EXISTS", "c") == ":0\r\n")
        #expect(h.run("MSETNX", "c", "3", "d", "4") == ":1\r\n")
        #expect(h.run("GETSET", "a", "new") == "$1\r\n1\r\n")
        #expect(h.run("GETDEL", "a") == "$3\r\nnew\r\n")
        #expect(h.run("GETDEL", "a") == "$-1\r\n")
        #expect(h.run("SETNX", "a", "x") == ":1\r\n")
        #expect(h.run("SETNX", "a", "y") == ":0\r\n")
    }

    @Test func getex() {
        let h = CommandHarness()
        h.run("SET", "k", "v")
        #expect(h.run("GETEX", "k", "EX", "100") == "$1\r\nv\r\n")
        #expect(h.run("TTL", "k") == ":100\r\n")
        #expect(h.run("GETEX", "k", "PERSIST") == "$1\r\nv\r\n")
        #expect(h.run("TTL", "k") == ":-1\r\n")
        #expect(h.run("GETEX", "k", "EX", "0") == "-ERR invalid expire time in 'getex' command\r\n")
        #expect(h.run("GETEX", "k", "PERSIST", "EX", "5") == "-ERR syntax error\r\n")
        #expect(h.run("GETEX", "nope") == "$-1\r\n")
    }

    @Test func lcs() {
        let h = CommandHarness()
        h.run("MSET", "key1", "ohmytext", "key2", "mynewtext")
        #expect(h.run("LCS", "key1", "key2") == "$6\r\nmytext\r\n")
        #expect(h.run("LCS", "key1", "key2", "LEN") == ":6\r\n")
        #expect(h.run("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN")
                == "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n")
        #expect(h.run("LCS", "key1", "key2", "IDX")
                == "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n")
        #expect(h.run("LCS", "key1", "key2", "LEN", "IDX") == "-ERR If you want both the length and indexes, please just use IDX.\r\n")
    }
}
