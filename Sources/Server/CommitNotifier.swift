import NIOConcurrencyHelpers
import NIOCore

/// Delivers "your batch committed" to connections on one event loop with one
/// hop per wave of commits, instead of one `execute` (and one eventfd wake-up)
/// per connection per commit: the flusher thread completes many batches at once.
final class CommitNotifier: @unchecked Sendable {
    let eventLoop: EventLoop
    private let lock = NIOLock()
    private var pending: [(handler: ConnectionHandler, sequence: Int)] = []
    private var scheduled = false

    init(eventLoop: EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Called from the flusher thread.
    func committed(_ handler: ConnectionHandler, sequence: Int) {
        let schedule = lock.withLock { () -> Bool in
            pending.append((handler, sequence))
            defer { scheduled = true }
            return !scheduled
        }
        if schedule {
            eventLoop.execute { self.deliver() }
        }
    }

    private func deliver() {
        // Taken whole (clearing a shared array with keepingCapacity would allocate it again).
        let batch = lock.withLock { () -> [(handler: ConnectionHandler, sequence: Int)] in
            scheduled = false
            let batch = pending
            pending = []
            pending.reserveCapacity(batch.count)
            return batch
        }
        for item in batch {
            item.handler.batchCommitted(item.sequence)
        }
    }
}
