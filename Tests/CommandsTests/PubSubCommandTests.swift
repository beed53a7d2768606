import Keyspace
import NIOCore
import RESP
import Testing
@testable import Commands

/// Collects what the registry delivers to a client, as the network layer would.
private final class RecordingReceiver: PushReceiver {
    var received = ""
    var limits: [OutputBufferLimit] = []

    func enqueuePush(_ message: ByteBuffer, limit: OutputBufferLimit, now: Int64) {
        received += String(buffer: message)
        limits.append(limit)
    }

    func take() -> String {
        defer { received = "" }
        return received
    }
}

/// A second client on the harness's server, with a recording receiver.
private final class Subscriber {
    let session: ClientSession
    let receiver = RecordingReceiver()
    let server: ServerState

    init(_ harness: CommandHarness, resp3: Bool = false) {
        server = harness.server
        session = ClientSession(
            id: server.clients.allocateID(), address: "127.0.0.1:5001", localAddress: "127.0.0.1:6379",
            authenticated: true, reply: ReplyWriter(buffer: ByteBuffer()), now: server.keyspace.now)
        session.protocolVersion = resp3 ? .resp3 : .resp2
        session.subscriptions.receiver = receiver
        server.clients.add(session)
    }

    @discardableResult
    func run(_ arguments: String...) -> String {
        CommandDispatcher.execute(arguments.map { Array($0.utf8) }, for: session, in: server)
        var text = String(buffer: session.reply.buffer)
        if let deferred = session.subscriptions.takeDeferredPushes() { text += String(buffer: deferred) }
        session.reply.buffer.clear()
        return text
    }
}

private func observed(_ settings: [(String, String)] = []) -> CommandHarness {
    let harness = CommandHarness(settings: settings)
    harness.server.pubsub.observe(harness.server.config)
    return harness
}

