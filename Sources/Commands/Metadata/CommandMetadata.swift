import RESP

// Declarative description of every command, as Valkey keeps it in its command
// table: the command table, arity and flag checks, COMMAND INFO / DOCS / COUNT /
// LIST / GETKEYS and key extraction all read from here. The data itself lives in
// GeneratedCommandMetadata.swift (generated from Valkey's JSON specifications by
// scripts/gen-command-metadata.py).

// MARK: - flag sets

/// Valkey's command flags (`CMD_*` in server.h).
public struct CommandFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let write = CommandFlags(rawValue: 1 << 0)
    public static let readonly = CommandFlags(rawValue: 1 << 1)
    public static let denyoom = CommandFlags(rawValue: 1 << 2)
    public static let module = CommandFlags(rawValue: 1 << 3)
    public static let admin = CommandFlags(rawValue: 1 << 4)
    public static let pubsub = CommandFlags(rawValue: 1 << 5)
    public static let noscript = CommandFlags(rawValue: 1 << 6)
    public static let blocking = CommandFlags(rawValue: 1 << 7)
    public static let loading = CommandFlags(rawValue: 1 << 8)
    public static let stale = CommandFlags(rawValue: 1 << 9)
    public static let skipMonitor = CommandFlags(rawValue: 1 << 10)
    public static let skipSlowlog = CommandFlags(rawValue: 1 << 11)
    public static let asking = CommandFlags(rawValue: 1 << 12)
    public static let fast = CommandFlags(rawValue: 1 << 13)
    public static let noAuth = CommandFlags(rawValue: 1 << 14)
    public static let mayReplicate = CommandFlags(rawValue: 1 << 15)
    public static let sentinel = CommandFlags(rawValue: 1 << 16)
    public static let onlySentinel = CommandFlags(rawValue: 1 << 17)
    public static let noMandatoryKeys = CommandFlags(rawValue: 1 << 18)
    public static let protected = CommandFlags(rawValue: 1 << 19)
    public static let moduleGetkeys = CommandFlags(rawValue: 1 << 20)
    public static let moduleNoCluster = CommandFlags(rawValue: 1 << 21)
    public static let noAsyncLoading = CommandFlags(rawValue: 1 << 22)
    public static let noMulti = CommandFlags(rawValue: 1 << 23)
    /// Derived, never declared: some keys are not covered by the legacy (first, last, step) range.
    public static let movableKeys = CommandFlags(rawValue: 1 << 24)
    public static let allowBusy = CommandFlags(rawValue: 1 << 25)
    public static let moduleGetchannels = CommandFlags(rawValue: 1 << 26)
    public static let touchesArbitraryKeys = CommandFlags(rawValue: 1 << 27)

    /// The flags COMMAND INFO shows, in its order and spelling. Valkey hides the
    /// others on purpose (may_replicate, sentinel, only_sentinel, protected,
    /// touches_arbitrary_keys and the module-only ones).
    static let shownNames: [(flag: CommandFlags, name: String)] = [
        (.write, "write"), (.readonly, "readonly"), (.denyoom, "denyoom"), (.module, "module"),
        (.admin, "admin"), (.pubsub, "pubsub"), (.noscript, "noscript"), (.blocking, "blocking"),
        (.loading, "loading"), (.stale, "stale"), (.skipMonitor, "skip_monitor"),
        (.skipSlowlog, "skip_slowlog"), (.asking, "asking"), (.fast, "fast"), (.noAuth, "no_auth"),
        (.noMandatoryKeys, "no_mandatory_keys"), (.noAsyncLoading, "no_async_loading"),
        (.noMulti, "no_multi"), (.movableKeys, "movablekeys"), (.allowBusy, "allow_busy"),
    ]

    /// Names of the flags COMMAND INFO prints for this set (`"readonly"`, `"no_auth"`…).
    public var names: [String] { flagNames(of: self, in: Self.shownNames) }
}

