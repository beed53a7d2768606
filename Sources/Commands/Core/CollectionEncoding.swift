import Keyspace

/// OBJECT ENCODING of collections built outside commands (loaded at start-up):
/// decided from the configured thresholds, as Valkey does when it loads.
public enum CollectionEncoding {
    public static func settle(_ value: RedisValue, config: ServerConfig) {
        switch value {
        case .string:
            break
        case .hash(let hash):
            hash.recomputeEncoding(limits: HashValue.Limits(
                maxEntries: configInteger(config, "hash-max-listpack-entries", default: 512),
                maxValue: configInteger(config, "hash-max-listpack-value", default: 64)))
        case .set(let set):
            set.recomputeEncoding(limits: SetValue.Limits(
                intsetEntries: configInteger(config, "set-max-intset-entries", default: 512),
                listpackEntries: configInteger(config, "set-max-listpack-entries", default: 128),
                listpackValue: configInteger(config, "set-max-listpack-value", default: 64)))
        case .zset(let zset):
            zset.resetEncoding(maxEntries: configInteger(config, "zset-max-listpack-entries", default: 128),
                               maxValue: configInteger(config, "zset-max-listpack-value", default: 64))
        case .list(let list):
            list.settleEncoding(fill: configInteger(config, "list-max-listpack-size", default: -2))
        }
    }
}

/// An integer configuration parameter (the listpack thresholds), with a fallback.
func configInteger(_ config: ServerConfig, _ name: String, default fallback: Int) -> Int {
    config.value(name).flatMap { Int($0) } ?? fallback
}
