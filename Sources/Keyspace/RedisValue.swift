/// The value a key holds. One case per Redis type; collection types join as
/// their command families are added.
public enum RedisValue {
    case string([UInt8])

    /// The name TYPE reports and SCAN TYPE filters on.
    public var typeName: String {
        switch self {
        case .string: return "string"
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
