import Foundation
import Keyspace
@testable import Storage

/// A fresh directory under /tmp, removed when released.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/valkite-storage-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var databasePath: String { path + "/valkite.db" }

    func open(_ durability: Durability = .everysec, options: StoreOptions = StoreOptions()) throws -> Store {
        try Store.open(directory: path, filename: "valkite.db", durability: durability, options: options)
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Submits and waits for the completion; returns its error.
@discardableResult
func submitAndWait(_ flusher: ChangeFlusher, _ changes: [ChangeRecord]) -> StorageError? {
    let done = DispatchSemaphore(value: 0)
    let box = Locked<StorageError?>(nil)
    flusher.submit(changes) { error in
        box.value = error
        done.signal()
    }
    done.wait()
    return box.value
}

/// Submits what the keyspace recorded and waits for the commit.
@discardableResult
func persist(_ keyspace: Keyspace, to store: Store) -> StorageError? {
    submitAndWait(store.flusher, keyspace.drainChanges())
}

/// Polls `condition` for up to `seconds`.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(2_000)
    }
    return condition()
}

final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
    func mutate<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&stored) } }
}

struct StoredEntry: Equatable, CustomStringConvertible {
    var value: [UInt8]
    var expireAt: Int64
    var description: String { "\(value.count) bytes, expireAt \(expireAt)" }
}

/// Every live key of every database: [db][key] → value and TTL.
func contents(of keyspace: Keyspace) -> [[[UInt8]: StoredEntry]] {
    keyspace.databases.map { database in
        var entries: [[UInt8]: StoredEntry] = [:]
        for key in database.keys(matching: GlobPattern("*")) {
            guard let node = database.lookup(key), case .string(let value) = node.value.value else { continue }
            entries[key] = StoredEntry(value: value, expireAt: node.value.expireAt)
        }
        return entries
    }
}

/// Opens the directory's database and loads it into a new keyspace.
func reload(_ directory: TemporaryDirectory, now: Int64 = currentTimeMillis(), databases: Int = 16)
    throws -> (keyspace: Keyspace, keys: Int, expired: Int) {
    let store = try directory.open()
    defer { store.close() }
    let keyspace = Keyspace(databaseCount: databases, now: now)
    let result = try store.load(into: keyspace, now: now)
    return (keyspace, result.keys, result.expired)
}

/// Rows of `sql` on a separate connection, every column as text ("NULL" for NULL).
func rows(_ path: String, _ sql: String) throws -> [[String]] {
    let connection = try SQLiteConnection(path: path)
    defer { connection.close() }
    let statement = try connection.prepare(sql)
    var result: [[String]] = []
    while try statement.step() {
        let count = statement.columnCount
        result.append((0..<count).map { statement.columnIsNull($0) ? "NULL" : statement.columnText($0) ?? "" })
    }
    return result
}

func scalar(_ path: String, _ sql: String) throws -> Int64 {
    let connection = try SQLiteConnection(path: path)
    defer { connection.close() }
    return try connection.scalar(sql)
}

/// Holds the store's writer connection on another thread, so journal
/// records pile up in front of one materialization; returns the semaphore
/// that lets it go.
func holdWriterConnection(of store: Store) -> DispatchSemaphore {
    let release = DispatchSemaphore(value: 0)
    let holding = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        try? store.withWriterConnection { _ in
            holding.signal()
            release.wait()
        }
    }
    holding.wait()
    return release
}
