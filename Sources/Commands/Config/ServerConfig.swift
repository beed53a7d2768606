import Foundation
import Keyspace

/// A refused configuration change or start-up directive. `message` is the whole error text;
/// for CONFIG SET it is what follows the "-" of the RESP error, e.g. "ERR Unknown option ...".
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public var description: String { message }
}

/// The server's configuration parameters (see `ConfigParameter.all`) and their current values,
/// with CONFIG GET / CONFIG SET semantics and start-up loading. Not thread-safe: callers serialize access.
public final class ServerConfig {
    /// Called after a successful `set` with the canonical name and new value of each parameter set.
    public var onChange: ((String, String) -> Void)?

    /// Current values by canonical parameter name, as CONFIG GET prints them.
    private var values: [String: String] {
        didSet { encodingLimits = EncodingLimits(values) }
    }

    /// The collection encoding thresholds, parsed once per change: write
    /// commands consult them on every call, and a lookup by name lowercases
    /// the name and parses the value each time.
    public private(set) var encodingLimits: EncodingLimits

    public init() {
        values = Dictionary(uniqueKeysWithValues: ConfigParameter.all.map { ($0.name, $0.defaultValue) })
        // Valkey reports the working directory; Valkite's default is ./data under it
        // (created at start-up), reported as an absolute path.
        values["dir"] = FileManager.default.currentDirectoryPath + "/data"
        encodingLimits = EncodingLimits(values)
    }

    // MARK: Typed accessors

    public var port: Int { integer("port") }
    /// Addresses to listen on; empty means none.
    public var bind: [String] { values["bind"]!.split(separator: " ").map(String.init) }
    /// The default user's password; empty means no password.
    public var requirepass: String { values["requirepass"]! }
    public var databases: Int { integer("databases") }
    public var maxclients: Int { integer("maxclients") }
    /// Seconds a client may stay idle; 0 means forever.
    public var timeout: Int { integer("timeout") }
    public var loglevel: String { values["loglevel"]! }
    public var logfile: String { values["logfile"]! }
    /// Absolute path of the working directory for persistence files.
    public var dir: String { values["dir"]! }
    public var dbfilename: String { values["dbfilename"]! }
    public var protectedMode: Bool { values["protected-mode"] == "yes" }
    public var protoMaxBulkLen: Int64 { Int64(values["proto-max-bulk-len"]!)! }
    public var clientQueryBufferLimit: Int64 { Int64(values["client-query-buffer-limit"]!)! }
    public var appendfsync: String { values["appendfsync"]! }
    /// Event class characters in Valkey's canonical order, e.g. "AKE" ("AnKE" with `n`, which
    /// CONFIG GET prints as "AKE" as Valkey does); empty means notifications are off.
    public var notifyKeyspaceEvents: String { values["notify-keyspace-events"]! }
    /// Already capped to 1...500.
    public var hz: Int { integer("hz") }
    public var ioThreads: Int { integer("io-threads") }
    /// `SQL` and `HISTORY`: milliseconds before a statement is interrupted (0 = no limit).
    public var sqlTimeout: Int { integer("sql-timeout") }
    /// `SQL`: most rows a result may have (0 = no limit).
    public var sqlMaxRows: Int { integer("sql-max-rows") }

    /// The current value of the parameter with this name or alias (any case), as CONFIG GET prints it.
    public func value(_ name: String) -> String? {
        Self.registry[name.lowercased()].map { values[$0.parameter.name]! }
    }

    private func integer(_ name: String) -> Int { Int(values[name]!)! }

    // MARK: CONFIG GET

    /// CONFIG GET: the parameters matching any of the glob patterns (case-insensitive), each once.
    /// Patterns also match aliases, which are reported under the alias name; hidden parameters
    /// only answer to their exact name, which is echoed as the client spelled it. Sorted by
    /// name, as Valkey 9 does (Valkey 8 returns hash table order).
    public func get(patterns: [String]) -> [(name: String, value: String)] {
        // Keyed by the lowercased reply name so that a name asked for twice is reported once.
        var matches: [String: (name: String, parameter: ConfigParameter)] = [:]
        for pattern in patterns {
            let key = pattern.lowercased()
            if pattern.contains(where: { "[*?".contains($0) }) {
                for (name, registered) in Self.registry
                where matches[name] == nil && !registered.parameter.flags.contains(.hidden) && globMatches(pattern, name) {
                    matches[name] = (name, registered.parameter)
                }
            } else if matches[key] == nil, let registered = Self.registry[key] {
                matches[key] = (pattern, registered.parameter)
            }
        }
        return matches.values
            .sorted { $0.name < $1.name }
            .map { match in
                let value = values[match.parameter.name]!
                return (name: match.name,
                        value: match.parameter.name == "notify-keyspace-events" ? displayedKeyspaceEvents(value) : value)
            }
    }

