import CPrefetch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A chained hash table from binary keys to values, built for what Swift's
/// `Dictionary` cannot do: cursor-based scanning that stays correct while the
/// table grows or shrinks between calls (SCAN, HSCAN, SSCAN), and picking a
/// random entry in O(1) expected time (RANDOMKEY, active expiry sampling).
///
/// Buckets are a power of two; the scan cursor walks bucket indexes in
/// reverse-binary order, as Valkey's `dictScan` does, so every entry present for
/// the whole iteration is returned at least once across resizes.
///
/// A large table resizes incrementally, as Valkey's dict does: a second
/// bucket array is allocated and each insertion or removal moves a few
/// buckets into it (`Keyspace.rehashCycle` moves more when the server is
/// otherwise idle), so no single command pays for relinking millions of
/// entries (a 265 ms stall when the keyspace passed 2,097,152 keys). Until it
/// is done, a key lives in the new array if its old bucket has moved, in the
/// old one otherwise: a look-up still reads one chain.
public final class KeyTable<Value> {
    public final class Node {
        // The chain's fields first: their offsets then do not depend on
        // `Value`, so the raw prefetch steps follow every table's chains
        // with the offsets found once (`keyEntryNodeLayout`).
        let hash: Int
        var next: Node?
        public let key: ByteString
        public var value: Value

        init(key: ByteString, value: Value, hash: Int, next: Node?) {
            self.key = key
            self.value = value
            self.hash = hash
            self.next = next
        }
    }

    private static var minimumBuckets: Int { 4 }
    /// Resizes of tables smaller than this relink everything at once (cheap).
    static var incrementalResizeBuckets: Int { 1024 }
    /// Buckets an insertion or removal moves while resizing (and up to ten
    /// times as many empty ones passed over): 4, or more in a large table,
    /// so a resize ends within ~32,000 of them whatever the size. While it
    /// runs, the two bucket arrays share the cache: on a keyspace growing
    /// from 2M to 3M keys, the event loop's CPU was ~20 % above relinking at
    /// once with 4 buckets per step, ~10 % with 64 (the noise is ±10 %).
    private var bucketsPerStep: Int { max(4, bucketCount >> 15) }

    /// `bucketCount` slots, each the head of a chain. Allocated by hand rather
    /// than an `Array`: the prefetch runs unspecialized (through
    /// `MemberTablePrefetching`), and reaching an array's elements there costs a
    /// generic metadata look-up per call; a pointer costs nothing. While
    /// resizing, the old array: its buckets below `movedBuckets` are empty.
    private var buckets: UnsafeMutablePointer<Node?>
    public private(set) var bucketCount: Int
    private var mask: Int
    public private(set) var count = 0
    /// While resizing: the new bucket array, `targetCount` slots.
    private var target: UnsafeMutablePointer<Node?>?
    private var targetCount = 0
    private var targetMask = 0
    /// While resizing: the old buckets already moved to `target`.
    private var movedBuckets = 0

    public init() {
        buckets = KeyTable.allocateBuckets(KeyTable.minimumBuckets)
        bucketCount = KeyTable.minimumBuckets
        mask = KeyTable.minimumBuckets - 1
    }

    deinit {
        KeyTable.free(buckets, bucketCount)
        if let target { KeyTable.free(target, targetCount) }
    }

    private static func allocateBuckets(_ count: Int) -> UnsafeMutablePointer<Node?> {
        let slots = UnsafeMutablePointer<Node?>.allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
        return slots
    }

