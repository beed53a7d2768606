import CSQLite
import Foundation
import Keyspace
import Testing
@testable import Storage

@Suite struct FlusherTests {
    private func set(_ key: String, _ value: String, db: Int = 0) -> ChangeRecord {
        .setString(db: db, key: bytes(key), value: bytes(value))
    }

    @Test func everysecAndNoCompleteAtSubmitAlwaysAfterAnFsync() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(.no)
        defer { store.close() }
        let called = Locked(false)
        store.flusher.submit([set("a", "1")]) { error in
            #expect(error == nil)
            called.value = true
        }
        #expect(called.value)  // before submit returned
        store.flusher.durability = .everysec
        called.value = false
        store.flusher.submit([set("a", "2")]) { _ in called.value = true }
        #expect(called.value)
        store.flusher.durability = .always
        let syncs = store.flusher.statistics.walSyncs
        #expect(submitAndWait(store.flusher, [set("a", "3")]) == nil)
        #expect(store.flusher.statistics.walSyncs > syncs)
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT value FROM strings") == [["3"]])
    }

    @Test func storageThreadsAreNamed() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(.everysec)
        defer { store.close() }
        func threadNames() -> Set<String> {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return Set(tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        }
        // Each thread names itself as it starts.
        #expect(eventually { threadNames().isSuperset(of: ["materializer", "flusher"]) }, "threads: \(threadNames().sorted())")
    }

    @Test func withASchedulerSubmissionsAreWrittenTogetherWhenTheScheduledWriteRuns() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(.everysec)
        defer { store.close() }
        let scheduled = Locked<[() -> Void]>([])
        store.flusher.writeScheduler = { write in scheduled.value.append(write) }
        let completed = Locked<[Int]>([])
        // Closures and a listener (the server's connections) complete in submission order.
        let listener = RecordingListener(completed)
        store.flusher.submit([set("k0", "v")]) { error in
            #expect(error == nil)
            completed.value.append(0)
        }
        store.flusher.submit(EncodedChanges([set("k1", "v")]), listener: listener, token: 1)
        store.flusher.submit([set("k2", "v")]) { error in
            #expect(error == nil)
            completed.value.append(2)
        }
        // One write scheduled for the three, nothing written or completed yet.
        #expect(scheduled.value.count == 1)
        #expect(completed.value.isEmpty)
        #expect(try JournalFile.records(databasePath: directory.databasePath, after: 0).isEmpty)
        scheduled.value[0]()
        #expect(completed.value == [0, 1, 2])
        let records = try JournalFile.records(databasePath: directory.databasePath, after: 0)
        #expect(records.count == 1)
        #expect(try JournalCodec.decode(records[0].payload).map(\.changes.count) == [1, 1, 1])

        // SAVE-like callers write staged submissions at once; their completions
        // still run in the scheduled write.
        store.flusher.submit([set("late", "v")]) { _ in completed.value.append(3) }
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT key FROM strings ORDER BY key") == [["k0"], ["k1"], ["k2"], ["late"]])
        #expect(completed.value == [0, 1, 2])
        scheduled.value[1]()
        #expect(completed.value == [0, 1, 2, 3])
    }

    /// Once its journal row is written, a submission's records are the
    /// submitter's alone: the materializer works from the row, so the
    /// keyspace's values are not kept alive (nor freed later, cold, on
    /// another thread) until the tables absorb them.
    @Test func pendingMaterializationHoldsTheRowNotTheRecords() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(.everysec, options: JournalTests.neverMaterialize)
        defer { store.close() }
        var value = bytes("value")
        let before = value.withUnsafeBufferPointer { $0.baseAddress }
        #expect(submitAndWait(store.flusher, [.setString(db: 0, key: bytes("k"), value: value)]) == nil)
        #expect(store.materializer.statistics.pendingChanges == 1)
        value[0] = UInt8(ascii: "V")  // copies on write if anything else still holds it
        #expect(value.withUnsafeBufferPointer { $0.baseAddress } == before)
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT key, value FROM strings") == [["k", "value"]])
    }

    /// The release gives free heap pages back for real (it was compiled to
    /// a stub: `__GLIBC__` was not defined where the shim tested it).
    @Test func freeHeapPagesAreGivenBack() {
        let blocks = (0..<20_000).map { _ in UnsafeMutableRawPointer.allocate(byteCount: 1000, alignment: 8) }
        for block in blocks { block.initializeMemory(as: UInt8.self, repeating: 1, count: 1000) }
        let above = UnsafeMutableRawPointer.allocate(byteCount: 1000, alignment: 8)  // keeps them inside the heap
        for block in blocks { block.deallocate() }
        #expect(csqlite_release_free_heap() == 1)
        above.deallocate()
    }

    @Test func idleMaterializerReleasesMemoryAndKeepsWorking() throws {
        let directory = TemporaryDirectory()
        var options = StoreOptions()
        options.releaseIdleMemoryMilliseconds = 50
        let store = try directory.open(.everysec, options: options)
        defer { store.close() }
        #expect(submitAndWait(store.flusher, (0..<500).map { set("k\($0)", "v") }) == nil)
        try store.waitUntilMaterialized()
        // Once writes stop the page cache and free heap go back, once.
        let deadline = Date().addingTimeInterval(5)
        while store.materializer.statistics.idleMemoryReleases == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        #expect(store.materializer.statistics.idleMemoryReleases == 1)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(store.materializer.statistics.idleMemoryReleases == 1)
        // The next burst reads its B-tree pages back and lands as before.
        #expect(submitAndWait(store.flusher, [set("k1", "changed"), set("new", "x")]) == nil)
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT value FROM strings WHERE key IN ('k1', 'new') ORDER BY key")
            == [["changed"], ["x"]])
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM strings") == 501)
    }

    @Test func everysecFsyncsTheJournalWithinASecond() throws {
        let directory = TemporaryDirectory()
        var options = StoreOptions()
        options.syncIntervalMilliseconds = 200
        let store = try directory.open(.everysec, options: options)
        defer { store.close() }
        #expect(submitAndWait(store.flusher, [set("a", "1")]) == nil)
        #expect(eventually(2) { store.flusher.statistics.walSyncs >= 1 })
        // Idle: no more syncs once everything is synced.
        let syncs = store.flusher.statistics.walSyncs
        usleep(500_000)
        #expect(store.flusher.statistics.walSyncs == syncs)
    }

    @Test func failedWritesKeepTheChangesAndRetryUntilTheyLand() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [set("before", "1")]) == nil)

        // Test hook: the journal refuses writes, as a full disk would.
        let full = StorageError(kind: .system, code: ENOSPC, message: "No space left on device")
        store.withJournal { $0.injectedFailure = full }
        let failure = submitAndWait(store.flusher, [set("during", "1"), set("before", "2")])
        #expect(failure?.code == ENOSPC)
        #expect(store.flusher.lastError != nil)
        // Later submissions fail too (they queue behind the retained one), in order.
        let second = submitAndWait(store.flusher, [set("during2", "1")])
        #expect(second != nil)
        let failing = store.flusher.statistics
        #expect(failing.queuedChanges == 3)
        #expect(failing.queuedBytes > 0)
        #expect(throws: StorageError.self) { try store.save() }

        // Retries happen on their own.
        #expect(eventually { store.flusher.statistics.failedCommits > failing.failedCommits })
        store.withJournal { $0.injectedFailure = nil }
        #expect(eventually { store.flusher.lastError == nil })
        #expect(store.flusher.statistics.queuedChanges == 0)
        #expect(store.flusher.statistics.queuedBytes == 0)
        store.close()

        let loaded = try reload(directory)
        #expect(contents(of: loaded.keyspace)[0] == [
            bytes("before"): StoredEntry(value: bytes("2"), expireAt: 0),
            bytes("during"): StoredEntry(value: bytes("1"), expireAt: 0),
            bytes("during2"): StoredEntry(value: bytes("1"), expireAt: 0),
        ])
    }

    /// A journal segment deleted under the server is replaced by one that
    /// starts with what the tables had not absorbed yet: a crash right after
    /// (before any materialization) loses nothing, and the next start
    /// accepts the journal.
    @Test func aDeletedJournalSegmentIsReplacedWithTheRecordsTheTablesLack() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(options: JournalTests.neverMaterialize)
        #expect(submitAndWait(store.flusher, [set("a", "1")]) == nil)
        #expect(submitAndWait(store.flusher, [set("b", "1")]) == nil)
        let first = store.journalPath
        unlink(first)
        // Written into the deleted file, before the flusher notices.
        #expect(submitAndWait(store.flusher, [set("c", "1")]) == nil)
        #expect(eventually(3) { store.journalPath != first })
        #expect(submitAndWait(store.flusher, [set("d", "1")]) == nil)
        #expect(store.materializer.materializedSequence == 0)
        store.closeAbruptly()
        let reopened = try directory.open()
        defer { reopened.close() }
        #expect(reopened.replayedChanges == 4)
        #expect(try rows(directory.databasePath, "SELECT key FROM strings ORDER BY key") == [["a"], ["b"], ["c"], ["d"]])
    }

    /// Records the tables absorbed before the segment went are not written
    /// again: the new segment starts past them, and start-up accepts the jump.
    @Test func aDeletedSegmentsAbsorbedRecordsAreNotRewritten() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [set("a", "1")]) == nil)
        try store.waitUntilMaterialized()
        let first = store.journalPath
        unlink(first)
        #expect(eventually(3) { store.journalPath != first })
        #expect(submitAndWait(store.flusher, [set("b", "1")]) == nil)
        store.closeAbruptly()
        let loaded = try reload(directory)
        #expect(loaded.keys == 2)
    }

    @Test func deletedDatabaseFileIsReportedNotWrittenBlindly() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [set("a", "1")]) == nil)
        try store.waitUntilMaterialized()
        for suffix in ["", "-wal", "-shm"] { unlink(directory.databasePath + suffix) }
        #expect(submitAndWait(store.flusher, [set("b", "1")]) == nil)  // in the journal
        #expect(throws: StorageError.self) { try store.waitUntilMaterialized() }
        #expect(store.lastError?.kind == .fileMoved)
        store.close()
    }

    @Test func concurrentSubmittersGetEveryCompletionOnceInOrder() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        let submitters = 6
        let perSubmitter = 400
        let seen = Locked([[Int]](repeating: [], count: submitters))
        let errors = Locked(0)
        let group = DispatchGroup()
        for submitter in 0..<submitters {
            group.enter()
            Thread.detachNewThread {
                for index in 0..<perSubmitter {
                    let changes = (0...(index % 3)).map { part in
                        ChangeRecord.setString(db: submitter % 4, key: bytes("s\(submitter):k\(index % 50):\(part)"),
                                               value: bytes("\(index)"))
                    }
                    store.flusher.submit(changes) { error in
                        if error != nil { errors.mutate { $0 += 1 } }
                        seen.mutate { $0[submitter].append(index) }
                    }
                }
                group.leave()
            }
        }
        group.wait()
        try store.save()
        #expect(errors.value == 0)
        for submitter in 0..<submitters {
            #expect(seen.value[submitter] == Array(0..<perSubmitter))
        }
        let statistics = store.flusher.statistics
        #expect(statistics.changesCommitted == submitters * (0..<perSubmitter).reduce(0) { $0 + $1 % 3 + 1 })
        #expect(statistics.commits == submitters * perSubmitter)  // one journal record per submission
        store.close()

        let loaded = try reload(directory)
        #expect(loaded.keys == submitters * 50 * 3)
        for submitter in 0..<submitters {
            // The last write of key k was index 350 + k (the last index ≡ k mod 50).
            let value = contents(of: loaded.keyspace)[submitter % 4][bytes("s\(submitter):k0:0")]?.value
            #expect(value == bytes("350"))
        }
    }

    @Test func backPressureSignalsOverAndDrained() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        store.flusher.maxQueuedBytes = 10_000
        let drained = DispatchSemaphore(value: 0)
        store.flusher.onQueueDrained = { drained.signal() }
        let release = holdWriterConnection(of: store)
        var over = false
        var submitted = 0
        while !over && submitted < 1_000 {
            over = store.flusher.submit([set("k\(submitted)", String(repeating: "x", count: 100))]) { _ in }
            submitted += 1
        }
        #expect(over)
        #expect(store.materializer.pendingBytes > 10_000)
        release.signal()
        #expect(drained.wait(timeout: .now() + 5) == .success)
        #expect(store.materializer.pendingBytes <= 5_000)
    }

    @Test func saveSnapshotAndCloseAreSafeToRepeat() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        let keyspace = Keyspace(databaseCount: 16)
        for index in 0..<2_000 { keyspace[index % 3].setString(bytes("k\(index)"), bytes("v\(index)")) }
        store.flusher.submit(keyspace.drainChanges()) { _ in }
        try store.save()
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM strings") == 2_000)
        let walSize = (try? FileManager.default.attributesOfItem(atPath: directory.databasePath + "-wal")[.size] as? Int) ?? 0
        #expect(walSize == 0)  // TRUNCATE checkpoint

        // A snapshot while writes keep coming includes everything submitted before it.
        let writer = Thread {
            for index in 0..<200 { _ = submitAndWait(store.flusher, [self.set("during\(index)", "x", db: 5)]) }
        }
        writer.start()
        keyspace[1].setString(bytes("just before"), bytes("snapshot"))
        store.flusher.submit(keyspace.drainChanges()) { _ in }
        let snapshot = directory.path + "/backup/snapshot.db"
        try FileManager.default.createDirectory(atPath: directory.path + "/backup", withIntermediateDirectories: true)
        try store.snapshot(to: snapshot)
        try store.snapshot(to: snapshot)  // replaces it
        #expect(try scalar(snapshot, "SELECT count(*) FROM strings WHERE db <> 5") == 2_001)
        #expect(try scalar(snapshot, "PRAGMA user_version") == Int64(Store.latestSchemaVersion))
        #expect(try scalar(snapshot, "PRAGMA integrity_check") == 0 || (try rows(snapshot, "PRAGMA integrity_check")) == [["ok"]])
        store.close()
        store.close()
        #expect(throws: StorageError.self) { try store.save() }
        let late = Locked<StorageError?>(nil)
        store.flusher.submit([set("late", "x")]) { late.value = $0 }
        #expect(late.value?.kind == .closed)

        // The snapshot is a database the store opens and loads.
        let copy = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: snapshot, toPath: copy.databasePath)
        let loaded = try reload(copy)
        #expect(loaded.keys >= 2_001)
        #expect(contents(of: loaded.keyspace)[1][bytes("just before")]?.value == bytes("snapshot"))
    }
}

/// A CommitListener that appends each token it hears (errors fail the test).
private final class RecordingListener: CommitListener {
    let completed: Locked<[Int]>
    init(_ completed: Locked<[Int]>) { self.completed = completed }
    func commitFinished(token: Int, error: (any Error)?) {
        #expect(error == nil)
        completed.value.append(token)
    }
}
