// Start-up loading (Storage's `Loader`): the bulk paths into a fresh keyspace.
// Kept apart from the command paths because they skip what only commands
// need (change records, TTL bookkeeping, a lookup before the insert), and
// here, inside the Keyspace module, because calls into the generic KeyTable
// from another module are not specialized (measured: a hash of a million
// fields loaded three times slower through `fields.insert` from Storage).

extension Database {
    /// Sizes the key table for `keys` entries before a bulk load, so it does
    /// not double (relinking every node) about twenty times on the way.
    public func reserveCapacity(_ keys: Int) {
        table.reserveCapacity(keys)
    }

    /// Stores a string read back from storage, nothing recorded, replacing
    /// the key if it is there: one hash and one chain walk.
    public func loadString(_ key: [UInt8], _ value: [UInt8]) {
        let (node, inserted) = table.insert(ByteString(key), KeyEntry(value: .string(value), accessedAt: keyspace.now))
        // The new entry has no TTL: a replaced one's must leave volatileKeys.
        if !inserted { volatileKeys.remove(node.key) }
    }

    /// Like `loadString` for many keys, without looking them up. The caller
    /// guarantees none of them is in the database yet and that they are
    /// distinct (the loader: strings load first, into an empty keyspace, and
    /// their table's primary key holds each key once), so the buckets' chains
    /// are not walked (cache misses, at a million keys).
    public func loadNewStrings(_ keys: [[UInt8]], _ values: [[UInt8]]) {
        let accessedAt = keyspace.now
        table.insertAbsent(keys.map(ByteString.init), values.map { KeyEntry(value: .string($0), accessedAt: accessedAt) })
    }
}

extension HashValue {
    /// Adds a field read back from storage (replacing a field of the same name).
    public func loadField(_ field: [UInt8], _ value: [UInt8]) {
        fields.insert(ByteString(field), value)
    }
}

extension SetValue {
    /// Adds a member read back from storage.
    public func loadMember(_ member: [UInt8]) {
        members.insert(ByteString(member), ())
    }
}
