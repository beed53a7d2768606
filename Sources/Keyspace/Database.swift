/// One numbered database (SELECT n): keys to entries, plus the subset of keys that
/// have a TTL so the active expiry cycle can sample them.
///
/// Every method that changes data appends its change record to the keyspace.
/// Reads apply lazy expiry: an expired key is deleted on first touch and is
/// invisible from then on.
public final class Database {
    public typealias Node = KeyTable<KeyEntry>.Node

    public let index: Int
    unowned let keyspace: Keyspace
    var table = KeyTable<KeyEntry>()
    /// Keys with a TTL (shares the key bytes with `table`).
    var volatileKeys = KeyTable<Void>()
    /// Counters for INFO keyspace / stats.
    public private(set) var expiredCount = 0
    /// Told of each key created or expired as it happens (keyspace
    /// notifications `new` and `expired`, which precede the command's own events).
    public var lifecycleObserver: KeyLifecycleObserver?

    init(index: Int, keyspace: Keyspace) {
        self.index = index
        self.keyspace = keyspace
    }

    /// Number of keys, expired-but-not-yet-reclaimed ones included (as DBSIZE in Valkey).
    public var count: Int { table.count }
    public var volatileCount: Int { volatileKeys.count }

    private var now: Int64 { keyspace.now }

    // MARK: reading

    /// The live entry for `key`, applying lazy expiry; nil when absent or expired.
    @inline(__always)
    public func lookup(_ key: [UInt8]) -> Node? {
        guard let node = table.node(for: ByteString(key)) else { return nil }
        if node.value.expireAt != 0 && node.value.expireAt <= now {
            expire(node.key)
            return nil
        }
        return node
    }

    /// Prefetches the entries of keys about to be looked up (`KeyTable.prefetch`).
    public func prefetch(keyHashes: UnsafeBufferPointer<Int>) {
        table.prefetch(keyHashes)
    }

    /// The member table of the hash, set or sorted set at `key` (raw bytes,
    /// with its hash), for prefetching its members; nil for anything else.
    /// Neither expires the key nor marks it accessed.
    public func memberTable(hash: Int, key: UnsafeRawBufferPointer) -> MemberTablePrefetching? {
        guard let node = table.node(hash: hash, bytes: key) else { return nil }
        switch node.value.value {
        case .hash(let hash): return hash.fields
        case .set(let set): return set.members
        case .zset(let zset): return zset.members
        case .string, .list: return nil
        }
    }

    /// Like `lookup`, and marks the key as accessed (OBJECT IDLETIME/FREQ).
    @inline(__always)
    public func lookupForRead(_ key: [UInt8], touch: Bool = true) -> Node? {
        guard let node = lookup(key) else { return nil }
        if touch {
            node.value.accessedAt = now
            Database.bumpFrequency(&node.value.frequency, using: &keyspace.random)
        }
        return node
    }

    // MARK: writing

    /// Stores a string value, replacing whatever the key held.
    public func setString(_ key: [UInt8], _ value: [UInt8], expiry: ExpiryUpdate = .clear, encoding: StringEncoding = .automatic) {
        let byteKey = ByteString(key)
        var existing = table.node(for: byteKey)
        if let node = existing, node.value.expireAt != 0 && node.value.expireAt <= now {
            // It had expired: it goes (as on any access), and the write creates a fresh key.
            expire(node.key)
            existing = nil
        }
        if let node = existing {
            let wasString: Bool
            if case .string = node.value.value { wasString = true } else { wasString = false }
            node.value.value = .string(value)
            node.value.stringEncoding = encoding
            node.value.accessedAt = now
            keyspace.record(wasString ? .setString(db: index, key: key, value: value)
                                      : .replaceWithString(db: index, key: key, value: value))
            switch expiry {
            case .keep:
                break
            case .clear:
                if node.value.expireAt != 0 { removeExpiry(node) }
            case .at(let at):
                applyExpiry(node, at: at)
            }
        } else {
            var entry = KeyEntry(value: .string(value), accessedAt: now)
            entry.stringEncoding = encoding
            let node = table.insert(byteKey, entry).node
            keyspace.record(.setString(db: index, key: key, value: value))
            lifecycleObserver?.keyCreated(node.key, in: index)
            if case .at(let at) = expiry { applyExpiry(node, at: at) }
        }
    }