/// ACL categories (`ACL_CATEGORY_*`).
public struct ACLCategories: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let keyspace = ACLCategories(rawValue: 1 << 0)
    public static let read = ACLCategories(rawValue: 1 << 1)
    public static let write = ACLCategories(rawValue: 1 << 2)
    public static let set = ACLCategories(rawValue: 1 << 3)
    public static let sortedset = ACLCategories(rawValue: 1 << 4)
    public static let list = ACLCategories(rawValue: 1 << 5)
    public static let hash = ACLCategories(rawValue: 1 << 6)
    public static let string = ACLCategories(rawValue: 1 << 7)
    public static let bitmap = ACLCategories(rawValue: 1 << 8)
    public static let hyperloglog = ACLCategories(rawValue: 1 << 9)
    public static let geo = ACLCategories(rawValue: 1 << 10)
    public static let stream = ACLCategories(rawValue: 1 << 11)
    public static let pubsub = ACLCategories(rawValue: 1 << 12)
    public static let admin = ACLCategories(rawValue: 1 << 13)
    public static let fast = ACLCategories(rawValue: 1 << 14)
    public static let slow = ACLCategories(rawValue: 1 << 15)
    public static let blocking = ACLCategories(rawValue: 1 << 16)
    public static let dangerous = ACLCategories(rawValue: 1 << 17)
    public static let connection = ACLCategories(rawValue: 1 << 18)
    public static let transaction = ACLCategories(rawValue: 1 << 19)
    public static let scripting = ACLCategories(rawValue: 1 << 20)

    /// Valkey's ACLCommandCategories table: its order is the order COMMAND INFO
    /// and ACL CAT list categories in.
    static let orderedNames: [(flag: ACLCategories, name: String)] = [
        (.keyspace, "keyspace"), (.read, "read"), (.write, "write"), (.set, "set"),
        (.sortedset, "sortedset"), (.list, "list"), (.hash, "hash"), (.string, "string"),
        (.bitmap, "bitmap"), (.hyperloglog, "hyperloglog"), (.geo, "geo"), (.stream, "stream"),
        (.pubsub, "pubsub"), (.admin, "admin"), (.fast, "fast"), (.slow, "slow"),
        (.blocking, "blocking"), (.dangerous, "dangerous"), (.connection, "connection"),
        (.transaction, "transaction"), (.scripting, "scripting"),
    ]

    /// Category names without the `@` (`"read"`, `"string"`…), in Valkey's order.
    public var names: [String] { flagNames(of: self, in: Self.orderedNames) }
}

/// How a command uses the keys one key spec finds (`CMD_KEY_*`).
public struct KeySpecFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Read only.
    public static let ro = KeySpecFlags(rawValue: 1 << 0)
    /// Read and modified.
    public static let rw = KeySpecFlags(rawValue: 1 << 1)
    /// Overwritten without being read.
    public static let ow = KeySpecFlags(rawValue: 1 << 2)
    /// Removed.
    public static let rm = KeySpecFlags(rawValue: 1 << 3)
    public static let access = KeySpecFlags(rawValue: 1 << 4)
    public static let update = KeySpecFlags(rawValue: 1 << 5)
    public static let insert = KeySpecFlags(rawValue: 1 << 6)
    public static let delete = KeySpecFlags(rawValue: 1 << 7)
    /// The argument is not a key (a channel, say) but hashes to a slot like one.
    public static let notKey = KeySpecFlags(rawValue: 1 << 8)
    /// The spec may miss keys; the command needs its own key extraction.
    public static let incomplete = KeySpecFlags(rawValue: 1 << 9)
    /// The flags depend on other arguments (SET with or without GET).
    public static let variableFlags = KeySpecFlags(rawValue: 1 << 10)

    static let orderedNames: [(flag: KeySpecFlags, name: String)] = [
        (.ro, "RO"), (.rw, "RW"), (.ow, "OW"), (.rm, "RM"), (.access, "access"),
        (.update, "update"), (.insert, "insert"), (.delete, "delete"), (.notKey, "not_key"),
        (.incomplete, "incomplete"), (.variableFlags, "variable_flags"),
    ]

    /// Names as COMMAND INFO and COMMAND GETKEYSANDFLAGS print them (`"RW"`, `"access"`…).
    public var names: [String] { flagNames(of: self, in: Self.orderedNames) }
}

