import Foundation
import Keyspace
import Testing
@testable import Storage

@Suite struct JournalTests {
    static let everyKind: [ChangeRecord] = [
        .setString(db: 0, key: bytes("s"), value: [0, 255, 10]),
        .replaceWithString(db: 0, key: bytes("h"), value: bytes("r")),
        .delete(db: 1, key: bytes("d")),
        .expired(db: 2, key: bytes("e")),
        .setExpiry(db: 0, key: bytes("s"), at: 1_700_000_000_123),
        .rename(db: 0, from: bytes("a"), to: bytes("b")),
        .move(fromDb: 0, toDb: 15, key: bytes("m")),
        .copy(fromDb: 3, from: bytes("c"), toDb: 4, to: bytes("c2")),
        .flushDatabase(db: 7),
        .flushAll,
        .swapDatabases(1, 2),
        .hashSet(db: 0, key: bytes("h"), field: bytes("f"), value: bytes("")),
        .hashDelete(db: 0, key: bytes("h"), field: bytes("f")),
        .setAdd(db: 0, key: bytes("set"), member: bytes("x")),
        .setRemove(db: 0, key: bytes("set"), member: bytes("x")),
        .zsetAdd(db: 0, key: bytes("z"), member: bytes("m"), score: -.infinity),
        .zsetAdd(db: 0, key: bytes("z"), member: bytes("n"), score: 0.1),
        .zsetRemove(db: 0, key: bytes("z"), member: bytes("m")),
        .listPush(db: 0, key: bytes("l"), atHead: true, value: bytes("v")),
        .listTrim(db: 0, key: bytes("l"), head: 2, tail: 0),
        .listSet(db: 0, key: bytes("l"), index: -1, value: bytes("w")),
        .listInsert(db: 0, key: bytes("l"), index: 3, value: bytes("i")),
        .listRemove(db: 0, key: bytes("l"), index: 1),
    ]

    @Test func codecRoundTripsEveryRecord() throws {
        var row: [UInt8] = []
        JournalCodec.encode([(time: 42, changes: Self.everyKind), (time: -1, changes: [])], into: &row)
        let decoded = try JournalCodec.decode(row)
        #expect(decoded.count == 2)
        #expect(decoded[0].time == 42)
        #expect(decoded[0].changes == Self.everyKind)
        #expect(decoded[1].time == -1 && decoded[1].changes.isEmpty)
        #expect(throws: StorageError.self) { try JournalCodec.decode(Array(row.dropLast())) }
    }

    @Test func rowsDecodeChangeByChangeWithTheirSubmissionsTime() throws {
        var row: [UInt8] = []
        JournalCodec.encode([(time: 7, changes: Array(Self.everyKind.prefix(2))), (time: 9, changes: []),
                             (time: 8, changes: [.flushAll])], into: &row)
        var seen: [(ChangeRecord, Int64)] = []
        try JournalCodec.forEachChange(in: row) { seen.append(($0, $1)) }
        #expect(seen.map(\.0) == Array(Self.everyKind.prefix(2)) + [.flushAll])
        #expect(seen.map(\.1) == [7, 7, 8])
        #expect(throws: StorageError.self) { try JournalCodec.forEachChange(in: Array(row.dropLast(2))) { _, _ in } }
    }

    /// Tag 1 is what every string write was before string writes were split
    /// by whether they replace another type: rows of older journals must
    /// still decode to the write that replaces whatever the key held.
    @Test func olderJournalsStringWritesReplaceAnyType() throws {
        // time 5, one record: tag 1, db 0, key "h", value "v" (zig-zag varints).
        let older: [UInt8] = [10, 2, 1, 0, 2, 0x68, 2, 0x76]
        let decoded = try JournalCodec.decode(older)
        #expect(decoded.count == 1 && decoded[0].time == 5)
        #expect(decoded[0].changes == [.replaceWithString(db: 0, key: bytes("h"), value: bytes("v"))])
        var row: [UInt8] = []
        JournalCodec.encode([(time: 5, changes: [.replaceWithString(db: 0, key: bytes("h"), value: bytes("v"))])], into: &row)
        #expect(row == older)
        row = []
        JournalCodec.encode([(time: 5, changes: [.setString(db: 0, key: bytes("h"), value: bytes("v"))])], into: &row)
        #expect(row == [10, 2, 23, 0, 2, 0x68, 2, 0x76])
    }

