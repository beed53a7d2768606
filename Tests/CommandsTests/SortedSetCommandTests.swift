import Keyspace
import Testing
@testable import Commands

@Suite struct SortedSetCommandTests {
    private func b(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// RESP2 bulk strings / integers for the expected reply.
    private func array(_ items: String...) -> String {
        "*\(items.count)\r\n" + items.map { "$\($0.utf8.count)\r\n\($0)\r\n" }.joined()
    }

    // MARK: ZADD

    @Test func zaddBasicsAndOptions() {
        let h = CommandHarness()
        #expect(h.run("ZADD", "z", "1", "a", "2", "b", "3", "c") == ":3\r\n")
        #expect(h.run("ZADD", "z", "1", "a", "5", "d") == ":1\r\n")
        #expect(h.run("ZADD", "z", "CH", "10", "a", "2", "b", "6", "e") == ":2\r\n")
        #expect(h.run("ZADD", "z", "NX", "100", "a", "7", "f") == ":1\r\n")
        #expect(h.run("ZSCORE", "z", "a") == "$2\r\n10\r\n")
        #expect(h.run("ZADD", "z", "XX", "11", "a", "7", "new") == ":0\r\n")
        #expect(h.run("ZSCORE", "z", "new") == "$-1\r\n")
        #expect(h.run("ZSCORE", "z", "a") == "$2\r\n11\r\n")
        #expect(h.run("ZADD", "z", "GT", "CH", "5", "a", "20", "b") == ":1\r\n")
        #expect(h.run("ZADD", "z", "LT", "CH", "5", "a", "30", "b") == ":1\r\n")
        #expect(h.run("ZADD", "z", "XX", "GT", "1", "a") == ":0\r\n")
        #expect(h.run("ZADD", "nokey", "XX", "1", "a") == ":0\r\n")
        #expect(h.run("EXISTS", "nokey") == ":0\r\n")
        #expect(h.run("ZADD", "z", "INCR", "2.5", "a") == "$3\r\n7.5\r\n")
        #expect(h.run("ZADD", "z", "NX", "INCR", "1", "a") == "$-1\r\n")
        #expect(h.run("ZADD", "z", "GT", "INCR", "-1", "a") == "$-1\r\n")
        #expect(h.run("ZADD", "nokey", "XX", "INCR", "1", "a") == "$-1\r\n")
        #expect(h.run("ZADD", "z", "INCR", "0", "a") == "$3\r\n7.5\r\n")
    }

    @Test func zaddErrors() {
        let h = CommandHarness()
        #expect(h.run("ZADD", "z", "NX", "XX", "1", "a") == "-ERR XX and NX options at the same time are not compatible\r\n")
        #expect(h.run("ZADD", "z", "GT", "LT", "1", "a") == "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n")
        #expect(h.run("ZADD", "z", "NX", "GT", "1", "a") == "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n")
        #expect(h.run("ZADD", "z", "INCR", "1", "a", "2", "b") == "-ERR INCR option supports a single increment-element pair\r\n")
        #expect(h.run("ZADD", "z", "1", "a", "2") == "-ERR syntax error\r\n")
        #expect(h.run("ZADD", "z", "NX", "1") == "-ERR syntax error\r\n")
        #expect(h.run("ZADD", "z", "abc", "a") == "-ERR value is not a valid float\r\n")
        #expect(h.run("ZADD", "z", "nan", "a") == "-ERR value is not a valid float\r\n")
        #expect(h.run("ZADD", "z", "1", "a", "x", "b") == "-ERR value is not a valid float\r\n")
        #expect(h.run("EXISTS", "z") == ":0\r\n")
        #expect(h.run("ZADD", "z") == "-ERR wrong number of arguments for 'zadd' command\r\n")
        h.run("SET", "s", "x")
        #expect(h.run("ZADD", "s", "1", "a") == "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
        h.run("ZADD", "inf", "+inf", "a")
        #expect(h.run("ZADD", "inf", "INCR", "-inf", "a") == "-ERR resulting score is not a number (NaN)\r\n")
        #expect(h.run("ZINCRBY", "inf", "-inf", "a") == "-ERR resulting score is not a number (NaN)\r\n")
        #expect(h.run("ZSCORE", "inf", "a") == "$3\r\ninf\r\n")
    }

    @Test func zincrby() {
        let h = CommandHarness()
        #expect(h.run("ZINCRBY", "z", "1.5", "a") == "$3\r\n1.5\r\n")
        #expect(h.run("ZINCRBY", "z", "-3", "a") == "$4\r\n-1.5\r\n")
        #expect(h.run("ZINCRBY", "z", "x", "a") == "-ERR value is not a valid float\r\n")
        #expect(h.run("ZINCRBY", "z", "1") == "-ERR wrong number of arguments for 'zincrby' command\r\n")
    }

    @Test func doublesInResp3() {
        let h = CommandHarness()
        h.run("HELLO", "3")
        #expect(h.run("ZADD", "z", "1.5", "a", "-inf", "b") == ":2\r\n")
        #expect(h.run("ZSCORE", "z", "a") == ",1.5\r\n")
        #expect(h.run("ZSCORE", "z", "b") == ",-inf\r\n")
        #expect(h.run("ZSCORE", "z", "x") == "_\r\n")
        #expect(h.run("ZMSCORE", "z", "a", "x") == "*2\r\n,1.5\r\n_\r\n")
        #expect(h.run("ZINCRBY", "z", "1", "a") == ",2.5\r\n")
        #expect(h.run("ZRANGE", "z", "0", "-1", "WITHSCORES") == "*2\r\n*2\r\n$1\r\nb\r\n,-inf\r\n*2\r\n$1\r\na\r\n,2.5\r\n")
        #expect(h.run("ZRANGE", "z", "0", "-1") == "*2\r\n$1\r\nb\r\n$1\r\na\r\n")
        #expect(h.run("ZRANK", "z", "a", "WITHSCORE") == "*2\r\n:1\r\n,2.5\r\n")
        #expect(h.run("ZRANK", "z", "x", "WITHSCORE") == "_\r\n")
        #expect(h.run("ZPOPMIN", "z") == "*2\r\n$1\r\nb\r\n,-inf\r\n")
        #expect(h.run("ZPOPMIN", "z", "1") == "*1\r\n*2\r\n$1\r\na\r\n,2.5\r\n")
        #expect(h.run("ZMPOP", "1", "z", "MIN") == "_\r\n")
    }

    // MARK: reads

    @Test func pointReads() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a", "2", "b")
        #expect(h.run("ZCARD", "z") == ":2\r\n")
        #expect(h.run("ZCARD", "nokey") == ":0\r\n")
        #expect(h.run("ZMSCORE", "z", "a", "x", "b") == "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n")
        #expect(h.run("ZMSCORE", "nokey", "a") == "*1\r\n$-1\r\n")
        #expect(h.run("ZRANK", "z", "b") == ":1\r\n")
        #expect(h.run("ZREVRANK", "z", "b") == ":0\r\n")
        #expect(h.run("ZRANK", "z", "x") == "$-1\r\n")
        #expect(h.run("ZRANK", "z", "b", "WITHSCORE") == "*2\r\n:1\r\n$1\r\n2\r\n")
        #expect(h.run("ZREVRANK", "z", "x", "WITHSCORE") == "*-1\r\n")
        #expect(h.run("ZRANK", "z", "b", "FOO") == "-ERR syntax error\r\n")
        #expect(h.run("ZRANK", "z", "b", "WITHSCORE", "x") == "-ERR wrong number of arguments for 'zrank' command\r\n")
        h.run("SET", "s", "x")
        #expect(h.run("ZSCORE", "s", "a").hasPrefix("-WRONGTYPE"))
        #expect(h.run("ZMSCORE", "s", "a").hasPrefix("-WRONGTYPE"))
        #expect(h.run("ZCARD", "s").hasPrefix("-WRONGTYPE"))
    }