/// Documentation flags of a command (`CMD_DOC_*`).
public struct DocFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let deprecated = DocFlags(rawValue: 1 << 0)
    /// A command servers send each other, not meant for users.
    public static let syscmd = DocFlags(rawValue: 1 << 1)

    static let orderedNames: [(flag: DocFlags, name: String)] = [(.deprecated, "deprecated"), (.syscmd, "syscmd")]

    public var names: [String] { flagNames(of: self, in: Self.orderedNames) }
}

/// Flags of one documented argument (`CMD_ARG_*`).
public struct ArgumentFlags: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let optional = ArgumentFlags(rawValue: 1 << 0)
    public static let multiple = ArgumentFlags(rawValue: 1 << 1)
    /// Each repetition repeats the token too (`ID 1 ID 2`, not `ID 1 2`).
    public static let multipleToken = ArgumentFlags(rawValue: 1 << 2)

    static let orderedNames: [(flag: ArgumentFlags, name: String)] = [
        (.optional, "optional"), (.multiple, "multiple"), (.multipleToken, "multiple_token"),
    ]

    public var names: [String] { flagNames(of: self, in: Self.orderedNames) }
}

/// The names of the members of `flags`, in the order of `table`.
private func flagNames<Flags: OptionSet>(of flags: Flags, in table: [(flag: Flags, name: String)]) -> [String]
    where Flags.Element == Flags {
    table.compactMap { flags.contains($0.flag) ? $0.name : nil }
}

// MARK: - key specs and arguments

/// Where a command's keys are among its arguments (Valkey's `keySpec`): a search for
/// the first key, then a rule for how many keys follow.
public struct KeySpec: Sendable {
    public enum BeginSearch: Sendable, Equatable {
        /// The first key is the argument at this index (0 is the command name).
        case index(Int)
        /// The first key follows `keyword`, searched for from argument `startFrom` on,
        /// or, when `startFrom` is negative, backwards from that far before the end.
        case keyword(String, startFrom: Int)
        case unknown
    }

    public enum FindKeys: Sendable, Equatable {
        /// Keys run from the first one to `lastKey` (relative to the first key; negative
        /// counts from the end of the arguments), every `keyStep`-th argument. With a
        /// non-zero `limit` and `lastKey` -1, only 1/`limit` of the remaining arguments.
        case range(lastKey: Int, keyStep: Int, limit: Int)
        /// The argument `keyNumIndex` after the search result holds the key count; keys
        /// start `firstKey` arguments after the search result, every `keyStep`-th.
        case keynum(keyNumIndex: Int, firstKey: Int, keyStep: Int)
        case unknown
    }

    public let flags: KeySpecFlags
    public let beginSearch: BeginSearch
    public let findKeys: FindKeys
    public let notes: String?

    public init(flags: KeySpecFlags, beginSearch: BeginSearch, findKeys: FindKeys, notes: String? = nil) {
        self.flags = flags
        self.beginSearch = beginSearch
        self.findKeys = findKeys
        self.notes = notes
    }
}

/// One argument in a command's documented syntax (COMMAND DOCS); `oneof` and
/// `block` arguments group nested ones.
public struct CommandArgument: Sendable {
    public enum ArgumentType: String, Sendable {
        case string, integer, double, key, pattern
        case unixTime = "unix-time"
        case pureToken = "pure-token"
        case oneof, block
    }