    // MARK: CONFIG SET

    /// CONFIG SET: sets every pair or none, with Valkey's error texts. `fromLocalClient` tells
    /// whether the client is connected locally, which `enable-protected-configs local` requires.
    public func set(_ pairs: [(String, String)], fromLocalClient: Bool = false) throws(ConfigError) {
        // Check all names first; like configSetCommand, the first problem found is reported.
        var targets: [(registered: Registration, value: String)] = []
        var seen: Set<String> = []
        for (name, value) in pairs {
            guard let registered = Self.registry[name.lowercased()] else {
                throw ConfigError(message: "ERR Unknown option or number of arguments for CONFIG SET - '\(name)'")
            }
            let flags = registered.parameter.flags
            if flags.contains(.immutable) { throw Self.setFailure(name, "can't set immutable config") }
            if flags.contains(.protected), !protectedConfigsAllowed(fromLocalClient: fromLocalClient) {
                throw Self.setFailure(name, "can't set protected config")
            }
            // An alias and its parameter are distinct entries in Valkey, so only a repeated name is a duplicate.
            guard seen.insert(registered.name).inserted else { throw Self.setFailure(name, "duplicate parameter") }
            targets.append((registered, value))
        }

        var updated = values
        for (registered, value) in targets {
            let parameter = registered.parameter
            // CONFIG SET takes multi-argument values as one string split on single spaces (sdssplitlen).
            let args = parameter.flags.contains(.multiArg)
                ? (value.isEmpty ? [] : value.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
                : [value]
            do throws(InvalidConfigValue) {
                updated[parameter.name] = try parameter.canonicalValue(from: args, current: updated[parameter.name]!)
            } catch {
                throw Self.setFailure(registered.name, error.reason)
            }
        }
        values = updated
        for (registered, _) in targets {
            onChange?(registered.parameter.name, values[registered.parameter.name]!)
        }
    }

    private func protectedConfigsAllowed(fromLocalClient: Bool) -> Bool {
        switch values["enable-protected-configs"] {
        case "yes": return true
        case "local": return fromLocalClient
        default: return false
        }
    }

    private static func setFailure(_ name: String, _ reason: String) -> ConfigError {
        ConfigError(message: "ERR CONFIG SET failed (possibly related to argument '\(name)') - \(reason)")
    }

    // MARK: Start-up

    /// Applies config file lines and command-line options, all or nothing. Immutable and
    /// protected parameters are accepted unless `enforceImmutable` is set. A multi-argument
    /// parameter given one argument has it split like a config line (`--save "60 1000"`).
    /// Only configuration parameters are handled here; other directives (`user`,
    /// `rename-command`, `loadmodule`, ...) are "Bad directive" errors. Errors read like
    /// Valkey's start-up errors: ">>> 'port abc'" and the reason on the next line.
    public func load(directives: [(name: String, args: [String])], enforceImmutable: Bool = false) throws(ConfigError) {
        var updated = values
        var sawSaveDirective = false
        for directive in directives {
            do throws(InvalidConfigValue) {
                let name = directive.name.lowercased()
                guard let parameter = Self.registry[name]?.parameter else {
                    if ConfigParameter.deprecatedNames.contains(name), directive.args.count == 1 { continue }
                    throw InvalidConfigValue(reason: "Bad directive or wrong number of arguments")
                }
                if enforceImmutable, parameter.flags.contains(.immutable) {
                    throw InvalidConfigValue(reason: "can't set immutable config")
                }
                var args = directive.args
                if parameter.flags.contains(.multiArg) {
                    // Unbalanced quotes leave no arguments, as in loadServerConfigFromString.
                    if args.count == 1, !args[0].isEmpty { args = splitArguments(Array(args[0].utf8)) ?? [] }
                } else if args.count != 1 {
                    throw InvalidConfigValue(reason: "wrong number of arguments")
                }
                var value = try parameter.canonicalValue(from: args, current: updated[parameter.name]!)
                if parameter.name == "save" {
                    // The first save line replaces the defaults, later ones add to it; `save ""` clears.
                    let previous = updated["save"]!
                    if sawSaveDirective, !value.isEmpty, !previous.isEmpty { value = previous + " " + value }
                    sawSaveDirective = true
                }
                updated[parameter.name] = value
            } catch {
                throw ConfigError(message: ">>> '\(Self.describe(directive))'\n\(error.reason)")
            }
        }
        values = updated
    }

    /// Splits valkey.conf text into directives: blank lines and lines starting with "#" are
    /// skipped, arguments follow sdssplitargs (double quotes with \n \r \t \b \a \\ \" \xHH
    /// escapes, single quotes with \'), names are lowercased. `include` is not supported.
    public static func parseConfigFile(_ text: String) throws(ConfigError) -> [(name: String, args: [String])] {
        var directives: [(name: String, args: [String])] = []
        let lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            let line = trimmed(rawLine)
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            func failure(_ reason: String) -> ConfigError {
                ConfigError(message: "Reading the configuration file, at line \(index + 1)\n"
                    + ">>> '\(String(decoding: line, as: UTF8.self))'\n\(reason)")
            }
            guard let words = splitArguments(Array(line)) else { throw failure("Unbalanced quotes in configuration line") }
            guard let name = words.first?.lowercased() else { continue }
            if name == "include" { throw failure("include is not supported") }
            directives.append((name, Array(words.dropFirst())))
        }
        return directives
    }

