import Keyspace
import Testing
@testable import Commands

@Suite struct HashCommandTests {
    static let wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"

    @Test func setAndGet() {
        let h = CommandHarness()
        #expect(h.run("HSET", "h", "a", "1", "b", "2") == ":2\r\n")
        #expect(h.run("HSET", "h", "a", "10", "c", "3") == ":1\r\n")
        #expect(h.run("HSET", "h", "a", "x", "a", "y") == ":0\r\n")
        #expect(h.run("HGET", "h", "a") == "$1\r\ny\r\n")
        #expect(h.run("HGET", "h", "nosuch") == "$-1\r\n")
        #expect(h.run("HGET", "nokey", "a") == "$-1\r\n")
        #expect(h.run("HMSET", "h", "d", "4") == "+OK\r\n")
        #expect(h.run("HLEN", "h") == ":4\r\n")
        #expect(h.run("HLEN", "nokey") == ":0\r\n")
        #expect(h.run("HMGET", "h", "a", "nosuch", "d") == "*3\r\n$1\r\ny\r\n$-1\r\n$1\r\n4\r\n")
        #expect(h.run("HMGET", "nokey", "a") == "*1\r\n$-1\r\n")
        #expect(h.run("HEXISTS", "h", "a") == ":1\r\n")
        #expect(h.run("HEXISTS", "h", "z") == ":0\r\n")
        #expect(h.run("HEXISTS", "nokey", "z") == ":0\r\n")
        #expect(h.run("HSTRLEN", "h", "b") == ":1\r\n")
        #expect(h.run("HSTRLEN", "h", "z") == ":0\r\n")
        #expect(h.run("TYPE", "h") == "+hash\r\n")
    }

    @Test func setnx() {
        let h = CommandHarness()
        #expect(h.run("HSETNX", "h", "a", "1") == ":1\r\n")
        #expect(h.run("HSETNX", "h", "a", "2") == ":0\r\n")
        #expect(h.run("HSETNX", "h", "b", "2") == ":1\r\n")
        #expect(h.run("HGET", "h", "a") == "$1\r\n1\r\n")
    }

    @Test func wholeHashReplies() {
        let h = CommandHarness()
        h.run("HSET", "h", "f", "v")
        #expect(h.run("HGETALL", "h") == "*2\r\n$1\r\nf\r\n$1\r\nv\r\n")
        #expect(h.run("HKEYS", "h") == "*1\r\n$1\r\nf\r\n")
        #expect(h.run("HVALS", "h") == "*1\r\n$1\r\nv\r\n")
        #expect(h.run("HGETALL", "nokey") == "*0\r\n")
        #expect(h.run("HKEYS", "nokey") == "*0\r\n")
        #expect(h.run("HVALS", "nokey") == "*0\r\n")
        h.run("HELLO", "3")
        #expect(h.run("HGETALL", "h") == "%1\r\n$1\r\nf\r\n$1\r\nv\r\n")
        #expect(h.run("HGETALL", "nokey") == "%0\r\n")
        #expect(h.run("HKEYS", "nokey") == "*0\r\n")
        #expect(h.run("HGET", "nokey", "f") == "_\r\n")
    }

    @Test func deleteRemovesEmptyHash() {
        let h = CommandHarness()
        h.run("HSET", "h", "a", "1", "b", "2")
        #expect(h.run("HDEL", "h", "a", "nosuch") == ":1\r\n")
        #expect(h.run("HDEL", "nokey", "a") == ":0\r\n")
        #expect(h.run("HDEL", "h", "b", "a") == ":1\r\n")
        #expect(h.run("EXISTS", "h") == ":0\r\n")
    }

    @Test func increments() {
        let h = CommandHarness()
        #expect(h.run("HINCRBY", "h", "n", "5") == ":5\r\n")
        #expect(h.run("HINCRBY", "h", "n", "-7") == ":-2\r\n")
        #expect(h.run("HINCRBYFLOAT", "h", "f", "10.5") == "$4\r\n10.5\r\n")
        #expect(h.run("HINCRBYFLOAT", "h", "f", "0.1") == "$4\r\n10.6\r\n")
        #expect(h.run("HINCRBYFLOAT", "h", "n", "1e2") == "$2\r\n98\r\n")
        h.run("HSET", "h", "e", "5.0e3")
        #expect(h.run("HINCRBYFLOAT", "h", "e", "0") == "$4\r\n5000\r\n")
        #expect(h.run("HGET", "h", "e") == "$4\r\n5000\r\n")
        #expect(h.run("HINCRBYFLOAT", "new", "f", "-0") == "$1\r\n0\r\n")
    }