    public let name: String
    public let type: ArgumentType
    /// The key spec that finds this argument, for `key` arguments.
    public let keySpecIndex: Int?
    public let token: String?
    public let summary: String?
    public let since: String?
    public let flags: ArgumentFlags
    public let deprecatedSince: String?
    /// How the argument shows in syntax help; the name when nil.
    public let displayText: String?
    public let arguments: [CommandArgument]

    public init(
        name: String, type: ArgumentType, keySpecIndex: Int? = nil, token: String? = nil,
        summary: String? = nil, since: String? = nil, flags: ArgumentFlags = [],
        deprecatedSince: String? = nil, displayText: String? = nil, arguments: [CommandArgument] = []
    ) {
        self.name = name
        self.type = type
        self.keySpecIndex = keySpecIndex
        self.token = token
        self.summary = summary
        self.since = since
        self.flags = flags
        self.deprecatedSince = deprecatedSince
        self.displayText = displayText
        self.arguments = arguments
    }

    var groupsArguments: Bool { type == .oneof || type == .block }
}

// MARK: - command metadata

/// Everything Valkey's command table knows about one command or subcommand.
public struct CommandMetadata: Sendable {
    /// Lower case; a subcommand's is the full `container|sub` name.
    public let name: String
    /// Exact argument count (command name included) when positive, minimum when negative.
    public let arity: Int
    /// Declared flags, plus `movableKeys` when derived.
    public let flags: CommandFlags
    /// The legacy key range COMMAND INFO reports; 0 0 0 when the command has none.
    public let firstKey: Int
    public let lastKey: Int
    public let keyStep: Int
    /// Declared categories plus the ones Valkey implies from the flags.
    public let categories: ACLCategories
    public let keySpecs: [KeySpec]
    /// Command tips, lower case (`"nondeterministic_output"`, `"request_policy:all_shards"`).
    public let tips: [String]
    public let subcommands: [CommandMetadata]

    // Documentation (COMMAND DOCS).
    public let summary: String
    public let since: String
    public let group: String
    public let complexity: String?
    public let docFlags: DocFlags
    public let deprecatedSince: String?
    public let replacedBy: String?
    public let history: [(since: String, changes: String)]
    public let arguments: [CommandArgument]

    /// Takes the data as declared in the JSON specification and derives the rest
    /// the way Valkey's populateCommandStructure does: implicit ACL categories, the
    /// legacy key range and the `movablekeys` flag.
    public init(
        name: String, arity: Int, flags: CommandFlags = [], categories: ACLCategories = [],
        tips: [String] = [], keySpecs: [KeySpec] = [],
        summary: String, since: String, group: String, complexity: String? = nil,
        docFlags: DocFlags = [], deprecatedSince: String? = nil, replacedBy: String? = nil,
        history: [(since: String, changes: String)] = [], arguments: [CommandArgument] = [],
        subcommands: [CommandMetadata] = []
    ) {
        let range = legacyKeyRange(of: keySpecs)
        self.name = name
        self.arity = arity
        self.flags = range.coversAllKeys ? flags : flags.union(.movableKeys)
        self.firstKey = range.first
        self.lastKey = range.last
        self.keyStep = range.step
        self.categories = addingImplicitCategories(to: categories, flags: flags)
        self.tips = tips
        self.keySpecs = keySpecs
        self.subcommands = subcommands
        self.summary = summary
        self.since = since
        self.group = group
        self.complexity = complexity
        self.docFlags = docFlags
        self.deprecatedSince = deprecatedSince
        self.replacedBy = replacedBy
        self.history = history
        self.arguments = arguments
    }

    /// ACL categories as COMMAND INFO prints them: `"@read"`, `"@string"`…
    public var aclCategories: [String] { categories.names.map { "@" + $0 } }

