import Testing
@testable import Keyspace

/// The bulk paths the start-up loader uses (StartupLoading.swift,
/// KeyTable.insertAbsent / reserveCapacity).
@Suite struct StartupLoadingTests {
    private func key(_ index: Int) -> ByteString { ByteString("key:\(index)") }

    @Test func insertAbsentLinksEveryEntryAcrossResizes() {
        let table = KeyTable<Int>()
        table.insert(key(-1), -1)
        // Batches that each outgrow the table, and an empty one.
        for start in stride(from: 0, to: 5_000, by: 700) {
            let range = start..<min(start + 700, 5_000)
            table.insertAbsent(range.map(key), Array(range))
        }
        table.insertAbsent([], [])
        #expect(table.count == 5_001)
        #expect(table.bucketCount >= 5_001 && table.bucketCount < 2 * 8_192)
        for index in -1..<5_000 { #expect(table[key(index)] == index) }
        var scanned = 0
        table.forEach { _ in scanned += 1 }
        #expect(scanned == 5_001)
        // Ordinary operations afterwards.
        #expect(table.insert(key(42), 0).inserted == false)
        for index in 0..<4_990 { #expect(table.remove(key(index)) != nil) }
        #expect(table.count == 11)
        #expect(table[key(4_995)] == 4_995)
    }

    @Test func reserveCapacityOnlyGrows() {
        let table = KeyTable<Int>()
        table.reserveCapacity(1_000)
        #expect(table.bucketCount == 1_024)
        for index in 0..<1_000 { table.insert(key(index), index) }
        #expect(table.bucketCount == 1_024)  // no doubling on the way
        table.reserveCapacity(10)
        #expect(table.bucketCount == 1_024)
        #expect(table[key(999)] == 999)
    }

    @Test func loadedStringsAreOrdinaryKeys() {
        let keyspace = Keyspace(databaseCount: 2, now: 1_000)
        keyspace.recordsChanges = false
        let database = keyspace[1]
        database.reserveCapacity(3)
        database.loadNewStrings([Array("a".utf8), Array("b".utf8)], [Array("1".utf8), Array("2".utf8)])
        database.loadString(Array("c".utf8), Array("3".utf8))
        database.loadString(Array("a".utf8), Array("replaced".utf8))
        #expect(database.count == 3)
        #expect(database.lookup(Array("a".utf8)).map { node -> Bool in
            if case .string(let value) = node.value.value { return value == Array("replaced".utf8) }
            return false
        } == true)
        #expect(database.lookup(Array("b".utf8))?.value.accessedAt == 1_000)
        // A key given a TTL, then loaded again, loses it (the new entry has none).
        database.setExpiry(database.lookup(Array("b".utf8))!, at: 5_000)
        #expect(database.volatileCount == 1)
        database.loadString(Array("b".utf8), Array("again".utf8))
        #expect(database.volatileCount == 0)
        #expect(database.lookup(Array("b".utf8))?.value.expireAt == 0)
        #expect(database.delete(Array("a".utf8)))
        #expect(database.lookup(Array("a".utf8)) == nil)
    }

    @Test func loadedFieldsAndMembers() {
        let hash = HashValue()
        hash.loadField(Array("f".utf8), Array("1".utf8))
        hash.loadField(Array("g".utf8), Array("2".utf8))
        hash.loadField(Array("f".utf8), Array("3".utf8))
        #expect(hash.count == 2)
        #expect(hash[Array("f".utf8)] == Array("3".utf8))
        let set = SetValue()
        set.loadMember(Array("m".utf8))
        set.loadMember(Array("m".utf8))
        set.loadMember(Array("n".utf8))
        #expect(set.count == 2)
    }
}
