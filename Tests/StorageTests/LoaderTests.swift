import Foundation
import Keyspace
import Testing
@testable import Storage

/// Start-up loading (Loader.swift): the bulk string path and its batches, the
/// fallback for hand-edited rows, collections whose rows are not adjacent,
/// and what the load leaves behind (memory map, a working store).
@Suite struct LoaderTests {
    let now: Int64 = currentTimeMillis()

    /// Rows alternate between two databases and outnumber a batch, so the
    /// batches are cut by database changes and by size.
    @Test func stringsAcrossDatabasesAndBatches() throws {
        let directory = TemporaryDirectory()
        let keyspace = Keyspace(databaseCount: 16, now: now)
        for index in 0..<1_500 {
            keyspace[index % 7 == 0 ? 3 : 0].setString(bytes("key:\(index)"), bytes("value \(index)"))
        }
        keyspace[0].setString([0xFF, 0x00], [0x01])  // a BLOB key among TEXT ones
        let store = try directory.open()
        #expect(persist(keyspace, to: store) == nil)
        store.close()

        let loaded = try reload(directory, now: now)
        #expect(loaded.keys == 1_501)
        #expect(loaded.keyspace[3].count == 215)
        #expect(contents(of: loaded.keyspace) == contents(of: keyspace))
    }

    /// The loader fails on the first batch (a database beyond `databases`)
    /// while the reader thread still has thousands of rows to hand over: the
    /// reader is stopped, nothing hangs, and the store stays usable.
    @Test func failureStopsTheReaderThread() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        var changes: [ChangeRecord] = [.setString(db: 12, key: bytes("first"), value: bytes("v"))]
        changes += (0..<20_000).map { ChangeRecord.setString(db: 0, key: bytes("k\($0)"), value: bytes("v")) }
        #expect(submitAndWait(store.flusher, changes) == nil)
        try store.waitUntilMaterialized()
        #expect(throws: StorageError.self) {
            try store.load(into: Keyspace(databaseCount: 4, now: now), now: now)
        }
        let loaded = try store.load(into: Keyspace(databaseCount: 16, now: now), now: now)
        #expect(loaded.keys == 20_001)
        #expect(submitAndWait(store.flusher, [.setString(db: 0, key: bytes("after"), value: bytes("v"))]) == nil)
        store.close()
    }

    /// All strings in one database: its key table is sized before the load.
    @Test func keyTableSizedFromTheRowCount() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        let changes = (0..<3_000).map { ChangeRecord.setString(db: 5, key: bytes("k\($0)"), value: bytes("v")) }
        #expect(submitAndWait(store.flusher, changes) == nil)
        store.close()

        let loaded = try reload(directory, now: now)
        #expect(loaded.keys == 3_000)
        #expect(loaded.keyspace[5].count == 3_000)
        #expect(loaded.keyspace[5].lookup(bytes("k2999")) != nil)
    }

    /// SQLite tells TEXT 'k' from BLOB x'6b': a hand edit can store one key
    /// twice. Either order, the key must load once (the later row wins), and
    /// stay deleted once deleted.
    @Test(arguments: [true, false])
    func keyStoredAsTextAndAsBlobLoadsOnce(textFirst: Bool) throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [.setString(db: 0, key: bytes("other"), value: bytes("o"))]) == nil)
        store.close()
        let text = "INSERT INTO strings (db, key, value, updated_at) VALUES (0, 'dup', 'from text', 0)"
        let blob = "INSERT INTO strings (db, key, value, updated_at) VALUES (0, x'647570', 'from blob', 0)"
        try execute(directory.databasePath, textFirst ? [text, blob] : [blob, text])
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM strings") == 3)

        let loaded = try reload(directory, now: now)
        #expect(loaded.keys == 2)
        let database = loaded.keyspace[0]
        #expect(database.count == 2)
        guard case .string(let value)? = database.lookup(bytes("dup"))?.value.value else {
            Issue.record("dup missing")
            return
        }
        #expect(value == bytes(textFirst ? "from blob" : "from text"))
        #expect(database.delete(bytes("dup")))
        #expect(database.lookup(bytes("dup")) == nil)
        #expect(database.count == 1)
    }

    /// Loading into a keyspace that already holds keys replaces them.
    @Test func loadIntoANonEmptyKeyspaceReplaces() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [.setString(db: 0, key: bytes("a"), value: bytes("stored"))]) == nil)
        try store.waitUntilMaterialized()
        let keyspace = Keyspace(databaseCount: 16, now: now)
        keyspace[0].setString(bytes("a"), bytes("in memory"))
        keyspace[0].setString(bytes("b"), bytes("only in memory"))
        _ = keyspace.drainChanges()
        let result = try store.load(into: keyspace, now: now)
        store.close()
        #expect(result.keys == 2)
        #expect(keyspace[0].count == 2)
        #expect(contents(of: keyspace)[0][bytes("a")]?.value == bytes("stored"))
    }

    /// Hashes load in rowid order, where one key's fields may come in several
    /// runs (written in turns with another key's): every run adds to the same hash.
    @Test func hashFieldsInSeveralRuns() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        for round in 0..<3 {
            for key in ["h1", "h2"] {
                #expect(submitAndWait(store.flusher, [
                    .hashSet(db: 0, key: bytes(key), field: bytes("f\(round)"), value: bytes("\(key):\(round)")),
                ]) == nil)
                try store.waitUntilMaterialized()
            }
        }
        #expect(submitAndWait(store.flusher, [
            .setAdd(db: 1, key: bytes("s"), member: bytes("m1")),
            .setAdd(db: 1, key: bytes("s"), member: bytes("m2")),
        ]) == nil)
        store.close()
        #expect(try rows(directory.databasePath, "SELECT key FROM hashes ORDER BY rowid").map { $0[0] }
            == ["h1", "h2", "h1", "h2", "h1", "h2"])

        let loaded = try reload(directory, now: now)
        #expect(loaded.keys == 3)
        for key in ["h1", "h2"] {
            guard case .hash(let hash)? = loaded.keyspace[0].lookup(bytes(key))?.value.value else {
                Issue.record("\(key) is not a hash")
                continue
            }
            #expect(hash.count == 3)
            for round in 0..<3 { #expect(hash[bytes("f\(round)")] == bytes("\(key):\(round)")) }
        }
        guard case .set(let set)? = loaded.keyspace[1].lookup(bytes("s"))?.value.value else {
            Issue.record("s is not a set")
            return
        }
        #expect(set.count == 2)
    }

    /// The load drops SQLite's memory map of the file (its pages would count
    /// in RSS) and restores the configured size; the store keeps working.
    @Test func memoryMapRestoredAfterTheLoad() throws {
        let directory = TemporaryDirectory()
        var options = StoreOptions()
        options.mmapSize = 1 << 24
        let store = try directory.open(options: options)
        defer { store.close() }
        #expect(submitAndWait(store.flusher, [.setString(db: 0, key: bytes("a"), value: bytes("1"))]) == nil)
        try store.waitUntilMaterialized()
        _ = try store.load(into: Keyspace(databaseCount: 16, now: now), now: now)
        #expect(try store.withWriterConnection { try $0.scalar("PRAGMA mmap_size") } == 1 << 24)
        #expect(submitAndWait(store.flusher, [.setString(db: 0, key: bytes("b"), value: bytes("2"))]) == nil)
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM strings") == 2)
    }

    private func execute(_ path: String, _ statements: [String]) throws {
        let connection = try SQLiteConnection(path: path)
        defer { connection.close() }
        for sql in statements { try connection.exec(sql) }
    }
}
