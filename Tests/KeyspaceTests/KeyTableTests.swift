import Testing
@testable import Keyspace

@Suite struct KeyTableTests {
    private func key(_ index: Int) -> ByteString { ByteString("key:\(index)") }

    @Test func insertLookupRemove() {
        let table = KeyTable<Int>()
        for index in 0..<10_000 { table.insert(key(index), index) }
        #expect(table.count == 10_000)
        #expect(table[key(1234)] == 1234)
        #expect(table.insert(key(1234), -1).inserted == false)
        #expect(table[key(1234)] == -1)
        for index in 0..<9_990 { #expect(table.remove(key(index)) != nil) }
        #expect(table.count == 10)
        #expect(table.remove(key(0)) == nil)
        // Shrinks so that random sampling stays cheap.
        #expect(table.bucketCount <= 64)
        #expect(table[key(9_995)] == 9_995)
    }

    /// SCAN's guarantee: every element present for the whole iteration is
    /// returned at least once, even when the table grows or shrinks meanwhile.
    @Test(arguments: [true, false])
    func scanReturnsEveryStableElementAcrossResizes(growing: Bool) {
        let table = KeyTable<Int>()
        let stable = 0..<500
        for index in stable { table.insert(key(index), index) }
        if !growing { for index in 1000..<5000 { table.insert(key(index), index) } }
        var seen = Set<ByteString>()
        var cursor: UInt64 = 0
        var step = 0
        repeat {
            cursor = table.scan(cursor: cursor) { seen.insert($0.key) }
            step += 1
            // Churn between calls forces resizes in the middle of the iteration.
            if growing && step % 3 == 0 && step < 200 {
                for index in 0..<40 { table.insert(key(10_000 + step * 40 + index), 0) }
            } else if !growing && step % 2 == 0 && step < 140 {
                for index in 0..<60 { table.remove(key(1000 + (step / 2) * 60 + index)) }
            }
        } while cursor != 0 && step < 100_000
        #expect(cursor == 0)
        let missing = stable.filter { !seen.contains(key($0)) }
        #expect(missing.isEmpty)
    }

    /// A large table grows a few buckets per insertion, not all at once, and
    /// every entry stays reachable while its bucket waits to move.
    @Test func largeTablesResizeIncrementally() {
        let table = KeyTable<Int>()
        let threshold = KeyTable<Int>.incrementalResizeBuckets
        for index in 0..<threshold { table.insert(key(index), index) }
        #expect(!table.isResizing && table.bucketCount == threshold)
        table.insert(key(threshold), threshold)
        #expect(table.isResizing && table.bucketCount == threshold)  // the old array, still in use
        var inserted = threshold + 1
        while table.isResizing {
            for index in stride(from: 0, to: inserted, by: 97) { #expect(table[key(index)] == index) }
            table.insert(key(inserted), inserted)
            inserted += 1
        }
        #expect(table.bucketCount == threshold * 2)
        // 4 buckets per insertion (and up to 40 empty ones passed over).
        #expect(inserted - threshold <= threshold / 4 + 1)
        for index in 0..<inserted { #expect(table[key(index)] == index) }
        // Removing most of them shrinks, incrementally too, down to a small array.
        for index in 0..<(inserted - 20) { #expect(table.remove(key(index)) == index) }
        while table.moveBuckets(100) {}
        #expect(table.bucketCount <= 20 * 8 && table.count == 20)
        for index in (inserted - 20)..<inserted { #expect(table[key(index)] == index) }
    }

    /// Random insertions, removals, look-ups, scans and random picks against a
    /// dictionary, across growths and shrinks that overlap all of them.
    @Test func resizingTableAgreesWithADictionary() {
        let table = KeyTable<Int>()
        var model: [ByteString: Int] = [:]
        var generator = FastRandom(seed: 7)
        for round in 0..<40_000 {
            // Grow to ~6,000 entries, shrink to ~100, grow again.
            let growing = (round / 10_000) % 2 == 0
            let index = Int.random(in: 0..<8_000, using: &generator)
            if Int.random(in: 0..<100, using: &generator) < (growing ? 75 : 20) {
                let inserted = table.insert(key(index), round).inserted
                #expect(inserted == (model.updateValue(round, forKey: key(index)) == nil))
            } else {
                #expect(table.remove(key(index)) == model.removeValue(forKey: key(index)))
            }
            if round % 997 == 0 {
                #expect(table.count == model.count)
                var visited: [ByteString: Int] = [:]
                table.forEach { visited[$0.key] = $0.value }
                #expect(visited == model)
                var scanned = Set<ByteString>()
                var cursor: UInt64 = 0
                repeat { cursor = table.scan(cursor: cursor) { scanned.insert($0.key) } } while cursor != 0
                #expect(scanned == Set(model.keys))
                if let picked = table.randomNode(using: &generator) { #expect(model[picked.key] == picked.value) }
            }
        }
        for (key, value) in model { #expect(table[key] == value) }
    }

    @Test func randomNodeCoversTheTable() {
        let table = KeyTable<Int>()
        for index in 0..<20 { table.insert(key(index), index) }
        var generator = FastRandom(seed: 42)
        var seen = Set<Int>()
        for _ in 0..<2_000 { seen.insert(table.randomNode(using: &generator)!.value) }
        #expect(seen.count == 20)
        #expect(KeyTable<Int>().randomNode(using: &generator) == nil)
    }
}

@Suite struct KeyTablePrefetchTests {
    /// The prefetch reads nodes raw: the layout it found must point at the
    /// real storage of a node's key and string value.
    @Test func nodeLayoutIsFoundAndPointsAtTheArrays() throws {
        let layout = try #require(keyEntryNodeLayout)
        // Member tables' nodes are prefetched with the value just after the key.
        #expect(layout.valueField == layout.keyField + 8)
        let key: [UInt8] = Array("some:key".utf8)
        let value: [UInt8] = Array(repeating: 7, count: 100)
        let successor = KeyTable<KeyEntry>.Node(key: ByteString([]), value: KeyEntry(value: .string([]), accessedAt: 0),
                                                hash: 0, next: nil)
        let node = KeyTable<KeyEntry>.Node(key: ByteString(key), value: KeyEntry(value: .string(value), accessedAt: 0),
                                           hash: -12345, next: successor)
        withExtendedLifetime((node, successor)) {
            let object = UnsafeRawPointer(Unmanaged.passUnretained(node).toOpaque())
            let keyStorage = object.load(fromByteOffset: layout.keyField, as: UnsafeRawPointer.self)
            let valueStorage = object.load(fromByteOffset: layout.valueField, as: UnsafeRawPointer.self)
            key.withUnsafeBytes { #expect(keyStorage + layout.elementsOffset == $0.baseAddress!) }
            value.withUnsafeBytes { #expect(valueStorage + layout.elementsOffset == $0.baseAddress!) }
            // The chain's links, which the second-node steps follow.
            #expect(object.load(fromByteOffset: layout.hashField, as: Int.self) == -12345)
            #expect(object.load(fromByteOffset: layout.nextField, as: UnsafeRawPointer.self)
                == UnsafeRawPointer(Unmanaged.passUnretained(successor).toOpaque()))
        }
    }

    /// Member tables' nodes (any `Value`) keep their chain fields where the
    /// key table's do: the member prefetch follows their chains with the
    /// key table's offsets.
    @Test func memberNodesShareTheChainFields() throws {
        let layout = try #require(keyEntryNodeLayout)
        let successor = KeyTable<[UInt8]>.Node(key: ByteString([9]), value: [], hash: 0, next: nil)
        let node = KeyTable<[UInt8]>.Node(key: ByteString([1, 2]), value: [3], hash: 77, next: successor)
        let member = KeyTable<Double>.Node(key: ByteString([4]), value: 2.5, hash: -5, next: nil)
        withExtendedLifetime((node, successor, member)) {
            let object = UnsafeRawPointer(Unmanaged.passUnretained(node).toOpaque())
            #expect(object.load(fromByteOffset: layout.hashField, as: Int.self) == 77)
            #expect(object.load(fromByteOffset: layout.nextField, as: UnsafeRawPointer.self)
                == UnsafeRawPointer(Unmanaged.passUnretained(successor).toOpaque()))
            let other = UnsafeRawPointer(Unmanaged.passUnretained(member).toOpaque())
            #expect(other.load(fromByteOffset: layout.hashField, as: Int.self) == -5)
            #expect(other.load(fromByteOffset: layout.nextField, as: UInt.self) == 0)
        }
    }

    /// Prefetching is only a hint: look-ups afterwards see the same table,
    /// whatever the hashes (present keys, absent keys, empty buckets).
    @Test func prefetchChangesNothing() {
        let table = KeyTable<KeyEntry>()
        for index in 0..<1000 {
            table.insert(ByteString("k\(index)"), KeyEntry(value: index % 3 == 0 ? .string(Array("v\(index)".utf8)) : .hash(HashValue()), accessedAt: 0))
        }
        let hashes = (0..<1200).map { ByteString("k\($0)").hashValue } + [0, -1, Int.max, Int.min]
        hashes.withUnsafeBufferPointer { table.prefetch($0) }
        #expect(table.count == 1000)
        for index in 0..<1200 { #expect((table[ByteString("k\(index)")] != nil) == (index < 1000)) }
        let raw: [UInt8] = Array("k17".utf8)
        #expect(raw.withUnsafeBytes { ByteString.hashValue(of: $0) } == ByteString("k17").hashValue)
    }
}

extension KeyTablePrefetchTests {
    /// The second-node steps must find the node of a key that is second in
    /// its bucket's chain (about a quarter of the keys at this load), and
    /// only ever a node of the table.
    @Test func secondNodeStepsFindTheChainsSecondNodes() throws {
        _ = try #require(keyEntryNodeLayout)
        let table = KeyTable<KeyEntry>()
        let keys = (0..<1000).map { ByteString("key:\($0)") }
        for key in keys { table.insert(key, KeyEntry(value: .string([1]), accessedAt: 0)) }
        let nodes = Set(keys.map { UnsafeRawPointer(Unmanaged.passUnretained(table.node(for: $0)!).toOpaque()) })
        var found = 0
        for key in keys {
            guard let second = table.secondNode(hash: key.hashValue) else { continue }
            #expect(nodes.contains(second))
            if second == UnsafeRawPointer(Unmanaged.passUnretained(table.node(for: key)!).toOpaque()) { found += 1 }
        }
        #expect(found > 100)
    }
}

@Suite struct KeyTableRawLookupTests {
    @Test func rawBytesFindTheSameNodes() {
        let table = KeyTable<Int>()
        for index in 0..<500 { table.insert(ByteString("m\(index)"), index) }
        table.insert(ByteString(""), -1)
        for name in ["m0", "m499", "m500", "", "m"] {
            let bytes = Array(name.utf8)
            let found = bytes.withUnsafeBytes { table.node(hash: ByteString(bytes).hashValue, bytes: $0) }
            #expect(found?.value == table[ByteString(bytes)], "\(name)")
        }
        // The member-table prefetch steps leave the table as it was.
        for index in 0..<600 {
            table.prefetchBucket(hash: ByteString("m\(index)").hashValue)
            table.prefetchNode(hash: ByteString("m\(index)").hashValue)
        }
        #expect(table.count == 501)
        #expect(table[ByteString("m42")] == 42)
    }
}
