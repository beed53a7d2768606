import Keyspace
import Testing
@testable import Commands

@Suite struct SetCommandTests {
    static let wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"

    /// Runs a command given as an array of text arguments.
    @discardableResult
    func run(_ h: CommandHarness, _ arguments: [String]) -> String {
        h.run(arguments.map { Array($0.utf8) })
    }

    /// The bulk strings of a flat reply, sorted (for replies in unspecified order).
    func members(_ reply: String) -> [String] {
        reply.split(separator: "\r\n").enumerated()
            .filter { $0.offset > 0 && !$0.element.hasPrefix("$") }
            .map { String($0.element) }.sorted()
    }

    @Test func addRemoveAndQuery() {
        let h = CommandHarness()
        #expect(h.run("SADD", "s", "a", "b", "a") == ":2\r\n")
        #expect(h.run("SADD", "s", "b", "c") == ":1\r\n")
        #expect(h.run("SCARD", "s") == ":3\r\n")
        #expect(h.run("SCARD", "nokey") == ":0\r\n")
        #expect(h.run("SISMEMBER", "s", "a") == ":1\r\n")
        #expect(h.run("SISMEMBER", "s", "z") == ":0\r\n")
        #expect(h.run("SISMEMBER", "nokey", "z") == ":0\r\n")
        #expect(h.run("SMISMEMBER", "s", "a", "z", "c") == "*3\r\n:1\r\n:0\r\n:1\r\n")
        #expect(h.run("SMISMEMBER", "nokey", "a") == "*1\r\n:0\r\n")
        #expect(members(h.run("SMEMBERS", "s")) == ["a", "b", "c"])
        #expect(h.run("SMEMBERS", "nokey") == "*0\r\n")
        #expect(h.run("SREM", "s", "a", "z") == ":1\r\n")
        #expect(h.run("SREM", "nokey", "a") == ":0\r\n")
        #expect(h.run("SREM", "s", "b", "c", "b") == ":2\r\n")
        #expect(h.run("EXISTS", "s") == ":0\r\n")
        #expect(h.run("TYPE", "nokey") == "+none\r\n")
        h.run("SADD", "t", "x")
        #expect(h.run("TYPE", "t") == "+set\r\n")
    }

    @Test func intsetMembersAreSorted() {
        let h = CommandHarness()
        h.run("SADD", "n", "10", "-3", "2", "1000000000000")
        #expect(h.run("SMEMBERS", "n") == "*4\r\n$2\r\n-3\r\n$1\r\n2\r\n$2\r\n10\r\n$13\r\n1000000000000\r\n")
        #expect(h.run("SSCAN", "n", "0") == "*2\r\n$1\r\n0\r\n*4\r\n$2\r\n-3\r\n$1\r\n2\r\n$2\r\n10\r\n$13\r\n1000000000000\r\n")
    }

    @Test func resp3SetReplies() {
        let h = CommandHarness()
        h.run("HELLO", "3")
        h.run("SADD", "s", "a")
        h.run("SADD", "t", "a", "b")
        #expect(h.run("SMEMBERS", "s") == "~1\r\n$1\r\na\r\n")
        #expect(h.run("SMEMBERS", "nokey") == "~0\r\n")
        #expect(h.run("SINTER", "s", "t") == "~1\r\n$1\r\na\r\n")
        #expect(h.run("SINTER", "s", "nokey") == "~0\r\n")
        #expect(h.run("SUNION", "s", "nokey") == "~1\r\n$1\r\na\r\n")
        #expect(h.run("SDIFF", "t", "s") == "~1\r\n$1\r\nb\r\n")
        #expect(h.run("SPOP", "nokey", "2") == "~0\r\n")
        #expect(h.run("SPOP", "s", "0") == "~0\r\n")
        #expect(h.run("SPOP", "nokey") == "_\r\n")
        #expect(h.run("SRANDMEMBER", "nokey") == "_\r\n")
        #expect(h.run("SRANDMEMBER", "nokey", "2") == "*0\r\n")
        #expect(h.run("SRANDMEMBER", "t", "5").hasPrefix("*2\r\n"))
        #expect(h.run("SPOP", "t", "5").hasPrefix("~2\r\n"))
        #expect(h.run("SSCAN", "nokey", "0") == "*2\r\n$1\r\n0\r\n*0\r\n")
    }

