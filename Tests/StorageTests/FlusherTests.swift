import Foundation
import Keyspace
import Testing
@testable import Storage

@Suite struct FlusherTests {
    private func set(_ key: String, _ value: String, db: Int = 0) -> ChangeRecord {
        .setString(db: db, key: bytes(key), value: bytes(value))
    }

    @Test func durabilityNoCompletesAtSubmitAndCommitsSoonAfter() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(.no)
        let called = Locked(false)
        store.flusher.submit([set("a", "1")]) { error in
            #expect(error == nil)
            called.value = true
        }
        #expect(called.value)  // before submit returned
        #expect(eventually { store.flusher.statistics.commits == 1 })
        try store.waitUntilMaterialized()
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM strings") == 1)
        store.close()
    }

    @Test func durabilityChangesAtRunTime() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(.always)
        defer { store.close() }
        #expect(submitAndWait(store.flusher, [set("a", "1")]) == nil)
        #expect(try store.withJournalConnection { try $0.scalar("PRAGMA synchronous") } == 2)  // FULL
        store.flusher.durability = .everysec
        #expect(submitAndWait(store.flusher, [set("a", "2")]) == nil)
        #expect(try store.withJournalConnection { try $0.scalar("PRAGMA synchronous") } == 1)  // NORMAL
        store.flusher.durability = .no
        let called = Locked(false)
        store.flusher.submit([set("a", "3")]) { _ in called.value = true }
        #expect(called.value)
    }

    @Test func everysecFsyncsTheWALWithinASecond() throws {
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

    @Test func failedCommitsKeepTheChangesAndRetryUntilTheyLand() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [set("before", "1")]) == nil)

        // Test hook: make the journal connection refuse writes (works as root,
        // unlike chmod): every commit now fails with SQLITE_READONLY.
        try store.withJournalConnection { try $0.exec("PRAGMA query_only = ON") }
        let failure = submitAndWait(store.flusher, [set("during", "1"), set("before", "2")])
        #expect(failure?.kind == .sqlite)
        #expect(failure?.primaryCode == 8)  // SQLITE_READONLY
        #expect(store.flusher.lastError != nil)
        // Later submissions fail too (the retried batch goes first), in order.
        let second = submitAndWait(store.flusher, [set("during2", "1")])
        #expect(second != nil)
        #expect(throws: StorageError.self) { try store.save() }
        let failing = store.flusher.statistics
        #expect(failing.failedCommits >= 2)
        #expect(failing.queuedChanges == 3)
        #expect(failing.queuedBytes > 0)

        // Retries happen on their own.
        #expect(eventually { store.flusher.statistics.failedCommits > failing.failedCommits })
        try store.withJournalConnection { try $0.exec("PRAGMA query_only = OFF") }
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

    @Test func diskFullIsRetriedAfterSpaceComesBack() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [set("small", "1")]) == nil)
        // Test hook: cap the file at its current size (SQLITE_FULL, as a full disk).
        try store.withJournalConnection { connection in
            let pages = try connection.scalar("PRAGMA page_count")
            try connection.exec("PRAGMA max_page_count = \(pages)")
        }
        let big = [UInt8](repeating: 0x41, count: 256 * 1024)
        let failure = submitAndWait(store.flusher, [.setString(db: 0, key: bytes("big"), value: big)])
        #expect(failure?.primaryCode == 13)  // SQLITE_FULL
        #expect(store.flusher.lastError?.primaryCode == 13)
        try store.withJournalConnection { try $0.exec("PRAGMA max_page_count = 1073741823") }
        try store.save()  // retries at once and succeeds
        #expect(store.flusher.lastError == nil)
        store.close()
        let loaded = try reload(directory)
        #expect(contents(of: loaded.keyspace)[0][bytes("big")]?.value == big)
    }

    @Test func deletedDatabaseFileIsReportedNotWrittenBlindly() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [set("a", "1")]) == nil)
        for suffix in ["", "-wal", "-shm"] { unlink(store.journalPath + suffix) }
        let failure = submitAndWait(store.flusher, [set("b", "1")])
        #expect(failure?.kind == .fileMoved)
        #expect(store.flusher.lastError?.kind == .fileMoved)
        #expect(store.flusher.statistics.queuedChanges == 1)
        store.close()  // gives up after a few attempts
        #expect(store.flusher.statistics.droppedChanges == 1)
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
        #expect(statistics.commits < submitters * perSubmitter)  // batches grew
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
        let release = holdJournalConnection(of: store)
        var over = false
        var submitted = 0
        while !over && submitted < 1_000 {
            over = store.flusher.submit([set("k\(submitted)", String(repeating: "x", count: 100))]) { _ in }
            submitted += 1
        }
        #expect(over)
        #expect(store.flusher.queuedBytes > 10_000)
        release.signal()
        #expect(drained.wait(timeout: .now() + 5) == .success)
        #expect(store.flusher.queuedBytes <= 5_000)
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
