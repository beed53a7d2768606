import Keyspace
import Testing
@testable import Commands

/// Replays list change records the way the persistence layer would, so tests
/// can check that what was recorded rebuilds exactly what the keyspace holds.
private struct ListReplica {
    var lists: [[UInt8]: [[UInt8]]] = [:]

    mutating func apply(_ changes: [ChangeRecord]) {
        for change in changes {
            switch change {
            case .delete(_, let key):
                lists[key] = nil
            case .listPush(_, let key, let atHead, let value):
                if atHead { lists[key, default: []].insert(value, at: 0) } else { lists[key, default: []].append(value) }
            case .listTrim(_, let key, let head, let tail):
                var list = lists[key] ?? []
                #expect(head + tail <= list.count, "trim beyond the list")
                list.removeFirst(min(head, list.count))
                list.removeLast(min(tail, list.count))
                lists[key] = list
            case .listSet(_, let key, let index, let value):
                lists[key]![index] = value
            case .listInsert(_, let key, let index, let value):
                lists[key]!.insert(value, at: index)
            case .listRemove(_, let key, let index):
                lists[key]!.remove(at: index)
            default:
                Issue.record("unexpected change \(change)")
            }
        }
    }
}

@Suite struct ListCommandTests {
    private func bulk(_ items: String...) -> String {
        "*\(items.count)\r\n" + items.map { "$\($0.utf8.count)\r\n\($0)\r\n" }.joined()
    }

    private func changes(_ h: CommandHarness) -> [ChangeRecord] {
        h.server.keyspace.drainChanges()
    }

    private func key(_ text: String) -> [UInt8] { Array(text.utf8) }
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: push / pop