    @Test func pop() {
        let h = CommandHarness()
        #expect(h.run("SPOP", "nokey") == "$-1\r\n")
        #expect(h.run("SPOP", "nokey", "3") == "*0\r\n")
        h.run("SADD", "s", "a")
        #expect(h.run("SPOP", "s") == "$1\r\na\r\n")
        #expect(h.run("EXISTS", "s") == ":0\r\n")
        h.run("SADD", "s", "a", "b", "c")
        #expect(h.run("SPOP", "s", "0") == "*0\r\n")
        let two = members(h.run("SPOP", "s", "2"))
        #expect(two.count == 2)
        #expect(h.run("SCARD", "s") == ":1\r\n")
        let last = members(h.run("SPOP", "s", "10"))
        #expect(Set(two + last) == ["a", "b", "c"])
        #expect(h.run("EXISTS", "s") == ":0\r\n")
    }

    @Test func popManyFromLargeSet() {
        let h = CommandHarness()
        run(h, ["SADD", "big"] + (0..<1000).map { "m\($0)" })
        // Few of many, then most of what is left.
        let first = members(h.run("SPOP", "big", "10"))
        #expect(Set(first).count == 10)
        #expect(h.run("SCARD", "big") == ":990\r\n")
        let second = members(h.run("SPOP", "big", "900"))
        #expect(Set(second).count == 900)
        #expect(Set(first).isDisjoint(with: second))
        #expect(h.run("SCARD", "big") == ":90\r\n")
        // The remainder is rebuilt as a new set, as Valkey does: small enough for a listpack.
        #expect(h.run("OBJECT", "ENCODING", "big") == "$8\r\nlistpack\r\n")
        let rest = members(h.run("SMEMBERS", "big"))
        #expect(Set(first + second + rest).count == 1000)
    }

    @Test func popErrors() {
        let h = CommandHarness()
        h.run("SADD", "s", "a")
        #expect(h.run("SPOP", "s", "-1") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("SPOP", "s", "abc") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("SPOP", "s", "1", "2") == "-ERR syntax error\r\n")
        h.run("SET", "str", "x")
        #expect(h.run("SPOP", "str", "-1") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("SPOP", "str", "1") == Self.wrongType)
        #expect(h.run("SPOP", "str", "0") == Self.wrongType)
    }