    private static func free(_ slots: UnsafeMutablePointer<Node?>, _ count: Int) {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    public var isEmpty: Bool { count == 0 }

    /// True while a resize is moving entries to a new bucket array.
    var isResizing: Bool { target != nil }

    /// The head of the chain that holds (or would hold) a key with `hash`.
    @inline(__always)
    private func slot(_ hash: Int) -> UnsafeMutablePointer<Node?> {
        let index = hash & mask
        if let target, index < movedBuckets { return target + (hash & targetMask) }
        return buckets + index
    }

    // MARK: lookup

    @inline(__always)
    public func node(for key: ByteString) -> Node? {
        let hash = key.hashValue
        var node = slot(hash).pointee
        while let current = node {
            if current.hash == hash && current.key == key { return current }
            node = current.next
        }
        return nil
    }

    public subscript(key: ByteString) -> Value? {
        node(for: key)?.value
    }

    // MARK: prefetching

    /// Asks the CPU to fetch what looking up the keys with these hashes will
    /// touch: their buckets, then each bucket's first node, then that node's
    /// key bytes and value. Each step waits for one round of cache misses, all
    /// keys' misses at once; the look-ups that follow find them cached.
    public func prefetch(_ hashes: UnsafeBufferPointer<Int>) {
        for hash in hashes { prefetchBucket(hash: hash) }
        for hash in hashes { prefetchNode(hash: hash) }
        for hash in hashes { prefetchContents(hash: hash) }
        for hash in hashes { prefetchSecondNode(hash: hash) }
        for hash in hashes { prefetchSecondNodeContents(hash: hash) }
    }

    /// The node of a key given as raw bytes with its `ByteString` hash (no
    /// array made for it): for prefetching, which looks at a read buffer.
    public func node(hash: Int, bytes: UnsafeRawBufferPointer) -> Node? {
        var node = slot(hash).pointee
        while let current = node {
            if current.hash == hash && current.key.bytes.count == bytes.count
                && (bytes.isEmpty || current.key.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })) {
                return current
            }
            node = current.next
        }
        return nil
    }

    // MARK: mutation

    /// Inserts or replaces; returns the node now holding the key and whether it is new.
    @discardableResult
    public func insert(_ key: ByteString, _ value: Value) -> (node: Node, inserted: Bool) {
        if target != nil { moveBuckets(bucketsPerStep) }
        let hash = key.hashValue
        var node = slot(hash).pointee
        while let current = node {
            if current.hash == hash && current.key == key {
                current.value = value
                return (current, false)
            }
            node = current.next
        }
        // A shrink still passing over a sparse old array while insertions pour
        // in: finished first rather than letting the new array's chains grow.
        if target != nil && count >= targetCount * 2 { finishResize() }
        if target == nil && count >= bucketCount { resize(to: bucketCount * 2) }
        let head = slot(hash)
        let created = Node(key: key, value: value, hash: hash, next: head.pointee)
        head.pointee = created
        count += 1
        return (created, true)
    }

    /// Start-up bulk load: adds an entry per key without looking for an
    /// existing one (the caller guarantees none of `keys` is in the table, and
    /// that they are distinct), so nothing in the buckets' chains is touched.
    ///
    /// On a table of a million keys every bucket is a cache miss. The nodes
    /// are created first and then linked in a loop that does no reference
    /// counting (ownership moves: node -> bucket, old head -> `next`): an
    /// atomic retain would make each miss wait for the previous one, without
    /// it the CPU overlaps them.
    public func insertAbsent(_ keys: [ByteString], _ values: [Value]) {
        precondition(keys.count == values.count, "insertAbsent: one value per key")
        let added = keys.count
        let needed = count + added
        reserveCapacity(needed)
        let nodes = UnsafeMutablePointer<Node>.allocate(capacity: added)
        defer { nodes.deallocate() }
        for i in 0..<added {
            (nodes + i).initialize(to: Node(key: keys[i], value: values[i], hash: keys[i].hashValue, next: nil))
        }
        for i in 0..<added {
            let node = (nodes + i).move()
            let slot = buckets + (node.hash & mask)
            node.next = slot.move()
            slot.initialize(to: node)
        }
        count = needed
    }

    @discardableResult
    public func remove(_ key: ByteString) -> Value? {
        if target != nil { moveBuckets(bucketsPerStep) }
        let hash = key.hashValue
        let head = slot(hash)
        var previous: Node? = nil
        var node = head.pointee
        while let current = node {
            if current.hash == hash && current.key == key {
                if let previous { previous.next = current.next } else { head.pointee = current.next }
                current.next = nil
                count -= 1
                shrinkIfSparse()
                return current.value
            }
            previous = current
            node = current.next
        }
        return nil
    }

    public func removeAll() {
        let old = buckets, oldCount = bucketCount
        if let target { KeyTable.free(target, targetCount) }
        target = nil
        movedBuckets = 0
        buckets = KeyTable.allocateBuckets(KeyTable.minimumBuckets)
        bucketCount = KeyTable.minimumBuckets
        mask = KeyTable.minimumBuckets - 1
        count = 0
        KeyTable.free(old, oldCount)
    }

    // MARK: iteration

    /// Visits every entry (order unspecified). The body must not mutate the table.
    public func forEach(_ body: (Node) throws -> Void) rethrows {
        for index in movedBuckets..<bucketCount {
            var node = buckets[index]
            while let current = node {
                node = current.next
                try body(current)
            }
        }
        guard let target else { return }
        for index in 0..<targetCount {
            var node = target[index]
            while let current = node {
                node = current.next
                try body(current)
            }
        }
    }

    /// Visits the entries of the bucket at `cursor` and returns the next cursor
    /// (0 when the iteration is complete). The body must not mutate the table.
    public func scan(cursor: UInt64, _ body: (Node) -> Void) -> UInt64 {
        func visit(_ slot: UnsafeMutablePointer<Node?>) {
            var node = slot.pointee
            while let current = node {
                node = current.next
                body(current)
            }
        }
        guard let target else {
            let tableMask = UInt64(mask)
            visit(buckets + Int(cursor & tableMask))
            return KeyTable.nextCursor(cursor, mask: tableMask)
        }
        // Resizing: the cursor's bucket in the smaller array, then every
        // bucket of the larger one that it expands to (Valkey's dictScan).
        // Each entry is in one of the two, at its hash's bucket there.
        let (small, smallMask, large, largeMask) = bucketCount <= targetCount
            ? (buckets, UInt64(mask), target, UInt64(targetMask))
            : (target, UInt64(targetMask), buckets, UInt64(mask))
        var cursor = cursor
        visit(small + Int(cursor & smallMask))
        repeat {
            visit(large + Int(cursor & largeMask))
            cursor = KeyTable.nextCursor(cursor, mask: largeMask)
        } while cursor & (smallMask ^ largeMask) != 0
        return cursor
    }

    /// Increments the reversed cursor over the bits covered by `mask`.
    @inline(__always)
    private static func nextCursor(_ cursor: UInt64, mask: UInt64) -> UInt64 {
        var next = (cursor | ~mask).bitReversed
        next &+= 1
        return next.bitReversed
    }

    /// A uniformly chosen bucket's random entry, or nil when empty. Takes
    /// the concrete generator: called from other modules, a generic one ran
    /// unspecialized (metadata look-ups for every random number).
    public func randomNode(using generator: inout FastRandom) -> Node? {
        guard count > 0 else { return nil }
        while true {
            // While resizing, a bucket of either array (moved ones are empty).
            let index = Int.random(in: 0..<(bucketCount + targetCount), using: &generator)
            var node = index < bucketCount ? buckets[index] : target![index - bucketCount]
            guard node != nil else { continue }
            var length = 0
            var walker = node
            while let current = walker { length += 1; walker = current.next }
            var steps = Int.random(in: 0..<length, using: &generator)
            while steps > 0 { node = node!.next; steps -= 1 }
            return node
        }
    }

    // MARK: sizing

    /// Grows the bucket array so that `capacity` entries fit without a resize
    /// (start-up loading knows the row count: one allocation instead of ~20
    /// doublings that each relink every node). Relinks at once.
    public func reserveCapacity(_ capacity: Int) {
        finishResize()
        guard capacity > bucketCount else { return }
        var size = bucketCount
        while size < capacity { size *= 2 }
        startResize(to: size)
        finishResize()
    }

    /// Moves up to `buckets` buckets (and passes over up to ten times as many
    /// empty ones) of a resize in progress; returns whether it is still going.
    @discardableResult
    func moveBuckets(_ buckets: Int) -> Bool {
        guard let target else { return false }
        var moves = buckets
        var emptyVisits = buckets * 10
        while moves > 0 && movedBuckets < bucketCount {
            // Moved out: no reference counting while relinking.
            var node = (self.buckets + movedBuckets).move()
            (self.buckets + movedBuckets).initialize(to: nil)
            movedBuckets += 1
            if node == nil {
                emptyVisits -= 1
                if emptyVisits == 0 { break }
                continue
            }
            while let current = node {
                node = current.next
                let slot = target + (current.hash & targetMask)
                current.next = slot.pointee
                slot.pointee = current
            }
            moves -= 1
        }
        guard movedBuckets == bucketCount else { return true }
        KeyTable.free(self.buckets, bucketCount)
        self.buckets = target
        bucketCount = targetCount
        mask = targetMask
        self.target = nil
        targetCount = 0
        targetMask = 0
        movedBuckets = 0
        return false
    }

    private func finishResize() {
        while moveBuckets(1 << 16) {}
    }

    private func shrinkIfSparse() {
        // Keep at least ~1/8 of the buckets used so random sampling stays O(1).
        if target == nil && bucketCount > KeyTable.minimumBuckets && count * 8 < bucketCount {
            var size = KeyTable.minimumBuckets
            while size < count * 2 { size *= 2 }
            resize(to: size)
        }
    }

    /// Starts moving the entries to `size` buckets; a small table moves at once.
    private func resize(to size: Int) {
        startResize(to: size)
        if bucketCount < KeyTable.incrementalResizeBuckets && size < KeyTable.incrementalResizeBuckets {
            finishResize()
        }
    }

    private func startResize(to size: Int) {
        precondition(target == nil, "KeyTable: a resize is already in progress")
        target = KeyTable.allocateBuckets(size)
        targetCount = size
        targetMask = size - 1
        movedBuckets = 0
    }
}

