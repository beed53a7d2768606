#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite

/// Copies WAL frames back into the database file on its own thread and its own
/// connection, so most of a checkpoint's page copying and fsyncs happen while
/// the flusher keeps committing. A checkpoint that runs concurrently with
/// writes never lets the WAL restart (new frames keep arriving), so the flusher
/// still runs a short checkpoint of its own once the WAL is large: with most
/// frames already copied here, that one only copies the tail.
final class Checkpointer: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let mutex = Mutex()
    private let wanted: Condition
    private var requested = false
    private var stopping = false
    private var started = false
    #if os(Linux)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif

    init(path: String, busyTimeoutMilliseconds: Int) throws {
        connection = try SQLiteConnection(path: path)
        try connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        // A connection learns that the database is in WAL mode only once it
        // reads it; until then a checkpoint is a silent no-op.
        _ = try connection.scalarText("PRAGMA journal_mode")
        wanted = Condition(mutex)
    }

    func start() {
        mutex.withLock { started = true }
        let context = Unmanaged.passRetained(self).toOpaque()
        let code = pthread_create(&thread, nil, { context in
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context!).takeRetainedValue()
            checkpointer.run()
            return nil
        }, context)
        precondition(code == 0, "cannot start the checkpoint thread: errno \(code)")
    }

    /// Asks for a passive checkpoint soon; never blocks.
    func request() {
        mutex.withLock { requested = true }
        wanted.signal()
    }

    /// Stops the thread and closes its connection. Idempotent.
    func stop() {
        let (alreadyStopping, running) = mutex.withLock { () -> (Bool, Bool) in
            defer { stopping = true }
            return (stopping, started)
        }
        guard !alreadyStopping else { return }
        if running {
            wanted.signal()
            #if os(Linux)
            pthread_join(thread, nil)
            #else
            if let thread { pthread_join(thread, nil) }
            #endif
        }
        connection.close()
    }

    private func run() {
        while true {
            mutex.lock()
            while !requested && !stopping { wanted.wait() }
            let exit = stopping
            requested = false
            mutex.unlock()
            if exit { return }
            _ = try? connection.checkpoint(SQLITE_CHECKPOINT_PASSIVE)
        }
    }
}