    /// Whether a call with `argumentCount` arguments (command name, and for a
    /// subcommand the container name, included) satisfies the arity.
    public func acceptsArgumentCount(_ argumentCount: Int) -> Bool {
        arity >= 0 ? argumentCount == arity : argumentCount >= -arity
    }
}

/// Valkey's setImplicitACLCategories: the JSON declares only the categories the
/// flags do not already imply.
private func addingImplicitCategories(to declared: ACLCategories, flags: CommandFlags) -> ACLCategories {
    var categories = declared
    if flags.contains(.write) { categories.insert(.write) }
    // Scripting commands stay out of @read even when read-only.
    if flags.contains(.readonly) && !declared.contains(.scripting) { categories.insert(.read) }
    if flags.contains(.admin) { categories.formUnion([.admin, .dangerous]) }
    if flags.contains(.pubsub) { categories.insert(.pubsub) }
    if flags.contains(.fast) { categories.insert(.fast) }
    if flags.contains(.blocking) { categories.insert(.blocking) }
    // Every command is either @fast or @slow.
    if !categories.contains(.fast) { categories.insert(.slow) }
    return categories
}

/// Valkey's populateCommandLegacyRangeSpec: glues consecutive index+range key specs
/// of step 1 into the single (first, last, step) range older clients read from
/// COMMAND INFO. `last` is absolute, or negative to count from the end.
/// `coversAllKeys` is false when some spec could not be glued (the command then
/// gets the `movablekeys` flag).
private func legacyKeyRange(of keySpecs: [KeySpec]) -> (first: Int, last: Int, step: Int, coversAllKeys: Bool) {
    guard !keySpecs.isEmpty else { return (0, 0, 0, true) }

    if keySpecs.count == 1, case .index(let position) = keySpecs[0].beginSearch,
       case .range(let lastKey, let keyStep, _) = keySpecs[0].findKeys {
        // A single range spec is taken as is, whatever its step.
        let last = lastKey >= 0 ? position + lastKey : lastKey
        return (position, last, keyStep, !keySpecs[0].flags.contains(.incomplete))
    }

    var firstKey = Int.max
    var lastKey = 0
    var coversAllKeys = true
    for spec in keySpecs {
        // Only index+range specs of step 1 that continue right after the previous glued one.
        guard case .index(let position) = spec.beginSearch,
              case .range(let specLastKey, let keyStep, _) = spec.findKeys,
              keyStep == 1, lastKey == 0 || lastKey == position - 1
        else {
            coversAllKeys = false
            continue
        }
        if spec.flags.contains(.incomplete) { coversAllKeys = false }
        firstKey = min(firstKey, position)
        let absoluteLastKey = specLastKey >= 0 ? position + specLastKey : specLastKey
        // Valkey compares as unsigned, so a negative (from the end) last key wins.
        if UInt(bitPattern: absoluteLastKey) > UInt(bitPattern: lastKey) { lastKey = absoluteLastKey }
    }
    guard firstKey != Int.max else { return (0, 0, 0, false) }
    return (firstKey, lastKey, 1, coversAllKeys)
}

// MARK: - key extraction

extension CommandMetadata {
    /// Indexes of the key arguments of one invocation (`arguments[0]` is the command
    /// name), found with the key specs as Valkey's getKeysUsingKeySpecs does. Empty
    /// when the command has no keys or the arguments do not fit a spec (Valkey's
    /// "invalid arguments"; the command itself reports the syntax error).
    ///
    /// Valkey prefers a command's own key function when a spec is VARIABLE_FLAGS or
    /// INCOMPLETE. For SET (VARIABLE_FLAGS) that function finds the same position;
    /// a command with an INCOMPLETE spec gets no keys here and needs its own.
    public func keyPositions(in arguments: [[UInt8]]) -> [Int] {
        keys(in: arguments).map(\.position)
    }