    /// A journal left by the previous version holds a SET over a hash as a
    /// tag-1 string write (the same bytes `.replaceWithString` encodes to,
    /// checked above): replayed, it still removes the hash's rows.
    @Test func anOlderJournalsSetOverAHashReplacesTheHashRows() throws {
        let directory = TemporaryDirectory()
        let crashed = try directory.open(options: Self.neverMaterialize)
        #expect(submitAndWait(crashed.flusher, [
            .hashSet(db: 0, key: bytes("h"), field: bytes("f"), value: bytes("1")),
            .setAdd(db: 0, key: bytes("s"), member: bytes("m")),
        ]) == nil)
        try crashed.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM hashes") == 1)
        #expect(submitAndWait(crashed.flusher, [
            .replaceWithString(db: 0, key: bytes("h"), value: bytes("v")),
            .replaceWithString(db: 0, key: bytes("s"), value: bytes("w")),
        ]) == nil)
        crashed.closeAbruptly()

        let reopened = try directory.open()
        defer { reopened.close() }
        #expect(reopened.replayedChanges == 2)
        #expect(try rows(directory.databasePath, "SELECT key, value FROM strings ORDER BY key") == [["h", "v"], ["s", "w"]])
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM hashes") == 0)
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM sets") == 0)
    }

    /// Options under which nothing is materialized on its own: the journal
    /// is then the only durable copy, as right before a crash.
    static var neverMaterialize: StoreOptions {
        var options = StoreOptions()
        options.materializeIdleMilliseconds = 3_600_000
        options.materializeIntervalMilliseconds = 3_600_000
        return options
    }

    @Test func journalRowsLeftByACrashAreReplayedAtOpen() throws {
        let directory = TemporaryDirectory()
        let crashed = try directory.open(options: Self.neverMaterialize)
        #expect(submitAndWait(crashed.flusher, [.setString(db: 0, key: bytes("k"), value: bytes("v1"))]) == nil)
        #expect(submitAndWait(crashed.flusher, [
            .hashSet(db: 0, key: bytes("h"), field: bytes("f"), value: bytes("1")),
            .listPush(db: 0, key: bytes("l"), atHead: false, value: bytes("a")),
            .setString(db: 0, key: bytes("k"), value: bytes("v2")),
        ]) == nil)
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM strings") == 0)
        crashed.closeAbruptly()
        #expect(try JournalFile.records(databasePath: directory.databasePath, after: 0).map(\.sequence) == [1, 2])

        let reopened = try directory.open()
        #expect(reopened.replayedChanges == 4)
        #expect(try rows(directory.databasePath, "SELECT value FROM strings") == [["v2"]])
        #expect(try rows(directory.databasePath, "SELECT field, value FROM hashes") == [["f", "1"]])
        #expect(try scalar(directory.databasePath, "SELECT value FROM valkite_state WHERE name = 'materialized_seq'") == 2)
        #expect(try JournalFile.records(databasePath: directory.databasePath, after: 0).isEmpty)
        // New rows continue the numbering.
        #expect(submitAndWait(reopened.flusher, [.setString(db: 0, key: bytes("n"), value: bytes("1"))]) == nil)
        try reopened.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT value FROM valkite_state WHERE name = 'materialized_seq'") == 3)
        reopened.close()
    }

    @Test func aTornLastRecordIsCutOffAndTheRestReplayed() throws {
        let directory = TemporaryDirectory()
        let crashed = try directory.open(options: Self.neverMaterialize)
        #expect(submitAndWait(crashed.flusher, [.setString(db: 0, key: bytes("a"), value: bytes("1"))]) == nil)
        #expect(submitAndWait(crashed.flusher, [.setString(db: 0, key: bytes("b"), value: bytes("2"))]) == nil)
        let segment = crashed.journalPath
        crashed.closeAbruptly()
        // A crash in the middle of the second write: its last bytes never made it.
        var info = stat()
        stat(segment, &info)
        truncate(segment, info.st_size - 3)
        let reopened = try directory.open()
        #expect(reopened.replayedChanges == 1)
        #expect(try rows(directory.databasePath, "SELECT key FROM strings") == [["a"]])
        reopened.close()
    }

    @Test func aJournalThatDoesNotContinueTheDatabaseIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(options: Self.neverMaterialize)
        #expect(submitAndWait(store.flusher, [.setString(db: 0, key: bytes("a"), value: bytes("1"))]) == nil)
        store.closeAbruptly()
        // The database file of another lineage: already past the journal's first record.
        let connection = try SQLiteConnection(path: directory.databasePath)
        try connection.exec("UPDATE valkite_state SET value = -5 WHERE name = 'materialized_seq'")
        connection.close()
        #expect {
            try directory.open()
        } throws: { error in
            (error as? StorageError)?.message.contains("does not continue the database") == true
        }
    }

    @Test func collectionsPersistAtTheirGrainAndReloadExactly() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        let key = bytes("l")
        func push(_ value: String, head: Bool = false) -> ChangeRecord {
            .listPush(db: 0, key: key, atHead: head, value: bytes(value))
        }
        // Built over several batches so positions come from the database.
        #expect(submitAndWait(store.flusher, [push("c"), push("d"), push("b", head: true), push("a", head: true)]) == nil)
        try store.waitUntilMaterialized()
        #expect(submitAndWait(store.flusher, [
            .listInsert(db: 0, key: key, index: 1, value: bytes("a2")),   // a a2 b c d
            .listInsert(db: 0, key: key, index: 4, value: bytes("c2")),   // a a2 b c c2 d
            .listRemove(db: 0, key: key, index: 2),                       // a a2 c c2 d
            .listSet(db: 0, key: key, index: 0, value: bytes("A")),       // A a2 c c2 d
        ]) == nil)
        try store.waitUntilMaterialized()
        #expect(submitAndWait(store.flusher, [
            .listRemove(db: 0, key: key, index: 3),                       // A a2 c d
            .listTrim(db: 0, key: key, head: 1, tail: 0),                 // a2 c d
            push("e"),                                                    // a2 c d e
            .hashSet(db: 0, key: bytes("h"), field: bytes("f1"), value: bytes("1")),
            .hashSet(db: 0, key: bytes("h"), field: bytes("f2"), value: bytes("2")),
            .hashDelete(db: 0, key: bytes("h"), field: bytes("f1")),
            .setAdd(db: 1, key: bytes("s"), member: [0xff, 0]),
            .setAdd(db: 1, key: bytes("s"), member: bytes("m")),
            .setRemove(db: 1, key: bytes("s"), member: bytes("m")),
            .zsetAdd(db: 0, key: bytes("z"), member: bytes("x"), score: 1.5),
            .zsetAdd(db: 0, key: bytes("z"), member: bytes("y"), score: .infinity),
            .zsetAdd(db: 0, key: bytes("z"), member: bytes("x"), score: -2),
            .setExpiry(db: 0, key: bytes("h"), at: currentTimeMillis() + 100_000),
        ]) == nil)
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT value FROM lists ORDER BY pos") == [["a2"], ["c"], ["d"], ["e"]])
        let positions = try rows(directory.databasePath, "SELECT max(pos) - min(pos) + 1, count(*) FROM lists")
        #expect(positions == [["4", "4"]])  // contiguous
        #expect(try rows(directory.databasePath, "SELECT field, value FROM hashes") == [["f2", "2"]])
        #expect(try rows(directory.databasePath, "SELECT hex(member) FROM sets WHERE db = 1") == [["FF00"]])
        #expect(try rows(directory.databasePath, "SELECT member, score FROM zsets ORDER BY score")
            == [["x", "-2.0"], ["y", "Inf"]])
        store.close()

        let loaded = try reload(directory)
        #expect(loaded.keys == 4)
        let db = loaded.keyspace[0]
        guard case .list(let list)? = db.lookup(key)?.value.value,
              case .hash(let hash)? = db.lookup(bytes("h"))?.value.value,
              case .zset(let zset)? = db.lookup(bytes("z"))?.value.value,
              case .set(let set)? = loaded.keyspace[1].lookup(bytes("s"))?.value.value else {
            Issue.record("a collection did not load with its type")
            return
        }
        #expect(Array(list.elements) == [bytes("a2"), bytes("c"), bytes("d"), bytes("e")])
        #expect(hash.count == 1 && hash.fields[ByteString(bytes("f2"))] == bytes("2"))
        #expect(db.lookup(bytes("h"))!.value.expireAt > currentTimeMillis())
        #expect(set.count == 1 && set.members[ByteString([0xff, 0])] != nil)
        #expect(zset.score(of: bytes("x")) == -2 && zset.score(of: bytes("y")) == .infinity)
    }

    @Test func deletingTheLastElementDeletesTheKeyRows() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        #expect(submitAndWait(store.flusher, [
            .hashSet(db: 0, key: bytes("h"), field: bytes("f"), value: bytes("1")),
            .listPush(db: 0, key: bytes("l"), atHead: true, value: bytes("x")),
        ]) == nil)
        try store.waitUntilMaterialized()
        #expect(submitAndWait(store.flusher, [
            .hashDelete(db: 0, key: bytes("h"), field: bytes("f")), .delete(db: 0, key: bytes("h")),
            .listTrim(db: 0, key: bytes("l"), head: 1, tail: 0), .delete(db: 0, key: bytes("l")),
        ]) == nil)
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM keys") == 0)
    }
}

@Suite struct CRC32Tests {
    /// Bit by bit, as the polynomial defines it: what the sliced tables must match.
    private func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test func matchesTheStandardCheckValueAndTheBitwiseDefinition() {
        #expect(CRC32.checksum(ArraySlice(Array("123456789".utf8))) == 0xCBF4_3926)
        #expect(CRC32.checksum(ArraySlice([UInt8]())) == 0)
        var generator = SystemRandomNumberGenerator()
        for length in [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(CRC32.checksum(ArraySlice(bytes)) == reference(bytes), "length \(length)")
            // Slices that do not start at the array's first byte (unaligned loads).
            #expect(CRC32.checksum(bytes[1...]) == reference(Array(bytes[1...])), "length \(length), offset 1")
        }
    }
}