    /// Replaces the value of an existing entry in place (APPEND, SETRANGE, INCR…),
    /// keeping its TTL, and records it.
    public func updateString(_ node: Node, _ value: [UInt8], encoding: StringEncoding = .automatic) {
        node.value.value = .string(value)
        node.value.stringEncoding = encoding
        node.value.accessedAt = now
        keyspace.record(.setString(db: index, key: node.key.bytes, value: value))
    }

    // MARK: collections

    /// Creates `key` holding `value` (a new collection, usually empty) and
    /// returns its node. If the key exists it is replaced: recorded as deleted
    /// first, TTL dropped. Records nothing else: callers record each element
    /// they put in.
    @discardableResult
    public func create(_ key: [UInt8], _ value: RedisValue) -> Node {
        let replaced = lookup(key) != nil
        if replaced {
            removeEntry(ByteString(key))
            keyspace.record(.delete(db: index, key: key))
        }
        let node = table.insert(ByteString(key), KeyEntry(value: value, accessedAt: now)).node
        // A replaced key is overwritten, not new (Valkey's `setKey`).
        if !replaced { lifecycleObserver?.keyCreated(node.key, in: index) }
        return node
    }

    /// Deletes a collection key whose last element was removed (an empty
    /// collection does not exist), recorded as a deletion.
    public func removeEmpty(_ node: Node) {
        let key = node.key
        removeEntry(key)
        keyspace.record(.delete(db: index, key: key.bytes))
    }

    /// Records one element-level change of a collection in this database
    /// (`.hashSet`, `.listPush`…), made by the caller in place.
    @inline(__always)
    public func record(_ change: ChangeRecord) {
        keyspace.record(change)
    }

    /// Inserts an entry whole (used by RENAME/MOVE/COPY/SWAP paths), overwriting;
    /// always a new key, as Valkey deletes the destination before adding it.
    func insertEntry(_ key: ByteString, _ entry: KeyEntry) {
        let node = table.insert(key, entry).node
        lifecycleObserver?.keyCreated(node.key, in: index)
        if entry.expireAt != 0 {
            volatileKeys.insert(node.key, ())
        } else {
            volatileKeys.remove(key)
        }
    }

    /// Deletes a key; returns whether it existed (expired keys count as absent).
    @discardableResult
    public func delete(_ key: [UInt8]) -> Bool {
        guard lookup(key) != nil else { return false }
        removeEntry(ByteString(key))
        keyspace.record(.delete(db: index, key: key))
        return true
    }

    /// Removes and returns a live entry without recording (callers record the operation).
    func takeEntry(_ key: [UInt8]) -> KeyEntry? {
        guard lookup(key) != nil else { return nil }
        return removeEntry(ByteString(key))
    }

    @discardableResult
    private func removeEntry(_ key: ByteString) -> KeyEntry? {
        guard let entry = table.remove(key) else { return nil }
        if entry.expireAt != 0 { volatileKeys.remove(key) }
        return entry
    }

    // MARK: expiry

    /// Sets the TTL of an existing key to an absolute instant; an instant in the
    /// past deletes the key (as Valkey does), recorded as a deletion.
    public func setExpiry(_ node: Node, at: Int64) {
        if at <= now {
            let key = node.key
            removeEntry(key)
            keyspace.record(.delete(db: index, key: key.bytes))
            return
        }
        applyExpiry(node, at: at)
    }

    /// Drops the TTL of a key; returns false if it had none.
    @discardableResult
    public func persist(_ node: Node) -> Bool {
        guard node.value.expireAt != 0 else { return false }
        removeExpiry(node)
        return true
    }

    private func applyExpiry(_ node: Node, at: Int64) {
        if node.value.expireAt == 0 { volatileKeys.insert(node.key, ()) }
        node.value.expireAt = at
        keyspace.record(.setExpiry(db: index, key: node.key.bytes, at: at))
    }

    private func removeExpiry(_ node: Node) {
        node.value.expireAt = 0
        volatileKeys.remove(node.key)
        keyspace.record(.setExpiry(db: index, key: node.key.bytes, at: 0))
    }

    /// Deletes an expired key and records why.
    private func expire(_ key: ByteString) {
        removeEntry(key)
        expiredCount += 1
        keyspace.expiredKeys += 1
        keyspace.record(.expired(db: index, key: key.bytes))
        lifecycleObserver?.keyExpired(key, in: index)
    }

