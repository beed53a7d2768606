import Keyspace

/// OBJECT ENCODING of collections built outside commands (loaded at start-up):
/// decided from the configured thresholds, as Valkey does when it loads.
public enum CollectionEncoding {
    public static func settle(_ value: RedisValue, config: ServerConfig) {
        let limits = config.encodingLimits
        switch value {
        case .string:
            break
        case .hash(let hash):
            hash.recomputeEncoding(limits: limits.hash)
        case .set(let set):
            set.recomputeEncoding(limits: limits.set)
        case .zset(let zset):
            zset.resetEncoding(maxEntries: limits.zsetMaxListpackEntries, maxValue: limits.zsetMaxListpackValue)
        case .list(let list):
            list.settleEncoding(fill: limits.listMaxListpackSize)
        }
    }
}
