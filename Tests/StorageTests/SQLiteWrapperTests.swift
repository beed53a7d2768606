import Foundation
import Testing
@testable import Storage

@Suite struct SQLiteWrapperTests {
    @Test func bindsAndReadsEveryKindByteExact() throws {
        let directory = TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.databasePath)
        defer { connection.close() }
        try connection.exec("CREATE TABLE t (i, d, s, b, n, x)")
        let insert = try connection.cached("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        #expect(try connection.cached("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6)") === insert)
        try insert.bind(Int64.min, at: 1)
        try insert.bind(-0.125, at: 2)
        try insert.bind(text: "é ✓", at: 3)
        try insert.bind(blob: [0x00, 0xFF, 0x00], at: 4)
        try insert.bindNull(at: 5)
        try insert.bind(blob: [], at: 6)
        try insert.run()
        let select = try connection.prepare("SELECT i, d, s, b, n, x, typeof(x), typeof(n) FROM t")
        #expect(try select.step())
        #expect(select.columnInt64(0) == Int64.min)
        #expect(select.columnDouble(1) == -0.125)
        #expect(select.columnText(2) == "é ✓")
        #expect(select.columnBytes(2) == Array("é ✓".utf8))
        #expect(select.columnBytes(3) == [0x00, 0xFF, 0x00])
        #expect(select.columnIsNull(4))
        #expect(select.columnBytes(5) == [])
        #expect(select.columnText(6) == "blob")  // empty, not NULL
        #expect(select.columnText(7) == "null")
        #expect(try !select.step())
    }

    @Test func errorsCarrySQLiteCodeAndMessage() throws {
        let directory = TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.databasePath)
        defer { connection.close() }
        do {
            try connection.exec("SELEKT 1")
            Issue.record("no error")
        } catch let error as StorageError {
            #expect(error.kind == .sqlite)
            #expect(error.primaryCode == 1)  // SQLITE_ERROR
            #expect(error.message.contains("syntax error"))
            #expect(error.context == "SELEKT 1")
        }
        try connection.exec("CREATE TABLE u (k PRIMARY KEY)")
        try connection.exec("INSERT INTO u VALUES (1)")
        do {
            try connection.exec("INSERT INTO u VALUES (1)")
            Issue.record("no error")
        } catch let error as StorageError {
            #expect(error.code == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY (extended)
            #expect(error.primaryCode == 19)
            #expect(error.description.contains("UNIQUE constraint failed"))
        }
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        let directory = TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.databasePath)
        defer { connection.close() }
        try connection.exec("CREATE TABLE t (x)")
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try connection.transaction {
                try connection.exec("INSERT INTO t VALUES (1)")
                throw Failure()
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try connection.scalar("SELECT count(*) FROM t") == 0)
        try connection.transaction { try connection.exec("INSERT INTO t VALUES (1)") }
        #expect(try connection.scalar("SELECT count(*) FROM t") == 1)
    }

    @Test func writerPragmas() throws {
        let directory = TemporaryDirectory()
        let store = try directory.open(.always)
        defer { store.close() }
        try store.withWriterConnection { (connection: SQLiteConnection) throws -> Void in
            #expect(try connection.scalarText("PRAGMA journal_mode") == "wal")
            #expect(try connection.scalar("PRAGMA foreign_keys") == 1)
            #expect(try connection.scalar("PRAGMA busy_timeout") == 5_000)
            #expect(try connection.scalar("PRAGMA cache_size") == -65_536)
            #expect(try connection.scalar("PRAGMA mmap_size") == 1 << 30)
            // The tables are synced explicitly after each materialization; the
            // journal file carries the durability mode.
            #expect(try connection.scalar("PRAGMA synchronous") == 1)
            #expect(try connection.scalar("PRAGMA journal_size_limit") == 64 << 20)
        }
    }
}