    /// One round of active expiry: samples up to `samples` keys with a TTL and
    /// deletes the expired ones. Returns (sampled, expired).
    func expireSample(samples: Int, using generator: inout FastRandom) -> (sampled: Int, expired: Int) {
        var sampled = 0
        var expired = 0
        while sampled < samples, let node = volatileKeys.randomNode(using: &generator) {
            sampled += 1
            if let entry = table[node.key], entry.expireAt != 0, entry.expireAt <= now {
                expire(node.key)
                expired += 1
            }
            if volatileKeys.isEmpty { break }
        }
        return (sampled, expired)
    }

    // MARK: whole-database operations

    /// Removes every key; records one flush.
    public func flush() {
        keyspace.recordHistoryOfFlush(self)
        table.removeAll()
        volatileKeys.removeAll()
        keyspace.record(.flushDatabase(db: index))
    }

    /// Swaps contents with another database (SWAPDB); the caller records it.
    func swapContents(with other: Database) {
        swap(&table, &other.table)
        swap(&volatileKeys, &other.volatileKeys)
    }

    /// A random live key, or nil when the database is empty.
    public func randomKey() -> [UInt8]? {
        // Bounded retries: a database full of expired keys must not loop forever.
        for _ in 0..<100 {
            guard let node = table.randomNode(using: &keyspace.random) else { return nil }
            if node.value.expireAt != 0 && node.value.expireAt <= now {
                expire(node.key)
                continue
            }
            return node.key.bytes
        }
        return table.randomNode(using: &keyspace.random)?.key.bytes
    }

    /// Live keys matching `pattern` (KEYS). A pattern without wildcards is a single lookup.
    public func keys(matching pattern: GlobPattern) -> [[UInt8]] {
        if pattern.isLiteral {
            return lookup(pattern.pattern) != nil ? [pattern.pattern] : []
        }
        var result: [[UInt8]] = []
        var expired: [ByteString] = []
        let everything = pattern.matchesEverything
        table.forEach { node in
            if node.value.expireAt != 0 && node.value.expireAt <= now {
                expired.append(node.key)
            } else if everything || pattern.matches(node.key.bytes) {
                result.append(node.key.bytes)
            }
        }
        for key in expired { expire(key) }
        return result
    }

    /// One SCAN step: visits buckets from `cursor` until about `count` keys were
    /// seen (or 10×count buckets were visited), then filters by pattern and type.
    public func scan(cursor: UInt64, count: Int, pattern: GlobPattern?, type: String?) -> (cursor: UInt64, keys: [[UInt8]]) {
        // Each key is filtered as its bucket is walked, while its node is in
        // cache: collecting the nodes first retained, grew and released an
        // array of them per call.
        var keys: [[UInt8]] = []
        var expired: [ByteString] = []
        var visited = 0
        var next = cursor
        var bucketsLeft = count > Int.max / 10 ? Int.max : max(count, 1) * 10  // COUNT may be huge
        repeat {
            next = table.scan(cursor: next) { node in
                visited += 1
                if node.value.expireAt != 0 && node.value.expireAt <= now {
                    expired.append(node.key)
                    return
                }
                if let pattern, !pattern.matches(node.key.bytes) { return }
                if let type, node.value.value.typeName != type { return }
                keys.append(node.key.bytes)
            }
            bucketsLeft -= 1
        } while next != 0 && bucketsLeft > 0 && visited < count
        for key in expired { expire(key) }
        return (next, keys)
    }

    // MARK: LFU counter

    /// Valkey's logarithmic increment (lfu-log-factor 10).
    static func bumpFrequency(_ counter: inout UInt8, using generator: inout FastRandom) {
        guard counter < 255 else { return }
        let base = Double(max(Int(counter) - 5, 0))
        let probability = 1.0 / (base * 10 + 1)
        if Double.random(in: 0..<1, using: &generator) < probability { counter += 1 }
    }
}

/// Receives the keys a database creates and expires, synchronously (keyspace
/// notifications; the server's is in Commands/Core/KeyspaceEvents.swift).
public protocol KeyLifecycleObserver: AnyObject {
    func keyCreated(_ key: ByteString, in db: Int)
    func keyExpired(_ key: ByteString, in db: Int)
}