    /// Key positions with the flags of the key spec that found each (COMMAND GETKEYSANDFLAGS).
    public func keys(in arguments: [[UInt8]]) -> [(position: Int, flags: KeySpecFlags)] {
        let count = arguments.count
        var positions: [(position: Int, flags: KeySpecFlags)] = []
        for spec in keySpecs where !spec.flags.contains(.notKey) {
            var first: Int
            switch spec.beginSearch {
            case .index(let position):
                first = position
            case .keyword(let keyword, let startFrom):
                // A missing keyword means this spec has no keys in this call.
                guard let keywordIndex = Self.index(of: keyword, in: arguments, startFrom: startFrom) else { continue }
                first = keywordIndex + 1
            case .unknown:
                return []
            }

            let last: Int
            let step: Int
            switch spec.findKeys {
            case .range(let lastKey, let keyStep, let limit):
                step = keyStep
                if lastKey >= 0 {
                    last = first + lastKey
                } else if limit == 0 {
                    last = count + lastKey
                } else {
                    last = first + (count - first) / limit + lastKey
                }
            case .keynum(let keyNumIndex, let firstKey, let keyStep):
                step = keyStep
                let countIndex = first + keyNumIndex
                guard countIndex < count, let keyCount = Self.nonNegativeInteger(arguments[countIndex]),
                      keyCount <= count  // more keys than arguments is invalid anyway; also avoids overflow
                else { return [] }
                first += firstKey
                last = first + keyCount - 1
            case .unknown:
                return []
            }

            guard first < count, last < count, last >= first, step > 0 else { return [] }
            positions.append(contentsOf: stride(from: first, through: last, by: step).map { ($0, spec.flags) })
            if spec.flags.contains(.incomplete) { return [] }
        }
        return positions
    }

    /// Valkey's keyword search: forwards from `startFrom` up to the second-to-last
    /// argument, or (negative `startFrom`) backwards from `count + startFrom` down
    /// to argument 2, comparing case-insensitively.
    private static func index(of keyword: String, in arguments: [[UInt8]], startFrom: Int) -> Int? {
        let keywordBytes = Array(keyword.utf8)
        let start = startFrom > 0 ? startFrom : arguments.count + startFrom
        let end = startFrom > 0 ? arguments.count - 1 : 1
        let direction = start <= end ? 1 : -1
        var index = start
        while index != end, index >= 1, index < arguments.count {
            if equalsIgnoringASCIICase(arguments[index], keywordBytes) { return index }
            index += direction
        }
        return nil
    }

    /// A canonical non-negative decimal ("0", "12"; not "+1", "01" or "-0"), as
    /// Valkey's string2ll accepts for a key count.
    private static func nonNegativeInteger(_ bytes: [UInt8]) -> Int? {
        guard let firstDigit = bytes.first, firstDigit != UInt8(ascii: "0") || bytes.count == 1 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAdd) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflowShift, !overflowAdd else { return nil }
            value = sum
        }
        return value
    }
}

private func equalsIgnoringASCIICase(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    return zip(lhs, rhs).allSatisfy { asciiLowercase($0) == asciiLowercase($1) }
}

private func asciiLowercase(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
}

// MARK: - COMMAND INFO and COMMAND DOCS replies

extension CommandMetadata {
    /// One COMMAND INFO entry, as Valkey's addReplyCommandInfo: name, arity, flags,
    /// first key, last key, step, ACL categories, tips, key specs, subcommands.
    public func writeInfo(into writer: inout ReplyWriter) {
        writer.writeArrayHeader(10)
        writer.writeBulkString(name)
        writer.writeInteger(arity)
        writeStatusSet(flags.names, into: &writer)
        writer.writeInteger(firstKey)
        writer.writeInteger(lastKey)
        writer.writeInteger(keyStep)
        writeStatusSet(aclCategories, into: &writer)
        writer.writeSetHeader(tips.count)
        for tip in tips { writer.writeBulkString(tip) }
        writer.writeSetHeader(keySpecs.count)
        for spec in keySpecs { spec.write(into: &writer) }
        if subcommands.isEmpty {
            writer.writeSetHeader(0)  // Valkey's reply for "no subcommands" is an empty set
        } else {
            writer.writeArrayHeader(subcommands.count)
            for subcommand in subcommands { subcommand.writeInfo(into: &writer) }
        }
    }

