import Foundation
import Keyspace
import Testing
@testable import Storage

/// Every change-record kind, produced by the real keyspace, committed, then
/// read back into a new keyspace after a reopen.
@Suite struct RoundTripTests {
    let now: Int64 = currentTimeMillis()

    @Test func binaryKeysAndValuesEmptyAndLarge() throws {
        let directory = TemporaryDirectory()
        let keyspace = Keyspace(databaseCount: 16, now: now)
        let binaryKey: [UInt8] = [0x00, 0xFF, 0x41, 0x00, 0xC3]
        let binaryValue: [UInt8] = [0xFF, 0x00, 0xFE, 0x00, 0x80, 0xC0, 0xAF]
        let large = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        keyspace[0].setString(binaryKey, binaryValue)
        keyspace[0].setString(bytes("empty"), [])
        keyspace[0].setString([], bytes("the empty key"))
        keyspace[0].setString(bytes("large"), large)
        keyspace[0].setString(bytes("json"), bytes(#"{"free": 12.5, "name": "é ✓ 𝄞"}"#))
        keyspace[0].setString(bytes("nul inside utf8"), [0x61, 0x00, 0x62])
        keyspace[0].setString(bytes("surrogate"), [0xED, 0xA0, 0x80])
        keyspace[0].setString(bytes("number"), bytes("00123"))
        keyspace[15].setString(bytes("last db"), bytes("x"))
        let store = try directory.open()
        #expect(persist(keyspace, to: store) == nil)
        store.close()

        let loaded = try reload(directory, now: now)
        #expect(loaded.keys == 9)
        #expect(loaded.expired == 0)
        #expect(contents(of: loaded.keyspace) == contents(of: keyspace))
        #expect(loaded.keyspace[0].lookup(bytes("large")).map { node -> Bool in
            if case .string(let value) = node.value.value { return value == large }
            return false
        } == true)
    }

    @Test func overwritesDeletesAndTTLs() throws {
        let directory = TemporaryDirectory()
        let keyspace = Keyspace(databaseCount: 16, now: now)
        let store = try directory.open()
        let db = keyspace[0]
        db.setString(bytes("a"), bytes("1"))
        db.setString(bytes("ttl"), bytes("v"), expiry: .at(now + 60_000))
        db.setString(bytes("persisted"), bytes("v"), expiry: .at(now + 60_000))
        db.setString(bytes("gone"), bytes("v"), expiry: .at(now + 60_000))
        db.setString(bytes("soon"), bytes("v"), expiry: .at(now + 10))
        #expect(persist(keyspace, to: store) == nil)

        db.setString(bytes("a"), bytes("2"))                              // overwrite
        db.setString(bytes("ttl"), bytes("w"), expiry: .keep)             // keeps the TTL
        db.persist(db.lookup(bytes("persisted"))!)                         // setExpiry(at: 0)
        db.delete(bytes("gone"))                                           // delete drops the TTL row
        keyspace.now = now + 20
        #expect(db.lookup(bytes("soon")) == nil)                           // .expired
        db.setString(bytes("reset"), bytes("v"), expiry: .at(now + 60_000))
        db.setString(bytes("reset"), bytes("v2"))                         // plain SET clears the TTL
        #expect(persist(keyspace, to: store) == nil)
        store.close()

        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM expires") == 1)
        let loaded = try reload(directory, now: now + 20)
        #expect(contents(of: loaded.keyspace) == contents(of: keyspace))
        #expect(loaded.keyspace[0].lookup(bytes("ttl"))?.value.expireAt == now + 60_000)
        #expect(loaded.keyspace[0].lookup(bytes("persisted"))?.value.expireAt == 0)
        #expect(loaded.keyspace[0].volatileCount == 1)
    }

