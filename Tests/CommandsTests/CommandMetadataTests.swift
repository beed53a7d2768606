import Foundation
import NIOCore
import RESP
import Testing

@testable import Commands

/// What `write` encodes, as text.
private func encoded(_ version: ProtocolVersion, _ write: (inout ReplyWriter) -> Void) -> String {
    var writer = ReplyWriter(buffer: ByteBuffer(), version: version)
    write(&writer)
    return String(buffer: writer.buffer)
}

/// RESP lines, each terminated by CRLF.
private func resp(_ lines: String...) -> String {
    lines.map { $0 + "\r\n" }.joined()
}

/// A command line split on spaces, as the request decoder would hand it over.
private func arguments(_ line: String) -> [[UInt8]] {
    line.split(separator: " ").map { Array($0.utf8) }
}

private func command(_ name: String) throws -> CommandMetadata {
    try #require(CommandCatalog.find(name), "no metadata for \(name)")
}

/// What COMMAND INFO reports for a command, per Valkey's JSON and a reference server.
struct ExpectedInfo: Sendable, CustomTestStringConvertible {
    let name: String
    let arity: Int
    let flags: [String]
    let keyRange: [Int]  // first, last, step
    let categories: [String]

    var testDescription: String { name }
}

@Suite struct CommandMetadataTests {
    @Test(arguments: [
        ExpectedInfo(name: "get", arity: 2, flags: ["readonly", "fast"], keyRange: [1, 1, 1],
                     categories: ["@read", "@string", "@fast"]),
        ExpectedInfo(name: "set", arity: -3, flags: ["write", "denyoom"], keyRange: [1, 1, 1],
                     categories: ["@write", "@string", "@slow"]),
        ExpectedInfo(name: "mset", arity: -3, flags: ["write", "denyoom"], keyRange: [1, -1, 2],
                     categories: ["@write", "@string", "@slow"]),
        ExpectedInfo(name: "del", arity: -2, flags: ["write"], keyRange: [1, -1, 1],
                     categories: ["@keyspace", "@write", "@slow"]),
        ExpectedInfo(name: "copy", arity: -3, flags: ["write", "denyoom"], keyRange: [1, 2, 1],
                     categories: ["@keyspace", "@write", "@slow"]),
        ExpectedInfo(name: "client|list", arity: -2, flags: ["admin", "noscript", "loading", "stale"],
                     keyRange: [0, 0, 0], categories: ["@admin", "@slow", "@dangerous", "@connection"]),
        ExpectedInfo(name: "config|get", arity: -3, flags: ["admin", "noscript", "loading", "stale"],
                     keyRange: [0, 0, 0], categories: ["@admin", "@slow", "@dangerous"]),
        ExpectedInfo(name: "object|encoding", arity: 3, flags: ["readonly"], keyRange: [2, 2, 1],
                     categories: ["@keyspace", "@read", "@slow"]),
        ExpectedInfo(name: "keys", arity: 2, flags: ["readonly"], keyRange: [0, 0, 0],
                     categories: ["@keyspace", "@read", "@slow", "@dangerous"]),
    ])
    func infoFieldsMatchSpecification(_ expected: ExpectedInfo) throws {
        let metadata = try command(expected.name)
        #expect(metadata.name == expected.name)
        #expect(metadata.arity == expected.arity)
        #expect(metadata.flags.names == expected.flags)
        #expect([metadata.firstKey, metadata.lastKey, metadata.keyStep] == expected.keyRange)
        #expect(metadata.aclCategories == expected.categories)
    }

    @Test func hiddenFlagsAreKeptButNotShown() throws {
        let clientList = try command("client|list")
        #expect(clientList.flags.contains(.sentinel))
        #expect(!clientList.flags.names.contains("sentinel"))
        #expect(try command("scan").flags.contains(.touchesArbitraryKeys))
    }

    @Test func keySpecsComeFromSpecification() throws {
        let mset = try command("mset")
        #expect(mset.keySpecs.count == 1)
        #expect(mset.keySpecs[0].flags == [.ow, .update])
        #expect(mset.keySpecs[0].beginSearch == .index(1))
        #expect(mset.keySpecs[0].findKeys == .range(lastKey: -1, keyStep: 2, limit: 0))
        #expect(mset.tips == ["request_policy:multi_shard", "response_policy:all_succeeded"])

        let set = try command("set")
        #expect(set.keySpecs[0].flags.names == ["RW", "access", "update", "variable_flags"])
        #expect(set.keySpecs[0].notes == "RW and ACCESS due to the optional `GET` argument")
    }

