import Foundation
import Keyspace
import Testing
@testable import Storage

@Suite struct CoalescingTests {
    @Test func thousandSetsOfOneKeyAreOneWrite() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        let changes = (0..<1_000).map { ChangeRecord.setString(db: 0, key: bytes("hot"), value: bytes("v\($0)")) }
        #expect(submitAndWait(store.flusher, changes) == nil)
        #expect(store.flusher.statistics.lastBatchChanges == 1_000)
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT value FROM strings WHERE key = 'hot'") == [["v999"]])
    }

    @Test func setsFromManySubmissionsCoalesceInOneMaterialization() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        // Hold the writer connection so records pile up in front of one materialization.
        let release = holdWriterConnection(of: store)
        let completed = Locked(0)
        for index in 0..<1_000 {
            store.flusher.submit([.setString(db: 0, key: bytes("hot"), value: bytes("v\(index)"))]) { error in
                #expect(error == nil)
                completed.mutate { $0 += 1 }
            }
        }
        release.signal()
        #expect(eventually { completed.value == 1_000 })
        #expect(store.flusher.statistics.changesCommitted == 1_000)
        #expect(store.flusher.statistics.commits == 1_000)  // one journal record each
        try store.waitUntilMaterialized()
        // The first record may have been materialized alone before the hold.
        #expect(store.materializer.statistics.materializations <= 2)
        #expect(try rows(directory.databasePath, "SELECT value FROM strings WHERE key = 'hot'") == [["v999"]])
    }

    @Test func deleteAfterSetCancelsTheSet() throws {
        var plan = BatchPlan()
        plan.add(.setString(db: 0, key: bytes("k"), value: bytes("1")), time: 1)
        plan.add(.setExpiry(db: 0, key: bytes("k"), at: 99), time: 1)
        plan.add(.delete(db: 0, key: bytes("k")), time: 2)
        plan.finish()
        #expect(plan.steps.count == 1 && plan.operations.count == 1)
        guard case .keys(let range) = plan.steps[0], range == 0..<1 else { Issue.record("expected a key step"); return }
        let operation = plan.operations[0]
        #expect(operation.deleteFirst)
        #expect(operation.value == nil)
        #expect(operation.expiry == nil)
    }

    /// Within a run keys are applied in (db, key) order; a barrier starts a
    /// new run, whose keys are sorted on their own.
    @Test func runsAreAppliedInKeyOrder() throws {
        var plan = BatchPlan()
        for key in ["m", "b", "z", "b", "a"] { plan.add(.setString(db: 0, key: bytes(key), value: bytes(key)), time: 1) }
        plan.add(.setString(db: 1, key: bytes("a"), value: bytes("1")), time: 1)
        plan.add(.rename(db: 0, from: bytes("z"), to: bytes("y")), time: 1)
        plan.add(.setString(db: 0, key: bytes("zz"), value: bytes("1")), time: 1)
        plan.add(.setString(db: 0, key: bytes("c"), value: bytes("1")), time: 1)
        plan.finish()
        #expect(plan.changeCount == 9)
        let order = plan.order.map { "\(plan.operations[$0].db):" + String(decoding: plan.bytes(of: plan.operations[$0].key), as: UTF8.self) }
        #expect(order == ["0:a", "0:b", "0:m", "0:z", "1:a", "0:c", "0:zz"])
        guard plan.steps.count == 3, case .keys(let first) = plan.steps[0], case .rename = plan.steps[1],
              case .keys(let second) = plan.steps[2] else { Issue.record("unexpected steps \(plan.steps)"); return }
        #expect(first == 0..<5 && second == 5..<7)
    }

    /// Many keys (the run's index grows several times), repeated writes and
    /// barriers at random: each run holds one operation per key, with the
    /// key's last value, in key order.
    @Test func runsCoalescePerKeyAcrossIndexGrowth() throws {
        var random = SystemRandomNumberGenerator()
        var plan = BatchPlan()
        var runs: [[String: String]] = [[:]]
        for index in 0..<20_000 {
            if Int.random(in: 0..<2_000, using: &random) == 0 {
                plan.add(.flushDatabase(db: 3), time: 1)
                runs.append([:])
            }
            let key = "k\(Int.random(in: 0..<5_000, using: &random))"
            plan.add(.setString(db: 0, key: bytes(key), value: bytes("\(index)")), time: 1)
            runs[runs.count - 1][key] = "\(index)"
        }
        plan.finish()
        let keySteps = plan.steps.compactMap { step -> Range<Int>? in
            if case .keys(let range) = step { return range }
            return nil
        }
        let nonEmpty = runs.filter { !$0.isEmpty }
        #expect(keySteps.count == nonEmpty.count)
        for (range, expected) in zip(keySteps, nonEmpty) {
            let operations = range.map { plan.operations[plan.order[$0]] }
            let keys = operations.map { String(decoding: plan.bytes(of: $0.key), as: UTF8.self) }
            #expect(keys == expected.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            for operation in operations {
                guard case .string(let value, _) = operation.value else { Issue.record("no value"); continue }
                #expect(String(decoding: plan.bytes(of: value), as: UTF8.self)
                        == expected[String(decoding: plan.bytes(of: operation.key), as: UTF8.self)])
            }
        }
    }

    /// A run far smaller than the table (many writes to fewer keys, or a
    /// barrier early in a large batch) is cleared slot by slot, each entry's
    /// slot found from its own hash in a few probes. Cleared after the run
    /// was sorted, the search started from another entry's slot and crossed
    /// much of the table: minutes of materializer time for 100,000 keys.
    @Test func clearingASmallRunProbesFewSlots() throws {
        var plan = BatchPlan(expectedChanges: 1_000_000)
        for round in 0..<4 {
            for key in 0..<20_000 {
                plan.add(.setString(db: 0, key: bytes("key:\(key)"), value: bytes("\(round)")), time: 1)
            }
        }
        plan.add(.flushDatabase(db: 1), time: 1)
        plan.add(.setString(db: 0, key: bytes("after"), value: bytes("1")), time: 1)
        plan.finish()
        #expect(plan.operations.count == 20_001)
        #expect(plan.clearingProbes < 4 * 20_001)
        guard case .keys(let first) = plan.steps.first else { Issue.record("unexpected steps \(plan.steps)"); return }
        #expect(first.count == 20_000)
    }

    /// Once other value tables hold rows, a SET that is known not to replace
    /// another type is still one upsert; one that does replace removes the
    /// old type's rows.
    @Test func onlyASetOverAnotherTypeProbesTheOtherTables() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        #expect(submitAndWait(store.flusher, [
            .hashSet(db: 0, key: bytes("h"), field: bytes("f"), value: bytes("1")),
            .listPush(db: 0, key: bytes("l"), atHead: true, value: bytes("1")),
            .setAdd(db: 0, key: bytes("s"), member: bytes("1")),
            .zsetAdd(db: 0, key: bytes("z"), member: bytes("1"), score: 1),
        ]) == nil)
        try store.waitUntilMaterialized()
        let writer = store.materializer.writer
        let lock = store.materializer.connectionLock
        var plan = BatchPlan()
        plan.add(.setString(db: 0, key: bytes("k"), value: bytes("v")), time: 1)
        plan.finish()
        #expect(try lock.withLock { try writer.commit(plan) } == 1)
        plan = BatchPlan()
        plan.add(.replaceWithString(db: 0, key: bytes("h"), value: bytes("v")), time: 1)
        plan.add(.setString(db: 0, key: bytes("h"), value: bytes("w")), time: 2)
        plan.finish()
        #expect(try lock.withLock { try writer.commit(plan) } == 5)  // four other value tables, then the upsert
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM hashes") == 0)
        #expect(try rows(directory.databasePath, "SELECT key, value FROM strings ORDER BY key") == [["h", "w"], ["k", "v"]])
    }

    @Test func barriersKeepTheirOrder() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        let k = bytes("k")
        #expect(submitAndWait(store.flusher, [
            .setString(db: 1, key: bytes("x"), value: bytes("removed by FLUSHALL")),
            .flushAll,
            .setString(db: 0, key: k, value: bytes("1")),
            .flushDatabase(db: 0),
            .setString(db: 0, key: k, value: bytes("2")),
            .setString(db: 2, key: bytes("a"), value: bytes("a")),
            .rename(db: 2, from: bytes("a"), to: bytes("b")),
            .setString(db: 2, key: bytes("a"), value: bytes("a2")),
            .setString(db: 3, key: bytes("s"), value: bytes("in 3")),
            .swapDatabases(3, 4),
            .setString(db: 3, key: bytes("s"), value: bytes("new in 3")),
            .move(fromDb: 4, toDb: 5, key: bytes("s")),
            .copy(fromDb: 5, from: bytes("s"), toDb: 6, to: bytes("t")),
            .setString(db: 5, key: bytes("s"), value: bytes("changed after copy")),
        ]) == nil)
        try store.waitUntilMaterialized()
        let stored = try rows(directory.databasePath, "SELECT db, key, value FROM strings ORDER BY db, key")
        #expect(stored == [
            ["0", "k", "2"],
            ["2", "a", "a2"],
            ["2", "b", "a"],
            ["3", "s", "new in 3"],
            ["5", "s", "changed after copy"],
            ["6", "t", "in 3"],
        ])
        #expect(store.flusher.statistics.lastBatchChanges == 14)
    }

    @Test func expiryThenDeleteThenSetLeavesNoTTL() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        let k = bytes("k")
        #expect(submitAndWait(store.flusher, [
            .setString(db: 0, key: k, value: bytes("1")), .setExpiry(db: 0, key: k, at: 5_000_000_000_000),
        ]) == nil)
        #expect(submitAndWait(store.flusher, [
            .setExpiry(db: 0, key: k, at: 6_000_000_000_000),
            .expired(db: 0, key: k),
            .setString(db: 0, key: k, value: bytes("2")),
        ]) == nil)
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT value FROM strings") == [["2"]])
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM expires") == 0)
    }
}