    /// The documentation map COMMAND DOCS gives for this command (the caller writes
    /// the name before it), as Valkey's addReplyCommandDocs.
    public func writeDocs(into writer: inout ReplyWriter) {
        var fieldCount = 3  // summary, since, group
        if complexity != nil { fieldCount += 1 }
        if !docFlags.isEmpty { fieldCount += 1 }
        if deprecatedSince != nil { fieldCount += 1 }
        if replacedBy != nil { fieldCount += 1 }
        if !history.isEmpty { fieldCount += 1 }
        if !arguments.isEmpty { fieldCount += 1 }
        if !subcommands.isEmpty { fieldCount += 1 }
        writer.writeMapHeader(fieldCount)

        writer.writeBulkString("summary")
        writer.writeBulkString(summary)
        writer.writeBulkString("since")
        writer.writeBulkString(since)
        writer.writeBulkString("group")
        writer.writeBulkString(group)
        writeOptionalField("complexity", complexity, into: &writer)
        if !docFlags.isEmpty {
            writer.writeBulkString("doc_flags")
            writeStatusSet(docFlags.names, into: &writer)
        }
        writeOptionalField("deprecated_since", deprecatedSince, into: &writer)
        writeOptionalField("replaced_by", replacedBy, into: &writer)
        if !history.isEmpty {
            writer.writeBulkString("history")
            writer.writeSetHeader(history.count)
            for entry in history {
                writer.writeArrayHeader(2)
                writer.writeBulkString(entry.since)
                writer.writeBulkString(entry.changes)
            }
        }
        if !arguments.isEmpty {
            writer.writeBulkString("arguments")
            writeArgumentList(arguments, into: &writer)
        }
        if !subcommands.isEmpty {
            writer.writeBulkString("subcommands")
            writer.writeMapHeader(subcommands.count)
            for subcommand in subcommands {
                writer.writeBulkString(subcommand.name)
                subcommand.writeDocs(into: &writer)
            }
        }
    }
}

/// Flag names go out as status replies in a set, as Valkey's addReplyCommandFlags.
private func writeStatusSet(_ names: [String], into writer: inout ReplyWriter) {
    writer.writeSetHeader(names.count)
    for name in names { writer.writeSimpleString(name) }
}

extension KeySpec {
    /// One key spec map of COMMAND INFO (addReplyCommandKeySpecs).
    func write(into writer: inout ReplyWriter) {
        writer.writeMapHeader(notes == nil ? 3 : 4)
        if let notes {
            writer.writeBulkString("notes")
            writer.writeBulkString(notes)
        }
        writer.writeBulkString("flags")
        writeStatusSet(flags.names, into: &writer)

        writer.writeBulkString("begin_search")
        writer.writeMapHeader(2)
        writer.writeBulkString("type")
        switch beginSearch {
        case .index(let position):
            writer.writeBulkString("index")
            writer.writeBulkString("spec")
            writer.writeMapHeader(1)
            writeIntegerField("index", position, into: &writer)
        case .keyword(let keyword, let startFrom):
            writer.writeBulkString("keyword")
            writer.writeBulkString("spec")
            writer.writeMapHeader(2)
            writer.writeBulkString("keyword")
            writer.writeBulkString(keyword)
            writeIntegerField("startfrom", startFrom, into: &writer)
        case .unknown:
            writer.writeBulkString("unknown")
            writer.writeBulkString("spec")
            writer.writeMapHeader(0)
        }

        writer.writeBulkString("find_keys")
        writer.writeMapHeader(2)
        writer.writeBulkString("type")
        switch findKeys {
        case .range(let lastKey, let keyStep, let limit):
            writer.writeBulkString("range")
            writer.writeBulkString("spec")
            writer.writeMapHeader(3)
            writeIntegerField("lastkey", lastKey, into: &writer)
            writeIntegerField("keystep", keyStep, into: &writer)
            writeIntegerField("limit", limit, into: &writer)
        case .keynum(let keyNumIndex, let firstKey, let keyStep):
            writer.writeBulkString("keynum")
            writer.writeBulkString("spec")
            writer.writeMapHeader(3)
            writeIntegerField("keynumidx", keyNumIndex, into: &writer)
            writeIntegerField("firstkey", firstKey, into: &writer)
            writeIntegerField("keystep", keyStep, into: &writer)
        case .unknown:
            writer.writeBulkString("unknown")
            writer.writeBulkString("spec")
            writer.writeMapHeader(0)
        }
    }
}