    @Test func docsComeFromSpecification() throws {
        let set = try command("set")
        #expect(set.group == "string")
        #expect(set.history.count == 4)
        #expect(set.history[0].since == "2.6.12")
        #expect(set.arguments.map(\.name) == ["key", "value", "condition", "get", "expiration"])
        #expect(set.arguments[2].type == .oneof)
        #expect(set.arguments[2].flags == [.optional])
        #expect(set.arguments[2].arguments.map(\.token) == ["NX", "XX"])

        let setex = try command("setex")
        #expect(setex.docFlags == [.deprecated])
        #expect(setex.deprecatedSince == "2.6.12")
        #expect(setex.replacedBy == "`SET` with the `EX` argument")
    }

    @Test func arityChecks() throws {
        let get = try command("get")
        #expect(get.acceptsArgumentCount(2))
        #expect(!get.acceptsArgumentCount(1))
        #expect(!get.acceptsArgumentCount(3))
        let set = try command("set")
        #expect(set.acceptsArgumentCount(3))
        #expect(set.acceptsArgumentCount(7))
        #expect(!set.acceptsArgumentCount(2))
    }

    // MARK: key positions

    @Test(arguments: [
        ("set", "set k v EX 10 GET", [1]),
        ("mset", "mset a 1 b 2 c 3", [1, 3, 5]),
        ("mset", "mset a 1 b", [1, 3]),
        ("del", "del a b c", [1, 2, 3]),
        ("exists", "exists a a", [1, 2]),
        ("copy", "copy src dst DB 1 REPLACE", [1, 2]),
        ("lcs", "lcs k1 k2 LEN IDX MINMATCHLEN 4 WITHMATCHLEN", [1, 2]),
        ("get", "get k extra", [1]),
        ("get", "get", []),
        ("object|encoding", "object encoding k", [2]),
        ("ping", "ping hello", []),
    ])
    func keyPositions(command name: String, line: String, expected: [Int]) throws {
        #expect(try command(name).keyPositions(in: arguments(line)) == expected)
    }

    /// None of the listed commands uses keyword or keynum specs yet; these mirror
    /// XREAD, MIGRATE and EVAL.
    @Test func keywordSearchForwards() {
        let xread = CommandMetadata(
            name: "xread", arity: -4, flags: [.readonly],
            keySpecs: [KeySpec(flags: [.ro, .access], beginSearch: .keyword("STREAMS", startFrom: 1),
                               findKeys: .range(lastKey: -1, keyStep: 1, limit: 2))],
            summary: "", since: "5.0.0", group: "stream")
        #expect(xread.keyPositions(in: arguments("xread COUNT 2 streams a b 0 0")) == [4, 5])
        #expect(xread.keyPositions(in: arguments("xread COUNT 2")) == [])
        // No index+range spec: no legacy range, and the keys are "movable".
        #expect(xread.firstKey == 0 && xread.lastKey == 0 && xread.keyStep == 0)
        #expect(xread.flags.names == ["readonly", "movablekeys"])
    }

    @Test func keywordSearchBackwards() {
        let migrate = CommandMetadata(
            name: "migrate", arity: -6, flags: [.write],
            keySpecs: [KeySpec(flags: [.rw, .access, .delete], beginSearch: .keyword("KEYS", startFrom: -2),
                               findKeys: .range(lastKey: -1, keyStep: 1, limit: 0))],
            summary: "", since: "2.6.0", group: "generic")
        #expect(migrate.keyPositions(in: arguments("migrate host 6379 x 0 5000 KEYS a b")) == [7, 8])
    }

    @Test func keyCountArgument() {
        let eval = CommandMetadata(
            name: "eval", arity: -3, flags: [.noscript],
            keySpecs: [KeySpec(flags: [.rw, .access, .update], beginSearch: .index(2),
                               findKeys: .keynum(keyNumIndex: 0, firstKey: 1, keyStep: 1))],
            summary: "", since: "2.6.0", group: "scripting")
        #expect(eval.keyPositions(in: arguments("eval s 2 a b x")) == [3, 4])
        #expect(eval.keyPositions(in: arguments("eval s 0 x")) == [])
        #expect(eval.keyPositions(in: arguments("eval s 3 a b")) == [])
        #expect(eval.keyPositions(in: arguments("eval s -1 a")) == [])
        #expect(eval.keyPositions(in: arguments("eval s 02 a b")) == [])
        #expect(eval.keyPositions(in: arguments("eval s 99999999999999999999 a")) == [])
        #expect(eval.flags.contains(.movableKeys))
    }

    // MARK: replies (captured from a reference server; Valkey 8 adds display_text and has its own summaries)

