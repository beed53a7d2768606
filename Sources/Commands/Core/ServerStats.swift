/// Counters INFO reports (stats, commandstats, clients).
public struct ServerStats {
    public struct CommandStats {
        public var calls = 0
        public var microseconds: Int64 = 0
        public var rejectedCalls = 0
        public var failedCalls = 0
    }

    public var commandsProcessed = 0
    public var connectionsReceived = 0
    public var rejectedConnections = 0
    public var keyspaceHits = 0
    public var keyspaceMisses = 0
    public var totalErrorReplies = 0
    public var errorReplies: [String: Int] = [:]
    public var netInputBytes = 0
    public var netOutputBytes = 0

    public init() {}

    /// CONFIG RESETSTAT (per-command counters live on the commands: `CommandTable.resetStatistics`).
    public mutating func reset() {
        self = ServerStats()
    }

    /// Counts an error reply by its code (the first word), as `errorstat_*`.
    public mutating func countError(_ message: String) {
        totalErrorReplies += 1
        let code = message.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "ERR"
        errorReplies[code, default: 0] += 1
    }
}