    /// A directive as a config line, for error messages.
    private static func describe(_ directive: (name: String, args: [String])) -> String {
        let args = directive.args.map { arg in
            arg.isEmpty || arg.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" })
                ? "\"" + arg.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
                : arg
        }
        return ([directive.name] + args).joined(separator: " ")
    }

    // MARK: Name registry

    /// A name CONFIG commands accept: a parameter's name or its alias.
    private struct Registration {
        let name: String
        let parameter: ConfigParameter
    }

    /// Every name and alias, keyed by its (lowercase) spelling.
    private static let registry: [String: Registration] = {
        var registry: [String: Registration] = [:]
        for parameter in ConfigParameter.all {
            for name in [parameter.name] + (parameter.alias.map { [$0] } ?? []) {
                precondition(registry[name] == nil, "duplicate configuration name \(name)")
                registry[name] = Registration(name: name, parameter: parameter)
            }
        }
        return registry
    }()
}

// MARK: - Text helpers

/// C isspace.
private func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
}

/// sdstrim(line, " \t\r\n").
private func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    let trimmable: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A]
    guard let first = line.firstIndex(where: { !trimmable.contains($0) }),
          let last = line.lastIndex(where: { !trimmable.contains($0) })
    else { return [] }
    return line[first...last]
}

/// sdssplitargs: words separated by spaces, double-quoted with C escapes or single-quoted.
/// A closing quote must end the word. Returns nil for unbalanced quotes.
private func splitArguments(_ line: [UInt8]) -> [String]? {
    var words: [String] = []
    var index = 0
    func byte(at offset: Int) -> UInt8? { offset < line.count ? line[offset] : nil }
    func hexValue(_ byte: UInt8?) -> UInt8? {
        guard let byte, let value = Int(String(UnicodeScalar(byte)), radix: 16) else { return nil }
        return UInt8(value)
    }

    while true {
        while let current = byte(at: index), isSpace(current) { index += 1 }
        guard index < line.count else { return words }
        var word: [UInt8] = []
        var inDoubleQuotes = false
        var inSingleQuotes = false
        wordLoop: while true {
            let current = byte(at: index)
            if inDoubleQuotes {
                guard let current else { return nil }
                if current == UInt8(ascii: "\\"), byte(at: index + 1) == UInt8(ascii: "x"),
                   let high = hexValue(byte(at: index + 2)), let low = hexValue(byte(at: index + 3)) {
                    word.append(high << 4 | low)
                    index += 3
                } else if current == UInt8(ascii: "\\"), let escaped = byte(at: index + 1) {
                    switch escaped {
                    case UInt8(ascii: "n"): word.append(0x0A)
                    case UInt8(ascii: "r"): word.append(0x0D)
                    case UInt8(ascii: "t"): word.append(0x09)
                    case UInt8(ascii: "b"): word.append(0x08)
                    case UInt8(ascii: "a"): word.append(0x07)
                    default: word.append(escaped)
                    }
                    index += 1
                } else if current == UInt8(ascii: "\"") {
                    if let next = byte(at: index + 1), !isSpace(next) { return nil }
                    index += 1
                    break wordLoop
                } else {
                    word.append(current)
                }
            } else if inSingleQuotes {
                guard let current else { return nil }
                if current == UInt8(ascii: "\\"), byte(at: index + 1) == UInt8(ascii: "'") {
                    word.append(UInt8(ascii: "'"))
                    index += 1
                } else if current == UInt8(ascii: "'") {
                    if let next = byte(at: index + 1), !isSpace(next) { return nil }
                    index += 1
                    break wordLoop
                } else {
                    word.append(current)
                }
            } else {
                switch current {
                case nil, 0x20, 0x0A, 0x0D, 0x09, 0x00:
                    break wordLoop
                case UInt8(ascii: "\""):
                    inDoubleQuotes = true
                case UInt8(ascii: "'"):
                    inSingleQuotes = true
                case let other?:
                    word.append(other)
                }
            }
            index += 1
        }
        words.append(String(decoding: word, as: UTF8.self))
    }
}