    @Test func infoReplyForGet() throws {
        let get = try command("get")
        #expect(encoded(.resp2) { get.writeInfo(into: &$0) } == resp(
            "*10", "$3", "get", ":2", "*2", "+readonly", "+fast", ":1", ":1", ":1",
            "*3", "+@read", "+@string", "+@fast", "*0",
            "*1", "*6", "$5", "flags", "*2", "+RO", "+access",
            "$12", "begin_search", "*4", "$4", "type", "$5", "index", "$4", "spec", "*2", "$5", "index", ":1",
            "$9", "find_keys", "*4", "$4", "type", "$5", "range", "$4", "spec",
            "*6", "$7", "lastkey", ":0", "$7", "keystep", ":1", "$5", "limit", ":0",
            "*0"))
        #expect(encoded(.resp3) { get.writeInfo(into: &$0) } == resp(
            "*10", "$3", "get", ":2", "~2", "+readonly", "+fast", ":1", ":1", ":1",
            "~3", "+@read", "+@string", "+@fast", "~0",
            "~1", "%3", "$5", "flags", "~2", "+RO", "+access",
            "$12", "begin_search", "%2", "$4", "type", "$5", "index", "$4", "spec", "%1", "$5", "index", ":1",
            "$9", "find_keys", "%2", "$4", "type", "$5", "range", "$4", "spec",
            "%3", "$7", "lastkey", ":0", "$7", "keystep", ":1", "$5", "limit", ":0",
            "~0"))
    }

    @Test func infoReplyForContainerListsSubcommands() throws {
        let config = try command("config")
        let reply = encoded(.resp2) { config.writeInfo(into: &$0) }
        #expect(reply.hasPrefix(resp(
            "*10", "$6", "config", ":-2", "*0", ":0", ":0", ":0", "*1", "+@slow", "*0", "*0",
            "*4", "*10", "$10", "config|get", ":-3")))
    }

    @Test func docsReplyForGet() throws {
        let get = try command("get")
        #expect(encoded(.resp2) { get.writeDocs(into: &$0) } == resp(
            "*10", "$7", "summary", "$34", "Returns the string value of a key.",
            "$5", "since", "$5", "1.0.0", "$5", "group", "$6", "string", "$10", "complexity", "$4", "O(1)",
            "$9", "arguments", "*1",
            "*8", "$4", "name", "$3", "key", "$4", "type", "$3", "key", "$12", "display_text", "$3", "key",
            "$14", "key_spec_index", ":0"))
        #expect(encoded(.resp3) { get.writeDocs(into: &$0) } == resp(
            "%5", "$7", "summary", "$34", "Returns the string value of a key.",
            "$5", "since", "$5", "1.0.0", "$5", "group", "$6", "string", "$10", "complexity", "$4", "O(1)",
            "$9", "arguments", "*1",
            "%4", "$4", "name", "$3", "key", "$4", "type", "$3", "key", "$12", "display_text", "$3", "key",
            "$14", "key_spec_index", ":0"))
    }

    @Test func docsReplyForSetHasHistoryAndNestedArguments() throws {
        let set = try command("set")
        let reply = encoded(.resp3) { set.writeDocs(into: &$0) }
        #expect(reply.contains(resp("$7", "history", "~4", "*2", "$6", "2.6.12")))
        // oneof groups have no display_text but their nested arguments.
        #expect(reply.contains(resp(
            "%5", "$4", "name", "$9", "condition", "$4", "type", "$5", "oneof", "$5", "since", "$6", "2.6.12",
            "$5", "flags", "~1", "+optional", "$9", "arguments", "*2")))
    }

    @Test func docsReplyForContainerMapsSubcommands() throws {
        let object = try command("object")
        let reply = encoded(.resp3) { object.writeDocs(into: &$0) }
        #expect(reply.contains(resp("$11", "subcommands", "%5", "$15", "object|encoding", "%5")))
    }

    // MARK: catalog

    @Test func catalogHasEveryListedCommand() throws {
        let list = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/commands.txt")
        let listed = try String(contentsOf: list, encoding: .utf8)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        #expect(listed.count > 80)
        for name in listed {
            #expect(CommandCatalog.find(name)?.name == name, "missing \(name)")
        }
        // Nothing unlisted except the containers of listed subcommands.
        let containers = Set(listed.compactMap { $0.split(separator: "|").count == 2 ? String($0.split(separator: "|")[0]) : nil })
        let cataloged = CommandCatalog.all.flatMap { [$0.name] + $0.subcommands.map(\.name) }
        #expect(Set(cataloged) == Set(listed).union(containers))
        #expect(CommandCatalog.all.map(\.name) == CommandCatalog.all.map(\.name).sorted())
    }

    @Test func lookupIgnoresCaseAndHandlesSubcommands() throws {
        #expect(CommandCatalog.find("GET")?.name == "get")
        #expect(CommandCatalog.find("Client|List")?.name == "client|list")
        #expect(CommandCatalog.find("client")?.subcommands.isEmpty == false)
        #expect(CommandCatalog.find("get|x") == nil)
        #expect(CommandCatalog.find("client|nosuch") == nil)
        #expect(CommandCatalog.find("client|list|x") == nil)
    }
}
