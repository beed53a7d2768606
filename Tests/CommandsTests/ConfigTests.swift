import Foundation
import Testing
@testable import Commands

/// The error text of a CONFIG SET, or nil if it succeeded.
private func setError(_ config: ServerConfig, _ pairs: [(String, String)], fromLocalClient: Bool = false) -> String? {
    do throws(ConfigError) {
        try config.set(pairs, fromLocalClient: fromLocalClient)
        return nil
    } catch {
        return error.message
    }
}

/// The error text of a load, or nil if it succeeded.
private func loadError(_ config: ServerConfig, _ directives: [(name: String, args: [String])],
                       enforceImmutable: Bool = false) -> String? {
    do throws(ConfigError) {
        try config.load(directives: directives, enforceImmutable: enforceImmutable)
        return nil
    } catch {
        return error.message
    }
}

private func names(_ reply: [(name: String, value: String)]) -> [String] {
    reply.map(\.name)
}

@Suite struct ConfigTableTests {
    @Test func namesAndAliasesAreUnique() {
        let names = ConfigParameter.all.flatMap { [$0.name] + ($0.alias.map { [$0] } ?? []) }
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0 == $0.lowercased() })
    }

    @Test func everyDefaultIsCanonical() throws {
        // dir's default is the working directory; replicaof's empty default means "not a replica",
        // which is not an argument list (Valkey runs no setter for it either).
        for parameter in ConfigParameter.all where !["dir", "replicaof"].contains(parameter.name) {
            let args = parameter.flags.contains(.multiArg)
                ? parameter.defaultValue.split(separator: " ").map(String.init)
                : [parameter.defaultValue]
            let value = try parameter.canonicalValue(from: args, current: parameter.defaultValue)
            #expect(value == parameter.defaultValue, "\(parameter.name)")
        }
    }

    @Test func flagsFollowConfigC() {
        let byName = Dictionary(uniqueKeysWithValues: ConfigParameter.all.map { ($0.name, $0) })
        for name in ["databases", "daemonize", "io-threads", "unixsocketperm", "replicaof", "enable-protected-configs"] {
            #expect(byName[name]!.flags.contains(.immutable), "\(name)")
        }
        #expect(byName["dir"]!.flags.contains(.protected))
        #expect(byName["dbfilename"]!.flags.contains(.protected))
        #expect(byName["requirepass"]!.flags.contains(.sensitive))
        #expect(byName["primaryauth"]!.flags.contains(.sensitive))
        #expect(byName["key-load-delay"]!.flags.contains(.hidden))
        #expect(byName["save"]!.flags.contains(.multiArg))
        #expect(!byName["port"]!.flags.contains(.immutable))
    }
}

@Suite struct ConfigGetTests {
    @Test func defaultsMatchValkey() {
        let config = ServerConfig()
        let expected = [
            "port": "6379",
            "databases": "16",
            "maxmemory": "0",
            "maxmemory-policy": "noeviction",
            "save": "3600 1 300 100 60 10000",
            "bind": "127.0.0.1 -::1",
            "client-output-buffer-limit": "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
            "proto-max-bulk-len": "536870912",
            "client-query-buffer-limit": "1073741824",
            "hz": "10",
            "timeout": "0",
            "tcp-keepalive": "300",
            "appendfsync": "everysec",
            "loglevel": "notice",
            "notify-keyspace-events": "",
            "latency-tracking-info-percentiles": "50 99 99.9",
            "oom-score-adj-values": "0 200 800",
            "list-max-listpack-size": "-2",
            "unixsocketperm": "0",
            "maxclients": "10000",
            "replicaof": "",
            "syslog-ident": "valkey",
            "repl-backlog-size": "10485760",
            "lazyfree-lazy-user-flush": "yes",
            "shutdown-on-sigterm": "default",
            "acl-pubsub-default": "resetchannels",
        ]
        for (name, value) in expected {
            #expect(config.value(name) == value, "\(name)")
        }
        #expect(config.value("dir") == FileManager.default.currentDirectoryPath + "/data")
    }

