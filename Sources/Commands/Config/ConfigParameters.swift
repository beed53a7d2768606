#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// The configuration parameters of Valkey 8.0: a transcription of the
// `standardConfig static_configs[]` table in valkey's src/config.c, with the
// value parsing rules of its bool/numeric/enum/string/special config types.

/// Flags of a parameter; the `*_CONFIG` flags of config.c (MODIFIABLE_CONFIG is the empty set).
struct ConfigFlags: OptionSet, Sendable {
    let rawValue: UInt8

    /// Settable only at start-up, from the config file or the command line.
    static let immutable = ConfigFlags(rawValue: 1 << 0)
    /// CONFIG SET refuses it unless `enable-protected-configs` allows it.
    static let protected = ConfigFlags(rawValue: 1 << 1)
    /// A secret: CONFIG SET arguments for it must be redacted from logs, SLOWLOG and MONITOR.
    static let sensitive = ConfigFlags(rawValue: 1 << 2)
    /// Left out of CONFIG GET pattern matches; only its exact name finds it.
    static let hidden = ConfigFlags(rawValue: 1 << 3)
    /// CONFIG SET refuses it while a dataset is being loaded.
    static let denyLoading = ConfigFlags(rawValue: 1 << 4)
    /// Takes several arguments; CONFIG SET splits its value on spaces.
    static let multiArg = ConfigFlags(rawValue: 1 << 5)
    /// Part of Valkey's configuration dump for debugging (DEBUG_CONFIG).
    static let debug = ConfigFlags(rawValue: 1 << 6)
    /// Re-applied on every set, even to an unchanged value (files whose contents may change).
    static let volatile = ConfigFlags(rawValue: 1 << 7)
}

/// How a numeric parameter is written and which values it takes.
struct NumericSpec: Sendable {
    enum Bounds: Sendable {
        case signed(ClosedRange<Int64>)
        /// config.c compares unsigned int, size_t and unsigned long long values as unsigned,
        /// so "-1" is out of range rather than unparsable.
        case unsigned(ClosedRange<UInt64>)
    }

    enum Format: Sendable {
        case integer
        /// Bytes, optionally with a unit: b, k, kb, m, mb, g, gb.
        case memory
        /// A memory value, or a percentage such as "10%" (stored by Valkey as a negative number).
        case memoryOrPercent
        case octal
    }

    let bounds: Bounds
    let format: Format
    /// Values inside `bounds` but outside this range are accepted and then clamped (only `hz`).
    let clampedTo: ClosedRange<Int64>?
}

/// An enum parameter's allowed names and the numbers they stand for. Several names may share
/// a number (`oom-score-adj` yes/relative); a multi-argument enum combines numbers as bit flags.
struct EnumSpec: Sendable {
    let choices: [(name: String, value: Int)]
    /// Rejects invalid combinations of bit flags, returning the error text.
    let validate: (@Sendable (Int) -> String?)?
}

/// Parameters whose values need their own parser (config.c's `createSpecialConfig`).
enum SpecialConfig: Sendable {
    case workingDirectory
    case savePoints
    case clientOutputBufferLimit
    case oomScoreAdjValues
    case keyspaceEvents
    case bindAddresses
    case replicaOf
    case latencyPercentiles
}

enum ConfigKind: Sendable {
    /// `validate` returns an error text for a refused value.
    case bool(validate: (@Sendable (Bool) -> String?)?)
    case numeric(NumericSpec)
    case enumeration(EnumSpec)
    case string(validate: (@Sendable (String) -> String?)?)
    case special(SpecialConfig)
}

struct ConfigParameter: Sendable {
    let name: String
    /// The other name the parameter answers to (an old name such as `slaveof`).
    let alias: String?
    let flags: ConfigFlags
    let kind: ConfigKind
    /// The value as CONFIG GET prints it. For `dir` it is "." (Valkey reports the working directory).
    let defaultValue: String
}

/// Why a value was refused; `reason` is the text config.c puts after " - ".
struct InvalidConfigValue: Error {
    let reason: String
}

// MARK: - Table

private let intMin = Int64(Int32.min)
private let intMax = Int64(Int32.max)
private let uintMax = UInt64(UInt32.max)
/// LONG_MAX, LLONG_MAX and SSIZE_MAX are all this on 64-bit Linux.
private let longMax = Int64.max
private let kb: Int64 = 1024
private let mb: Int64 = 1024 * 1024
private let gb: Int64 = 1024 * 1024 * 1024

