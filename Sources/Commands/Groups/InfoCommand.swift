#if canImport(Glibc)
import Glibc
#endif
import Keyspace
import RESP

/// INFO [section …]: the server's state as `field:value` lines, grouped in
/// Valkey's sections and with Valkey's field names, so tools that parse it work.
enum InfoCommand {
    static let handlers: [String: CommandHandler] = ["info": info]

    static let defaultSections = [
        "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
        "errorstats", "cluster", "keyspace",
    ]
    static let allSections = defaultSections + ["commandstats", "latencystats"]

    static func info(_ context: CommandContext) throws(CommandError) {
        var requested: [String] = []
        for index in 1..<max(context.count, 1) {
            let name = context.text(at: index).lowercased()
            switch name {
            case "default": requested += defaultSections
            case "all", "everything": requested += allSections
            default: requested.append(name)
            }
        }
        if requested.isEmpty { requested = defaultSections }
        var seen = Set<String>()
        var sections: [String] = []
        for name in allSections where requested.contains(name) && seen.insert(name).inserted {
            sections.append(render(name, context))
        }
        let text = sections.joined(separator: "\r\n")
        context.reply.writeVerbatimString(text)
    }

    private static func render(_ section: String, _ context: CommandContext) -> String {
        let lines: [(String, String)]
        let server = context.server
        switch section {
        case "server": lines = serverLines(context)
        case "clients":
            lines = [
                ("connected_clients", "\(server.clients.count)"), ("cluster_connections", "0"),
                ("maxclients", "\(server.config.maxclients)"),
                ("client_recent_max_input_buffer", "0"), ("client_recent_max_output_buffer", "0"),
                ("blocked_clients", "\(server.blockedClients?.count ?? 0)"), ("tracking_clients", "0"), ("pubsub_clients", "\(server.clients.clients.values.reduce(0) { $0 + ($1.subscriptions.isSubscribed ? 1 : 0) })"),
                ("watching_clients", "0"), ("clients_in_timeout_table", "0"), ("total_watched_keys", "0"),
                ("total_blocking_keys", "0"), ("total_blocking_keys_on_nokey", "0"),
            ]
        case "memory": lines = memoryLines(context)
        case "persistence":
            let persistence = server.persistence
            lines = [
                ("loading", server.loading ? "1" : "0"), ("async_loading", "0"),
                ("rdb_changes_since_last_save", "\(server.keyspace.changeCount)"),
                ("rdb_bgsave_in_progress", persistence?.backgroundSaveInProgress == true ? "1" : "0"),
                ("rdb_last_save_time", "\(server.lastSaveTime)"),
                ("rdb_last_bgsave_status", persistence?.lastBackgroundSaveSucceeded == false ? "err" : "ok"),
                // Every write is logged to SQLite before its reply: the equivalent of an AOF.
                ("aof_enabled", persistence == nil ? "0" : "1"), ("aof_rewrite_in_progress", "0"),
                ("aof_last_write_status", server.persistenceError == nil ? "ok" : "err"),
            ] + (persistence?.infoFields ?? [])
        case "stats": lines = statsLines(context)
        case "replication":
            lines = [
                ("role", "master"), ("connected_slaves", "0"),
                ("master_failover_state", "no-failover"),
                ("master_replid", server.runID), ("master_replid2", String(repeating: "0", count: 40)),
                ("master_repl_offset", "0"), ("second_repl_offset", "-1"), ("repl_backlog_active", "0"),
                ("repl_backlog_size", "1048576"), ("repl_backlog_first_byte_offset", "0"),
                ("repl_backlog_histlen", "0"),
            ]
        case "cpu":
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            func seconds(_ time: timeval) -> String {
                let value = Double(time.tv_sec) + Double(time.tv_usec) / 1e6
                return String(format6(value))
            }
            lines = [
                ("used_cpu_sys", seconds(usage.ru_stime)), ("used_cpu_user", seconds(usage.ru_utime)),
                ("used_cpu_sys_children", "0.000000"), ("used_cpu_user_children", "0.000000"),
            ]
        case "errorstats":
            lines = server.stats.errorReplies.sorted { $0.key < $1.key }.map {
                ("errorstat_\($0.key)", "count=\($0.value)")
            }
        case "cluster": lines = [("cluster_enabled", "0")]
        case "keyspace":
            lines = server.keyspace.databases.filter { $0.count > 0 }.map {
                ("db\($0.index)", "keys=\($0.count),expires=\($0.volatileCount),avg_ttl=0")
            }
        case "commandstats":
            lines = server.commands.calledCommands.map { command in
                let (name, stats) = (command.name, command.statistics)
                let perCall = stats.calls > 0 ? Double(stats.microseconds) / Double(stats.calls) : 0
                return ("cmdstat_\(name)",
                        "calls=\(stats.calls),usec=\(stats.microseconds),usec_per_call=\(format2(perCall)),"
                        + "rejected_calls=\(stats.rejectedCalls),failed_calls=\(stats.failedCalls)")
            }
        default:
            lines = []
        }
        let title = section == "cpu" ? "CPU" : section.prefix(1).uppercased() + section.dropFirst()
        var text = "# \(title)\r\n"
        for (field, value) in lines { text += "\(field):\(value)\r\n" }
        return text
    }