    @Test func incrementErrors() {
        let h = CommandHarness()
        h.run("HSET", "h", "s", "abc", "f", "1.5", "big", "9223372036854775807", "sp", " 1")
        #expect(h.run("HINCRBY", "h", "s", "1") == "-ERR hash value is not an integer\r\n")
        #expect(h.run("HINCRBY", "h", "f", "1") == "-ERR hash value is not an integer\r\n")
        #expect(h.run("HINCRBY", "h", "sp", "1") == "-ERR hash value is not an integer\r\n")
        #expect(h.run("HINCRBY", "h", "big", "1") == "-ERR increment or decrement would overflow\r\n")
        #expect(h.run("HINCRBY", "h", "x", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("HINCRBY", "h", "x", "1.5") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("HINCRBYFLOAT", "h", "s", "1") == "-ERR hash value is not a float\r\n")
        #expect(h.run("HINCRBYFLOAT", "h", "x", "abc") == "-ERR value is not a valid float\r\n")
        #expect(h.run("HINCRBYFLOAT", "h", "x", "inf") == "-ERR value is NaN or Infinity\r\n")
        h.run("HSET", "h", "huge", "1.1e4932")
        #expect(h.run("HINCRBYFLOAT", "h", "huge", "1e4932") == "-ERR increment would produce NaN or Infinity\r\n")
        #expect(h.run("HEXISTS", "h", "x") == ":0\r\n")
        #expect(h.run("EXISTS", "nokey") == ":0\r\n")
    }

    @Test func arityAndTypeErrors() {
        let h = CommandHarness()
        #expect(h.run("HSET", "h", "a") == "-ERR wrong number of arguments for 'hset' command\r\n")
        #expect(h.run("HSET", "h", "a", "1", "b") == "-ERR wrong number of arguments for 'hset' command\r\n")
        #expect(h.run("HMSET", "h", "a", "1", "b") == "-ERR wrong number of arguments for 'hmset' command\r\n")
        #expect(h.run("EXISTS", "h") == ":0\r\n")
        h.run("SET", "s", "x")
        for command in [["HSET", "s", "a", "1"], ["HSETNX", "s", "a", "1"], ["HGET", "s", "a"], ["HMGET", "s", "a"],
                        ["HGETALL", "s"], ["HKEYS", "s"], ["HVALS", "s"], ["HDEL", "s", "a"], ["HLEN", "s"],
                        ["HEXISTS", "s", "a"], ["HSTRLEN", "s", "a"], ["HINCRBY", "s", "a", "1"],
                        ["HINCRBYFLOAT", "s", "a", "1"], ["HRANDFIELD", "s"], ["HRANDFIELD", "s", "2"],
                        ["HSCAN", "s", "0"], ["HMSET", "s", "a", "1"]] {
            #expect(h.run(command.map { Array($0.utf8) }) == Self.wrongType, "\(command)")
        }
    }

    @Test func randomField() {
        let h = CommandHarness()
        #expect(h.run("HRANDFIELD", "nokey") == "$-1\r\n")
        #expect(h.run("HRANDFIELD", "nokey", "3") == "*0\r\n")
        #expect(h.run("HRANDFIELD", "nokey", "3", "WITHVALUES") == "*0\r\n")
        h.run("HSET", "h", "a", "1", "b", "2", "c", "3")
        #expect(["$1\r\na\r\n", "$1\r\nb\r\n", "$1\r\nc\r\n"].contains(h.run("HRANDFIELD", "h")))
        #expect(h.run("HRANDFIELD", "h", "0") == "*0\r\n")
        #expect(h.run("HRANDFIELD", "h", "5").hasPrefix("*3\r\n"))
        #expect(h.run("HRANDFIELD", "h", "2").hasPrefix("*2\r\n"))
        #expect(h.run("HRANDFIELD", "h", "-7").hasPrefix("*7\r\n"))
        #expect(h.run("HRANDFIELD", "h", "-2", "withvalues").hasPrefix("*4\r\n"))
        #expect(h.run("HRANDFIELD", "h", "1", "WITHVALUES").hasPrefix("*2\r\n"))
        h.run("HELLO", "3")
        let reply = h.run("HRANDFIELD", "h", "-2", "WITHVALUES")
        #expect(reply.hasPrefix("*2\r\n*2\r\n$1\r\n"))
        #expect(h.run("HRANDFIELD", "h", "5", "WITHVALUES").hasPrefix("*3\r\n*2\r\n"))
    }