/// A key and its string value, or nothing when there is no value.
private func writeOptionalField(_ key: String, _ value: String?, into writer: inout ReplyWriter) {
    guard let value else { return }
    writer.writeBulkString(key)
    writer.writeBulkString(value)
}

private func writeIntegerField(_ key: String, _ value: Int, into writer: inout ReplyWriter) {
    writer.writeBulkString(key)
    writer.writeInteger(value)
}

/// The argument list of COMMAND DOCS (addReplyCommandArgList): one map per argument.
private func writeArgumentList(_ arguments: [CommandArgument], into writer: inout ReplyWriter) {
    writer.writeArrayHeader(arguments.count)
    for argument in arguments {
        // name, type, and display_text or (for oneof/block) the nested arguments
        var fieldCount = 3
        if argument.keySpecIndex != nil { fieldCount += 1 }
        if argument.token != nil { fieldCount += 1 }
        if argument.summary != nil { fieldCount += 1 }
        if argument.since != nil { fieldCount += 1 }
        if argument.deprecatedSince != nil { fieldCount += 1 }
        if !argument.flags.isEmpty { fieldCount += 1 }
        writer.writeMapHeader(fieldCount)

        writer.writeBulkString("name")
        writer.writeBulkString(argument.name)
        writer.writeBulkString("type")
        writer.writeBulkString(argument.type.rawValue)
        if !argument.groupsArguments {
            writer.writeBulkString("display_text")
            writer.writeBulkString(argument.displayText ?? argument.name)
        }
        if let keySpecIndex = argument.keySpecIndex {
            writeIntegerField("key_spec_index", keySpecIndex, into: &writer)
        }
        writeOptionalField("token", argument.token, into: &writer)
        writeOptionalField("summary", argument.summary, into: &writer)
        writeOptionalField("since", argument.since, into: &writer)
        writeOptionalField("deprecated_since", argument.deprecatedSince, into: &writer)
        if !argument.flags.isEmpty {
            writer.writeBulkString("flags")
            writeStatusSet(argument.flags.names, into: &writer)
        }
        if argument.groupsArguments {
            writer.writeBulkString("arguments")
            writeArgumentList(argument.arguments, into: &writer)
        }
    }
}

// MARK: - catalog

/// All commands the server knows, with their metadata.
public enum CommandCatalog {
    /// Top-level commands sorted by name; subcommands hang off their container.
    public static let all: [CommandMetadata] = generatedCommands

    /// Commands and subcommands by lower-case full name (`"get"`, `"client|list"`).
    private static let byName: [String: CommandMetadata] = {
        var table: [String: CommandMetadata] = [:]
        for command in all {
            table[command.name] = command
            for subcommand in command.subcommands { table[subcommand.name] = subcommand }
        }
        return table
    }()

    /// The command or subcommand (`"client|list"`) of this name, ignoring case.
    public static func find(_ name: String) -> CommandMetadata? {
        byName[name.lowercased()]
    }
}