    @Test func randomMember() {
        let h = CommandHarness()
        #expect(h.run("SRANDMEMBER", "nokey") == "$-1\r\n")
        #expect(h.run("SRANDMEMBER", "nokey", "5") == "*0\r\n")
        #expect(h.run("SRANDMEMBER", "nokey", "-5") == "*0\r\n")
        h.run("SADD", "s", "a", "b", "c")
        #expect(["$1\r\na\r\n", "$1\r\nb\r\n", "$1\r\nc\r\n"].contains(h.run("SRANDMEMBER", "s")))
        #expect(h.run("SRANDMEMBER", "s", "0") == "*0\r\n")
        #expect(members(h.run("SRANDMEMBER", "s", "10")) == ["a", "b", "c"])
        #expect(h.run("SRANDMEMBER", "s", "-10").hasPrefix("*10\r\n"))
        #expect(Set(members(h.run("SRANDMEMBER", "s", "2"))).count == 2)
        #expect(h.run("SCARD", "s") == ":3\r\n")
        #expect(h.run("SRANDMEMBER", "s", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("SRANDMEMBER", "s", "-9223372036854775808") ==
                "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n")
        #expect(h.run("SRANDMEMBER", "s", "1", "2") == "-ERR syntax error\r\n")
        run(h, ["SADD", "big"] + (0..<500).map { "m\($0)" })
        for count in [5, 200, 499] {
            let sample = members(run(h, ["SRANDMEMBER", "big", String(count)]))
            #expect(sample.count == count && Set(sample).count == count)
        }
    }

    @Test func move() {
        let h = CommandHarness()
        h.run("SADD", "src", "a", "b")
        #expect(h.run("SMOVE", "src", "dst", "a") == ":1\r\n")
        #expect(h.run("SMOVE", "src", "dst", "zzz") == ":0\r\n")
        #expect(h.run("SMOVE", "nokey", "dst", "a") == ":0\r\n")
        #expect(h.run("SMOVE", "src", "src", "b") == ":1\r\n")
        #expect(h.run("SMOVE", "src", "src", "zzz") == ":0\r\n")
        #expect(h.run("SMEMBERS", "dst") == "*1\r\n$1\r\na\r\n")
        h.run("SADD", "dst", "b")
        #expect(h.run("SMOVE", "src", "dst", "b") == ":1\r\n")  // already there: just removed from src
        #expect(h.run("EXISTS", "src") == ":0\r\n")
        #expect(h.run("SCARD", "dst") == ":2\r\n")
        h.run("SET", "str", "x")
        #expect(h.run("SMOVE", "str", "dst", "a") == Self.wrongType)
        #expect(h.run("SMOVE", "dst", "str", "a") == Self.wrongType)
        #expect(h.run("SMOVE", "nokey", "str", "a") == ":0\r\n")
        #expect(h.run("SCARD", "dst") == ":2\r\n")
        // A new destination gets the encoding a first member would give it.
        h.run("SADD", "nums", "1", "2")
        h.run("SMOVE", "nums", "newnums", "1")
        #expect(h.run("OBJECT", "ENCODING", "newnums") == "$6\r\nintset\r\n")
        h.run("SMOVE", "dst", "newtext", "a")
        #expect(h.run("OBJECT", "ENCODING", "newtext") == "$8\r\nlistpack\r\n")
    }

    @Test func intersection() {
        let h = CommandHarness()
        h.run("SADD", "a", "1", "2", "3", "x")
        h.run("SADD", "b", "2", "3", "4", "x")
        h.run("SADD", "c", "3", "x", "y")
        #expect(members(h.run("SINTER", "a", "b", "c")) == ["3", "x"])
        #expect(members(h.run("SINTER", "a", "a")) == ["1", "2", "3", "x"])
        #expect(h.run("SINTER", "a", "nokey") == "*0\r\n")
        #expect(h.run("SINTERCARD", "3", "a", "b", "c") == ":2\r\n")
        #expect(h.run("SINTERCARD", "2", "a", "b") == ":3\r\n")
        #expect(h.run("SINTERCARD", "2", "a", "b", "LIMIT", "2") == ":2\r\n")
        #expect(h.run("SINTERCARD", "2", "a", "b", "limit", "0") == ":3\r\n")
        #expect(h.run("SINTERCARD", "2", "a", "nokey") == ":0\r\n")
        #expect(h.run("SINTERSTORE", "d", "a", "b") == ":3\r\n")
        #expect(members(h.run("SMEMBERS", "d")) == ["2", "3", "x"])
        #expect(h.run("OBJECT", "ENCODING", "d") == "$8\r\nlistpack\r\n")
        #expect(h.run("SINTERSTORE", "d", "a", "nokey") == ":0\r\n")
        #expect(h.run("EXISTS", "d") == ":0\r\n")
        h.run("SADD", "d", "old")
        #expect(h.run("SINTERSTORE", "d", "a", "c", "y") == ":0\r\n")
        #expect(h.run("EXISTS", "d") == ":0\r\n")
        // All integers: stored as an intset whatever the inputs were.
        #expect(h.run("SINTERSTORE", "n", "a", "b") == ":3\r\n")
        h.run("SREM", "a", "x")
        #expect(h.run("SINTERSTORE", "n", "a", "b") == ":2\r\n")
        #expect(h.run("OBJECT", "ENCODING", "n") == "$6\r\nintset\r\n")
        // The destination may be one of the inputs.
        #expect(h.run("SINTERSTORE", "a", "a", "c") == ":1\r\n")
        #expect(h.run("SMEMBERS", "a") == "*1\r\n$1\r\n3\r\n")
    }

    @Test func intersectionErrors() {
        let h = CommandHarness()
        h.run("SET", "str", "x")
        h.run("SADD", "s", "a")
        #expect(h.run("SINTER", "s", "str") == Self.wrongType)
        #expect(h.run("SINTER", "nokey", "str") == Self.wrongType)
        #expect(h.run("SINTERSTORE", "d", "nokey", "str") == Self.wrongType)
        #expect(h.run("SINTERCARD", "2", "nokey", "str") == Self.wrongType)
        #expect(h.run("SINTERCARD", "0", "s") == "-ERR numkeys should be greater than 0\r\n")
        #expect(h.run("SINTERCARD", "-1", "s") == "-ERR numkeys should be greater than 0\r\n")
        #expect(h.run("SINTERCARD", "abc", "s") == "-ERR numkeys should be greater than 0\r\n")
        #expect(h.run("SINTERCARD", "2", "s") == "-ERR Number of keys can't be greater than number of args\r\n")
        #expect(h.run("SINTERCARD", "1", "s", "LIMIT", "-1") == "-ERR LIMIT can't be negative\r\n")
        #expect(h.run("SINTERCARD", "1", "s", "LIMIT", "abc") == "-ERR LIMIT can't be negative\r\n")
        #expect(h.run("SINTERCARD", "1", "s", "LIMIT") == "-ERR syntax error\r\n")
        #expect(h.run("SINTERCARD", "1", "s", "FOO", "1") == "-ERR syntax error\r\n")
        #expect(h.run("SINTERCARD", "1") == "-ERR wrong number of arguments for 'sintercard' command\r\n")
    }

    @Test func unionAndDifference() {
        let h = CommandHarness()
        h.run("SADD", "a", "1", "2", "3", "x")
        h.run("SADD", "b", "2", "3", "4")
        #expect(members(h.run("SUNION", "a", "b", "nokey")) == ["1", "2", "3", "4", "x"])
        #expect(h.run("SUNION", "nokey") == "*0\r\n")
        #expect(members(h.run("SDIFF", "a", "b")) == ["1", "x"])
        #expect(members(h.run("SDIFF", "a", "nokey")) == ["1", "2", "3", "x"])
        #expect(h.run("SDIFF", "nokey", "a") == "*0\r\n")
        #expect(h.run("SDIFF", "a", "b", "a") == "*0\r\n")
        #expect(h.run("SUNIONSTORE", "u", "a", "b") == ":5\r\n")
        #expect(h.run("OBJECT", "ENCODING", "u") == "$8\r\nlistpack\r\n")
        #expect(h.run("SDIFFSTORE", "d", "b", "a") == ":1\r\n")
        #expect(h.run("SMEMBERS", "d") == "*1\r\n$1\r\n4\r\n")
        #expect(h.run("OBJECT", "ENCODING", "d") == "$6\r\nintset\r\n")
        #expect(h.run("SDIFFSTORE", "d", "b", "b") == ":0\r\n")
        #expect(h.run("EXISTS", "d") == ":0\r\n")
        #expect(h.run("SUNIONSTORE", "u", "nokey") == ":0\r\n")
        #expect(h.run("EXISTS", "u") == ":0\r\n")
        // Numbers only: an intset, listed in order.
        #expect(h.run("SUNION", "b", "b") == "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n")
        h.run("SET", "str", "x")
        #expect(h.run("SUNION", "a", "str") == Self.wrongType)
        #expect(h.run("SDIFF", "nokey", "str") == Self.wrongType)
        #expect(h.run("SUNIONSTORE", "u", "str") == Self.wrongType)
        #expect(h.run("SDIFFSTORE", "u", "a", "str") == Self.wrongType)
        // A store over a key of another type replaces it.
        #expect(h.run("SUNIONSTORE", "str", "a") == ":4\r\n")
        #expect(h.run("TYPE", "str") == "+set\r\n")
    }

    @Test func differenceAlgorithmsAgree() {
        let h = CommandHarness()
        run(h, ["SADD", "big"] + (0..<300).map { "m\($0)" })
        run(h, ["SADD", "small"] + (0..<10).map { "m\($0)" })
        run(h, ["SADD", "other"] + (5..<400).map { "m\($0)" })
        // Algorithm 1 (small first set) and 2 (large first set, small others).
        #expect(members(h.run("SDIFF", "small", "big")) == [])
        #expect(members(h.run("SDIFF", "small", "other")) == (0..<5).map { "m\($0)" }.sorted())
        #expect(h.run("SDIFFSTORE", "d", "big", "small") == ":290\r\n")
        #expect(h.run("SDIFFSTORE", "d", "other", "big") == ":100\r\n")
        #expect(h.run("OBJECT", "ENCODING", "d") == "$8\r\nlistpack\r\n")
        // Algorithm 2 (many small sets to subtract) first copies the whole first
        // set, so the result went through a hashtable and stays one.
        run(h, ["SADD", "p1"] + (0..<100).map { "m\($0)" })
        run(h, ["SADD", "p2"] + (100..<290).map { "m\($0)" })
        h.run("SADD", "p3", "zz1")
        h.run("SADD", "p4", "zz2")
        #expect(h.run("SDIFFSTORE", "d", "big", "p1", "p2", "p3", "p4") == ":10\r\n")
        #expect(members(h.run("SMEMBERS", "d")) == (290..<300).map { "m\($0)" }.sorted())
        #expect(h.run("OBJECT", "ENCODING", "d") == "$9\r\nhashtable\r\n")
        #expect(h.run("SDIFFSTORE", "d", "small", "other") == ":5\r\n")
        #expect(h.run("OBJECT", "ENCODING", "d") == "$8\r\nlistpack\r\n")
    }

    @Test func encodings() {
        let h = CommandHarness()
        h.run("SADD", "s", "1", "2")
        #expect(h.run("OBJECT", "ENCODING", "s") == "$6\r\nintset\r\n")
        h.run("SADD", "s", "a")
        #expect(h.run("OBJECT", "ENCODING", "s") == "$8\r\nlistpack\r\n")
        h.run("SADD", "s", String(repeating: "x", count: 65))
        #expect(h.run("OBJECT", "ENCODING", "s") == "$9\r\nhashtable\r\n")
        h.run("SREM", "s", String(repeating: "x", count: 65), "a")
        #expect(h.run("OBJECT", "ENCODING", "s") == "$9\r\nhashtable\r\n")  // one-way

        run(h, ["SADD", "ints"] + (0..<512).map(String.init))
        #expect(h.run("OBJECT", "ENCODING", "ints") == "$6\r\nintset\r\n")
        h.run("SADD", "ints", "512")
        #expect(h.run("OBJECT", "ENCODING", "ints") == "$9\r\nhashtable\r\n")

        run(h, ["SADD", "lp"] + (0..<128).map { "m\($0)" })
        #expect(h.run("OBJECT", "ENCODING", "lp") == "$8\r\nlistpack\r\n")
        h.run("SADD", "lp", "one-more")
        #expect(h.run("OBJECT", "ENCODING", "lp") == "$9\r\nhashtable\r\n")

        // Too many members in one SADD: a hashtable from the start.
        run(h, ["SADD", "hint"] + (0..<129).map { "m\($0)" })
        #expect(h.run("OBJECT", "ENCODING", "hint") == "$9\r\nhashtable\r\n")
        // A long member on an intset skips the listpack.
        h.run("SADD", "skip", "1")
        h.run("SADD", "skip", String(repeating: "y", count: 65))
        #expect(h.run("OBJECT", "ENCODING", "skip") == "$9\r\nhashtable\r\n")
        // Integers in non-canonical form are strings.
        h.run("SADD", "nc", "01")
        #expect(h.run("OBJECT", "ENCODING", "nc") == "$8\r\nlistpack\r\n")
        h.run("SADD", "neg0", "-0")
        #expect(h.run("OBJECT", "ENCODING", "neg0") == "$8\r\nlistpack\r\n")
    }

    @Test func encodingThresholdsFollowConfig() {
        let h = CommandHarness(settings: [("set-max-intset-entries", "3"), ("set-max-listpack-entries", "2"),
                                          ("set-max-listpack-value", "3")])
        h.run("SADD", "i", "1", "2", "3")
        #expect(h.run("OBJECT", "ENCODING", "i") == "$6\r\nintset\r\n")
        h.run("SADD", "i", "4")
        #expect(h.run("OBJECT", "ENCODING", "i") == "$9\r\nhashtable\r\n")
        h.run("SADD", "l", "a", "b")
        #expect(h.run("OBJECT", "ENCODING", "l") == "$8\r\nlistpack\r\n")
        h.run("SADD", "l", "c")
        #expect(h.run("OBJECT", "ENCODING", "l") == "$9\r\nhashtable\r\n")
        h.run("SADD", "v", "abcd")
        #expect(h.run("OBJECT", "ENCODING", "v") == "$9\r\nhashtable\r\n")
        // An intset of 2 members cannot take a third (string) member as a listpack.
        h.run("SADD", "j", "1", "2")
        h.run("SADD", "j", "x")
        #expect(h.run("OBJECT", "ENCODING", "j") == "$9\r\nhashtable\r\n")
    }

    @Test func scan() {
        let h = CommandHarness()
        #expect(h.run("SSCAN", "nokey", "0") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(h.run("SSCAN", "nokey", "0", "NOVALUES") == "*2\r\n$1\r\n0\r\n*0\r\n")
        h.run("SADD", "s", "a", "b")
        #expect(members(h.run("SSCAN", "s", "5")).contains("a"))
        #expect(h.run("SSCAN", "s", "0", "MATCH", "a") == "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n")
        #expect(h.run("SSCAN", "s", "-1") == "-ERR invalid cursor\r\n")
        #expect(h.run("SSCAN", "s", "0", "NOVALUES") == "-ERR NOVALUES option can only be used in HSCAN\r\n")
        #expect(h.run("SSCAN", "s", "0", "COUNT", "0", "NOVALUES") == "-ERR syntax error\r\n")
        #expect(h.run("SSCAN", "s", "0", "COUNT", "5", "NOVALUES") == "-ERR NOVALUES option can only be used in HSCAN\r\n")
        #expect(h.run("SSCAN", "s", "0", "COUNT") == "-ERR syntax error\r\n")
        #expect(h.run("SSCAN", "s", "0", "TYPE", "set") == "-ERR syntax error\r\n")
        h.run("SET", "str", "x")
        #expect(h.run("SSCAN", "str", "0", "COUNT", "0") == Self.wrongType)

        run(h, ["SADD", "big"] + (0..<1000).map { "m\($0)" })
        var cursor = "0"
        var seen = Set<String>()
        repeat {
            let lines = h.run("SSCAN", "big", cursor, "COUNT", "20").split(separator: "\r\n", omittingEmptySubsequences: false)
            cursor = String(lines[2])
            for line in lines where line.hasPrefix("m") { seen.insert(String(line)) }
        } while cursor != "0"
        #expect(seen.count == 1000)
    }

    @Test func typeErrors() {
        let h = CommandHarness()
        h.run("SET", "str", "x")
        for command in [["SADD", "str", "a"], ["SREM", "str", "a"], ["SMEMBERS", "str"], ["SISMEMBER", "str", "a"],
                        ["SMISMEMBER", "str", "a"], ["SCARD", "str"], ["SPOP", "str"], ["SRANDMEMBER", "str"],
                        ["SRANDMEMBER", "str", "2"], ["SSCAN", "str", "0"]] {
            #expect(run(h, command) == Self.wrongType, "\(command)")
        }
        #expect(h.run("SADD", "s") == "-ERR wrong number of arguments for 'sadd' command\r\n")
        #expect(h.run("GET", "str") == "$1\r\nx\r\n")
    }

    // MARK: change records

    @Test func recordsElementChanges() {
        let h = CommandHarness()
        let keyspace = h.server.keyspace
        func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
        _ = keyspace.drainChanges()
        h.run("SADD", "s", "a", "b", "a")
        #expect(keyspace.drainChanges() == [
            .setAdd(db: 0, key: bytes("s"), member: bytes("a")),
            .setAdd(db: 0, key: bytes("s"), member: bytes("b")),
        ])
        h.run("SADD", "s", "a")
        h.run("SREM", "s", "zzz")
        h.run("SMOVE", "s", "t", "zzz")
        h.run("SMOVE", "s", "s", "a")
        h.run("SPOP", "s", "0")
        h.run("SINTERSTORE", "nothing", "s", "nokey")
        #expect(keyspace.drainChanges().isEmpty)
        h.run("SMOVE", "s", "t", "a")
        #expect(keyspace.drainChanges() == [
            .setRemove(db: 0, key: bytes("s"), member: bytes("a")),
            .setAdd(db: 0, key: bytes("t"), member: bytes("a")),
        ])
        h.run("SREM", "s", "b")
        #expect(keyspace.drainChanges() == [
            .setRemove(db: 0, key: bytes("s"), member: bytes("b")),
            .delete(db: 0, key: bytes("s")),
        ])
        h.run("SUNIONSTORE", "t", "t")
        #expect(keyspace.drainChanges() == [
            .delete(db: 0, key: bytes("t")),
            .setAdd(db: 0, key: bytes("t"), member: bytes("a")),
        ])
        h.run("SINTERSTORE", "t", "nokey")
        #expect(keyspace.drainChanges() == [.delete(db: 0, key: bytes("t"))])
        h.run("SADD", "p", "x", "y", "z")
        _ = keyspace.drainChanges()
        let popped = members(h.run("SPOP", "p", "2"))
        #expect(keyspace.drainChanges().sorted { "\($0)" < "\($1)" } == popped.map {
            ChangeRecord.setRemove(db: 0, key: bytes("p"), member: bytes($0))
        }.sorted { "\($0)" < "\($1)" })
        h.run("SPOP", "p", "5")
        #expect(keyspace.drainChanges() == [.delete(db: 0, key: bytes("p"))])
    }
}