@Suite struct SQLSurfaceTests {
    @Test func textWhenValidUTF8ElseBlob() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        #expect(submitAndWait(store.flusher, [
            .setString(db: 0, key: bytes("text"), value: bytes(#"{"free": 12.5}"#)),
            .setString(db: 0, key: bytes("unicode ✓"), value: bytes("é 𝄞")),
            .setString(db: 0, key: bytes("empty"), value: []),
            .setString(db: 0, key: bytes("binary"), value: [0xFF, 0xFE]),
            .setString(db: 0, key: bytes("nul"), value: [0x61, 0x00]),
            .setString(db: 0, key: bytes("overlong"), value: [0xC0, 0xAF]),
            .setString(db: 0, key: [0xFF], value: bytes("binary key")),
            .setString(db: 0, key: bytes("123"), value: bytes("456")),
        ]) == nil)
        try store.waitUntilMaterialized()
        let types = try rows(directory.databasePath,
                             "SELECT hex(key), typeof(key), typeof(value) FROM strings ORDER BY hex(key)")
        #expect(types == [
            ["313233", "text", "text"],
            ["62696E617279", "text", "blob"],
            ["656D707479", "text", "text"],
            ["6E756C", "text", "blob"],
            ["6F7665726C6F6E67", "text", "blob"],
            ["74657874", "text", "text"],
            ["756E69636F646520E29C93", "text", "text"],
            ["FF", "blob", "text"],
        ])
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath,
                         "SELECT json_extract(value, '$.free') FROM strings WHERE key = 'text'") == [["12.5"]])
    }

    @Test func keysViewListsEveryTypeOnce() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(submitAndWait(store.flusher, [
            .setString(db: 0, key: bytes("s"), value: bytes("v")),
            .setString(db: 1, key: [0xFF], value: bytes("v")),
        ]) == nil)
        try store.withWriterConnection { connection in
            try connection.exec("""
                INSERT INTO hashes VALUES (0, 'h', 'f1', 'v', 0), (0, 'h', 'f2', 'v', 0);
                INSERT INTO lists VALUES (0, 'l', 0, 'a'), (0, 'l', 1, 'b');
                INSERT INTO sets VALUES (2, 'st', 'm1'), (2, 'st', 'm2');
                INSERT INTO zsets VALUES (0, 'z', 'm', 1.5);
                """)
        }
        store.close()
        try store.waitUntilMaterialized()
        let listed = try rows(directory.databasePath, "SELECT db, hex(key), type FROM keys ORDER BY db, key")
        #expect(listed == [
            ["0", "68", "hash"], ["0", "6C", "list"], ["0", "73", "string"], ["0", "7A", "zset"],
            ["1", "FF", "string"], ["2", "7374", "set"],
        ])
    }

    @Test func overwritingAKeyOfAnotherTypeRemovesItsRows() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        defer { store.close() }
        try store.withWriterConnection { connection in
            try connection.exec("INSERT INTO hashes VALUES (0, 'h', 'f1', 'v', 0), (0, 'other', 'f', 'v', 0)")
            try store.materializer.writer.refreshPresence()
        }
        // What the keyspace records for SET over a hash (DatabaseTests).
        #expect(submitAndWait(store.flusher, [.replaceWithString(db: 0, key: bytes("h"), value: bytes("now a string"))]) == nil)
        try store.waitUntilMaterialized()
        #expect(try rows(directory.databasePath, "SELECT type FROM keys WHERE key = 'h'") == [["string"]])
        #expect(try scalar(directory.databasePath, "SELECT count(*) FROM hashes") == 1)
    }

    @Test func storedBytesClassificationMatchesSwift() {
        var generator = SystemRandomNumberGenerator()
        var samples: [[UInt8]] = [[], [0], [0x7F], [0xC2, 0x80], [0xE0, 0x9F, 0x80], [0xED, 0x9F, 0xBF],
                                  [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x8F, 0x80, 0x80],
                                  Array("abcdefghijklmnop✓qrstuvwxyz".utf8), Array("abcdefgh\0ijk".utf8)]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<24, using: &generator)
            samples.append((0..<length).map { _ in
                // Mostly ASCII, some multi-byte lead and continuation bytes.
                let roll = UInt8.random(in: 0...9, using: &generator)
                return roll < 6 ? UInt8.random(in: 0x01...0x7F, using: &generator) : UInt8.random(in: 0x80...0xFF, using: &generator)
            })
        }
        for sample in samples {
            let swift = String(validating: sample, as: UTF8.self) != nil && !sample.contains(0)
            #expect(StoredBytes.isText(sample) == swift, "\(sample)")
        }
    }
}
