#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable POSIX thread running one closure: the flusher's and the
/// materializer's loops (each keeps its own start/stop handshake).
final class StorageThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    #if os(Linux)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif

    /// Starts `body` on a new thread named `name` (what `top -H` and
    /// `ps -L` show; at most 15 bytes), also used in the crash message.
    init(name: String, _ body: @escaping () -> Void) {
        let context = Unmanaged.passRetained(Box {
            StorageThread.nameCurrentThread(name)
            body()
        }).toOpaque()
        #if os(Linux)
        let code = pthread_create(&thread, nil, { context in
            Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        #else
        let code = pthread_create(&thread, nil, { context in
            Unmanaged<Box>.fromOpaque(context).takeRetainedValue().body()
            return nil
        }, context)
        #endif
        precondition(code == 0, "cannot start the \(name) thread: errno \(code)")
    }

    /// Linux keeps a thread's name in its `comm` file. (`pthread_setname_np`
    /// and `prctl` are not visible to Swift through Glibc.)
    private static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        let file = open("/proc/thread-self/comm", O_WRONLY)
        guard file >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
        close(file)
        #endif
    }

    /// Waits for the thread to end.
    func join() {
        #if os(Linux)
        pthread_join(thread, nil)
        #else
        if let thread { pthread_join(thread, nil) }
        #endif
    }
}