    @Test func renameMoveCopyCarryValueAndTTL() throws {
        let directory = TemporaryDirectory()
        let keyspace = Keyspace(databaseCount: 16, now: now)
        let store = try directory.open()
        let db = keyspace[0]
        db.setString(bytes("src"), bytes("value"), expiry: .at(now + 50_000))
        db.setString(bytes("dst"), bytes("old"), expiry: .at(now + 99_000))
        db.setString(bytes("plain"), bytes("p"))
        db.setString(bytes("mover"), bytes("m"), expiry: .at(now + 70_000))
        db.setString(bytes("copied"), bytes("c"), expiry: .at(now + 80_000))
        keyspace[4].setString(bytes("copied"), bytes("overwritten"))
        #expect(persist(keyspace, to: store) == nil)

        keyspace.rename(in: 0, from: bytes("src"), to: bytes("dst"))       // replaces dst and its TTL
        keyspace.rename(in: 0, from: bytes("plain"), to: bytes("plain2"))
        keyspace.move(key: bytes("mover"), from: 0, to: 3)
        keyspace.copy(from: bytes("copied"), in: 0, to: bytes("copied"), in: 4)
        keyspace.copy(from: bytes("dst"), in: 0, to: bytes("dst copy"), in: 0)
        #expect(persist(keyspace, to: store) == nil)
        store.close()

        let loaded = try reload(directory, now: now)
        #expect(contents(of: loaded.keyspace) == contents(of: keyspace))
        #expect(loaded.keyspace[0].lookup(bytes("dst"))?.value.expireAt == now + 50_000)
        #expect(loaded.keyspace[3].lookup(bytes("mover"))?.value.expireAt == now + 70_000)
        #expect(loaded.keyspace[4].lookup(bytes("copied"))?.value.expireAt == now + 80_000)
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM expires") == 5)  // dst, dst copy, copied ×2, mover
    }

    @Test func flushAndSwapDatabases() throws {
        let directory = TemporaryDirectory()
        let keyspace = Keyspace(databaseCount: 16, now: now)
        let store = try directory.open()
        for db in 0..<6 {
            for index in 0..<20 {
                keyspace[db].setString(bytes("k\(index)"), bytes("db\(db)-\(index)"),
                                       expiry: index % 3 == 0 ? .at(now + 10_000 + Int64(db)) : .clear)
            }
        }
        #expect(persist(keyspace, to: store) == nil)
        keyspace[2].flush()
        keyspace.swapDatabases(0, 1)
        keyspace.swapDatabases(3, 9)
        #expect(persist(keyspace, to: store) == nil)
        store.close()
        var loaded = try reload(directory, now: now)
        #expect(contents(of: loaded.keyspace) == contents(of: keyspace))
        #expect(loaded.keyspace[1].lookup(bytes("k3"))?.value.expireAt == now + 10_000)
        #expect(loaded.keyspace[9].count == 20)

        let again = try directory.open()
        keyspace.flushAll()
        keyspace[7].setString(bytes("after"), bytes("flushall"))
        #expect(persist(keyspace, to: again) == nil)
        again.close()
        loaded = try reload(directory, now: now)
        #expect(contents(of: loaded.keyspace) == contents(of: keyspace))
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM expires") == 0)
    }

    @Test func keysExpiredWhileClosedAreDroppedAndDeleted() throws {
        let directory = TemporaryDirectory()
        let keyspace = Keyspace(databaseCount: 16, now: now)
        let store = try directory.open()
        keyspace[0].setString(bytes("short"), bytes("v"), expiry: .at(now + 100))
        keyspace[1].setString(bytes("short2"), [0xFF], expiry: .at(now + 200))
        keyspace[0].setString(bytes("long"), bytes("v"), expiry: .at(now + 100_000))
        keyspace[0].setString(bytes("forever"), bytes("v"))
        #expect(persist(keyspace, to: store) == nil)
        store.close()

        let loaded = try reload(directory, now: now + 1_000)
        #expect(loaded.keys == 2)
        #expect(loaded.expired == 2)
        #expect(loaded.keyspace[0].lookup(bytes("short")) == nil)
        #expect(loaded.keyspace[0].lookup(bytes("long"))?.value.expireAt == now + 100_000)
        // Loading records nothing and counts nothing as a change.
        #expect(loaded.keyspace.pendingChanges.isEmpty)
        #expect(loaded.keyspace.changeCount == 0)
        #expect(loaded.keyspace.recordsChanges)
        // Deleted from the file, value and TTL.
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM strings") == 2)
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM expires") == 1)
    }

    @Test func loadRefusesDatabasesBeyondTheConfiguredCount() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [.setString(db: 12, key: bytes("k"), value: bytes("v"))]) == nil)
        store.close()
        #expect(throws: StorageError.self) { try reload(directory, databases: 4) }
    }
}