    @Test func counts() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
        #expect(h.run("ZCOUNT", "z", "-inf", "+inf") == ":4\r\n")
        #expect(h.run("ZCOUNT", "z", "(1", "3") == ":2\r\n")
        #expect(h.run("ZCOUNT", "z", "(1", "(3") == ":1\r\n")
        #expect(h.run("ZCOUNT", "z", "3", "1") == ":0\r\n")
        #expect(h.run("ZCOUNT", "z", "a", "1") == "-ERR min or max is not a float\r\n")
        #expect(h.run("ZCOUNT", "z", "1", "(x") == "-ERR min or max is not a float\r\n")
        #expect(h.run("ZCOUNT", "z", "nan", "1") == "-ERR min or max is not a float\r\n")
        #expect(h.run("ZCOUNT", "nokey", "0", "1") == ":0\r\n")
        h.run("ZADD", "l", "0", "a", "0", "b", "0", "c")
        #expect(h.run("ZLEXCOUNT", "l", "-", "+") == ":3\r\n")
        #expect(h.run("ZLEXCOUNT", "l", "(a", "[c") == ":2\r\n")
        #expect(h.run("ZLEXCOUNT", "l", "a", "[c") == "-ERR min or max not valid string range item\r\n")
        #expect(h.run("ZLEXCOUNT", "l", "+x", "[c") == "-ERR min or max not valid string range item\r\n")
        h.run("SET", "s", "x")
        // The range is checked before the key's type, as in Valkey.
        #expect(h.run("ZCOUNT", "s", "a", "b") == "-ERR min or max is not a float\r\n")
        #expect(h.run("ZCOUNT", "s", "0", "1").hasPrefix("-WRONGTYPE"))
    }

    // MARK: ranges

    @Test func rangeByRank() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
        #expect(h.run("ZRANGE", "z", "0", "-1") == array("a", "b", "c", "d"))
        #expect(h.run("ZRANGE", "z", "1", "2", "WITHSCORES") == array("b", "2", "c", "3"))
        #expect(h.run("ZRANGE", "z", "-2", "100") == array("c", "d"))
        #expect(h.run("ZRANGE", "z", "5", "10") == "*0\r\n")
        #expect(h.run("ZRANGE", "z", "2", "1") == "*0\r\n")
        #expect(h.run("ZRANGE", "z", "0", "1", "REV") == array("d", "c"))
        #expect(h.run("ZREVRANGE", "z", "0", "1", "WITHSCORES") == array("d", "4", "c", "3"))
        #expect(h.run("ZRANGE", "nokey", "0", "-1") == "*0\r\n")
        #expect(h.run("ZRANGE", "z", "a", "1") == "-ERR value is not an integer or out of range\r\n")
    }

    @Test func rangeByScoreAndLex() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
        #expect(h.run("ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "1", "1") == array("c"))
        #expect(h.run("ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2", "WITHSCORES") == array("c", "3", "b", "2"))
        #expect(h.run("ZRANGEBYSCORE", "z", "2", "3") == array("b", "c"))
        #expect(h.run("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "-1", "2") == "*0\r\n")
        #expect(h.run("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "2", "-1") == array("c", "d"))
        #expect(h.run("ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "2", "0") == "*0\r\n")
        #expect(h.run("ZREVRANGEBYSCORE", "z", "(4", "(1", "WITHSCORES") == array("c", "3", "b", "2"))
        #expect(h.run("ZREVRANGEBYSCORE", "z", "1", "4") == "*0\r\n")
        h.run("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d")
        #expect(h.run("ZRANGEBYLEX", "l", "[b", "(d") == array("b", "c"))
        #expect(h.run("ZRANGEBYLEX", "l", "-", "+", "LIMIT", "1", "2") == array("b", "c"))
        #expect(h.run("ZREVRANGEBYLEX", "l", "+", "(b") == array("d", "c"))
        #expect(h.run("ZRANGE", "l", "[c", "-", "BYLEX", "REV") == array("c", "b", "a"))
        #expect(h.run("ZRANGEBYLEX", "l", "+", "-") == "*0\r\n")
    }

    @Test func rangeErrors() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a")
        #expect(h.run("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1")
                == "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n")
        #expect(h.run("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES")
                == "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n")
        #expect(h.run("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES")
                == "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n")
        #expect(h.run("ZRANGE", "z", "0", "-1", "BYSCORE", "BYLEX") == "-ERR syntax error\r\n")
        #expect(h.run("ZRANGE", "z", "0", "-1", "REV", "REV") == "-ERR syntax error\r\n")
        #expect(h.run("ZRANGE", "z", "0", "-1", "LIMIT", "1") == "-ERR syntax error\r\n")
        #expect(h.run("ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("ZRANGEBYSCORE", "z", "0", "1", "REV") == "-ERR syntax error\r\n")
        #expect(h.run("ZREVRANGE", "z", "0", "1", "BYSCORE") == "-ERR syntax error\r\n")
        #expect(h.run("ZRANGE", "z", "x", "1", "BYSCORE") == "-ERR min or max is not a float\r\n")
        #expect(h.run("ZRANGE", "z", "x", "1", "BYLEX") == "-ERR min or max not valid string range item\r\n")
        #expect(h.run("ZRANGESTORE", "d", "z", "0", "-1", "WITHSCORES") == "-ERR syntax error\r\n")
    }

    @Test func rangeStore() {
        let h = CommandHarness()
        h.run("ZADD", "src", "1", "a", "2", "b", "3", "c")
        #expect(h.run("ZRANGESTORE", "dst", "src", "0", "1") == ":2\r\n")
        #expect(h.run("ZRANGE", "dst", "0", "-1", "WITHSCORES") == array("a", "1", "b", "2"))
        #expect(h.run("ZRANGESTORE", "dst", "src", "(1", "+inf", "BYSCORE") == ":2\r\n")
        #expect(h.run("ZRANGE", "dst", "0", "-1") == array("b", "c"))
        h.run("SET", "str", "x")
        #expect(h.run("ZRANGESTORE", "str", "src", "0", "0") == ":1\r\n")
        #expect(h.run("TYPE", "str") == "+zset\r\n")
        #expect(h.run("ZRANGESTORE", "dst", "nokey", "0", "-1") == ":0\r\n")
        #expect(h.run("EXISTS", "dst") == ":0\r\n")
        #expect(h.run("ZRANGESTORE", "dst", "str2", "0", "-1") == ":0\r\n")
        h.run("SET", "s", "x")
        #expect(h.run("ZRANGESTORE", "dst", "s", "0", "-1").hasPrefix("-WRONGTYPE"))
    }

    // MARK: removal

    @Test func zremAndRemoveRanges() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f")
        #expect(h.run("ZREM", "z", "a", "x", "b") == ":2\r\n")
        #expect(h.run("ZREM", "nokey", "a") == ":0\r\n")
        #expect(h.run("ZREMRANGEBYRANK", "z", "-1", "-1") == ":1\r\n")
        #expect(h.run("ZREMRANGEBYRANK", "z", "5", "10") == ":0\r\n")
        #expect(h.run("ZREMRANGEBYSCORE", "z", "(3", "4") == ":1\r\n")
        #expect(h.run("ZRANGE", "z", "0", "-1") == array("c", "e"))
        #expect(h.run("ZREMRANGEBYSCORE", "z", "x", "4") == "-ERR min or max is not a float\r\n")
        #expect(h.run("ZREMRANGEBYLEX", "z", "x", "+") == "-ERR min or max not valid string range item\r\n")
        #expect(h.run("ZREMRANGEBYLEX", "z", "-", "+") == ":2\r\n")
        #expect(h.run("EXISTS", "z") == ":0\r\n")
        h.run("ZADD", "z", "1", "a")
        #expect(h.run("ZREM", "z", "a", "b") == ":1\r\n")
        #expect(h.run("EXISTS", "z") == ":0\r\n")
    }

    // MARK: pops

    @Test func pops() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d")
        #expect(h.run("ZPOPMIN", "z") == array("a", "1"))
        #expect(h.run("ZPOPMAX", "z", "2") == array("d", "4", "c", "3"))
        #expect(h.run("ZPOPMIN", "z", "0") == "*0\r\n")
        #expect(h.run("ZPOPMIN", "z", "-1") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("ZPOPMIN", "z", "x") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("ZPOPMIN", "z", "1", "2") == "-ERR syntax error\r\n")
        #expect(h.run("ZPOPMAX", "z", "10") == array("b", "2"))
        #expect(h.run("EXISTS", "z") == ":0\r\n")
        #expect(h.run("ZPOPMIN", "z") == "*0\r\n")
    }

    @Test func zmpop() {
        let h = CommandHarness()
        h.run("ZADD", "a", "1", "x", "2", "y")
        h.run("ZADD", "b", "3", "z")
        #expect(h.run("ZMPOP", "2", "nokey", "a", "MIN") == "*2\r\n$1\r\na\r\n*1\r\n*2\r\n$1\r\nx\r\n$1\r\n1\r\n")
        #expect(h.run("ZMPOP", "2", "a", "b", "MAX", "COUNT", "5") == "*2\r\n$1\r\na\r\n*1\r\n*2\r\n$1\r\ny\r\n$1\r\n2\r\n")
        #expect(h.run("EXISTS", "a") == ":0\r\n")
        #expect(h.run("ZMPOP", "1", "a", "MIN") == "*-1\r\n")
        #expect(h.run("ZMPOP", "0", "a", "MIN") == "-ERR numkeys should be greater than 0\r\n")
        #expect(h.run("ZMPOP", "x", "a", "MIN") == "-ERR numkeys should be greater than 0\r\n")
        #expect(h.run("ZMPOP", "5", "a", "MIN") == "-ERR syntax error\r\n")
        #expect(h.run("ZMPOP", "1", "a", "MID") == "-ERR syntax error\r\n")
        #expect(h.run("ZMPOP", "1", "a", "MIN", "COUNT", "0") == "-ERR count should be greater than 0\r\n")
        #expect(h.run("ZMPOP", "1", "a", "MIN", "COUNT", "1", "COUNT", "1") == "-ERR syntax error\r\n")
        #expect(h.run("ZMPOP", "1", "a", "MIN", "COUNT") == "-ERR syntax error\r\n")
        h.run("SET", "s", "x")
        #expect(h.run("ZMPOP", "2", "nokey", "s", "MIN").hasPrefix("-WRONGTYPE"))
    }

    // MARK: ZRANDMEMBER

    @Test func zrandmember() {
        let h = CommandHarness()
        #expect(h.run("ZRANDMEMBER", "nokey") == "$-1\r\n")
        #expect(h.run("ZRANDMEMBER", "nokey", "3") == "*0\r\n")
        h.run("ZADD", "z", "1", "a", "2", "b", "3", "c")
        #expect(["$1\r\na\r\n", "$1\r\nb\r\n", "$1\r\nc\r\n"].contains(h.run("ZRANDMEMBER", "z")))
        #expect(h.run("ZRANDMEMBER", "z", "0") == "*0\r\n")
        #expect(h.run("ZRANDMEMBER", "z", "5", "WITHSCORES") == array("c", "3", "b", "2", "a", "1"))
        #expect(h.run("ZRANDMEMBER", "z", "-5").hasPrefix("*5\r\n"))
        #expect(h.run("ZRANDMEMBER", "z", "-5", "WITHSCORES").hasPrefix("*10\r\n"))
        let two = h.run("ZRANDMEMBER", "z", "2")
        #expect(two.hasPrefix("*2\r\n"))
        #expect(h.run("ZRANDMEMBER", "z", "1", "x") == "-ERR syntax error\r\n")
        #expect(h.run("ZRANDMEMBER", "z", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("ZRANDMEMBER", "z", "-9223372036854775808")
                == "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n")
        #expect(h.run("ZRANDMEMBER", "z", "-9223372036854770000", "WITHSCORES") == "-ERR value is out of range\r\n")
    }

    @Test func zrandmemberDistinctSamples() {
        let h = CommandHarness()
        var arguments = ["ZADD", "big"]
        for index in 0..<300 { arguments += ["\(index)", "m\(index)"] }
        h.run(arguments.map { Array($0.utf8) })
        for count in [1, 5, 150, 299] {
            let reply = h.run("ZRANDMEMBER", "big", "\(count)")
            let members = reply.split(separator: "\r\n").filter { $0.hasPrefix("m") }
            #expect(members.count == count)
            #expect(Set(members).count == count)
        }
    }

    // MARK: set algebra

    @Test func unionInterDiff() {
        let h = CommandHarness()
        h.run("ZADD", "a", "1", "x", "2", "y", "3", "z")
        h.run("ZADD", "b", "10", "y", "20", "z", "30", "w")
        h.run("SADD", "s", "y", "q")
        #expect(h.run("ZUNION", "2", "a", "b", "WITHSCORES") == array("x", "1", "y", "12", "z", "23", "w", "30"))
        #expect(h.run("ZUNION", "2", "a", "b", "WEIGHTS", "2", "1", "AGGREGATE", "MAX", "WITHSCORES")
                == array("x", "2", "y", "10", "z", "20", "w", "30"))
        #expect(h.run("ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES") == array("y", "2", "z", "3"))
        #expect(h.run("ZINTER", "3", "a", "b", "s", "WITHSCORES") == array("y", "13"))
        #expect(h.run("ZDIFF", "2", "a", "b", "WITHSCORES") == array("x", "1"))
        #expect(h.run("ZDIFF", "2", "b", "s") == array("z", "w"))
        #expect(h.run("ZINTERCARD", "2", "a", "b") == ":2\r\n")
        #expect(h.run("ZINTERCARD", "2", "a", "b", "LIMIT", "1") == ":1\r\n")
        #expect(h.run("ZINTERCARD", "2", "a", "b", "LIMIT", "-1") == "-ERR LIMIT can't be negative\r\n")
        #expect(h.run("ZINTERCARD", "2", "a", "b", "WITHSCORES") == "-ERR syntax error\r\n")
        #expect(h.run("ZUNIONSTORE", "dst", "2", "a", "b") == ":4\r\n")
        #expect(h.run("ZRANGE", "dst", "0", "-1", "WITHSCORES") == array("x", "1", "y", "12", "z", "23", "w", "30"))
        #expect(h.run("ZINTERSTORE", "dst", "2", "a", "nokey") == ":0\r\n")
        #expect(h.run("EXISTS", "dst") == ":0\r\n")
        #expect(h.run("ZDIFFSTORE", "a", "2", "a", "b") == ":1\r\n")
        #expect(h.run("ZRANGE", "a", "0", "-1") == array("x"))
    }

    @Test func unionInterDiffErrors() {
        let h = CommandHarness()
        h.run("ZADD", "a", "1", "x")
        h.run("SET", "str", "v")
        #expect(h.run("ZUNION", "0", "a") == "-ERR at least 1 input key is needed for 'zunion' command\r\n")
        #expect(h.run("ZINTERSTORE", "d", "0", "a") == "-ERR at least 1 input key is needed for 'zinterstore' command\r\n")
        #expect(h.run("ZUNION", "x", "a") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("ZUNION", "3", "a") == "-ERR syntax error\r\n")
        #expect(h.run("ZUNION", "1", "a", "WEIGHTS", "x") == "-ERR weight value is not a float\r\n")
        #expect(h.run("ZUNION", "1", "a", "WEIGHTS") == "-ERR syntax error\r\n")
        #expect(h.run("ZUNION", "1", "a", "AGGREGATE", "AVG") == "-ERR syntax error\r\n")
        #expect(h.run("ZUNIONSTORE", "d", "1", "a", "WITHSCORES") == "-ERR syntax error\r\n")
        #expect(h.run("ZDIFF", "1", "a", "WEIGHTS", "1") == "-ERR syntax error\r\n")
        // Keys are type-checked before the options are parsed.
        #expect(h.run("ZUNION", "2", "a", "str", "BOGUS").hasPrefix("-WRONGTYPE"))
    }

    @Test func infinitiesAggregateLikeValkey() {
        let h = CommandHarness()
        h.run("ZADD", "p", "+inf", "m")
        h.run("ZADD", "n", "-inf", "m")
        #expect(h.run("ZUNION", "2", "p", "n", "WITHSCORES") == array("m", "0"))
        #expect(h.run("ZINTER", "2", "p", "n", "AGGREGATE", "MIN", "WITHSCORES") == array("m", "-inf"))
        #expect(h.run("ZUNION", "2", "p", "n", "WEIGHTS", "0", "1", "WITHSCORES") == array("m", "-inf"))
    }

    // MARK: ZSCAN

    @Test func zscan() {
        let h = CommandHarness()
        h.run("ZADD", "z", "1", "a", "2.5", "b")
        #expect(h.run("ZSCAN", "z", "0") == "*2\r\n$1\r\n0\r\n" + array("a", "1", "b", "2.5"))
        #expect(h.run("ZSCAN", "z", "0", "MATCH", "b*") == "*2\r\n$1\r\n0\r\n" + array("b", "2.5"))
        #expect(h.run("ZSCAN", "z", "0", "NOSCORES") == "*2\r\n$1\r\n0\r\n" + array("a", "b"))
        #expect(h.run("ZSCAN", "z", "0", "COUNT", "0") == "-ERR syntax error\r\n")
        #expect(h.run("ZSCAN", "z", "x") == "-ERR invalid cursor\r\n")
        #expect(h.run("ZSCAN", "nokey", "0") == "*2\r\n$1\r\n0\r\n*0\r\n")
        h.run("HELLO", "3")
        // Scores stay bulk strings in RESP3, as in Valkey's scan replies.
        #expect(h.run("ZSCAN", "z", "0") == "*2\r\n$1\r\n0\r\n" + array("a", "1", "b", "2.5"))
    }

    @Test func zscanSkiplistIteratesWithCursor() {
        let h = CommandHarness()
        var arguments = ["ZADD", "big"]
        for index in 0..<500 { arguments += ["\(index)", "m\(index)"] }
        h.run(arguments.map { Array($0.utf8) })
        var seen = Set<Substring>()
        var cursor = "0"
        var rounds = 0
        repeat {
            let reply = h.run("ZSCAN", "big", cursor, "COUNT", "50")
            let parts = reply.split(separator: "\r\n")
            cursor = String(parts[2])
            for part in parts where part.hasPrefix("m") { seen.insert(part) }
            rounds += 1
        } while cursor != "0" && rounds < 1000
        #expect(seen.count == 500)
        #expect(rounds > 1)
    }

    // MARK: encodings

    @Test func encodings() {
        let h = CommandHarness()
        var arguments = ["ZADD", "z"]
        for index in 0..<128 { arguments += ["\(index)", "m\(index)"] }
        h.run(arguments.map { Array($0.utf8) })
        #expect(h.run("OBJECT", "ENCODING", "z") == "$8\r\nlistpack\r\n")
        h.run("ZADD", "z", "1000", "one-more")
        #expect(h.run("OBJECT", "ENCODING", "z") == "$8\r\nskiplist\r\n")
        h.run("ZREMRANGEBYRANK", "z", "0", "120")
        #expect(h.run("OBJECT", "ENCODING", "z") == "$8\r\nskiplist\r\n")
        h.run("ZADD", "long", "1", String(repeating: "x", count: 64))
        #expect(h.run("OBJECT", "ENCODING", "long") == "$8\r\nlistpack\r\n")
        h.run("ZADD", "long", "1", String(repeating: "y", count: 65))
        #expect(h.run("OBJECT", "ENCODING", "long") == "$8\r\nskiplist\r\n")
        #expect(h.run("ZUNIONSTORE", "u", "1", "z") == ":8\r\n")
        #expect(h.run("OBJECT", "ENCODING", "u") == "$8\r\nlistpack\r\n")
        h.run("CONFIG", "SET", "zset-max-listpack-entries", "0")
        h.run("ZADD", "zero", "1", "a")
        #expect(h.run("OBJECT", "ENCODING", "zero") == "$8\r\nskiplist\r\n")
    }

    // MARK: change records

    @Test func recordsElementChanges() {
        let h = CommandHarness()
        let keyspace = h.server.keyspace
        _ = keyspace.drainChanges()
        h.run("ZADD", "z", "1", "a", "2", "b")
        #expect(keyspace.drainChanges() == [
            .zsetAdd(db: 0, key: b("z"), member: b("a"), score: 1),
            .zsetAdd(db: 0, key: b("z"), member: b("b"), score: 2),
        ])
        // Nothing changes: nothing recorded.
        h.run("ZADD", "z", "1", "a")
        h.run("ZADD", "z", "NX", "5", "a")
        h.run("ZADD", "z", "GT", "0", "a")
        h.run("ZREM", "z", "nope")
        h.run("ZINCRBY", "z", "0", "a")
        h.run("ZREMRANGEBYSCORE", "z", "10", "20")
        h.run("ZADD", "z", "x", "a")
        #expect(keyspace.drainChanges().isEmpty)
        h.run("ZINCRBY", "z", "2", "a")
        #expect(keyspace.drainChanges() == [.zsetAdd(db: 0, key: b("z"), member: b("a"), score: 3)])
        h.run("ZPOPMIN", "z")
        #expect(keyspace.drainChanges() == [.zsetRemove(db: 0, key: b("z"), member: b("b"))])
        h.run("ZREM", "z", "a")
        #expect(keyspace.drainChanges() == [
            .zsetRemove(db: 0, key: b("z"), member: b("a")),
            .delete(db: 0, key: b("z")),
        ])
    }

    @Test func storeRecordsDeleteThenMembers() {
        let h = CommandHarness()
        let keyspace = h.server.keyspace
        h.run("ZADD", "a", "1", "x", "2", "y")
        h.run("SET", "dst", "old")
        _ = keyspace.drainChanges()
        h.run("ZUNIONSTORE", "dst", "1", "a")
        #expect(keyspace.drainChanges() == [
            .delete(db: 0, key: b("dst")),
            .zsetAdd(db: 0, key: b("dst"), member: b("x"), score: 1),
            .zsetAdd(db: 0, key: b("dst"), member: b("y"), score: 2),
        ])
        h.run("ZINTERSTORE", "dst", "2", "a", "nokey")
        #expect(keyspace.drainChanges() == [.delete(db: 0, key: b("dst"))])
        h.run("ZINTERSTORE", "dst", "2", "a", "nokey")
        #expect(keyspace.drainChanges().isEmpty)
        h.run("ZREMRANGEBYRANK", "a", "0", "-1")
        #expect(keyspace.drainChanges() == [
            .zsetRemove(db: 0, key: b("a"), member: b("x")),
            .zsetRemove(db: 0, key: b("a"), member: b("y")),
            .delete(db: 0, key: b("a")),
        ])
    }
}