extension UInt64 {
    @inline(__always)
    var bitReversed: UInt64 {
        var value = self
        value = ((value >> 1) & 0x5555_5555_5555_5555) | ((value & 0x5555_5555_5555_5555) << 1)
        value = ((value >> 2) & 0x3333_3333_3333_3333) | ((value & 0x3333_3333_3333_3333) << 2)
        value = ((value >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((value & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return value.byteSwapped
    }
}

/// Where a `KeyTable<KeyEntry>.Node` holds the references to its key's and its
/// string value's storage (byte offsets in the object), and where a storage's
/// bytes start: for `KeyTable.prefetch`, which reads them raw. Found once by
/// looking for a sample node's arrays in it, not assumed; nil (that prefetch
/// step skipped) if the layout is not the expected one.
struct KeyEntryNodeLayout {
    let keyField: Int
    let valueField: Int
    let elementsOffset: Int
    /// Where a node keeps its hash and its successor in the bucket's chain:
    /// before its key, so the same in every table whatever its `Value`.
    let hashField: Int
    let nextField: Int
}

let keyEntryNodeLayout: KeyEntryNodeLayout? = {
    let key: [UInt8] = [1, 2, 3]
    let value: [UInt8] = [4, 5, 6]
    // Values no other field of the sample holds: its hash, and its successor.
    let sampleHash = 0x5A17_E00D_C0FF_EE42
    let successor = KeyTable<KeyEntry>.Node(key: ByteString([]), value: KeyEntry(value: .string([]), accessedAt: 0),
                                            hash: 0, next: nil)
    let node = KeyTable<KeyEntry>.Node(key: ByteString(key), value: KeyEntry(value: .string(value), accessedAt: 0),
                                       hash: sampleHash, next: successor)
    return withExtendedLifetime((node, successor)) { () -> KeyEntryNodeLayout? in
        let object = UnsafeRawPointer(Unmanaged.passUnretained(node).toOpaque())
        // Every word of the allocation (Swift objects come from malloc).
        let words = valkite_allocation_size(object) / 8
        /// The field whose word is the storage of the array with these elements.
        func field(holding elements: UnsafeRawPointer) -> (offset: Int, elements: Int)? {
            for index in 2..<max(words, 2) {
                let word = object.load(fromByteOffset: index * 8, as: UInt.self)
                let address = UInt(bitPattern: elements)
                if word != 0 && word < address && address - word <= 64 { return (index * 8, Int(address - word)) }
            }
            return nil
        }
        let keyElements = node.key.bytes.withUnsafeBytes { $0.baseAddress! }
        guard case .string(let stored) = node.value.value else { return nil }
        let valueElements = stored.withUnsafeBytes { $0.baseAddress! }
        /// The offset of the word equal to `value`.
        func field(equalTo value: UInt) -> Int? {
            (2..<max(words, 2)).first { object.load(fromByteOffset: $0 * 8, as: UInt.self) == value }.map { $0 * 8 }
        }
        guard let keyField = field(holding: keyElements), let valueField = field(holding: valueElements),
              keyField.elements == valueField.elements,
              let hashField = field(equalTo: UInt(bitPattern: sampleHash)),
              let nextField = field(equalTo: UInt(bitPattern: Unmanaged.passUnretained(successor).toOpaque())),
              hashField < keyField.offset, nextField < keyField.offset else { return nil }
        return KeyEntryNodeLayout(keyField: keyField.offset, valueField: valueField.offset,
                                  elementsOffset: keyField.elements, hashField: hashField, nextField: nextField)
    }
}()

/// The member table of a hash, set or sorted set, as pipelined commands on
/// one of its fields or members are about to look it up: prefetch steps,
/// each run over all the pipeline's members before the next and before any
/// look-up.
public protocol MemberTablePrefetching: AnyObject {
    /// Step 1: the member's bucket.
    func prefetchBucket(hash: Int)
    /// Step 2 (once the bucket is cached): the bucket's first node.
    func prefetchNode(hash: Int)
    /// Step 3 (once the node is cached): its key bytes and what its value
    /// refers to (a hash field's bytes, a sorted-set member's skip-list node).
    func prefetchContents(hash: Int)
    /// Step 4 (a third of the members at the tables' usual load are not first
    /// in their bucket's chain; step 3 left the first node cached): the
    /// chain's second node, when the first holds another hash.
    func prefetchSecondNode(hash: Int)
    /// Step 5: that second node's key bytes and value.
    func prefetchSecondNodeContents(hash: Int)
}

extension KeyTable: MemberTablePrefetching {
    // Raw loads only: no reference counting, whose atomics would serialize the
    // misses; and a prefetch never faults, whatever address it is given.

    /// The address of the bucket slot for `hash`. A slot is one optional
    /// reference whatever `Value` is: a constant stride spares unspecialized
    /// callers (through the protocol) a generic metadata look-up.
    @inline(__always)
    private func withSlot(_ hash: Int, _ body: (UnsafeRawPointer) -> Void) {
        let stride = MemoryLayout<UnsafeRawPointer?>.stride
        let index = hash & mask
        if let target, index < movedBuckets {
            body(UnsafeRawPointer(target) + (hash & targetMask) * stride)
        } else {
            body(UnsafeRawPointer(buckets) + index * stride)
        }
    }

    public func prefetchBucket(hash: Int) {
        withSlot(hash) { valkite_prefetch($0) }
    }

    public func prefetchNode(hash: Int) {
        withSlot(hash) { slot in
            // The slot holds the node's reference: its address.
            guard let node = slot.load(as: UnsafeRawPointer?.self) else { return }
            valkite_prefetch(node)
            valkite_prefetch(node + 64)
        }
    }

    /// The second node of the chain, when the first (cached by now) holds
    /// another hash.
    @inline(__always)
    func secondNode(hash: Int) -> UnsafeRawPointer? {
        guard let layout = keyEntryNodeLayout else { return nil }
        var second: UnsafeRawPointer? = nil
        withSlot(hash) { slot in
            guard let first = slot.load(as: UnsafeRawPointer?.self),
                  first.load(fromByteOffset: layout.hashField, as: Int.self) != hash else { return }
            second = first.load(fromByteOffset: layout.nextField, as: UnsafeRawPointer?.self)
        }
        return second
    }

    public func prefetchSecondNode(hash: Int) {
        guard let node = secondNode(hash: hash) else { return }
        valkite_prefetch(node)
        valkite_prefetch(node + 64)
    }

    public func prefetchSecondNodeContents(hash: Int) {
        guard let node = secondNode(hash: hash) else { return }
        Self.prefetchKeyAndValue(of: node)
    }

    public func prefetchContents(hash: Int) {
        withSlot(hash) { slot in
            guard let node = slot.load(as: UnsafeRawPointer?.self) else { return }
            Self.prefetchKeyAndValue(of: node)
        }
    }

    /// The storage of a node's key and of what its value refers to. Every
    /// table's nodes keep `key` and `value` where key-entry nodes do (after
    /// the chain's fields, whatever `Value` is). The word after the key is
    /// not always a reference (a set's nodes have no value); prefetching
    /// whatever it holds is harmless.
    @inline(__always)
    private static func prefetchKeyAndValue(of node: UnsafeRawPointer) {
        guard let layout = keyEntryNodeLayout else { return }
        func prefetchStorage(at field: Int) {
            guard let storage = node.load(fromByteOffset: field, as: UnsafeRawPointer?.self) else { return }
            valkite_prefetch(storage)
            valkite_prefetch(storage + layout.elementsOffset)
        }
        prefetchStorage(at: layout.keyField)
        prefetchStorage(at: layout.valueField)
    }
}
