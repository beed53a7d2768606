/// One mutation of the keyspace, at its natural grain. Every write command emits
/// these; the persistence layer replays them into SQLite, so writes are never
/// re-derived by diffing whole values.
public enum ChangeRecord: Equatable {
    /// A string key now holds `value`: created, or overwriting a string.
    case setString(db: Int, key: [UInt8], value: [UInt8])
    /// A key that held a value of another type (a hash, list…) now holds the
    /// string `value` (SET over a hash). Kept apart from `setString` so that
    /// applying the common case need not look for the key in every other
    /// type's table; journals written before the split decode their string
    /// writes as this (JournalCodec).
    case replaceWithString(db: Int, key: [UInt8], value: [UInt8])
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

    // Collections, one element at a time. A collection key is created by its
    // first element record (after a `delete` when it replaced another value)
    // and removed with `delete` when its last element goes.

    /// HSET and friends: `field` now holds `value`.
    case hashSet(db: Int, key: [UInt8], field: [UInt8], value: [UInt8])
    case hashDelete(db: Int, key: [UInt8], field: [UInt8])
    case setAdd(db: Int, key: [UInt8], member: [UInt8])
    case setRemove(db: Int, key: [UInt8], member: [UInt8])
    /// `member` was added or its score changed.
    case zsetAdd(db: Int, key: [UInt8], member: [UInt8], score: Double)
    case zsetRemove(db: Int, key: [UInt8], member: [UInt8])
    /// LPUSH (atHead) / RPUSH of one element.
    case listPush(db: Int, key: [UInt8], atHead: Bool, value: [UInt8])
    /// `head` elements removed from the head and `tail` from the tail (LPOP,
    /// RPOP, LTRIM).
    case listTrim(db: Int, key: [UInt8], head: Int, tail: Int)
    /// LSET: the element at `index` (0 = head) is now `value`.
    case listSet(db: Int, key: [UInt8], index: Int, value: [UInt8])
    /// LINSERT: `value` inserted so that it is at `index`; the elements from
    /// there on move one place toward the tail.
    case listInsert(db: Int, key: [UInt8], index: Int, value: [UInt8])
    /// LREM: the element at `index` removed; the ones after it move up.
    case listRemove(db: Int, key: [UInt8], index: Int)

    /// Precedes a change to a key tracked by `history-keys` (HistoryTracking.swift):
    /// `operation` is the command making it, upper case, or `expired`. For
    /// RENAME, COPY and MOVE, `source` and `destination` say which side is tracked.
    /// Changes nothing by itself.
    case history(operation: [UInt8], source: Bool, destination: Bool)
}