    @Test func randomFieldDistinctSamples() {
        let h = CommandHarness()
        var arguments = ["HSET", "big"]
        for index in 0..<300 { arguments += ["f\(index)", "v\(index)"] }
        _ = h.run(arguments.map { Array($0.utf8) })
        for count in ["10", "150", "299"] {
            let reply = h.run("HRANDFIELD", "big", count)
            let fields = reply.split(separator: "\r\n").filter { $0.hasPrefix("f") }
            #expect(fields.count == Int(count)!)
            #expect(Set(fields).count == Int(count)!)
        }
        let reply = h.run("HRANDFIELD", "big", "20", "WITHVALUES")
        let lines = reply.split(separator: "\r\n").filter { !$0.hasPrefix("$") && !$0.hasPrefix("*") }
        #expect(lines.count == 40)
        for pair in stride(from: 0, to: 40, by: 2) {
            #expect(lines[pair].dropFirst() == lines[pair + 1].dropFirst())
        }
    }

    @Test func randomFieldErrors() {
        let h = CommandHarness()
        h.run("HSET", "h", "a", "1")
        #expect(h.run("HRANDFIELD", "h", "abc") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("HRANDFIELD", "h", "-9223372036854775808") ==
                "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n")
        #expect(h.run("HRANDFIELD", "h", "1", "WITHSCORES") == "-ERR syntax error\r\n")
        #expect(h.run("HRANDFIELD", "h", "1", "WITHVALUES", "x") == "-ERR syntax error\r\n")
        #expect(h.run("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES") == "-ERR value is out of range\r\n")
        #expect(h.run("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES") == "-ERR value is out of range\r\n")
        // Argument errors come before the key's type is checked.
        h.run("SET", "s", "x")
        #expect(h.run("HRANDFIELD", "s", "abc") == "-ERR value is not an integer or out of range\r\n")
    }

    @Test func encodings() {
        let h = CommandHarness()
        h.run("HSET", "h", "a", "1")
        #expect(h.run("OBJECT", "ENCODING", "h") == "$8\r\nlistpack\r\n")
        h.run("HSET", "h", "long", String(repeating: "x", count: 65))
        #expect(h.run("OBJECT", "ENCODING", "h") == "$9\r\nhashtable\r\n")
        h.run("HDEL", "h", "long")
        #expect(h.run("OBJECT", "ENCODING", "h") == "$9\r\nhashtable\r\n")  // one-way

        h.run("HSET", "k", String(repeating: "f", count: 65), "1")
        #expect(h.run("OBJECT", "ENCODING", "k") == "$9\r\nhashtable\r\n")

        var arguments = ["HSET", "many"]
        for index in 0..<512 { arguments += ["f\(index)", "v"] }
        _ = h.run(arguments.map { Array($0.utf8) })
        #expect(h.run("OBJECT", "ENCODING", "many") == "$8\r\nlistpack\r\n")
        h.run("HSET", "many", "one-more", "v")
        #expect(h.run("OBJECT", "ENCODING", "many") == "$9\r\nhashtable\r\n")

        // HINCRBYFLOAT can produce a value too long for a listpack.
        h.run("HSET", "f", "x", "1e70")
        #expect(h.run("OBJECT", "ENCODING", "f") == "$8\r\nlistpack\r\n")
        h.run("HINCRBYFLOAT", "f", "x", "1")
        #expect(h.run("OBJECT", "ENCODING", "f") == "$9\r\nhashtable\r\n")
    }

    @Test func encodingThresholdsFollowConfig() {
        let h = CommandHarness(settings: [("hash-max-listpack-entries", "2"), ("hash-max-listpack-value", "4")])
        h.run("HSET", "h", "a", "1", "b", "2")
        #expect(h.run("OBJECT", "ENCODING", "h") == "$8\r\nlistpack\r\n")
        h.run("HSETNX", "h", "c", "3")
        #expect(h.run("OBJECT", "ENCODING", "h") == "$9\r\nhashtable\r\n")
        // More pairs in one HSET than fit converts up front, even when they repeat (as Valkey 8).
        h.run("HSET", "dup", "a", "1", "a", "2", "a", "3")
        #expect(h.run("HLEN", "dup") == ":1\r\n")
        #expect(h.run("OBJECT", "ENCODING", "dup") == "$9\r\nhashtable\r\n")
        h.run("HSET", "v", "a", "12345")
        #expect(h.run("OBJECT", "ENCODING", "v") == "$9\r\nhashtable\r\n")
        h.run("HINCRBY", "i", "n", "99999")
        #expect(h.run("OBJECT", "ENCODING", "i") == "$9\r\nhashtable\r\n")
    }

    @Test func scanSmallHashReturnsEverything() {
        let h = CommandHarness()
        #expect(h.run("HSCAN", "nokey", "0") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(h.run("HSCAN", "nokey", "0", "COUNT", "0") == "*2\r\n$1\r\n0\r\n*0\r\n")
        h.run("HSET", "h", "a", "1")
        #expect(h.run("HSCAN", "h", "0") == "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n")
        #expect(h.run("HSCAN", "h", "7", "NOVALUES") == "*2\r\n$1\r\n0\r\n*1\r\n$1\r\na\r\n")
        #expect(h.run("HSCAN", "h", "0", "MATCH", "b*") == "*2\r\n$1\r\n0\r\n*0\r\n")
        #expect(h.run("HSCAN", "h", "x") == "-ERR invalid cursor\r\n")
        #expect(h.run("HSCAN", "h", "0", "COUNT", "0") == "-ERR syntax error\r\n")
        #expect(h.run("HSCAN", "h", "0", "COUNT", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("HSCAN", "h", "0", "MATCH") == "-ERR syntax error\r\n")
        #expect(h.run("HSCAN", "h", "0", "TYPE", "string") == "-ERR syntax error\r\n")
        h.run("SET", "s", "x")
        #expect(h.run("HSCAN", "s", "x") == "-ERR invalid cursor\r\n")
        #expect(h.run("HSCAN", "s", "0", "COUNT", "0") == Self.wrongType)
    }

    @Test func scanLargeHashVisitsEveryField() {
        let h = CommandHarness()
        var arguments = ["HSET", "big"]
        for index in 0..<1000 { arguments += ["f\(index)", "v\(index)"] }
        _ = h.run(arguments.map { Array($0.utf8) })
        var cursor = "0"
        var seen = Set<String>()
        var calls = 0
        repeat {
            let reply = h.run("HSCAN", "big", cursor, "COUNT", "50", "NOVALUES")
            let lines = reply.split(separator: "\r\n", omittingEmptySubsequences: false)
            cursor = String(lines[2])
            for line in lines where line.hasPrefix("f") { seen.insert(String(line)) }
            calls += 1
        } while cursor != "0"
        #expect(seen.count == 1000)
        #expect(calls > 5)
        // MATCH filters fields; values follow their fields.
        cursor = "0"
        var matched: [String] = []
        repeat {
            let reply = h.run("HSCAN", "big", cursor, "MATCH", "f99*")
            let lines = reply.split(separator: "\r\n", omittingEmptySubsequences: false)
            cursor = String(lines[2])
            matched += lines.filter { $0.hasPrefix("f") || $0.hasPrefix("v") }.map(String.init)
        } while cursor != "0"
        #expect(Set(matched) == ["f99", "v99", "f990", "v990", "f991", "v991", "f992", "v992", "f993", "v993",
                                 "f994", "v994", "f995", "v995", "f996", "v996", "f997", "v997", "f998", "v998",
                                 "f999", "v999"])
    }

    // MARK: change records

    @Test func recordsElementChanges() {
        let h = CommandHarness()
        let keyspace = h.server.keyspace
        _ = keyspace.drainChanges()
        h.run("HSET", "h", "a", "1", "b", "2")
        #expect(keyspace.drainChanges() == [
            .hashSet(db: 0, key: Array("h".utf8), field: Array("a".utf8), value: Array("1".utf8)),
            .hashSet(db: 0, key: Array("h".utf8), field: Array("b".utf8), value: Array("2".utf8)),
        ])
        h.run("HSET", "h", "a", "1")
        h.run("HSETNX", "h", "a", "9")
        h.run("HDEL", "h", "zzz")
        h.run("HINCRBY", "h", "a", "0")
        #expect(keyspace.drainChanges().isEmpty)
        h.run("HINCRBY", "h", "a", "2")
        #expect(keyspace.drainChanges() == [
            .hashSet(db: 0, key: Array("h".utf8), field: Array("a".utf8), value: Array("3".utf8)),
        ])
        h.run("HDEL", "h", "a", "b")
        #expect(keyspace.drainChanges() == [
            .hashDelete(db: 0, key: Array("h".utf8), field: Array("a".utf8)),
            .hashDelete(db: 0, key: Array("h".utf8), field: Array("b".utf8)),
            .delete(db: 0, key: Array("h".utf8)),
        ])
        h.run("HINCRBYFLOAT", "h", "x", "abc")
        h.run("HSET", "h", "odd")
        #expect(keyspace.drainChanges().isEmpty)
    }
}
