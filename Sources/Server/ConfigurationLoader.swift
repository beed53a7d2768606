import Commands
#if canImport(Glibc)
import Glibc
#endif

/// Builds the start-up configuration from its four sources, later ones winning:
/// built-in defaults < config file < environment (and `./.env`) < command-line flags.
public enum ConfigurationLoader {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Environment names the MockExchange stack uses that are not `VALKEY_<PARAMETER>`.
    static let environmentAliases = [
        "VALKEY_PASSWORD": "requirepass",
        "VALKEY_HOST": "bind",
    ]

    /// - Parameters:
    ///   - configFile: path of a valkey.conf-style file, if given.
    ///   - environment: the process environment.
    ///   - dotEnv: contents of `./.env`, if present (process environment wins over it).
    ///   - flags: the `--name value …` arguments, as valkey-server takes them.
    public static func load(configFile: String?, environment: [String: String], dotEnv: String?, flags: [String]) throws -> ServerConfig {
        let config = ServerConfig()
        if let configFile {
            guard let text = readFile(configFile) else {
                throw Failure(description: "Fatal error, can't open config file '\(configFile)': No such file or directory")
            }
            try apply(try ServerConfig.parseConfigFile(text), to: config, source: "config file '\(configFile)'")
        }
        var variables = dotEnv.map(parseDotEnv) ?? [:]
        variables.merge(environment) { _, process in process }
        try apply(environmentDirectives(variables, config: config), to: config, source: "environment")
        try apply(try flagDirectives(flags), to: config, source: "command line")
        return config
    }

    private static func apply(_ directives: [(name: String, args: [String])], to config: ServerConfig, source: String) throws {
        // Unlike valkey-server, a missing data directory is created rather than refused.
        for directive in directives where directive.name.lowercased() == "dir" && directive.args.count == 1 {
            createDirectories(directive.args[0])
        }
        do {
            try config.load(directives: directives)
        } catch {
            throw Failure(description: "Bad configuration in \(source): \(error.message)")
        }
    }

    /// `VALKEY_PORT=6380` → `port 6380`; any `VALKEY_<NAME>` naming a known
    /// parameter (underscores for dashes) is applied, others are ignored.
    static func environmentDirectives(_ variables: [String: String], config: ServerConfig) -> [(name: String, args: [String])] {
        var directives: [(name: String, args: [String])] = []
        for (variable, value) in variables.sorted(by: { $0.key < $1.key }) where variable.hasPrefix("VALKEY_") {
            let name = environmentAliases[variable]
                ?? variable.dropFirst("VALKEY_".count).lowercased().replacingOccurrences(of: "_", with: "-")
            guard config.value(name) != nil else { continue }
            let args = name == "bind" ? value.split(separator: " ").map(String.init) : [value]
            directives.append((name, args))
        }
        return directives
    }

    /// `--port 6380 --save "" --bind 127.0.0.1 ::1` → directives; a flag's values
    /// run until the next `--name`.
    static func flagDirectives(_ flags: [String]) throws -> [(name: String, args: [String])] {
        var directives: [(name: String, args: [String])] = []
        for argument in flags {
            if argument.hasPrefix("--") && argument.count > 2 {
                directives.append((String(argument.dropFirst(2)), []))
            } else if directives.isEmpty {
                throw Failure(description: "Unexpected argument '\(argument)': options are given as --name value")
            } else {
                directives[directives.count - 1].args.append(argument)
            }
        }
        return directives
    }

    /// KEY=VALUE lines; `#` comments, optional `export`, single or double quotes.
    static func parseDotEnv(_ text: String) -> [String: String] {
        var variables: [String: String] = [:]
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = rawLine.trimmingCharacters(in: " \t")
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: " \t") }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: " \t")
            var value = String(line[line.index(after: equals)...]).trimmingCharacters(in: " \t")
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            } else if let comment = value.range(of: " #") {
                value = String(value[..<comment.lowerBound]).trimmingCharacters(in: " \t")
            }
            variables[key] = value
        }
        return variables
    }

    /// `mkdir -p`; failures surface when the directory is validated.
    static func createDirectories(_ path: String) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            mkdir(prefix, 0o755)
        }
    }

    public static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice.removeFirst() }
        while let last = slice.last, characters.contains(last) { slice.removeLast() }
        return String(slice)
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