/// Valkey's stringmatchlen with nocase: `*`, `?`, `[...]` (with `^` and ranges) and `\` escapes.
private func globMatches(_ pattern: String, _ name: String) -> Bool {
    func lower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    func matches(_ pattern: ArraySlice<UInt8>, _ string: ArraySlice<UInt8>) -> Bool {
        var pattern = pattern
        var string = string
        while let token = pattern.first {
            switch token {
            case UInt8(ascii: "*"):
                while pattern.first == UInt8(ascii: "*") { pattern.removeFirst() }
                if pattern.isEmpty { return true }
                return string.indices.contains { matches(pattern, string[$0...]) }
            case UInt8(ascii: "?"):
                guard !string.isEmpty else { return false }
                pattern.removeFirst()
                string.removeFirst()
            case UInt8(ascii: "["):
                guard let character = string.first.map(lower) else { return false }
                pattern.removeFirst()
                let negated = pattern.first == UInt8(ascii: "^")
                if negated { pattern.removeFirst() }
                var matched = false
                // An unterminated class runs to the end of the pattern.
                while let member = pattern.first, member != UInt8(ascii: "]") {
                    let rest = pattern.dropFirst()
                    if member == UInt8(ascii: "\\"), let escaped = rest.first {
                        if lower(escaped) == character { matched = true }
                        pattern = rest.dropFirst()
                    } else if rest.first == UInt8(ascii: "-"), rest.count >= 2 {
                        let bounds = [lower(member), lower(rest[rest.index(after: rest.startIndex)])]
                        if (bounds.min()!...bounds.max()!).contains(character) { matched = true }
                        pattern = rest.dropFirst(2)
                    } else {
                        if lower(member) == character { matched = true }
                        pattern = rest
                    }
                }
                pattern = pattern.dropFirst()
                guard matched != negated else { return false }
                string.removeFirst()
            default:
                var literal = token
                if token == UInt8(ascii: "\\"), pattern.count >= 2 {
                    pattern.removeFirst()
                    literal = pattern.first!
                }
                guard let character = string.first, lower(character) == lower(literal) else { return false }
                pattern.removeFirst()
                string.removeFirst()
            }
        }
        return string.isEmpty
    }

    return matches(Array(pattern.utf8)[...], Array(name.utf8)[...])
}

/// The `*-max-listpack-*` / `*-max-intset-*` parameters as numbers (OBJECT
/// ENCODING follows them as Valkey's conversions do).
public struct EncodingLimits {
    public var hashMaxListpackEntries = 512
    public var hashMaxListpackValue = 64
    public var setMaxIntsetEntries = 512
    public var setMaxListpackEntries = 128
    public var setMaxListpackValue = 64
    public var zsetMaxListpackEntries = 128
    public var zsetMaxListpackValue = 64
    /// `list-max-listpack-size` (negative: a size class, -2 is 8 KB per node).
    public var listMaxListpackSize = -2

    init() {}

    init(_ values: [String: String]) {
        func read(_ name: String, into field: inout Int) {
            if let text = values[name], let number = Int(text) { field = number }
        }
        read("hash-max-listpack-entries", into: &hashMaxListpackEntries)
        read("hash-max-listpack-value", into: &hashMaxListpackValue)
        read("set-max-intset-entries", into: &setMaxIntsetEntries)
        read("set-max-listpack-entries", into: &setMaxListpackEntries)
        read("set-max-listpack-value", into: &setMaxListpackValue)
        read("zset-max-listpack-entries", into: &zsetMaxListpackEntries)
        read("zset-max-listpack-value", into: &zsetMaxListpackValue)
        read("list-max-listpack-size", into: &listMaxListpackSize)
    }

    public var hash: HashValue.Limits {
        HashValue.Limits(maxEntries: hashMaxListpackEntries, maxValue: hashMaxListpackValue)
    }

    public var set: SetValue.Limits {
        SetValue.Limits(intsetEntries: setMaxIntsetEntries, listpackEntries: setMaxListpackEntries,
                        listpackValue: setMaxListpackValue)
    }
}
