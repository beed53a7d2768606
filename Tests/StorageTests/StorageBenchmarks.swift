import Foundation
import Keyspace
import Testing
@testable import Storage

/// Throughput of the write path, printed rather than asserted. Run with
/// `VALKITE_STORAGE_BENCH=1 swift test -c release --filter StorageBenchmarks`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["VALKITE_STORAGE_BENCH"] != nil))
struct StorageBenchmarks {
    static let keyCount = 100_000
    static let value = [UInt8](repeating: 0x76, count: 100)

    static var options: StoreOptions {
        var options = StoreOptions()
        if let pages = ProcessInfo.processInfo.environment["VALKITE_BENCH_CHECKPOINT_PAGES"].flatMap(Int.init) {
            options.checkpointPages = pages
        }
        return options
    }

    private func prefilledStore(_ directory: TemporaryDirectory, _ durability: Durability) throws -> Store {
        let store = try directory.open(durability, options: Self.options)
        for start in stride(from: 0, to: Self.keyCount, by: 10_000) {
            let changes = (start..<start + 10_000).map {
                ChangeRecord.setString(db: 0, key: bytes("key:\($0)"), value: Self.value)
            }
            #expect(submitAndWait(store.flusher, changes) == nil)
        }
        try store.save()
        return store
    }

    @Test(arguments: [Durability.everysec, .always])
    func batchesOfDistinctKeys(_ durability: Durability) throws {
        for batchSize in [1, 100, 10_000] {
            let directory = TemporaryDirectory()
            let store = try prefilledStore(directory, durability)
            var generator = SystemRandomNumberGenerator()
            let budget = batchSize == 1 ? 3.0 : 6.0
            let before = store.flusher.statistics
            let started = Date()
            var commits = 0
            var changes = 0
            while Date().timeIntervalSince(started) < budget {
                let batch = (0..<batchSize).map { _ in
                    ChangeRecord.setString(db: 0, key: bytes("key:\(Int.random(in: 0..<Self.keyCount, using: &generator))"),
                                           value: Self.value)
                }
                #expect(submitAndWait(store.flusher, batch) == nil)
                commits += 1
                changes += batchSize
            }
            let elapsed = Date().timeIntervalSince(started)
            let after = store.flusher.statistics
            print(String(format: "%@ batch %6d: %8.0f commits/s %9.0f changes/s  (%d checkpoints taking %.0f%%, %d WAL fsyncs, WAL %.1f MB)",
                         durability.rawValue, batchSize, Double(commits) / elapsed, Double(changes) / elapsed,
                         after.checkpoints - before.checkpoints,
                         Double(after.checkpointMicroseconds - before.checkpointMicroseconds) / elapsed / 1e4,
                         after.walSyncs - before.walSyncs,
                         Double((try? FileManager.default.attributesOfItem(atPath: directory.databasePath + "-wal")[.size] as? Int) ?? 0) / 1e6))
            store.close()
        }
    }

    /// 50 submitters, one SET each and wait, as 50 clients would: group commit.
    @Test(arguments: [Durability.everysec, .always])
    func fiftyConcurrentClients(_ durability: Durability) throws {
        let directory = TemporaryDirectory()
        let store = try prefilledStore(directory, durability)
        let clients = 50
        let stop = Locked(false)
        let total = Locked(0)
        let group = DispatchGroup()
        let before = store.flusher.statistics
        let started = Date()
        for client in 0..<clients {
            group.enter()
            Thread.detachNewThread {
                var generator = SystemRandomNumberGenerator()
                var done = 0
                while !stop.value {
                    _ = submitAndWait(store.flusher, [.setString(db: 0, key: bytes("key:\(Int.random(in: 0..<Self.keyCount, using: &generator))"),
                                                                 value: Self.value)])
                    done += 1
                }
                _ = client
                total.mutate { $0 += done }
                group.leave()
            }
        }
        Thread.sleep(forTimeInterval: 5)
        stop.value = true
        group.wait()
        let elapsed = Date().timeIntervalSince(started)
        let after = store.flusher.statistics
        let commits = after.commits - before.commits
        print(String(format: "%@ 50 clients x 1 SET: %8.0f commits/s %9.0f changes/s, average batch %.1f (checkpoints %.0f%% of the time)",
                     durability.rawValue, Double(commits) / elapsed, Double(total.value) / elapsed,
                     Double(total.value) / Double(max(commits, 1)),
                     Double(after.checkpointMicroseconds - before.checkpointMicroseconds) / elapsed / 1e4))
        store.close()
    }
}
