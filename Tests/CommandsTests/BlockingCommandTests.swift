import NIOCore
import RESP
import Testing
@testable import Commands

/// A stand-in for the running server: gives commands a blocked clients registry.
private final class FakeHost: ServerControl, BlockingHost {
    let blockedClients = BlockedClients()
    func requestShutdown() {}
    var listeningPort: Int { 0 }
}

private final class FakeWaiter: ClientConnection, BlockedWaiter {
    var deadline: Int64 = -1
    var unblockedCount = 0
    func close() {}
    func blocked(deadline: Int64, token: Int) { self.deadline = deadline }
    func unblocked() { unblockedCount += 1 }
}

@Suite struct BlockingCommandTests {
    @Test func argumentErrors() {
        let h = CommandHarness()
        #expect(h.run("BLPOP", "k", "abc") == "-ERR timeout is not a float or out of range\r\n")
        #expect(h.run("BLPOP", "k", "-1") == "-ERR timeout is negative\r\n")
        #expect(h.run("BLPOP", "k", "-0.5") == "-ERR timeout is negative\r\n")
        #expect(h.run("BRPOP", "k", "inf") == "-ERR timeout is out of range\r\n")
        #expect(h.run("BZPOPMIN", "k", "1e300") == "-ERR timeout is out of range\r\n")
        #expect(h.run("BLPOP", "k") == "-ERR wrong number of arguments for 'blpop' command\r\n")
        #expect(h.run("BLMOVE", "a", "b", "UP", "LEFT", "0") == "-ERR syntax error\r\n")
        #expect(h.run("BLMOVE", "a", "b", "LEFT", "LEFT", "x") == "-ERR timeout is not a float or out of range\r\n")
        #expect(h.run("BLMPOP", "0", "0", "k", "LEFT") == "-ERR numkeys should be greater than 0\r\n")
        #expect(h.run("BLMPOP", "0", "1", "k", "UP") == "-ERR syntax error\r\n")
        #expect(h.run("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0") == "-ERR count should be greater than 0\r\n")
        #expect(h.run("BLMPOP", "x", "1", "k", "LEFT") == "-ERR timeout is not a float or out of range\r\n")
        #expect(h.run("BZMPOP", "0", "1", "k", "LEFT") == "-ERR syntax error\r\n")
        #expect(h.run("BZMPOP", "0", "2", "k", "MIN") == "-ERR syntax error\r\n")
        h.run("SET", "s", "v")
        #expect(h.run("BLPOP", "s", "0").hasPrefix("-WRONGTYPE"))
        #expect(h.run("BZPOPMAX", "s", "0").hasPrefix("-WRONGTYPE"))
        #expect(h.run("BLMOVE", "s", "d", "LEFT", "LEFT", "0").hasPrefix("-WRONGTYPE"))
    }

    @Test func servedImmediately() {
        let h = CommandHarness()
        h.run("RPUSH", "l", "a", "b", "c", "d")
        #expect(h.run("BLPOP", "none", "l", "0") == "*2\r\n$1\r\nl\r\n$1\r\na\r\n")
        #expect(h.run("BRPOP", "l", "0.5") == "*2\r\n$1\r\nl\r\n$1\r\nd\r\n")
        #expect(h.run("BLMOVE", "l", "m", "LEFT", "RIGHT", "0") == "$1\r\nb\r\n")
        #expect(h.run("BRPOPLPUSH", "l", "m", "0") == "$1\r\nc\r\n")
        #expect(h.run("EXISTS", "l") == ":0\r\n")
        #expect(h.run("BLMPOP", "0", "2", "l", "m", "RIGHT", "COUNT", "5") == "*2\r\n$1\r\nm\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n")
        h.run("ZADD", "z", "1", "a", "2", "b", "3", "c")
        #expect(h.run("BZPOPMIN", "z", "0") == "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n")
        #expect(h.run("BZPOPMAX", "y", "z", "0") == "*3\r\n$1\r\nz\r\n$1\r\nc\r\n$1\r\n3\r\n")
        #expect(h.run("BZMPOP", "0", "1", "z", "MIN") == "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n")
        #expect(h.run("EXISTS", "z") == ":0\r\n")
    }