    @Test func typedAccessorsReadDefaults() {
        let config = ServerConfig()
        #expect(config.port == 6379)
        #expect(config.bind == ["127.0.0.1", "-::1"])
        #expect(config.requirepass == "")
        #expect(config.databases == 16)
        #expect(config.maxclients == 10000)
        #expect(config.timeout == 0)
        #expect(config.loglevel == "notice")
        #expect(config.logfile == "")
        #expect(config.dbfilename == "valkite.db")
        #expect(config.protectedMode)
        #expect(config.protoMaxBulkLen == 512 * 1024 * 1024)
        #expect(config.clientQueryBufferLimit == 1024 * 1024 * 1024)
        #expect(config.appendfsync == "everysec")
        #expect(config.notifyKeyspaceEvents == "")
        #expect(config.hz == 10)
        #expect(config.ioThreads == 1)
        #expect(config.value("no-such-thing") == nil)
    }

    @Test func globMatchesSortedAndCaseInsensitive() {
        let config = ServerConfig()
        #expect(names(config.get(patterns: ["MAXMEM*"])) == [
            "maxmemory", "maxmemory-clients", "maxmemory-eviction-tenacity", "maxmemory-policy", "maxmemory-samples",
        ])
        #expect(names(config.get(patterns: ["h?"])) == ["hz"])
        #expect(names(config.get(patterns: ["[ab]ind"])) == ["bind"])
        #expect(names(config.get(patterns: ["[^b]ind"])).isEmpty)
        #expect(config.get(patterns: ["nomatch*"]).isEmpty)
        #expect(config.get(patterns: ["nosuchparameter"]).isEmpty)
    }

    @Test func multiplePatternsReportEachNameOnce() {
        // The example from the CONFIG GET documentation.
        let reply = ServerConfig().get(patterns: ["*max-*-entries*", "maxmemory"])
        #expect(reply.map { "\($0.name)=\($0.value)" } == [
            "hash-max-listpack-entries=512", "hash-max-ziplist-entries=512", "maxmemory=0",
            "set-max-intset-entries=512", "set-max-listpack-entries=128",
            "zset-max-listpack-entries=128", "zset-max-ziplist-entries=128",
        ])
        #expect(names(ServerConfig().get(patterns: ["port", "PORT", "po*"])) == ["port"])
    }

    @Test func exactNamesAreEchoedAsSpelled() {
        let config = ServerConfig()
        #expect(config.get(patterns: ["MAXMEMORY"]).map(\.name) == ["MAXMEMORY"])
        #expect(config.get(patterns: ["slaveof"]).map(\.name) == ["slaveof"])
        #expect(config.get(patterns: ["slaveof", "replicaof"]).map(\.name) == ["replicaof", "slaveof"])
    }

    @Test func aliasesMatchPatterns() {
        let reply = ServerConfig().get(patterns: ["slave*"])
        #expect(names(reply) == [
            "slave-announce-ip", "slave-announce-port", "slave-ignore-maxmemory", "slave-lazy-flush",
            "slave-priority", "slave-read-only", "slave-serve-stale-data", "slaveof",
        ])
    }

    @Test func hiddenParametersNeedTheirExactName() {
        let config = ServerConfig()
        #expect(config.get(patterns: ["key-load*"]).isEmpty)
        #expect(config.get(patterns: ["key-load-delay"]).map(\.value) == ["0"])
    }

    @Test func starListsEveryVisibleName() {
        let visible = ConfigParameter.all.filter { !$0.flags.contains(.hidden) }
        let expectedCount = visible.count + visible.filter { $0.alias != nil }.count
        #expect(ServerConfig().get(patterns: ["*"]).count == expectedCount)
    }
}