@Suite struct PubSubCommandTests {
    @Test func subscribeConfirmationsAndCounts() {
        let h = observed()
        #expect(h.run("SUBSCRIBE", "a", "b", "a") ==
            "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n")
        #expect(h.run("PSUBSCRIBE", "n*") == "*3\r\n$10\r\npsubscribe\r\n$2\r\nn*\r\n:3\r\n")
        // Shard subscriptions are counted apart.
        #expect(h.run("SSUBSCRIBE", "s") == "*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n")
        #expect(h.run("UNSUBSCRIBE", "zz") == "*3\r\n$11\r\nunsubscribe\r\n$2\r\nzz\r\n:3\r\n")
        #expect(h.run("PUNSUBSCRIBE") == "*3\r\n$12\r\npunsubscribe\r\n$2\r\nn*\r\n:2\r\n")
        #expect(h.run("PUNSUBSCRIBE") == "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:2\r\n")
        #expect(h.run("SUNSUBSCRIBE") == "*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n")
        let all = h.run("UNSUBSCRIBE")
        #expect(all.contains("$1\r\na\r\n") && all.contains("$1\r\nb\r\n") && all.hasSuffix(":0\r\n"))
        #expect(h.run("UNSUBSCRIBE") == "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n")
        #expect(h.server.pubsub.channelCount == 0 && h.server.pubsub.patternCount == 0)
        #expect(h.run("SUBSCRIBE") == "-ERR wrong number of arguments for 'subscribe' command\r\n")
    }

    @Test func resp3ConfirmationsArePushes() {
        let h = observed()
        h.client.protocolVersion = .resp3
        #expect(h.run("SUBSCRIBE", "a") == ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n")
        #expect(h.run("UNSUBSCRIBE", "a") == ">3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:0\r\n")
        #expect(h.run("UNSUBSCRIBE") == ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n")
    }

    @Test func publishDeliversToChannelsAndPatterns() {
        let h = observed()
        let two = Subscriber(h)
        let three = Subscriber(h, resp3: true)
        two.run("SUBSCRIBE", "news")
        three.run("PSUBSCRIBE", "n*", "x*")
        three.run("SUBSCRIBE", "news")
        #expect(h.run("PUBLISH", "news", "hello") == ":3\r\n")
        #expect(two.receiver.take() == "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n")
        let pushes = three.receiver.take()
        #expect(pushes.contains(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n"))
        #expect(pushes.contains(">4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$5\r\nhello\r\n"))
        #expect(!pushes.contains("x*"))
        #expect(h.run("PUBLISH", "nobody", "x") == ":1\r\n")  // n* matches
        #expect(h.run("PUBLISH", "zzz", "x") == ":0\r\n")
        _ = three.receiver.take()
        // SPUBLISH reaches shard subscribers only.
        two.run("SSUBSCRIBE", "news")
        #expect(h.run("SPUBLISH", "news", "s") == ":1\r\n")
        #expect(two.receiver.take() == "*3\r\n$8\r\nsmessage\r\n$4\r\nnews\r\n$1\r\ns\r\n")
        #expect(three.receiver.take() == "")
    }

    @Test func publishToSelfFollowsTheReply() {
        let h = observed()
        let one = Subscriber(h, resp3: true)
        one.run("SUBSCRIBE", "c")
        #expect(one.run("PUBLISH", "c", "m") == ":1\r\n>3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nm\r\n")
        #expect(one.receiver.take() == "")
    }

    @Test func closedConnectionLeavesTheRegistry() {
        let h = observed()
        let two = Subscriber(h)
        two.run("SUBSCRIBE", "a", "b")
        two.run("PSUBSCRIBE", "p*")
        two.run("SSUBSCRIBE", "s")
        #expect(h.server.pubsub.channelCount == 2)
        PubSubCommands.unsubscribeAll(two.session, in: h.server)
        #expect(h.server.pubsub.channelCount == 0)
        #expect(h.server.pubsub.patternCount == 0)
        #expect(h.server.pubsub.shardChannelCount == 0)
        #expect(!two.session.subscriptions.isSubscribed)
        #expect(h.run("PUBLISH", "a", "x") == ":0\r\n")
    }

    @Test func introspection() {
        let h = observed()
        let two = Subscriber(h)
        let three = Subscriber(h)
        two.run("SUBSCRIBE", "news.1", "news.2", "other")
        three.run("SUBSCRIBE", "news.1")
        three.run("PSUBSCRIBE", "a*", "b*")
        two.run("PSUBSCRIBE", "a*")
        two.run("SSUBSCRIBE", "shard")
        #expect(h.run("PUBSUB", "NUMSUB", "news.1", "other", "none") ==
            "*6\r\n$6\r\nnews.1\r\n:2\r\n$5\r\nother\r\n:1\r\n$4\r\nnone\r\n:0\r\n")
        #expect(h.run("PUBSUB", "NUMSUB") == "*0\r\n")
        #expect(h.run("PUBSUB", "NUMPAT") == ":2\r\n")
        let channels = h.run("PUBSUB", "CHANNELS", "news.*")
        #expect(channels.hasPrefix("*2\r\n") && channels.contains("news.1") && channels.contains("news.2"))
        #expect(h.run("PUBSUB", "CHANNELS").hasPrefix("*3\r\n"))
        #expect(h.run("PUBSUB", "SHARDCHANNELS") == "*1\r\n$5\r\nshard\r\n")
        #expect(h.run("PUBSUB", "SHARDCHANNELS", "x*") == "*0\r\n")
        #expect(h.run("PUBSUB", "SHARDNUMSUB", "shard", "news.1") == "*4\r\n$5\r\nshard\r\n:1\r\n$6\r\nnews.1\r\n:0\r\n")
        #expect(h.run("PUBSUB", "CHANNELS", "a", "b") ==
            "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n")
        #expect(h.run("PUBSUB", "NUMPAT", "x") == "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n")
        #expect(h.run("PUBSUB", "HELP").hasPrefix("*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"))
    }

    @Test func subscriberModeRules() {
        let h = observed()
        let table = h.server.commands
        func command(_ words: String...) -> Command {
            guard case .found(let command) = table.lookup(words.map { Array($0.utf8) }) else { fatalError() }
            return command
        }
        #expect(PubSubCommands.subscriberModeError(command: command("GET", "k"), client: h.client) == nil)
        h.run("SUBSCRIBE", "c")
        #expect(PubSubCommands.subscriberModeError(command: command("GET", "k"), client: h.client) ==
            "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
        #expect(PubSubCommands.subscriberModeError(command: command("CONFIG", "GET", "x"), client: h.client)?
            .hasPrefix("ERR Can't execute 'config|get'") == true)
        for allowed in ["PING", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "QUIT", "RESET"] {
            #expect(PubSubCommands.subscriberModeError(command: command(allowed), client: h.client) == nil)
        }
        let ping = CommandContext(server: h.server, client: h.client, arguments: [Array("PING".utf8)])
        #expect(PubSubCommands.answerSubscribedPing(ping))
        #expect(String(buffer: h.client.reply.buffer) == "*2\r\n$4\r\npong\r\n$0\r\n\r\n")
        h.client.reply.buffer.clear()
        // RESP3 clients may run anything.
        h.client.protocolVersion = .resp3
        #expect(PubSubCommands.subscriberModeError(command: command("GET", "k"), client: h.client) == nil)
        #expect(!PubSubCommands.answerSubscribedPing(ping))
    }

    @Test func settingsAreParsedAndFollowConfigSet() {
        #expect(KeyspaceEventClass.parse("").effectiveFlags == 0)
        #expect(KeyspaceEventClass.parse("A").effectiveFlags == 0)  // neither K nor E: nothing is published
        let kea = KeyspaceEventClass.parse("KEA")
        #expect(kea.contains([.keyspace, .keyevent, .generic, .string, .list, .set, .hash, .zset, .expired]))
        #expect(!kea.contains(.new) && !kea.contains(.keyMiss))
        #expect(KeyspaceEventClass.parse("Kx") == [.keyspace, .expired])
        #expect(PubSubRegistry.parsePubsubLimit("normal 0 0 0 slave 1 2 3 pubsub 33554432 8388608 60") == .pubsubDefault)

        let h = observed()
        #expect(h.server.pubsub.keyspaceEventFlags == 0)
        #expect(h.server.pubsub.outputLimit == .pubsubDefault)
        #expect(h.run("CONFIG", "SET", "notify-keyspace-events", "KEA") == "+OK\r\n")
        #expect(h.server.pubsub.keyspaceEventFlags == KeyspaceEventClass.parse("KEA").rawValue)
        #expect(h.run("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 5") == "+OK\r\n")
        #expect(h.server.pubsub.outputLimit == OutputBufferLimit(hard: 1 << 20, soft: 512 << 10, softSeconds: 5))
        #expect(h.run("CONFIG", "SET", "notify-keyspace-events", "") == "+OK\r\n")
        #expect(h.server.pubsub.keyspaceEventFlags == 0)

        let started = observed([("notify-keyspace-events", "Elg")])
        #expect(started.server.pubsub.keyspaceEventFlags == KeyspaceEventClass.parse("Elg").rawValue)
    }

    @Test func keyspaceNotifications() {
        let h = observed([("notify-keyspace-events", "KEA")])
        let listener = Subscriber(h)
        listener.run("PSUBSCRIBE", "__key*__:*")
        func events(_ arguments: String...) -> [String] {
            _ = h.run(arguments.map { Array($0.utf8) })
            // Each pmessage: *4 pmessage pattern channel message → "channel message".
            let lines = listener.receiver.take().split(separator: "\r\n").map(String.init)
            var result: [String] = []
            var index = 0
            while index + 8 < lines.count {
                guard lines[index] == "*4" else { index += 1; continue }
                result.append("\(lines[index + 6]) \(lines[index + 8])")
                index += 9
            }
            return result
        }
        #expect(events("SET", "k", "v") == ["__keyspace@0__:k set", "__keyevent@0__:set k"])
        #expect(events("SET", "k", "v", "EX", "100") ==
            ["__keyspace@0__:k set", "__keyevent@0__:set k", "__keyspace@0__:k expire", "__keyevent@0__:expire k"])
        #expect(events("PERSIST", "k") == ["__keyspace@0__:k persist", "__keyevent@0__:persist k"])
        #expect(events("PERSIST", "k") == [])
        #expect(events("SET", "n", "1", "NX") == ["__keyspace@0__:n set", "__keyevent@0__:set n"])
        #expect(events("SET", "n", "1", "NX") == [])
        #expect(events("INCRBY", "n", "2") == ["__keyspace@0__:n incrby", "__keyevent@0__:incrby n"])
        #expect(events("INCRBYFLOAT", "n", "1.5") == ["__keyspace@0__:n incrbyfloat", "__keyevent@0__:incrbyfloat n"])
        #expect(events("APPEND", "n", "x") == ["__keyspace@0__:n append", "__keyevent@0__:append n"])
        #expect(events("SETRANGE", "n", "0", "y") == ["__keyspace@0__:n setrange", "__keyevent@0__:setrange n"])
        #expect(events("RENAME", "n", "m") ==
            ["__keyspace@0__:n rename_from", "__keyevent@0__:rename_from n", "__keyspace@0__:m rename_to", "__keyevent@0__:rename_to m"])
        #expect(events("COPY", "m", "c", "DB", "2") == ["__keyspace@2__:c copy_to", "__keyevent@2__:copy_to c"])
        #expect(events("MOVE", "m", "3") ==
            ["__keyspace@0__:m move_from", "__keyevent@0__:move_from m", "__keyspace@3__:m move_to", "__keyevent@3__:move_to m"])
        #expect(events("EXPIRE", "k", "-1") == ["__keyspace@0__:k del", "__keyevent@0__:del k"])
        #expect(events("DEL", "k", "missing") == [])
        _ = events("SET", "k", "v")
        #expect(events("DEL", "k", "missing") == ["__keyspace@0__:k del", "__keyevent@0__:del k"])

        #expect(events("RPUSH", "l", "a", "b") == ["__keyspace@0__:l rpush", "__keyevent@0__:rpush l"])
        #expect(events("LMOVE", "l", "l2", "LEFT", "RIGHT") ==
            ["__keyspace@0__:l2 rpush", "__keyevent@0__:rpush l2", "__keyspace@0__:l lpop", "__keyevent@0__:lpop l"])
        #expect(events("RPOP", "l") ==
            ["__keyspace@0__:l rpop", "__keyevent@0__:rpop l", "__keyspace@0__:l del", "__keyevent@0__:del l"])
        #expect(events("LSET", "l2", "0", "z") == ["__keyspace@0__:l2 lset", "__keyevent@0__:lset l2"])
        #expect(events("LTRIM", "l2", "1", "0") ==
            ["__keyspace@0__:l2 ltrim", "__keyevent@0__:ltrim l2", "__keyspace@0__:l2 del", "__keyevent@0__:del l2"])

        #expect(events("HSET", "h", "f", "1") == ["__keyspace@0__:h hset", "__keyevent@0__:hset h"])
        #expect(events("HINCRBY", "h", "f", "1") == ["__keyspace@0__:h hincrby", "__keyevent@0__:hincrby h"])
        #expect(events("HDEL", "h", "nope") == [])
        #expect(events("HDEL", "h", "f") ==
            ["__keyspace@0__:h hdel", "__keyevent@0__:hdel h", "__keyspace@0__:h del", "__keyevent@0__:del h"])

        #expect(events("SADD", "s", "a", "b") == ["__keyspace@0__:s sadd", "__keyevent@0__:sadd s"])
        #expect(events("SADD", "s", "a") == [])
        #expect(events("SMOVE", "s", "s2", "a") ==
            ["__keyspace@0__:s srem", "__keyevent@0__:srem s", "__keyspace@0__:s2 sadd", "__keyevent@0__:sadd s2"])
        #expect(events("SINTERSTORE", "d", "s", "s2") == [])  // empty result, no destination: nothing
        #expect(events("SUNIONSTORE", "d", "s", "s2") == ["__keyspace@0__:d sunionstore", "__keyevent@0__:sunionstore d"])
        #expect(events("SINTERSTORE", "d", "s", "s2") == ["__keyspace@0__:d del", "__keyevent@0__:del d"])

        #expect(events("ZADD", "z", "1", "a", "2", "b") == ["__keyspace@0__:z zadd", "__keyevent@0__:zadd z"])
        #expect(events("ZADD", "z", "1", "a") == [])
        #expect(events("ZINCRBY", "z", "1", "a") == ["__keyspace@0__:z zincr", "__keyevent@0__:zincr z"])
        #expect(events("ZPOPMIN", "z") == ["__keyspace@0__:z zpopmin", "__keyevent@0__:zpopmin z"])
        #expect(events("ZREMRANGEBYRANK", "z", "0", "-1") ==
            ["__keyspace@0__:z zremrangebyrank", "__keyevent@0__:zremrangebyrank z", "__keyspace@0__:z del", "__keyevent@0__:del z"])
    }

    @Test func keyeventOnlyAndClassFilter() {
        let h = observed([("notify-keyspace-events", "E$")])
        let listener = Subscriber(h)
        listener.run("PSUBSCRIBE", "*")
        h.run("SET", "k", "v")
        #expect(listener.receiver.take() == "*4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n")
        h.run("DEL", "k")  // generic class is off
        h.run("LPUSH", "l", "a")  // list class is off
        #expect(listener.receiver.take() == "")
    }

    @Test func expiredEventsFromChangeRecords() {
        let h = observed([("notify-keyspace-events", "Ex")])
        let listener = Subscriber(h)
        listener.run("SUBSCRIBE", "__keyevent@0__:expired")
        _ = h.server.keyspace.drainChanges()
        h.run("SET", "k", "v", "EX", "100")
        h.expireAllNow()
        #expect(h.run("GET", "k") == "$-1\r\n")
        _ = h.server.keyspace.drainChanges()
        KeyspaceNotifications.publishExpired(in: h.server)
        #expect(listener.receiver.take() == "*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:expired\r\n$1\r\nk\r\n")
    }

    @Test func deliveriesCarryTheConfiguredLimit() {
        let h = observed([("client-output-buffer-limit", "pubsub 1000 500 2")])
        let two = Subscriber(h)
        two.run("SUBSCRIBE", "c")
        h.run("PUBLISH", "c", "x")
        #expect(two.receiver.limits == [OutputBufferLimit(hard: 1000, soft: 500, softSeconds: 2)])
    }

    @Test func notificationsOffCostNothing() {
        let h = observed()
        let listener = Subscriber(h)
        listener.run("PSUBSCRIBE", "*")
        h.run("SET", "k", "v")
        h.run("DEL", "k")
        #expect(listener.receiver.take() == "")
    }
}