    @Test func withoutServerOrInTransactionNullReplies() {
        let h = CommandHarness()
        // No running server: answered as a timeout at once.
        #expect(h.run("BLPOP", "k", "0") == "*-1\r\n")
        h.run("MULTI")
        h.run("BLPOP", "k", "0")
        h.run("BLMOVE", "k", "d", "LEFT", "LEFT", "0")
        h.run("BZPOPMIN", "k", "0")
        h.run("BZMPOP", "0", "1", "k", "MIN")
        #expect(h.run("EXEC") == "*4\r\n*-1\r\n$-1\r\n*-1\r\n*-1\r\n")
    }

    /// Two clients block on one key; pushes serve them in order, by running their command again.
    @Test func blockAndServeInOrder() {
        let h = CommandHarness()
        let host = FakeHost()
        h.server.control = host
        let registry = host.blockedClients
        func session() -> (ClientSession, FakeWaiter) {
            let s = ClientSession(id: h.server.clients.allocateID(), address: "a", localAddress: "b", authenticated: true,
                                  reply: ReplyWriter(buffer: ByteBuffer()), now: 0)
            let w = FakeWaiter()
            s.connection = w
            h.server.clients.add(s)
            return (s, w)
        }
        let (first, firstWaiter) = session()
        let (second, secondWaiter) = session()
        CommandDispatcher.execute([Array("BLPOP".utf8), Array("k".utf8), Array("0".utf8)], for: first, in: h.server)
        CommandDispatcher.execute([Array("BRPOP".utf8), Array("other".utf8), Array("k".utf8), Array("2.5".utf8)],
                                  for: second, in: h.server)
        #expect(first.reply.buffer.readableBytes == 0)
        #expect(registry.count == 2)
        #expect(registry.isBlocked(first) && registry.isBlocked(second))
        #expect(firstWaiter.deadline == 0)
        #expect(secondWaiter.deadline >= h.server.keyspace.now + 2400)

        h.run("RPUSH", "k", "x")
        #expect(registry.serveReady(h.server).count == 1)
        #expect(String(buffer: first.reply.buffer) == "*2\r\n$1\r\nk\r\n$1\r\nx\r\n")
        #expect(registry.count == 1 && !registry.isBlocked(first))
        #expect(h.run("EXISTS", "k") == ":0\r\n")

        // A key of another type does not serve it.
        h.run("SET", "k", "str")
        #expect(registry.serveReady(h.server).isEmpty)
        h.run("DEL", "k")
        h.run("RPUSH", "k", "y", "z")
        #expect(registry.serveReady(h.server).count == 1)
        #expect(String(buffer: second.reply.buffer) == "*2\r\n$1\r\nk\r\n$1\r\nz\r\n")
        #expect(registry.isEmpty)
        #expect(h.run("LRANGE", "k", "0", "-1") == "*1\r\n$1\r\ny\r\n")
    }

    @Test func clientUnblockAndTimeout() {
        let h = CommandHarness()
        let host = FakeHost()
        h.server.control = host
        let registry = host.blockedClients
        let s = ClientSession(id: h.server.clients.allocateID(), address: "a", localAddress: "b", authenticated: true,
                              reply: ReplyWriter(buffer: ByteBuffer()), now: 0)
        let w = FakeWaiter()
        s.connection = w
        h.server.clients.add(s)
        let blpop = [Array("BLPOP".utf8), Array("k".utf8), Array("0".utf8)]
        CommandDispatcher.execute(blpop, for: s, in: h.server)
        #expect(h.run("CLIENT", "UNBLOCK", "\(s.id)") == ":1\r\n")
        #expect(String(buffer: s.reply.buffer) == "*-1\r\n")
        #expect(w.unblockedCount == 1)
        #expect(h.run("CLIENT", "UNBLOCK", "\(s.id)", "ERROR") == ":0\r\n")
        s.reply.buffer.clear()
        CommandDispatcher.execute(blpop, for: s, in: h.server)
        #expect(h.run("CLIENT", "UNBLOCK", "\(s.id)", "ERROR") == ":1\r\n")
        #expect(String(buffer: s.reply.buffer) == "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n")
        #expect(h.run("CLIENT", "UNBLOCK", "\(s.id)", "FOO") == "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n")
        s.reply.buffer.clear()
        CommandDispatcher.execute(blpop, for: s, in: h.server)
        #expect(!registry.timeOut(s, token: -1))
        #expect(registry.remove(s) != nil)
        #expect(registry.isEmpty)
    }
}