    @Test func pushAndRange() {
        let h = CommandHarness()
        #expect(h.run("RPUSH", "l", "a", "b") == ":2\r\n")
        #expect(h.run("LPUSH", "l", "x", "y") == ":4\r\n")
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("y", "x", "a", "b"))
        #expect(h.run("LLEN", "l") == ":4\r\n")
        #expect(h.run("LLEN", "missing") == ":0\r\n")
        #expect(h.run("LPUSHX", "missing", "a") == ":0\r\n")
        #expect(h.run("RPUSHX", "missing", "a", "b") == ":0\r\n")
        #expect(h.run("EXISTS", "missing") == ":0\r\n")
        #expect(h.run("LPUSHX", "l", "z") == ":5\r\n")
        #expect(h.run("RPUSHX", "l", "w", "v") == ":7\r\n")
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("z", "y", "x", "a", "b", "w", "v"))
        #expect(h.run("TYPE", "l") == "+list\r\n")
    }

    @Test func pushRecordsEachElement() {
        let h = CommandHarness()
        _ = changes(h)
        h.run("LPUSH", "l", "a", "b")
        #expect(changes(h) == [
            .listPush(db: 0, key: key("l"), atHead: true, value: bytes("a")),
            .listPush(db: 0, key: key("l"), atHead: true, value: bytes("b")),
        ])
        h.run("RPUSH", "l", "c")
        #expect(changes(h) == [.listPush(db: 0, key: key("l"), atHead: false, value: bytes("c"))])
        h.run("LPUSHX", "nothing", "c")
        #expect(changes(h).isEmpty)
    }

    @Test func pushOverStringIsWrongType() {
        let h = CommandHarness()
        h.run("SET", "s", "v")
        let wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
        for command in [["LPUSH", "s", "a"], ["RPUSH", "s", "a"], ["LPUSHX", "s", "a"], ["RPUSHX", "s", "a"],
                        ["LPOP", "s"], ["RPOP", "s", "2"], ["LPOP", "s", "0"], ["LLEN", "s"], ["LRANGE", "s", "0", "1"],
                        ["LINDEX", "s", "0"], ["LSET", "s", "0", "x"], ["LINSERT", "s", "BEFORE", "a", "b"],
                        ["LREM", "s", "0", "a"], ["LTRIM", "s", "0", "1"], ["LPOS", "s", "a"],
                        ["LMOVE", "s", "d", "LEFT", "LEFT"], ["RPOPLPUSH", "s", "d"], ["LMPOP", "1", "s", "LEFT"]] {
            #expect(h.run(command.map { Array($0.utf8) }) == wrongType, "\(command)")
        }
        #expect(h.run("GET", "s") == "$1\r\nv\r\n")
    }

    @Test func popSingleAndCount() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c", "d", "e")
        #expect(h.run("LPOP", "l") == "$1\r\na\r\n")
        #expect(h.run("RPOP", "l") == "$1\r\ne\r\n")
        #expect(h.run("LPOP", "l", "0") == "*0\r\n")
        #expect(h.run("RPOP", "l", "2") == bulk("d", "c"))
        #expect(h.run("LPOP", "l", "10") == bulk("b"))
        #expect(h.run("EXISTS", "l") == ":0\r\n")
        #expect(h.run("LPOP", "l") == "$-1\r\n")
        #expect(h.run("LPOP", "l", "1") == "*-1\r\n")
        #expect(h.run("RPOP", "l", "0") == "*-1\r\n")
        #expect(h.run("LPOP", "l", "-1") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("LPOP", "l", "x") == "-ERR value is out of range, must be positive\r\n")
        #expect(h.run("LPOP", "l", "1", "2") == "-ERR wrong number of arguments for 'lpop' command\r\n")
        #expect(h.run("RPOP", "l", "1", "2") == "-ERR wrong number of arguments for 'rpop' command\r\n")
    }

    @Test func popNullShapesInResp3() {
        let h = CommandHarness()
        h.run("HELLO", "3")
        #expect(h.run("LPOP", "l") == "_\r\n")
        #expect(h.run("LPOP", "l", "2") == "_\r\n")
        #expect(h.run("LINDEX", "l", "0") == "_\r\n")
        #expect(h.run("LMPOP", "1", "l", "LEFT") == "_\r\n")
        #expect(h.run("LPOS", "l", "a") == "_\r\n")
        #expect(h.run("RPOPLPUSH", "l", "m") == "_\r\n")
    }

    @Test func popRecordsOneTrimAndDeletesWhenEmpty() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c", "d")
        _ = changes(h)
        h.run("LPOP", "l", "2")
        #expect(changes(h) == [.listTrim(db: 0, key: key("l"), head: 2, tail: 0)])
        h.run("RPOP", "l")
        #expect(changes(h) == [.listTrim(db: 0, key: key("l"), head: 0, tail: 1)])
        h.run("LPOP", "l", "0")
        #expect(changes(h).isEmpty)
        h.run("RPOP", "l", "5")
        #expect(changes(h) == [.delete(db: 0, key: key("l"))])
    }

    // MARK: reads

    @Test func rangeAndIndex() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c", "d")
        #expect(h.run("LRANGE", "l", "1", "2") == bulk("b", "c"))
        #expect(h.run("LRANGE", "l", "-2", "100") == bulk("c", "d"))
        #expect(h.run("LRANGE", "l", "-100", "0") == bulk("a"))
        #expect(h.run("LRANGE", "l", "3", "1") == "*0\r\n")
        #expect(h.run("LRANGE", "l", "4", "10") == "*0\r\n")
        #expect(h.run("LRANGE", "l", "0", "-5") == "*0\r\n")
        #expect(h.run("LRANGE", "l", "-9223372036854775808", "9223372036854775807") == bulk("a", "b", "c", "d"))
        #expect(h.run("LRANGE", "missing", "0", "-1") == "*0\r\n")
        #expect(h.run("LRANGE", "l", "x", "1") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("LRANGE", "missing", "0", "1.5") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("LINDEX", "l", "0") == "$1\r\na\r\n")
        #expect(h.run("LINDEX", "l", "-1") == "$1\r\nd\r\n")
        #expect(h.run("LINDEX", "l", "4") == "$-1\r\n")
        #expect(h.run("LINDEX", "l", "-5") == "$-1\r\n")
        #expect(h.run("LINDEX", "l", "x") == "-ERR value is not an integer or out of range\r\n")
        // The key is looked up before the index is parsed.
        #expect(h.run("LINDEX", "missing", "x") == "$-1\r\n")
    }

    @Test func lpos() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c")
        #expect(h.run("LPOS", "l", "c") == ":2\r\n")
        #expect(h.run("LPOS", "l", "c", "RANK", "2") == ":6\r\n")
        #expect(h.run("LPOS", "l", "c", "RANK", "-1") == ":7\r\n")
        #expect(h.run("LPOS", "l", "c", "COUNT", "2") == "*2\r\n:2\r\n:6\r\n")
        #expect(h.run("LPOS", "l", "c", "RANK", "-1", "COUNT", "2") == "*2\r\n:7\r\n:6\r\n")
        #expect(h.run("LPOS", "l", "c", "COUNT", "0") == "*3\r\n:2\r\n:6\r\n:7\r\n")
        #expect(h.run("LPOS", "l", "c", "COUNT", "0", "RANK", "2") == "*2\r\n:6\r\n:7\r\n")
        #expect(h.run("LPOS", "l", "c", "MAXLEN", "2") == "$-1\r\n")
        #expect(h.run("LPOS", "l", "c", "MAXLEN", "3") == ":2\r\n")
        #expect(h.run("LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1") == ":7\r\n")
        #expect(h.run("LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7") == "*2\r\n:2\r\n:6\r\n")
        #expect(h.run("LPOS", "l", "c", "RANK", "4") == "$-1\r\n")
        #expect(h.run("LPOS", "l", "zz") == "$-1\r\n")
        #expect(h.run("LPOS", "l", "zz", "COUNT", "1") == "*0\r\n")
        #expect(h.run("LPOS", "missing", "zz") == "$-1\r\n")
        #expect(h.run("LPOS", "missing", "zz", "COUNT", "1") == "*0\r\n")
        #expect(h.run("LPOS", "l", "c", "rank", "9223372036854775807") == "$-1\r\n")
    }

    @Test func lposErrors() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a")
        let rankZero = "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n"
        #expect(h.run("LPOS", "l", "a", "RANK", "0") == rankZero)
        #expect(h.run("LPOS", "missing", "a", "RANK", "0") == rankZero)
        #expect(h.run("LPOS", "l", "a", "RANK", "-9223372036854775808") ==
            "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n")
        #expect(h.run("LPOS", "l", "a", "RANK", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("LPOS", "l", "a", "COUNT", "-1") == "-ERR COUNT can't be negative\r\n")
        #expect(h.run("LPOS", "l", "a", "COUNT", "x") == "-ERR COUNT can't be negative\r\n")
        #expect(h.run("LPOS", "l", "a", "MAXLEN", "-1") == "-ERR MAXLEN can't be negative\r\n")
        #expect(h.run("LPOS", "l", "a", "MAXLEN", "x") == "-ERR MAXLEN can't be negative\r\n")
        #expect(h.run("LPOS", "l", "a", "RANK") == "-ERR syntax error\r\n")
        #expect(h.run("LPOS", "l", "a", "FOO", "1") == "-ERR syntax error\r\n")
    }

    // MARK: edits

    @Test func lset() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c")
        _ = changes(h)
        #expect(h.run("LSET", "l", "1", "B") == "+OK\r\n")
        #expect(h.run("LSET", "l", "-1", "C") == "+OK\r\n")
        #expect(changes(h) == [
            .listSet(db: 0, key: key("l"), index: 1, value: bytes("B")),
            .listSet(db: 0, key: key("l"), index: 2, value: bytes("C")),
        ])
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("a", "B", "C"))
        #expect(h.run("LSET", "l", "3", "x") == "-ERR index out of range\r\n")
        #expect(h.run("LSET", "l", "-4", "x") == "-ERR index out of range\r\n")
        #expect(h.run("LSET", "l", "x", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("LSET", "missing", "0", "x") == "-ERR no such key\r\n")
        #expect(h.run("LSET", "missing", "x", "x") == "-ERR no such key\r\n")
        #expect(changes(h).isEmpty)
    }

    @Test func linsert() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c", "b")
        _ = changes(h)
        #expect(h.run("LINSERT", "l", "BEFORE", "b", "x") == ":5\r\n")
        #expect(h.run("LINSERT", "l", "after", "b", "y") == ":6\r\n")
        #expect(h.run("LINSERT", "l", "AFTER", "b", "y") == ":7\r\n")
        #expect(changes(h) == [
            .listInsert(db: 0, key: key("l"), index: 1, value: bytes("x")),
            .listInsert(db: 0, key: key("l"), index: 3, value: bytes("y")),
            .listInsert(db: 0, key: key("l"), index: 3, value: bytes("y")),
        ])
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("a", "x", "b", "y", "y", "c", "b"))
        #expect(h.run("LINSERT", "l", "BEFORE", "zz", "x") == ":-1\r\n")
        #expect(h.run("LINSERT", "missing", "BEFORE", "a", "x") == ":0\r\n")
        #expect(h.run("LINSERT", "l", "MIDDLE", "a", "x") == "-ERR syntax error\r\n")
        #expect(h.run("LINSERT", "missing", "MIDDLE", "a", "x") == "-ERR syntax error\r\n")
        #expect(changes(h).isEmpty)
        #expect(h.run("EXISTS", "missing") == ":0\r\n")
    }

    @Test func lrem() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "x", "b", "x", "c", "x", "d")
        _ = changes(h)
        #expect(h.run("LREM", "l", "2", "x") == ":2\r\n")
        #expect(changes(h) == [.listRemove(db: 0, key: key("l"), index: 1), .listRemove(db: 0, key: key("l"), index: 2)])
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("a", "b", "c", "x", "d"))
        h.run("RPUSH", "l", "x", "e", "x")
        _ = changes(h)
        // a b c x d x e x: from the tail, indices as of each removal.
        #expect(h.run("LREM", "l", "-2", "x") == ":2\r\n")
        #expect(changes(h) == [.listRemove(db: 0, key: key("l"), index: 7), .listRemove(db: 0, key: key("l"), index: 5)])
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("a", "b", "c", "x", "d", "e"))
        #expect(h.run("LREM", "l", "0", "zz") == ":0\r\n")
        #expect(changes(h).isEmpty)
        #expect(h.run("LREM", "l", "0", "x") == ":1\r\n")
        #expect(h.run("LREM", "missing", "1", "x") == ":0\r\n")
        #expect(h.run("LREM", "l", "x", "x") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("LREM", "l", "-9223372036854775808", "a") ==
            "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n")
        _ = changes(h)
        h.run("DEL", "l")
        h.run("RPUSH", "l", "x", "x")
        _ = changes(h)
        #expect(h.run("LREM", "l", "0", "x") == ":2\r\n")
        #expect(changes(h) == [.delete(db: 0, key: key("l"))])
        #expect(h.run("EXISTS", "l") == ":0\r\n")
    }

    @Test func ltrim() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c", "d", "e")
        _ = changes(h)
        #expect(h.run("LTRIM", "l", "1", "-2") == "+OK\r\n")
        #expect(changes(h) == [.listTrim(db: 0, key: key("l"), head: 1, tail: 1)])
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("b", "c", "d"))
        #expect(h.run("LTRIM", "l", "0", "100") == "+OK\r\n")
        #expect(changes(h).isEmpty)
        #expect(h.run("LTRIM", "missing", "0", "1") == "+OK\r\n")
        #expect(h.run("LTRIM", "l", "x", "1") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("LTRIM", "missing", "0", "y") == "-ERR value is not an integer or out of range\r\n")
        #expect(h.run("LTRIM", "l", "2", "1") == "+OK\r\n")
        #expect(changes(h) == [.delete(db: 0, key: key("l"))])
        #expect(h.run("EXISTS", "l") == ":0\r\n")
    }

    // MARK: moves

    @Test func lmoveAndRpoplpush() {
        let h = CommandHarness()
        h.run("RPUSH", "src", "a", "b", "c")
        _ = changes(h)
        #expect(h.run("LMOVE", "src", "dst", "LEFT", "RIGHT") == "$1\r\na\r\n")
        #expect(changes(h) == [
            .listTrim(db: 0, key: key("src"), head: 1, tail: 0),
            .listPush(db: 0, key: key("dst"), atHead: false, value: bytes("a")),
        ])
        #expect(h.run("LMOVE", "src", "dst", "right", "left") == "$1\r\nc\r\n")
        #expect(h.run("LRANGE", "dst", "0", "-1") == bulk("c", "a"))
        #expect(h.run("RPOPLPUSH", "src", "dst") == "$1\r\nb\r\n")
        #expect(h.run("EXISTS", "src") == ":0\r\n")
        #expect(h.run("LRANGE", "dst", "0", "-1") == bulk("b", "c", "a"))
        #expect(h.run("RPOPLPUSH", "src", "dst") == "$-1\r\n")
        #expect(h.run("LMOVE", "src", "dst", "UP", "LEFT") == "-ERR syntax error\r\n")
        #expect(h.run("LMOVE", "dst", "dst", "LEFT", "DOWN") == "-ERR syntax error\r\n")
        h.run("SET", "str", "v")
        #expect(h.run("LMOVE", "dst", "str", "LEFT", "LEFT") ==
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
        // A missing source answers null before the destination's type is checked.
        #expect(h.run("LMOVE", "src", "str", "LEFT", "LEFT") == "$-1\r\n")
        #expect(h.run("LRANGE", "dst", "0", "-1") == bulk("b", "c", "a"))
    }

    @Test func lmoveRotatesOneList() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c")
        #expect(h.run("RPOPLPUSH", "l", "l") == "$1\r\nc\r\n")
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("c", "a", "b"))
        #expect(h.run("LMOVE", "l", "l", "LEFT", "RIGHT") == "$1\r\nc\r\n")
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("a", "b", "c"))
        h.run("DEL", "l")
        h.run("RPUSH", "l", "only")
        _ = changes(h)
        #expect(h.run("LMOVE", "l", "l", "LEFT", "LEFT") == "$4\r\nonly\r\n")
        #expect(changes(h) == [
            .listTrim(db: 0, key: key("l"), head: 1, tail: 0),
            .listPush(db: 0, key: key("l"), atHead: true, value: bytes("only")),
        ])
        #expect(h.run("LRANGE", "l", "0", "-1") == bulk("only"))
    }

    @Test func lmpop() {
        let h = CommandHarness()
        #expect(h.run("LMPOP", "2", "n1", "n2", "LEFT", "COUNT", "10") == "*-1\r\n")
        h.run("LPUSH", "l", "one", "two", "three", "four", "five")
        #expect(h.run("LMPOP", "1", "l", "LEFT") == "*2\r\n$1\r\nl\r\n" + bulk("five"))
        #expect(h.run("LMPOP", "2", "missing", "l", "right", "count", "2") == "*2\r\n$1\r\nl\r\n" + bulk("one", "two"))
        #expect(h.run("LMPOP", "1", "l", "RIGHT", "COUNT", "10") == "*2\r\n$1\r\nl\r\n" + bulk("three", "four"))
        #expect(h.run("EXISTS", "l") == ":0\r\n")
        h.run("SET", "s", "v")
        h.run("RPUSH", "l", "a")
        #expect(h.run("LMPOP", "2", "missing", "s", "LEFT") ==
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n")
        #expect(h.run("LMPOP", "2", "l", "s", "LEFT") == "*2\r\n$1\r\nl\r\n" + bulk("a"))
    }

    @Test func lmpopErrors() {
        let h = CommandHarness()
        let numkeys = "-ERR numkeys should be greater than 0\r\n"
        #expect(h.run("LMPOP", "0", "l", "LEFT") == numkeys)
        #expect(h.run("LMPOP", "-1", "l", "LEFT") == numkeys)
        #expect(h.run("LMPOP", "x", "l", "LEFT") == numkeys)
        #expect(h.run("LMPOP", "2", "l", "LEFT") == "-ERR syntax error\r\n")
        #expect(h.run("LMPOP", "9223372036854775807", "l", "LEFT") == "-ERR syntax error\r\n")
        #expect(h.run("LMPOP", "1", "l", "UP") == "-ERR syntax error\r\n")
        #expect(h.run("LMPOP", "1", "l", "LEFT", "COUNT", "0") == "-ERR count should be greater than 0\r\n")
        #expect(h.run("LMPOP", "1", "l", "LEFT", "COUNT", "x") == "-ERR count should be greater than 0\r\n")
        #expect(h.run("LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1") == "-ERR syntax error\r\n")
        #expect(h.run("LMPOP", "1", "l", "LEFT", "COUNT") == "-ERR syntax error\r\n")
        #expect(h.run("LMPOP", "1", "l", "LEFT", "FOO") == "-ERR syntax error\r\n")
        #expect(h.run("LMPOP", "1", "l") == "-ERR wrong number of arguments for 'lmpop' command\r\n")
    }

    // MARK: encoding

    @Test func encodingFollowsListpackSize() {
        let h = CommandHarness()
        h.run("RPUSH", "small", "a", "b", "1", "2")
        #expect(h.run("OBJECT", "ENCODING", "small") == "$8\r\nlistpack\r\n")
        let hundred = String(repeating: "x", count: 100)
        for _ in 0..<1000 { h.run("RPUSH", "big", hundred) }
        #expect(h.run("OBJECT", "ENCODING", "big") == "$9\r\nquicklist\r\n")
        // Back to a listpack only below half the limit (4 KB): 30 × 103 bytes.
        h.run("LTRIM", "big", "0", "59")
        #expect(h.run("OBJECT", "ENCODING", "big") == "$9\r\nquicklist\r\n")
        h.run("LTRIM", "big", "0", "29")
        #expect(h.run("OBJECT", "ENCODING", "big") == "$8\r\nlistpack\r\n")
        // One element too large for a node.
        h.run("RPUSH", "huge", String(repeating: "y", count: 9000))
        #expect(h.run("OBJECT", "ENCODING", "huge") == "$9\r\nquicklist\r\n")
    }

    @Test func encodingWithEntryCountLimit() {
        let h = CommandHarness(settings: [("list-max-listpack-size", "4")])
        h.run("RPUSH", "l", "a", "b", "c", "d")
        #expect(h.run("OBJECT", "ENCODING", "l") == "$8\r\nlistpack\r\n")
        h.run("RPUSH", "l", "e")
        #expect(h.run("OBJECT", "ENCODING", "l") == "$9\r\nquicklist\r\n")
        h.run("RPOP", "l", "2")
        #expect(h.run("OBJECT", "ENCODING", "l") == "$9\r\nquicklist\r\n")
        h.run("RPOP", "l")
        #expect(h.run("OBJECT", "ENCODING", "l") == "$8\r\nlistpack\r\n")
        // LINSERT converts up front even when the pivot is missing, as Valkey.
        h.run("RPUSH", "m", "a", "b", "c", "d")
        #expect(h.run("LINSERT", "m", "BEFORE", "zz", "x") == ":-1\r\n")
        #expect(h.run("OBJECT", "ENCODING", "m") == "$9\r\nquicklist\r\n")
    }

    @Test func listpackEntrySizes() {
        #expect(ListValue.entrySize(Array("7".utf8)) == 2)
        #expect(ListValue.entrySize(Array("1000".utf8)) == 3)
        #expect(ListValue.entrySize(Array("-1".utf8)) == 3)
        #expect(ListValue.entrySize(Array("100000".utf8)) == 5)
        #expect(ListValue.entrySize(Array("9223372036854775807".utf8)) == 10)
        #expect(ListValue.entrySize(Array("007".utf8)) == 5)
        #expect(ListValue.entrySize([]) == 2)
        #expect(ListValue.entrySize(Array(repeating: 120, count: 100)) == 103)
        #expect(ListValue.entrySize(Array(repeating: 120, count: 200)) == 204)
        let list = ListValue()
        // Edited directly, not through the methods: the size is recounted.
        list.elements.append(Array("a".utf8))
        list.elements.append(Array("bb".utf8))
        #expect(list.listpackBytes == 7 + 3 + 4)
        list.pushBack(Array("12".utf8))
        #expect(list.listpackBytes == 7 + 3 + 4 + 2)
    }

    // MARK: persistence contract

    /// Every command's records, replayed, rebuild what LRANGE shows.
    @Test func recordsReplayToTheSameLists() {
        let h = CommandHarness()
        var replica = ListReplica()
        let script: [[String]] = [
            ["RPUSH", "a", "1", "2", "3", "2", "1", "2"], ["LPUSH", "a", "0", "2"], ["LREM", "a", "2", "2"],
            ["LREM", "a", "-1", "2"], ["LINSERT", "a", "AFTER", "3", "x"], ["LINSERT", "a", "BEFORE", "0", "y"],
            ["LSET", "a", "-2", "z"], ["LTRIM", "a", "1", "-1"], ["LMOVE", "a", "b", "LEFT", "LEFT"],
            ["LMOVE", "a", "a", "RIGHT", "LEFT"], ["RPOPLPUSH", "b", "a"], ["LPOP", "a", "2"], ["RPOP", "a"],
            ["LMPOP", "2", "b", "a", "RIGHT", "COUNT", "2"], ["RPUSH", "c", "x", "y", "x", "y", "x"],
            ["LREM", "c", "0", "x"], ["LREM", "c", "-5", "y"], ["RPUSH", "d", "k"], ["RPOPLPUSH", "d", "d"],
            ["RPOPLPUSH", "d", "e"], ["LTRIM", "a", "5", "1"], ["LPUSHX", "e", "v"], ["RPUSHX", "e", "w"],
        ]
        for command in script {
            _ = h.run(command.map { Array($0.utf8) })
            replica.apply(changes(h))
            for name in ["a", "b", "c", "d", "e"] {
                let actual = h.run("LRANGE", name, "0", "-1")
                let expected = replica.lists[key(name)].map { items in
                    "*\(items.count)\r\n" + items.map { "$\($0.count)\r\n\(String(decoding: $0, as: UTF8.self))\r\n" }.joined()
                } ?? "*0\r\n"
                #expect(actual == expected, "after \(command), key \(name)")
                if replica.lists[key(name)]?.isEmpty == true { Issue.record("empty list kept for \(name)") }
            }
        }
    }
}