    private static func serverLines(_ context: CommandContext) -> [(String, String)] {
        let server = context.server
        let uptime = (context.now - server.startedAt) / 1000
        var system = utsname()
        uname(&system)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return [
            ("redis_version", Version.redisCompatibility), ("server_name", "valkey"),
            ("valkey_version", Version.valkey), ("valkite_version", Version.valkite),
            ("redis_git_sha1", "00000000"), ("redis_git_dirty", "0"), ("redis_build_id", "0"),
            ("server_mode", "standalone"),
            ("os", "\(field(&system.sysname)) \(field(&system.release)) \(field(&system.machine))"),
            ("arch_bits", "64"), ("multiplexing_api", "epoll"), ("process_id", "\(getpid())"),
            ("process_supervised", "no"), ("run_id", server.runID),
            ("tcp_port", "\(server.control?.listeningPort ?? server.config.port)"),
            ("server_time_usec", "\(currentTimeMicros())"),
            ("uptime_in_seconds", "\(uptime)"), ("uptime_in_days", "\(uptime / 86400)"),
            ("hz", "\(server.config.hz)"), ("configured_hz", "\(server.config.hz)"),
            ("executable", server.executable), ("config_file", server.configFile),
            ("io_threads_active", "0"),
        ]
    }

    private static func memoryLines(_ context: CommandContext) -> [(String, String)] {
        // glibc's allocator statistics are not reachable from Swift: report the
        // resident set for both, which is what memory limits act on anyway.
        let resident = residentSetSize()
        let allocated = resident
        let maxmemory = Int(context.server.config.value("maxmemory") ?? "0") ?? 0
        return [
            ("used_memory", "\(allocated)"), ("used_memory_human", humanBytes(allocated)),
            ("used_memory_rss", "\(resident)"), ("used_memory_rss_human", humanBytes(resident)),
            ("used_memory_peak", "\(allocated)"), ("used_memory_peak_human", humanBytes(allocated)),
            ("maxmemory", "\(maxmemory)"), ("maxmemory_human", humanBytes(maxmemory)),
            ("maxmemory_policy", context.server.config.value("maxmemory-policy") ?? "noeviction"),
            ("mem_fragmentation_ratio", format2(allocated > 0 ? Double(resident) / Double(allocated) : 0)),
            ("mem_allocator", "libc"), ("lazyfree_pending_objects", "0"),
        ]
    }

    private static func statsLines(_ context: CommandContext) -> [(String, String)] {
        let stats = context.server.stats
        return [
            ("total_connections_received", "\(stats.connectionsReceived)"),
            ("total_commands_processed", "\(stats.commandsProcessed)"),
            ("instantaneous_ops_per_sec", "0"),
            ("total_net_input_bytes", "\(stats.netInputBytes)"),
            ("total_net_output_bytes", "\(stats.netOutputBytes)"),
            ("rejected_connections", "\(stats.rejectedConnections)"),
            ("expired_keys", "\(context.keyspace.expiredKeys)"), ("evicted_keys", "0"),
            ("keyspace_hits", "\(stats.keyspaceHits)"), ("keyspace_misses", "\(stats.keyspaceMisses)"),
            ("pubsub_channels", "\(context.server.pubsub.channelCount)"),
            ("pubsub_patterns", "\(context.server.pubsub.patternCount)"),
            ("pubsubshard_channels", "\(context.server.pubsub.shardChannelCount)"),
            ("total_error_replies", "\(stats.totalErrorReplies)"),
        ]
    }

    /// Resident set size in bytes: the second field of /proc/self/statm, in pages.
    static func residentSetSize() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, Int32(line.count), file) != nil else { return 0 }
        let fields = String(cString: line).split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `4.54M`-style sizes as Valkey's `bytesToHuman`.
    static func humanBytes(_ bytes: Int) -> String {
        let value = Double(bytes)
        if bytes < 1024 { return "\(bytes)B" }
        if value < 1024 * 1024 { return format2(value / 1024) + "K" }
        if value < 1024 * 1024 * 1024 { return format2(value / 1024 / 1024) + "M" }
        return format2(value / 1024 / 1024 / 1024) + "G"
    }

    static func format2(_ value: Double) -> String { formatFixed(value, digits: 2) }
    static func format6(_ value: Double) -> String { formatFixed(value, digits: 6) }

    private static func formatFixed(_ value: Double, digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
        return String(cString: buffer)
    }
}