@Suite struct ConfigSetTests {
    @Test func setsValuesAndNotifies() throws {
        let config = ServerConfig()
        var changes: [String] = []
        config.onChange = { changes.append("\($0)=\($1)") }
        try config.set([("maxmemory", "1gb"), ("SLAVE-PRIORITY", "5"), ("requirepass", "secret")])
        #expect(config.value("maxmemory") == "1073741824")
        #expect(config.value("replica-priority") == "5")
        #expect(config.requirepass == "secret")
        #expect(changes == ["maxmemory=1073741824", "replica-priority=5", "requirepass=secret"])
    }

    @Test func unknownOption() {
        let config = ServerConfig()
        #expect(setError(config, [("foo", "bar")]) == "ERR Unknown option or number of arguments for CONFIG SET - 'foo'")
        #expect(setError(config, [("foo", "bar"), ("databases", "1")])
            == "ERR Unknown option or number of arguments for CONFIG SET - 'foo'")
        // The first problem found wins.
        #expect(setError(config, [("databases", "1"), ("foo", "bar")])
            == "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config")
    }

    @Test func immutableAndProtected() {
        let config = ServerConfig()
        #expect(setError(config, [("databases", "3")])
            == "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config")
        #expect(setError(config, [("slaveof", "no one")])
            == "ERR CONFIG SET failed (possibly related to argument 'slaveof') - can't set immutable config")
        #expect(setError(config, [("dir", "/tmp")])
            == "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config")
        #expect(setError(config, [("DBFILENAME", "x.rdb")])
            == "ERR CONFIG SET failed (possibly related to argument 'DBFILENAME') - can't set protected config")
    }

    @Test func protectedConfigsFollowEnableProtectedConfigs() throws {
        let local = ServerConfig()
        try local.load(directives: [("enable-protected-configs", ["local"])])
        #expect(setError(local, [("dbfilename", "x.rdb")]) != nil)
        #expect(setError(local, [("dbfilename", "x.rdb")], fromLocalClient: true) == nil)

        let open = ServerConfig()
        try open.load(directives: [("enable-protected-configs", ["yes"])])
        try open.set([("dbfilename", "y.rdb")])
        #expect(open.dbfilename == "y.rdb")
        #expect(setError(open, [("dbfilename", "dir/y.rdb")])
            == "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename")
    }

    @Test func numericErrors() {
        let config = ServerConfig()
        #expect(setError(config, [("maxclients", "abc")])
            == "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument couldn't be parsed into an integer")
        #expect(setError(config, [("maxclients", "-1")])
            == "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive")
        #expect(setError(config, [("port", "70000")])
            == "ERR CONFIG SET failed (possibly related to argument 'port') - argument must be between 0 and 65535 inclusive")
        #expect(setError(config, [("list-max-ziplist-size", "99999999999")])
            == "ERR CONFIG SET failed (possibly related to argument 'list-max-ziplist-size') - argument must be between -2147483648 and 2147483647 inclusive")
        #expect(setError(config, [("proto-max-bulk-len", "10")])
            == "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive")
        #expect(setError(config, [("maxmemory", "1.5gb")])
            == "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value")
        #expect(setError(config, [("maxmemory-clients", "101%")])
            == "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100")
        #expect(setError(config, [("maxmemory-clients", "-5%")])
            == "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value")
        // string2ll refuses leading zeros and "+".
        #expect(setError(config, [("hz", "0100")]) != nil)
        #expect(setError(config, [("hz", "+5")]) != nil)
    }

    @Test func memoryUnits() throws {
        let config = ServerConfig()
        let cases = ["1gb": "1073741824", "100mb": "104857600", "10k": "10000", "10kb": "10240",
                     "1GB": "1073741824", "2m": "2000000", "1g": "1000000000", "512b": "512", "": "0", "k": "0"]
        for (input, printed) in cases {
            try config.set([("maxmemory", input)])
            #expect(config.value("maxmemory") == printed, "\(input)")
        }
        try config.set([("client-query-buffer-limit", "2mb"), ("maxmemory-clients", "10%")])
        #expect(config.clientQueryBufferLimit == 2 * 1024 * 1024)
        #expect(config.value("maxmemory-clients") == "10%")
        try config.set([("hash-max-ziplist-value", "1kb")])
        #expect(config.value("hash-max-listpack-value") == "1024")
    }

    @Test func enums() throws {
        let config = ServerConfig()
        #expect(setError(config, [("loglevel", "bogus")])
            == "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning, nothing")
        #expect(setError(config, [("appendfsync", "sometimes")])
            == "ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no")
        try config.set([("maxmemory-policy", "ALLKEYS-LRU"), ("oom-score-adj", "relative")])
        #expect(config.value("maxmemory-policy") == "allkeys-lru")
        #expect(config.value("oom-score-adj") == "yes")
        try config.set([("shutdown-on-sigint", "now save")])
        #expect(config.value("shutdown-on-sigint") == "save now")
        #expect(setError(config, [("shutdown-on-sigint", "save nosave")])
            == "ERR CONFIG SET failed (possibly related to argument 'shutdown-on-sigint') - shutdown options SAVE and NOSAVE can't be used simultaneously")
        #expect(setError(config, [("loglevel", "debug verbose")]) != nil)
    }

    @Test func bools() throws {
        let config = ServerConfig()
        try config.set([("protected-mode", "NO")])
        #expect(!config.protectedMode)
        #expect(setError(config, [("appendonly", "maybe")])
            == "ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'")
    }

    @Test func duplicatesAreRejectedButAliasesAreDistinct() throws {
        let config = ServerConfig()
        #expect(setError(config, [("maxmemory", "1"), ("MAXMEMORY", "2")])
            == "ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter")
        try config.set([("hash-max-ziplist-entries", "1"), ("hash-max-listpack-entries", "2")])
        #expect(config.value("hash-max-listpack-entries") == "2")
    }

    @Test func allOrNothing() {
        let config = ServerConfig()
        var notified = false
        config.onChange = { _, _ in notified = true }
        #expect(setError(config, [("maxmemory", "1gb"), ("slave-priority", "x")])
            == "ERR CONFIG SET failed (possibly related to argument 'slave-priority') - argument couldn't be parsed into an integer")
        #expect(config.value("maxmemory") == "0")
        #expect(!notified)
    }

    @Test func hzIsClamped() throws {
        let config = ServerConfig()
        try config.set([("hz", "0")])
        #expect(config.hz == 1)
        try config.set([("hz", "100000")])
        #expect(config.hz == 500)
    }

    @Test func multiArgumentValues() throws {
        let config = ServerConfig()
        try config.set([("save", "900 1 300 10"), ("bind", "127.0.0.1 ::1")])
        #expect(config.value("save") == "900 1 300 10")
        #expect(config.bind == ["127.0.0.1", "::1"])
        try config.set([("save", ""), ("bind", "")])
        #expect(config.value("save") == "")
        #expect(config.bind.isEmpty)
        // Split on single spaces, so a double space leaves an empty argument.
        #expect(setError(config, [("save", "900  1")])
            == "ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters")
        #expect(setError(config, [("save", "0 1")]) != nil)
    }

    @Test func clientOutputBufferLimit() throws {
        let config = ServerConfig()
        try config.set([("client-output-buffer-limit", "replica 1gb 100mb 30 PUBSUB 1 2 3")])
        #expect(config.value("client-output-buffer-limit")
            == "normal 0 0 0 slave 1073741824 104857600 30 pubsub 1 2 3")
        let prefix = "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
        #expect(setError(config, [("client-output-buffer-limit", "master 1 1 1")])
            == prefix + "Invalid client class specified in buffer limit configuration.")
        #expect(setError(config, [("client-output-buffer-limit", "normal 1 1")])
            == prefix + "Wrong number of arguments in buffer limit configuration.")
        #expect(setError(config, [("client-output-buffer-limit", "normal x 1 1")])
            == prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration.")
    }

    @Test func otherSpecialParameters() throws {
        let config = ServerConfig()
        try config.set([("notify-keyspace-events", "KEA")])
        #expect(config.notifyKeyspaceEvents == "AKE")
        try config.set([("notify-keyspace-events", "Ex$")])
        #expect(config.notifyKeyspaceEvents == "$xE")
        try config.set([("notify-keyspace-events", "Ag$lshzxeKEtmdn")])
        // Valkey prints it without "n" but keeps new-key events on.
        #expect(config.notifyKeyspaceEvents == "AnKEm")
        #expect(config.get(patterns: ["notify-keyspace-events"]).first?.value == "AKEm")
        try config.set([("notify-keyspace-events", "AKEn")])
        #expect(config.notifyKeyspaceEvents == "AnKE")
        #expect(setError(config, [("notify-keyspace-events", "q")])
            == "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")

        try config.set([("latency-tracking-info-percentiles", "0 99.990 100")])
        #expect(config.value("latency-tracking-info-percentiles") == "0 99.99 100")
        #expect(setError(config, [("latency-tracking-info-percentiles", "50 101")])
            == "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")

        try config.set([("oom-score-adj-values", "-100 0 100")])
        #expect(config.value("oom-score-adj-values") == "-100 0 100")
        #expect(setError(config, [("oom-score-adj-values", "1 2")])
            == "ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments")
    }

    @Test func stringValidators() {
        let config = ServerConfig()
        #expect(setError(config, [("cluster-announce-client-ipv4", "::1")])
            == "ERR CONFIG SET failed (possibly related to argument 'cluster-announce-client-ipv4') - Invalid IPv4 address")
        #expect(setError(config, [("cluster-announce-hostname", "bad_host")])
            == "ERR CONFIG SET failed (possibly related to argument 'cluster-announce-hostname') - Hostnames may only contain alphanumeric characters, hyphens or dots")
        #expect(setError(config, [("proc-title-template", "{title}")]) != nil)
        #expect(setError(config, [("proc-title-template", "{nope} x")]) != nil)
        #expect(setError(config, [("proc-title-template", "{{x}} {port}")]) == nil)
    }
}

