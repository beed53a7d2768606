import Testing
@testable import Keyspace

@Suite struct DatabaseTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func writesEmitChangeRecordsAtTheirGrain() {
        let keyspace = Keyspace(databaseCount: 2, now: 1_000)
        let db = keyspace[0]
        db.setString(bytes("a"), bytes("1"))
        db.setString(bytes("a"), bytes("2"), expiry: .at(5_000))
        db.delete(bytes("missing"))
        db.delete(bytes("a"))
        keyspace.swapDatabases(0, 1)
        #expect(keyspace.drainChanges() == [
            .setString(db: 0, key: bytes("a"), value: bytes("1")),
            .setString(db: 0, key: bytes("a"), value: bytes("2")),
            .setExpiry(db: 0, key: bytes("a"), at: 5_000),
            .delete(db: 0, key: bytes("a")),
            .swapDatabases(0, 1),
        ])
        #expect(keyspace.drainChanges().isEmpty)
        #expect(keyspace.changeCount == 5)
    }

    /// SET over another type is recorded apart, so that the storage side
    /// replaces the old type's rows only then (ChangeWriter).
    @Test func stringWritesSayWhetherTheyReplaceAnotherType() {
        let keyspace = Keyspace(databaseCount: 1, now: 1_000)
        let db = keyspace[0]
        db.create(bytes("h"), .hash(HashValue()))
        db.setString(bytes("h"), bytes("over a hash"))
        db.setString(bytes("h"), bytes("over a string"))
        db.setString(bytes("new"), bytes("1"))
        #expect(keyspace.drainChanges() == [
            .replaceWithString(db: 0, key: bytes("h"), value: bytes("over a hash")),
            .setString(db: 0, key: bytes("h"), value: bytes("over a string")),
            .setString(db: 0, key: bytes("new"), value: bytes("1")),
        ])
    }

    @Test func lazyExpiryHidesAndDeletes() {
        let keyspace = Keyspace(databaseCount: 1, now: 1_000)
        let db = keyspace[0]
        db.setString(bytes("k"), bytes("v"), expiry: .at(2_000))
        #expect(db.lookup(bytes("k")) != nil)
        #expect(db.volatileCount == 1)
        keyspace.now = 2_000
        _ = keyspace.drainChanges()
        #expect(db.lookup(bytes("k")) == nil)
        #expect(db.count == 0)
        #expect(db.volatileCount == 0)
        #expect(keyspace.drainChanges() == [.expired(db: 0, key: bytes("k"))])
        #expect(keyspace.expiredKeys == 1)
    }

    @Test func plainSetClearsTTLAndKeepTTLKeepsIt() {
        let keyspace = Keyspace(databaseCount: 1, now: 0)
        let db = keyspace[0]
        db.setString(bytes("k"), bytes("v"), expiry: .at(100))
        db.setString(bytes("k"), bytes("w"), expiry: .keep)
        #expect(db.lookup(bytes("k"))?.value.expireAt == 100)
        db.setString(bytes("k"), bytes("x"))
        #expect(db.lookup(bytes("k"))?.value.expireAt == 0)
        #expect(db.volatileCount == 0)
    }

    /// The server's cron finishes a key-table resize that writes started.
    @Test func resizeCycleFinishesAResizeInProgress() {
        let keyspace = Keyspace(databaseCount: 1, now: 0)
        let db = keyspace[0]
        let size = KeyTable<KeyEntry>.incrementalResizeBuckets
        for index in 0...size { db.setString(bytes("k\(index)"), bytes("\(index)")) }
        #expect(db.table.isResizing)
        keyspace.resizeCycle(budgetMicros: 1_000_000)
        #expect(!db.table.isResizing && db.table.bucketCount == size * 2)
        for index in 0...size { #expect(db.table[ByteString(bytes("k\(index)"))] != nil) }
    }

    @Test func activeExpiryRemovesUntouchedKeys() {
        let keyspace = Keyspace(databaseCount: 1, now: 0)
        let db = keyspace[0]
        for index in 0..<1_000 { db.setString(bytes("t\(index)"), [], expiry: .at(10)) }
        for index in 0..<100 { db.setString(bytes("p\(index)"), []) }
        keyspace.now = 20
        var rounds = 0
        while db.count > 100 && rounds < 1_000 {
            keyspace.activeExpireCycle(budgetMicros: 1_000_000)
            rounds += 1
        }
        #expect(db.count == 100)
        #expect(db.volatileCount == 0)
    }

    @Test func renameMoveCopyCarryValueAndTTL() {
        let keyspace = Keyspace(databaseCount: 2, now: 0)
        let db = keyspace[0]
        db.setString(bytes("a"), bytes("1"), expiry: .at(500))
        keyspace.rename(in: 0, from: bytes("a"), to: bytes("b"))
        #expect(db.lookup(bytes("a")) == nil)
        #expect(db.lookup(bytes("b"))?.value.expireAt == 500)
        keyspace.copy(from: bytes("b"), in: 0, to: bytes("c"), in: 1)
        #expect(keyspace[1].lookup(bytes("c"))?.value.expireAt == 500)
        keyspace.move(key: bytes("b"), from: 0, to: 1)
        #expect(db.count == 0)
        #expect(keyspace[1].count == 2)
        #expect(keyspace[1].volatileCount == 2)
    }

    @Test func scanWithPatternAndType() {
        let keyspace = Keyspace(databaseCount: 1, now: 0)
        let db = keyspace[0]
        for index in 0..<1_000 { db.setString(bytes("other:\(index)"), []) }
        for index in 0..<15 { db.setString(bytes("tickers:\(index)"), []) }
        var found = Set<[UInt8]>()
        var cursor: UInt64 = 0
        var calls = 0
        repeat {
            let step = db.scan(cursor: cursor, count: 10, pattern: GlobPattern("tickers:*"), type: "string")
            cursor = step.cursor
            found.formUnion(step.keys)
            calls += 1
        } while cursor != 0
        #expect(found.count == 15)
        // Each call visits a bounded number of buckets, not the whole keyspace.
        #expect(calls > 50)
        let none = db.scan(cursor: 0, count: 10_000, pattern: nil, type: "hash")
        #expect(none.keys.isEmpty)
    }

    @Test func keysWithLiteralPatternIsALookup() {
        let keyspace = Keyspace(databaseCount: 1, now: 0)
        keyspace[0].setString(bytes("a"), [])
        keyspace[0].setString(bytes("ab"), [])
        #expect(keyspace[0].keys(matching: GlobPattern("a")) == [bytes("a")])
        #expect(Set(keyspace[0].keys(matching: GlobPattern("a*"))) == [bytes("a"), bytes("ab")])
    }
}
