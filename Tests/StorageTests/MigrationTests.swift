import Foundation
import Testing
@testable import Storage

@Suite struct MigrationTests {
    /// migrations/ seen from this file: Tests/StorageTests/ → ../../migrations.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations")

    @Test func embeddedMigrationsMatchTheSQLFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.migrationsDirectory.path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        #expect(!files.isEmpty)
        let onDisk = try files.map { file -> Migration in
            let stem = file.dropLast(4)
            let version = Int(stem.prefix(4))!
            let name = String(stem.dropFirst(5))
            let sql = try String(contentsOf: Self.migrationsDirectory.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: name, sql: sql)
        }
        #expect(onDisk == Migration.embedded,
                "Sources/Storage/Generated/EmbeddedMigrations.swift is out of date: run python3 migrations/embed.py")
        #expect(Migration.embedded.map(\.version) == Array(1...Migration.embedded.count))
    }

    @Test func freshDatabaseIsAtTheLatestVersion() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open()
        #expect(store.schemaVersion == Store.latestSchemaVersion)
        store.close()
        #expect(try scalar(directory.databasePath, "PRAGMA user_version") == Int64(Store.latestSchemaVersion))
        let tables = try rows(directory.databasePath,
                              "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name")
        #expect(tables.map { $0[0] } == [
            "all_keys", "change_history", "expires", "hash_fields", "hashes", "history", "keys", "list_elements",
            "lists", "set_members", "sets", "string_values", "strings", "valkite_state", "zset_members", "zsets",
        ])
        #expect(try rows(directory.databasePath, "PRAGMA journal_mode") == [["wal"]])
    }

    @Test func databaseAtVersionOneIsUpgradedAndReadBack() throws {
        let directory = TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.databasePath)
        try Migrator.migrate(connection, migrations: Array(Migration.embedded.prefix(1)))
        try connection.exec("""
            INSERT INTO strings VALUES (0, 'written by v1', 'hello', 1), (3, x'00ff', x'fe', 1);
            INSERT INTO expires VALUES (3, x'00ff', 9000000000000);
            """)
        #expect(try Migrator.version(of: connection) == 1)
        connection.close()

        let store = try directory.open()
        #expect(store.schemaVersion == Store.latestSchemaVersion)
        store.close()
        let loaded = try reload(directory)
        #expect(loaded.keys == 2)
        #expect(contents(of: loaded.keyspace)[0][bytes("written by v1")] == StoredEntry(value: bytes("hello"), expireAt: 0))
        #expect(contents(of: loaded.keyspace)[3][[0x00, 0xFF]] == StoredEntry(value: [0xFE], expireAt: 9_000_000_000_000))
    }

    @Test func newerDatabaseIsRefused() throws {
        let directory = TemporaryDirectory()
        try directory.open().close()
        let newer = Store.latestSchemaVersion + 1
        let connection = try SQLiteConnection(path: directory.databasePath)
        try connection.exec("PRAGMA user_version = \(newer)")
        connection.close()
        do {
            _ = try directory.open()
            Issue.record("opened a database of schema version \(newer)")
        } catch let error as StorageError {
            #expect(error.kind == .schemaTooNew)
            #expect(error.message.contains("version \(newer)"))
        }
        #expect(try scalar(directory.databasePath, "PRAGMA user_version") == Int64(newer))
    }

    @Test func failingMigrationAppliesNothing() throws {
        let directory = TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.databasePath)
        defer { connection.close() }
        let broken = Migration.embedded + [Migration(version: Migration.latestVersion + 1, name: "broken",
                                                     sql: "CREATE TABLE extra (x); SELECT no_such_function();")]
        #expect(throws: StorageError.self) { try Migrator.migrate(connection, migrations: broken) }
        #expect(try Migrator.version(of: connection) == 0)
        #expect(try connection.scalar("SELECT count(*) FROM sqlite_schema") == 0)
    }
}