@Suite struct ConfigLoadTests {
    @Test func loadsImmutableAndProtectedParameters() throws {
        let config = ServerConfig()
        try config.load(directives: [
            ("databases", ["32"]), ("daemonize", ["yes"]), ("io-threads", ["4"]), ("DBFILENAME", ["data.rdb"]),
            ("slaveof", ["127.0.0.1", "6380"]), ("unixsocketperm", ["700"]), ("list-max-ziplist-entries", ["512"]),
        ])
        #expect(config.databases == 32)
        #expect(config.ioThreads == 4)
        #expect(config.dbfilename == "data.rdb")
        #expect(config.value("replicaof") == "127.0.0.1 6380")
        #expect(config.value("unixsocketperm") == "700")
        try config.load(directives: [("replicaof", ["no", "one"])])
        #expect(config.value("replicaof") == "")
    }

    @Test func loadErrors() {
        let config = ServerConfig()
        #expect(loadError(config, [("foo", ["bar"])]) == ">>> 'foo bar'\nBad directive or wrong number of arguments")
        #expect(loadError(config, [("port", ["1", "2"])]) == ">>> 'port 1 2'\nwrong number of arguments")
        #expect(loadError(config, [("port", ["abc"])]) == ">>> 'port abc'\nargument couldn't be parsed into an integer")
        #expect(loadError(config, [("requirepass", ["a b"])]) == nil)
        #expect(loadError(config, [("unixsocketperm", ["800"])])
            == ">>> 'unixsocketperm 800'\nargument couldn't be parsed as an octal number")
        #expect(loadError(config, [("unixsocketperm", ["1000"])])
            == ">>> 'unixsocketperm 1000'\nargument must be between 0 and 777 inclusive")
        #expect(loadError(config, [("replicaof", ["host", "port"])]) == ">>> 'replicaof host port'\nInvalid primary port")
        #expect(loadError(config, [("dir", ["/no/such/directory"])])
            == ">>> 'dir /no/such/directory'\nNo such file or directory")
        #expect(loadError(config, [("databases", ["4"])], enforceImmutable: true)
            == ">>> 'databases 4'\ncan't set immutable config")
    }

    @Test func loadIsAllOrNothing() {
        let config = ServerConfig()
        #expect(loadError(config, [("port", ["7000"]), ("maxmemory", ["lots"])]) != nil)
        #expect(config.port == 6379)
    }

    @Test func multiArgumentDirectives() throws {
        let config = ServerConfig()
        // The first save line replaces the defaults, later ones add points.
        try config.load(directives: [("save", ["900 1"]), ("save", ["300", "10"]), ("bind", ["127.0.0.1 -::1"])])
        #expect(config.value("save") == "900 1 300 10")
        #expect(config.bind == ["127.0.0.1", "-::1"])
        try config.load(directives: [("save", [""])])
        #expect(config.value("save") == "")
        // Each client-output-buffer-limit line changes only its class.
        try config.load(directives: [
            ("client-output-buffer-limit", ["normal", "1mb", "2mb", "3"]),
            ("client-output-buffer-limit", ["pubsub 0 0 0"]),
        ])
        #expect(config.value("client-output-buffer-limit")
            == "normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 0 0 0")
    }

    @Test func relativeDirResolvesAgainstCurrentDir() throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("valkite-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base + "/child", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let config = ServerConfig()
        try config.load(directives: [("dir", [base + "/child"])])
        #expect(config.dir == URL(fileURLWithPath: base + "/child").resolvingSymlinksInPath().path)
        // A relative directory is relative to the process working directory (Valkite never chdir()s).
        try config.load(directives: [("dir", ["."])])
        #expect(config.dir == URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path)
    }

    @Test func protectedConfigsAreNotSettableByDefault() throws {
        let config = ServerConfig()
        try config.load(directives: [("enable-protected-configs", ["no"])])
        #expect(setError(config, [("dir", "/")]) != nil)
    }
}

