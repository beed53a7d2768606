/// The value a key holds, one case per Redis type. Collections are classes so
/// commands change them in place (no copy-on-write of a whole hash per HSET);
/// COPY uses `deepCopy()`.
public enum RedisValue {
    case string([UInt8])
    case hash(HashValue)
    case list(ListValue)
    case set(SetValue)
    case zset(SortedSetValue)

    /// The name TYPE reports and SCAN TYPE filters on.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .hash: return "hash"
        case .list: return "list"
        case .set: return "set"
        case .zset: return "zset"
        }
    }

    /// An independent copy (COPY): collections are duplicated, not shared.
    public func deepCopy() -> RedisValue {
        switch self {
        case .string: return self
        case .hash(let hash): return .hash(hash.copy())
        case .list(let list): return .list(list.copy())
        case .set(let set): return .set(set.copy())
        case .zset(let zset): return .zset(zset.copy())
        }
    }
}

/// A key's value and its metadata.
public struct KeyEntry {
    public var value: RedisValue
    /// Absolute expiry time in Unix milliseconds; 0 when the key has no TTL.
    public var expireAt: Int64
    /// Last access in Unix milliseconds (OBJECT IDLETIME).
    public var accessedAt: Int64
    /// Logarithmic access counter (OBJECT FREQ), as Valkey's LFU.
    public var frequency: UInt8
    /// How Valkey would have encoded this string given how it was written
    /// (OBJECT ENCODING): APPEND makes it raw, INCRBYFLOAT never int-encodes.
    public var stringEncoding: StringEncoding = .automatic

    public init(value: RedisValue, expireAt: Int64 = 0, accessedAt: Int64) {
        self.value = value
        self.expireAt = expireAt
        self.accessedAt = accessedAt
        self.frequency = 5  // LFU_INIT_VAL
    }
}

/// The encoding history of a string value, for OBJECT ENCODING.
public enum StringEncoding: UInt8 {
    /// Chosen from the content: int, embstr or raw (SET, INCR…).
    case automatic
    /// Built as a plain string: embstr up to 44 bytes, raw beyond (INCRBYFLOAT).
    case plain
    /// Modified in place: always raw (APPEND, SETRANGE).
    case raw
}

/// What a write does to an existing TTL.
public enum ExpiryUpdate: Equatable {
    /// Keep the key's current TTL (SET KEEPTTL, SETRANGE, APPEND, INCR…).
    case keep
    /// Drop any TTL (plain SET).
    case clear
    /// Expire at this Unix-millisecond instant.
    case at(Int64)
}