extension ConfigParameter {
    /// Every parameter of Valkey 8.0, in config.c order.
    static let all: [ConfigParameter] = [
        // Bool configs
        bool("rdbchecksum", .immutable, true),
        bool("daemonize", .immutable, false),
        bool("io-threads-do-reads", [.debug, .immutable], true),
        bool("always-show-logo", .immutable, false),
        bool("protected-mode", [], true),
        bool("rdbcompression", [], true),
        bool("rdb-del-sync-files", [], false),
        bool("activerehashing", [], true),
        bool("stop-writes-on-bgsave-error", [], true),
        bool("set-proc-title", .immutable, true),
        bool("dynamic-hz", [], true),
        bool("lazyfree-lazy-eviction", .debug, true),
        bool("lazyfree-lazy-expire", .debug, true),
        bool("lazyfree-lazy-server-del", .debug, true),
        bool("lazyfree-lazy-user-del", .debug, true),
        bool("lazyfree-lazy-user-flush", .debug, true),
        bool("repl-disable-tcp-nodelay", [], false),
        bool("repl-diskless-sync", .debug, true),
        bool("dual-channel-replication-enabled", .debug, false),
        bool("aof-rewrite-incremental-fsync", [], true),
        bool("no-appendfsync-on-rewrite", [], false),
        bool("cluster-require-full-coverage", [], true),
        bool("rdb-save-incremental-fsync", [], true),
        bool("aof-load-truncated", [], true),
        bool("aof-use-rdb-preamble", [], true),
        bool("aof-timestamp-enabled", [], false),
        bool("cluster-replica-no-failover", alias: "cluster-slave-no-failover", [], false),
        bool("replica-lazy-flush", alias: "slave-lazy-flush", [], true),
        bool("replica-serve-stale-data", alias: "slave-serve-stale-data", [], true),
        bool("replica-read-only", alias: "slave-read-only", .debug, true),
        bool("replica-ignore-maxmemory", alias: "slave-ignore-maxmemory", [], true),
        bool("jemalloc-bg-thread", [], true),
        // Valkite has no defragmenting allocator, so it answers like a Valkey built without jemalloc.
        bool("activedefrag", .debug, false, validate: { enabled in
            enabled
                ? "Active defragmentation cannot be enabled: it requires a server compiled with a modified Jemalloc like the one shipped by default with the source distribution"
                : nil
        }),
        bool("syslog-enabled", .immutable, false),
        bool("cluster-enabled", .immutable, false),
        bool("appendonly", .denyLoading, false),
        bool("cluster-allow-reads-when-down", [], false),
        bool("cluster-allow-pubsubshard-when-down", [], true),
        bool("crash-log-enabled", [], true),
        bool("crash-memcheck-enabled", [], true),
        bool("use-exit-on-panic", .hidden, false),
        bool("disable-thp", .immutable, true),
        bool("cluster-allow-replica-migration", [], true),
        bool("replica-announced", [], true),
        bool("latency-tracking", [], true),
        bool("aof-disable-auto-gc", .hidden, false),
        bool("replica-ignore-disk-write-errors", [], false),
        bool("extended-redis-compatibility", [], false),
        bool("enable-debug-assert", [.immutable, .hidden], false),
        bool("cluster-slot-stats-enabled", [], false),
        bool("hide-user-data-from-log", [], true),

        // String configs
        string("aclfile", .immutable),
        string("unixsocket", .immutable),
        string("unixsocketgroup", .immutable),
        string("pidfile", .immutable),
        string("replica-announce-ip", alias: "slave-announce-ip", []),
        string("primaryuser", alias: "masteruser", .sensitive),
        string("cluster-announce-ip", []),
        string("cluster-announce-client-ipv4", [], validate: { isValidAddress($0, family: AF_INET) ? nil : "Invalid IPv4 address" }),
        string("cluster-announce-client-ipv6", [], validate: { isValidAddress($0, family: AF_INET6) ? nil : "Invalid IPv6 address" }),
        string("cluster-config-file", .immutable, "nodes.conf", validate: { $0.isEmpty ? "cluster-config-file can't be empty" : nil }),
        string("cluster-announce-hostname", [], validate: validateAnnouncedHostname),
        string("cluster-announce-human-nodename", [], validate: validateAnnouncedNodename),
        string("syslog-ident", .immutable, "valkey"),
        // Valkite's database file, not an RDB dump: a distinct default name.
        string("dbfilename", .protected, "valkite.db", validate: { validateBaseName($0, what: "dbfilename", kind: "filename") }),
        string("appendfilename", .immutable, "appendonly.aof", validate: { validateBaseName($0, what: "appendfilename", kind: "filename") }),
        string("appenddirname", .immutable, "appendonlydir", validate: { validateBaseName($0, what: "appenddirname", kind: "dirname") }),
        string("server-cpulist", alias: "server_cpulist", .immutable),
        string("bio-cpulist", alias: "bio_cpulist", .immutable),
        string("aof-rewrite-cpulist", alias: "aof_rewrite_cpulist", .immutable),
        string("bgsave-cpulist", alias: "bgsave_cpulist", .immutable),
        string("ignore-warnings", []),
        string("proc-title-template", [], "{title} {listen-addr} {server-mode}", validate: validateProcTitleTemplate),
        string("bind-source-addr", []),
        string("logfile", .immutable),
        string("locale-collate", [], validate: validateLocale),
        // config.c's SDS configs behave as string configs here.
        string("primaryauth", alias: "masterauth", .sensitive),
        string("requirepass", .sensitive),
        string("availability-zone", []),

        // Enum configs
        choice("supervised", .immutable, ["upstart", "systemd", "auto", "no"], "no"),
        choice("syslog-facility", .immutable, ["user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"], "local0"),
        choice("repl-diskless-load", [.debug, .denyLoading], ["disabled", "on-empty-db", "swapdb"], "disabled"),
        choice("loglevel", [], ["debug", "verbose", "notice", "warning", "nothing"], "notice"),
        choice("maxmemory-policy", [], ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"], "noeviction"),
        choice("appendfsync", [], ["everysec", "always", "no"], "everysec"),
        // Valkite's own: the change history of matching keys (glob patterns separated by
        // spaces or commas) in the `history` table, and how long it is kept (0 = forever).
        string("history-keys", [], ""),
        string("history-retention", [], "0", validate: HistoryConfiguration.validateRetention),
        // Valkite's own: SQL and HISTORY statements are interrupted after `sql-timeout` ms, and a
        // SQL result may have at most `sql-max-rows` rows (0 = no limit for either).
        int("sql-timeout", [], 0...intMax, 1000),
        int("sql-max-rows", [], 0...intMax, 10000),
        choice("oom-score-adj", [], [("no", 0), ("yes", 1), ("relative", 1), ("absolute", 2)], "no"),
        choice("acl-pubsub-default", [], [("allchannels", 1), ("resetchannels", 0)], "resetchannels"),
        choice("sanitize-dump-payload", .debug, ["no", "yes", "clients"], "no"),
        choice("enable-protected-configs", .immutable, protectedActionChoices, "no"),
        choice("enable-debug-command", .immutable, protectedActionChoices, "no"),
        choice("enable-module-command", .immutable, protectedActionChoices, "no"),
        choice("cluster-preferred-endpoint-type", [], ["ip", "hostname", "unknown-endpoint"], "ip"),
        choice("propagation-error-behavior", [], ["ignore", "panic", "panic-on-replicas"], "ignore"),
        choice("shutdown-on-sigint", .multiArg, shutdownChoices, "default", validate: validateShutdownFlags),
        choice("shutdown-on-sigterm", .multiArg, shutdownChoices, "default", validate: validateShutdownFlags),

        // Integer configs
        int("databases", .immutable, 1...intMax, 16),
        int("port", [], 0...65535, 6379),
        // 16 was IO_THREADS_MAX_NUM in Valkey 8.0 (8.1 raised it to 256).
        int("io-threads", [.debug, .immutable], 1...16, 1),
        int("events-per-io-thread", .hidden, 0...intMax, 2),
        int("prefetch-batch-max-size", [], 0...128, 16),
        int("auto-aof-rewrite-percentage", [], 0...intMax, 100),
        int("cluster-replica-validity-factor", alias: "cluster-slave-validity-factor", [], 0...intMax, 10),
        int("list-max-listpack-size", alias: "list-max-ziplist-size", [], intMin...intMax, -2),
        int("tcp-keepalive", [], 0...intMax, 300),
        int("cluster-migration-barrier", [], 0...intMax, 1),
        int("active-defrag-cycle-min", [], 1...99, 1),
        int("active-defrag-cycle-max", [], 1...99, 25),
        int("active-defrag-threshold-lower", [], 0...1000, 10),
        int("active-defrag-threshold-upper", [], 0...1000, 100),
        int("lfu-log-factor", [], 0...intMax, 10),
        int("lfu-decay-time", [], 0...intMax, 1),
        int("replica-priority", alias: "slave-priority", [], 0...intMax, 100),
        int("repl-diskless-sync-delay", [], 0...intMax, 5),
        int("maxmemory-samples", [], 1...64, 5),
        int("maxmemory-eviction-tenacity", [], 0...100, 10),
        int("timeout", [], 0...intMax, 0),
        int("replica-announce-port", alias: "slave-announce-port", [], 0...65535, 0),
        int("tcp-backlog", .immutable, 0...intMax, 511),
        int("cluster-port", .immutable, 0...65535, 0),
        int("cluster-announce-bus-port", [], 0...65535, 0),
        int("cluster-announce-port", [], 0...65535, 0),
        int("cluster-announce-tls-port", [], 0...65535, 0),
        int("repl-timeout", [], 1...intMax, 60),
        int("repl-ping-replica-period", alias: "repl-ping-slave-period", [], 1...intMax, 10),
        int("list-compress-depth", .debug, 0...intMax, 0),
        int("rdb-key-save-delay", .hidden, intMin...intMax, 0),
        int("key-load-delay", .hidden, intMin...intMax, 0),
        int("active-expire-effort", [], 1...10, 1),
        // Any non-negative hz is accepted, then capped to CONFIG_MIN_HZ...CONFIG_MAX_HZ.
        int("hz", [], 0...intMax, 10, clampedTo: 1...500),
        int("min-replicas-to-write", alias: "min-slaves-to-write", [], 0...intMax, 0),
        int("min-replicas-max-lag", alias: "min-slaves-max-lag", [], 0...intMax, 10),
        int("watchdog-period", .hidden, 0...intMax, 0),
        int("shutdown-timeout", [], 0...intMax, 10),
        int("repl-diskless-sync-max-replicas", [], 0...intMax, 0),

        // Unsigned int configs
        unsigned("maxclients", [], 1...uintMax, 10000),
        unsigned("unixsocketperm", .immutable, 0...0o777, 0, .octal),
        unsigned("socket-mark-id", .immutable, 0...uintMax, 0),
        unsigned("max-new-connections-per-cycle", [], 1...1000, 10),
        unsigned("max-new-tls-connections-per-cycle", [], 1...1000, 1),

        // Unsigned long configs (bounds-checked as signed by config.c)
        int("active-defrag-max-scan-fields", [], 1...longMax, 1000),
        int("slowlog-max-len", [], 0...longMax, 128),
        int("acllog-max-len", [], 0...longMax, 128),

        // Long long configs
        int("busy-reply-threshold", alias: "lua-time-limit", [], 0...longMax, 5000),
        int("cluster-node-timeout", [], 0...longMax, 15000),
        int("cluster-ping-interval", .hidden, 0...longMax, 0),
        int("slowlog-log-slower-than", [], -1...longMax, 10000),
        int("latency-monitor-threshold", [], 0...longMax, 0),
        int("proto-max-bulk-len", .debug, mb...longMax, 512 * mb, .memory),
        int("stream-node-max-entries", [], 0...longMax, 100),
        int("repl-backlog-size", [], 1...longMax, 10 * mb, .memory),

        // Unsigned long long configs
        unsigned("maxmemory", [], 0...UInt64.max, 0, .memory),
        unsigned("cluster-link-sendbuf-limit", [], 0...UInt64.max, 0, .memory),

        // size_t configs
        unsigned("hash-max-listpack-entries", alias: "hash-max-ziplist-entries", [], 0...UInt64(longMax), 512),
        unsigned("set-max-intset-entries", [], 0...UInt64(longMax), 512),
        unsigned("set-max-listpack-entries", [], 0...UInt64(longMax), 128),
        unsigned("set-max-listpack-value", [], 0...UInt64(longMax), 64),
        unsigned("zset-max-listpack-entries", alias: "zset-max-ziplist-entries", [], 0...UInt64(longMax), 128),
        unsigned("active-defrag-ignore-bytes", [], 1...UInt64(longMax), UInt64(100 * mb), .memory),
        unsigned("hash-max-listpack-value", alias: "hash-max-ziplist-value", [], 0...UInt64(longMax), 64, .memory),
        unsigned("stream-node-max-bytes", [], 0...UInt64(longMax), 4096, .memory),
        unsigned("zset-max-listpack-value", alias: "zset-max-ziplist-value", [], 0...UInt64(longMax), 64, .memory),
        unsigned("hll-sparse-max-bytes", [], 0...UInt64(longMax), 3000, .memory),
        unsigned("tracking-table-max-keys", [], 0...UInt64(longMax), 1_000_000),
        unsigned("client-query-buffer-limit", .debug, UInt64(mb)...UInt64(longMax), UInt64(gb), .memory),
        int("maxmemory-clients", [], -100...longMax, 0, .memoryOrPercent),

        // Other configs (time_t, off_t)
        int("repl-backlog-ttl", [], 0...longMax, 60 * 60),
        int("auto-aof-rewrite-min-size", [], 0...longMax, 64 * mb, .memory),
        int("loading-process-events-interval-bytes", .hidden, kb...intMax, 2 * mb),

        // TLS configs
        int("tls-port", [], 0...65535, 0),
        int("tls-session-cache-size", [], 0...intMax, 20 * kb),
        int("tls-session-cache-timeout", [], 0...intMax, 300),
        bool("tls-cluster", [], false),
        bool("tls-replication", [], false),
        choice("tls-auth-clients", [], ["no", "yes", "optional"], "yes"),
        bool("tls-prefer-server-ciphers", [], false),
        bool("tls-session-caching", [], true),
        string("tls-cert-file", .volatile),
        string("tls-key-file", .volatile),
        string("tls-key-file-pass", .sensitive),
        string("tls-client-cert-file", .volatile),
        string("tls-client-key-file", .volatile),
        string("tls-client-key-file-pass", .sensitive),
        string("tls-dh-params-file", .volatile),
        string("tls-ca-cert-file", .volatile),
        string("tls-ca-cert-dir", .volatile),
        string("tls-protocols", []),
        string("tls-ciphers", []),
        string("tls-ciphersuites", []),

        // Special configs
        special("dir", [.protected, .denyLoading], .workingDirectory, "./data"),  // see ServerConfig.init
        special("save", .multiArg, .savePoints, "3600 1 300 100 60 10000"),
        special("client-output-buffer-limit", .multiArg, .clientOutputBufferLimit,
                "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
        special("oom-score-adj-values", .multiArg, .oomScoreAdjValues, "0 200 800"),
        special("notify-keyspace-events", [], .keyspaceEvents, ""),
        // Loopback by default, as the valkey.conf Valkey ships sets it (the built-in default is "* -::*").
        special("bind", .multiArg, .bindAddresses, "127.0.0.1 -::1"),
        special("replicaof", alias: "slaveof", [.immutable, .multiArg], .replicaOf, ""),
        special("latency-tracking-info-percentiles", .multiArg, .latencyPercentiles, "50 99 99.9"),

        // Valkite's own parameters (not in Valkey).
        // BGSAVE snapshots kept in <dir>/backups; older ones are deleted after each BGSAVE. 0 keeps all.
        int("backup-keep", [], 0...intMax, 10),
    ]

    /// Names a config file may still contain; they are accepted with one argument and ignored.
    static let deprecatedNames: Set<String> = [
        "list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands",
    ]

    private static let protectedActionChoices = ["no", "yes", "local"]
    private static let shutdownChoices = [("default", 0), ("save", 1), ("nosave", 2), ("now", 4), ("force", 8)]

    // MARK: Table constructors

    private static func bool(_ name: String, alias: String? = nil, _ flags: ConfigFlags, _ defaultValue: Bool,
                             validate: (@Sendable (Bool) -> String?)? = nil) -> ConfigParameter {
        ConfigParameter(name: name, alias: alias, flags: flags, kind: .bool(validate: validate),
                        defaultValue: defaultValue ? "yes" : "no")
    }

    private static func string(_ name: String, alias: String? = nil, _ flags: ConfigFlags, _ defaultValue: String = "",
                               validate: (@Sendable (String) -> String?)? = nil) -> ConfigParameter {
        ConfigParameter(name: name, alias: alias, flags: flags, kind: .string(validate: validate),
                        defaultValue: defaultValue)
    }

    /// An enum whose names stand for distinct values.
    private static func choice(_ name: String, _ flags: ConfigFlags, _ names: [String], _ defaultValue: String) -> ConfigParameter {
        choice(name, flags, names.enumerated().map { ($0.element, $0.offset) }, defaultValue)
    }

    private static func choice(_ name: String, _ flags: ConfigFlags, _ choices: [(String, Int)], _ defaultValue: String,
                               validate: (@Sendable (Int) -> String?)? = nil) -> ConfigParameter {
        let spec = EnumSpec(choices: choices.map { (name: $0.0, value: $0.1) }, validate: validate)
        return ConfigParameter(name: name, alias: nil, flags: flags, kind: .enumeration(spec), defaultValue: defaultValue)
    }

    private static func int(_ name: String, alias: String? = nil, _ flags: ConfigFlags, _ bounds: ClosedRange<Int64>,
                            _ defaultValue: Int64, _ format: NumericSpec.Format = .integer,
                            clampedTo: ClosedRange<Int64>? = nil) -> ConfigParameter {
        let spec = NumericSpec(bounds: .signed(bounds), format: format, clampedTo: clampedTo)
        return ConfigParameter(name: name, alias: alias, flags: flags, kind: .numeric(spec),
                               defaultValue: spec.render(defaultValue))
    }

    private static func unsigned(_ name: String, alias: String? = nil, _ flags: ConfigFlags, _ bounds: ClosedRange<UInt64>,
                                 _ defaultValue: UInt64, _ format: NumericSpec.Format = .integer) -> ConfigParameter {
        let spec = NumericSpec(bounds: .unsigned(bounds), format: format, clampedTo: nil)
        return ConfigParameter(name: name, alias: alias, flags: flags, kind: .numeric(spec),
                               defaultValue: spec.render(Int64(bitPattern: defaultValue)))
    }

    private static func special(_ name: String, alias: String? = nil, _ flags: ConfigFlags, _ special: SpecialConfig,
                                _ defaultValue: String) -> ConfigParameter {
        ConfigParameter(name: name, alias: alias, flags: flags, kind: .special(special), defaultValue: defaultValue)
    }
}

// MARK: - Value parsing

extension ConfigParameter {
    /// Validates `args` and returns the value as CONFIG GET will print it. `current` is the
    /// present value: `client-output-buffer-limit` only replaces the classes it names, and a
    /// relative `dir` is resolved against the current one.
    func canonicalValue(from args: [String], current: String) throws(InvalidConfigValue) -> String {
        switch kind {
        case .special(let special):
            return try special.canonicalValue(from: args, current: current)
        case .enumeration(let spec):
            return try spec.canonicalValue(from: args, asBitFlags: flags.contains(.multiArg))
        case .bool(let validate):
            let enabled: Bool
            switch try singleArgument(args).lowercased() {
            case "yes": enabled = true
            case "no": enabled = false
            default: throw InvalidConfigValue(reason: "argument must be 'yes' or 'no'")
            }
            if let reason = validate?(enabled) { throw InvalidConfigValue(reason: reason) }
            return enabled ? "yes" : "no"
        case .numeric(let spec):
            return try spec.render(spec.parse(singleArgument(args)))
        case .string(let validate):
            let text = try singleArgument(args)
            if let reason = validate?(text) { throw InvalidConfigValue(reason: reason) }
            return text
        }
    }
}

private func singleArgument(_ args: [String]) throws(InvalidConfigValue) -> String {
    guard args.count == 1 else { throw InvalidConfigValue(reason: "wrong number of arguments") }
    return args[0]
}

extension NumericSpec {
    /// config.c's numericParseString and numericBoundaryCheck. The result is the C `long long`
    /// value: percentages are negative, unsigned values keep their bit pattern.
    func parse(_ text: String) throws(InvalidConfigValue) -> Int64 {
        var value: Int64
        if format == .memory || format == .memoryOrPercent, let bytes = parseMemorySize(text) {
            value = Int64(bitPattern: bytes)
        } else if format == .memoryOrPercent, text.utf8.count > 1, text.hasSuffix("%"),
                  let percent = parseStrictInteger(String(text.dropLast())), percent >= 0 {
            value = -percent
        } else if format == .octal, let number = parseCInteger(text, base: 8) {
            value = number
        } else if format == .integer, let number = parseStrictInteger(text) {
            value = number
        } else {
            switch format {
            case .integer: throw InvalidConfigValue(reason: "argument couldn't be parsed into an integer")
            case .memory: throw InvalidConfigValue(reason: "argument must be a memory value")
            case .memoryOrPercent: throw InvalidConfigValue(reason: "argument must be a memory or percent value")
            case .octal: throw InvalidConfigValue(reason: "argument couldn't be parsed as an octal number")
            }
        }

        switch bounds {
        case .unsigned(let range):
            guard range.contains(UInt64(bitPattern: value)) else {
                let (low, high) = format == .octal
                    ? (String(range.lowerBound, radix: 8), String(range.upperBound, radix: 8))
                    : (String(range.lowerBound), String(range.upperBound))
                throw InvalidConfigValue(reason: "argument must be between \(low) and \(high) inclusive")
            }
        case .signed(let range):
            if format == .memoryOrPercent, value < 0 {
                guard value >= range.lowerBound else {
                    throw InvalidConfigValue(reason: "percentage argument must be less or equal to \(-range.lowerBound)")
                }
            } else if !range.contains(value) {
                throw InvalidConfigValue(reason: "argument must be between \(range.lowerBound) and \(range.upperBound) inclusive")
            }
        }
        if let clampedTo { value = min(max(value, clampedTo.lowerBound), clampedTo.upperBound) }
        return value
    }

    /// config.c's numericConfigGet: memory values as plain bytes, percentages with "%".
    func render(_ value: Int64) -> String {
        if format == .memoryOrPercent, value < 0 { return "\(-value)%" }
        if format == .octal { return String(value, radix: 8) }
        if format != .integer { return String(UInt64(bitPattern: value)) }
        if case .unsigned = bounds { return String(UInt64(bitPattern: value)) }
        return String(value)
    }
}

extension EnumSpec {
    /// config.c's configEnumGetValue followed by configEnumGetName.
    func canonicalValue(from args: [String], asBitFlags: Bool) throws(InvalidConfigValue) -> String {
        guard !args.isEmpty, asBitFlags || args.count == 1 else { throw unknownChoice }
        var value = 0
        for arg in args {
            let matches = choices.filter { $0.name.caseInsensitiveCompare(arg) == .orderedSame }
            guard !matches.isEmpty else { throw unknownChoice }
            value = matches.reduce(value) { $0 | $1.value }
        }
        if let reason = validate?(value) { throw InvalidConfigValue(reason: reason) }
        return name(of: value, asBitFlags: asBitFlags)
    }

    private var unknownChoice: InvalidConfigValue {
        InvalidConfigValue(reason: "argument(s) must be one of the following: "
            + choices.map(\.name).joined(separator: ", "))
    }

    /// The first name with exactly this value; for bit flags, the names of the set bits in table order.
    private func name(of value: Int, asBitFlags: Bool) -> String {
        if let exact = choices.first(where: { $0.value == value }) { return exact.name }
        guard asBitFlags else { return "unknown" }
        var unmatched = value
        var names: [String] = []
        for choice in choices where choice.value != 0 && choice.value & unmatched == choice.value {
            names.append(choice.name)
            unmatched &= ~choice.value
        }
        return names.isEmpty || unmatched != 0 ? "unknown" : names.joined(separator: " ")
    }
}

extension SpecialConfig {
    func canonicalValue(from args: [String], current: String) throws(InvalidConfigValue) -> String {
        switch self {
        case .workingDirectory:
            guard args.count == 1 else { throw InvalidConfigValue(reason: "wrong number of arguments") }
            guard !args[0].isEmpty else { throw InvalidConfigValue(reason: "dir can't be empty") }
            // Relative to the process working directory: Valkite never chdir()s.
            return try resolveDirectory(args[0], relativeTo: "")
        case .savePoints:
            return try parseSavePoints(args)
        case .clientOutputBufferLimit:
            return try ClientOutputBufferLimits(current).updated(with: args).description
        case .oomScoreAdjValues:
            guard args.count == 3 else { throw InvalidConfigValue(reason: "wrong number of arguments") }
            let values = args.map { parseCInteger($0, base: 10, acceptsOverflow: true) }
            guard values.allSatisfy({ $0.map { (-2000...2000).contains($0) } ?? false }) else {
                throw InvalidConfigValue(reason: "Invalid oom-score-adj-values, elements must be between -2000 and 2000.")
            }
            return values.map { String($0!) }.joined(separator: " ")
        case .keyspaceEvents:
            guard args.count == 1 else { throw InvalidConfigValue(reason: "wrong number of arguments") }
            guard let events = KeyspaceEvents(classes: args[0]) else {
                throw InvalidConfigValue(reason: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.")
            }
            return events.description
        case .bindAddresses:
            // CONFIG_BINDADDR_MAX
            guard args.count <= 16 else { throw InvalidConfigValue(reason: "Too many bind addresses specified.") }
            return args == [""] ? "" : args.joined(separator: " ")
        case .replicaOf:
            guard args.count == 2 else { throw InvalidConfigValue(reason: "wrong number of arguments") }
            if args[0].lowercased() == "no", args[1].lowercased() == "one" { return "" }
            guard let port = parseCInteger(args[1], base: 10), (0...65535).contains(port) else {
                throw InvalidConfigValue(reason: "Invalid primary port")
            }
            return "\(args[0]) \(port)"
        case .latencyPercentiles:
            if args == [""] { return "" }
            return try args.map { (text) throws(InvalidConfigValue) -> String in
                guard let percentile = Double(text), !percentile.isNaN else {
                    throw InvalidConfigValue(reason: "Invalid latency-tracking-info-percentiles parameters")
                }
                guard (0...100).contains(percentile) else {
                    throw InvalidConfigValue(reason: "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]")
                }
                return trimmedDecimal(percentile)
            }.joined(separator: " ")
        }
    }
}

/// `save <seconds> <changes> ...`: seconds >= 1, changes >= 0; a single "" means no snapshots.
private func parseSavePoints(_ args: [String]) throws(InvalidConfigValue) -> String {
    let args = args == [""] ? [] : args
    let invalid = InvalidConfigValue(reason: "Invalid save parameters")
    guard args.count % 2 == 0 else { throw invalid }
    var points: [String] = []
    for index in stride(from: 0, to: args.count, by: 2) {
        guard let seconds = parseCInteger(args[index], base: 10, acceptsOverflow: true), seconds >= 1,
              let changes = parseCInteger(args[index + 1], base: 10, acceptsOverflow: true), changes >= 0
        else { throw invalid }
        // Valkey keeps the number of changes in a C int.
        points.append("\(seconds) \(Int32(truncatingIfNeeded: changes))")
    }
    return points.joined(separator: " ")
}

/// Resolves `path` the way Valkey's chdir + getcwd would, without changing the process directory.
private func resolveDirectory(_ path: String, relativeTo current: String) throws(InvalidConfigValue) -> String {
    let absolute = path.hasPrefix("/") || current.isEmpty ? path : current + "/" + path
    guard let resolved = realpath(absolute, nil) else {
        throw InvalidConfigValue(reason: String(cString: strerror(errno)))
    }
    defer { free(resolved) }
    var status = stat()
    if stat(resolved, &status) != 0 { throw InvalidConfigValue(reason: String(cString: strerror(errno))) }
    guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR) else { throw InvalidConfigValue(reason: String(cString: strerror(ENOTDIR))) }
    guard access(resolved, X_OK) == 0 else { throw InvalidConfigValue(reason: String(cString: strerror(errno))) }
    return String(cString: resolved)
}

/// The per-class output buffer limits, printed as "normal H S SEC slave H S SEC pubsub H S SEC".
private struct ClientOutputBufferLimits: CustomStringConvertible {
    struct Limit { var hard: UInt64, soft: UInt64, softSeconds: Int32 }

    /// Indexed like Valkey's client types: normal, replica, pubsub.
    var limits: [Limit]

    /// Parses the canonical text, which this file produced.
    init(_ canonical: String) {
        let fields = canonical.split(separator: " ")
        limits = stride(from: 0, to: fields.count, by: 4).map { index in
            Limit(hard: UInt64(fields[index + 1])!, soft: UInt64(fields[index + 2])!, softSeconds: Int32(fields[index + 3])!)
        }
    }

    /// Replaces the limits of the classes named in `args` (groups of `<class> <hard> <soft> <seconds>`),
    /// all or nothing.
    func updated(with args: [String]) throws(InvalidConfigValue) -> ClientOutputBufferLimits {
        guard args.count % 4 == 0 else {
            throw InvalidConfigValue(reason: "Wrong number of arguments in buffer limit configuration.")
        }
        var result = self
        for index in stride(from: 0, to: args.count, by: 4) {
            let classIndex: Int
            switch args[index].lowercased() {
            case "normal": classIndex = 0
            case "slave", "replica": classIndex = 1
            case "pubsub": classIndex = 2
            default: throw InvalidConfigValue(reason: "Invalid client class specified in buffer limit configuration.")
            }
            guard let hard = parseMemorySize(args[index + 1]), let soft = parseMemorySize(args[index + 2]),
                  let seconds = parseCInteger(args[index + 3], base: 10, acceptsOverflow: true)
                    .map({ Int32(truncatingIfNeeded: $0) }), seconds >= 0
            else {
                throw InvalidConfigValue(reason: "Error in hard, soft or soft_seconds setting in buffer limit configuration.")
            }
            result.limits[classIndex] = Limit(hard: hard, soft: soft, softSeconds: seconds)
        }
        return result
    }

    var description: String {
        zip(["normal", "slave", "pubsub"], limits)
            .map { "\($0) \($1.hard) \($1.soft) \($1.softSeconds)" }
            .joined(separator: " ")
    }
}

/// `notify-keyspace-events` as CONFIG GET prints it: Valkey's
/// `keyspaceEventsFlagsToString` drops "n" after "A".
func displayedKeyspaceEvents(_ stored: String) -> String {
    stored.hasPrefix("An") ? "A" + stored.dropFirst(2) : stored
}

/// The classes of `notify-keyspace-events` (notify.c).
private struct KeyspaceEvents: CustomStringConvertible {
    /// Class characters in the order Valkey prints them; "A" stands for all of them.
    private static let allClasses: [Character] = ["g", "$", "l", "s", "h", "z", "x", "e", "t", "d"]
    private static let otherClasses: Set<Character> = ["K", "E", "m", "n"]

    private var classes: Set<Character> = []

    init?(classes text: String) {
        for character in text {
            if character == "A" {
                classes.formUnion(Self.allClasses)
            } else if Self.allClasses.contains(character) || Self.otherClasses.contains(character) {
                classes.insert(character)
            } else {
                return nil
            }
        }
    }

    var description: String {
        var text: String
        if classes.isSuperset(of: Self.allClasses) {
            // "n" is not part of "A"; Valkey keeps it but does not print it next to "A"
            // (CONFIG GET shows `displayedKeyspaceEvents`), so it is kept here as "An".
            text = classes.contains("n") ? "An" : "A"
        } else {
            text = String(Self.allClasses.filter(classes.contains))
            if classes.contains("n") { text.append("n") }
        }
        for character in ["K", "E", "m"] as [Character] where classes.contains(character) { text.append(character) }
        return text
    }
}

// MARK: - Validators

private func isValidAddress(_ text: String, family: Int32) -> Bool {
    if text.isEmpty { return true }
    var buffer = [UInt8](repeating: 0, count: 16)
    return inet_pton(family, text, &buffer) == 1
}

/// config.c's pathIsBaseName check for file and directory names.
private func validateBaseName(_ text: String, what: String, kind: String) -> String? {
    if text.isEmpty { return "\(what) can't be empty" }
    if text.contains("/") || text.contains("\\") { return "\(what) can't be a path, just a \(kind)" }
    return nil
}

@Sendable private func validateAnnouncedHostname(_ text: String) -> String? {
    // NET_HOST_STR_LEN
    if text.utf8.count >= 256 { return "Hostnames must be less than 256 characters" }
    let allowed = text.utf8.allSatisfy { byte in
        isASCIIAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
    return allowed ? nil : "Hostnames may only contain alphanumeric characters, hyphens or dots"
}

/// Node names travel in the cluster bus, which allows only these characters (isValidAuxChar).
@Sendable private func validateAnnouncedNodename(_ text: String) -> String? {
    let symbols = Set("!#$%&()*+:;<>?@[]^{|}~".utf8)
    let allowed = text.utf8.allSatisfy { isASCIIAlphanumeric($0) || symbols.contains($0) }
    return allowed ? nil : "Announced human node name contained invalid character"
}

/// Checks what setlocale(LC_COLLATE) would, without changing the process locale.
@Sendable private func validateLocale(_ name: String) -> String? {
    guard let locale = newlocale(LC_COLLATE_MASK, name, nil) else { return "Invalid locale name" }
    freelocale(locale)
    return nil
}

/// Valkey expands the template with sdstemplate ("{{" is a literal "{") and refuses unknown
/// variables, an unterminated "{" and a title that comes out blank. Variables that are never
/// empty in a running server get a placeholder here.
@Sendable private func validateProcTitleTemplate(_ template: String) -> String? {
    let invalid = "template format is invalid or contains unknown variables"
    let values = ["title": "", "listen-addr": "*", "server-mode": "", "config-file": "",
                  "port": "0", "tls-port": "0", "unixsocket": ""]
    var expanded = ""
    var rest = Substring(template)
    while let character = rest.popFirst() {
        guard character == "{" else {
            expanded.append(character)
            continue
        }
        if rest.first == "{" {
            expanded.append(rest.removeFirst())
            continue
        }
        guard let end = rest.firstIndex(of: "}"), let value = values[String(rest[..<end])] else { return invalid }
        expanded += value
        rest = rest[rest.index(after: end)...]
    }
    return expanded.trimmingCharacters(in: [" "]).isEmpty ? invalid : nil
}

@Sendable private func validateShutdownFlags(_ flags: Int) -> String? {
    // SHUTDOWN_SAVE | SHUTDOWN_NOSAVE
    flags & 1 != 0 && flags & 2 != 0 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : nil
}

// MARK: - Number syntax

private func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
        || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
}

/// Valkey's string2ll: an optional "-" and decimal digits, no leading zeros, spaces or "+".
private func parseStrictInteger(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    if bytes == [UInt8(ascii: "0")] { return 0 }
    let negative = bytes.first == UInt8(ascii: "-")
    let digits = negative ? bytes.dropFirst() : bytes[...]
    guard let first = digits.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first),
          digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
          let magnitude = UInt64(String(decoding: digits, as: UTF8.self))
    else { return nil }
    if negative {
        return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
    }
    return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
}

/// Valkey's memtoull: digits followed by an optional unit (b, k, kb, m, mb, g, gb, any case).
/// No digits at all reads as 0, so "" and "k" are 0 bytes.
private func parseMemorySize(_ text: String) -> UInt64? {
    let bytes = Array(text.utf8)
    let unitStart = bytes.firstIndex { !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? bytes.endIndex
    let multiplier: UInt64
    switch String(decoding: bytes[unitStart...], as: UTF8.self).lowercased() {
    case "", "b": multiplier = 1
    case "k": multiplier = 1000
    case "kb": multiplier = 1024
    case "m": multiplier = 1000 * 1000
    case "mb": multiplier = 1024 * 1024
    case "g": multiplier = 1000 * 1000 * 1000
    case "gb": multiplier = 1024 * 1024 * 1024
    default: return nil
    }
    let digits = bytes[..<unitStart]
    guard let number = digits.isEmpty ? 0 : UInt64(String(decoding: digits, as: UTF8.self)) else { return nil }
    let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
    return overflow ? nil : product
}

/// strtoll with a check that the whole text was used, as config.c does for octal numbers and
/// for `save`, `oom-score-adj-values` and buffer limit seconds. Like strtoll it takes leading
/// spaces and a sign, and reads "" as 0. Some of those callers ignore overflow (saturating).
private func parseCInteger(_ text: String, base: Int32, acceptsOverflow: Bool = false) -> Int64? {
    text.withCString { start in
        var end: UnsafeMutablePointer<CChar>?
        errno = 0
        let value = strtoll(start, &end, base)
        guard end?.pointee == 0, acceptsOverflow || errno == 0 else { return nil }
        return Int64(value)
    }
}

/// "%f" without trailing zeros or a trailing point, like Valkey's trimDoubleString.
private func trimmedDecimal(_ value: Double) -> String {
    var text = String(format: "%f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}