@Suite struct ConfigFileTests {
    @Test func parsesCommentsQuotesAndEscapes() throws {
        let text = """
            # a comment
              port 7000   \r
            requirepass "pa ss\\n\\x41\\"" 
            masterauth 'it\\'s'
            notify-keyspace-events ""

            SAVE 900 1 300 10
            requirepass foo#bar
            """
        let directives = try ServerConfig.parseConfigFile(text)
        #expect(directives.map(\.name) == ["port", "requirepass", "masterauth", "notify-keyspace-events", "save", "requirepass"])
        #expect(directives.map(\.args) == [["7000"], ["pa ss\nA\""], ["it's"], [""], ["900", "1", "300", "10"], ["foo#bar"]])

        let config = ServerConfig()
        try config.load(directives: directives)
        #expect(config.port == 7000)
        #expect(config.requirepass == "foo#bar")
        #expect(config.value("primaryauth") == "it's")
        #expect(config.value("save") == "900 1 300 10")
    }

    @Test func reportsUnbalancedQuotesWithLine() {
        #expect(throws: ConfigError(message: "Reading the configuration file, at line 2\n>>> 'port \"7000'\nUnbalanced quotes in configuration line")) {
            _ = try ServerConfig.parseConfigFile("# header\nport \"7000\n")
        }
        // A closing quote must end the argument.
        #expect(throws: ConfigError.self) { _ = try ServerConfig.parseConfigFile("requirepass \"a\"b") }
    }

    @Test func includeIsNotSupported() {
        #expect(throws: ConfigError(message: "Reading the configuration file, at line 1\n>>> 'include /etc/other.conf'\ninclude is not supported")) {
            _ = try ServerConfig.parseConfigFile("include /etc/other.conf")
        }
    }
}
