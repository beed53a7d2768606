/// One mutation of the keyspace, at its natural grain. Every write command emits
/// these; the persistence layer replays them into SQLite, so writes are never
/// re-derived by diffing whole values.
public enum ChangeRecord: Equatable {
    /// A string key now holds `value` (created or overwritten; a previous value
    /// of another type is replaced).
    case setString(db: Int, key: [UInt8], value: [UInt8])
    /// The key was removed by a command (DEL, UNLINK, GETDEL, overwrite by RENAME…).
    case delete(db: Int, key: [UInt8])
    /// The key was removed because its TTL passed.
    case expired(db: Int, key: [UInt8])
    /// The key's TTL is now `at` (Unix ms), or none when `at` is 0.
    case setExpiry(db: Int, key: [UInt8], at: Int64)
    /// `from` was renamed to `to` (which it replaced if it existed), value and TTL included.
    case rename(db: Int, from: [UInt8], to: [UInt8])
    /// The key moved from one database to another (MOVE).
    case move(fromDb: Int, toDb: Int, key: [UInt8])
    /// `from` was copied to `to` (COPY), value and TTL included.
    case copy(fromDb: Int, from: [UInt8], toDb: Int, to: [UInt8])
    case flushDatabase(db: Int)
    case flushAll
    case swapDatabases(Int, Int)
}
