import Commands
import DequeModule
import Keyspace
import Logging
import NIOConcurrencyHelpers
import NIOCore
import RESP

/// One client connection: decodes the requests of each read, runs them as one
/// batch under the execution lock, and writes all their replies with one flush.
final class ConnectionHandler: ChannelInboundHandler, ClientConnection, PushReceiver, BackgroundWaiter, CommitListener,
    @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: ValkiteServer
    private var session: ClientSession?
    private var decoder = RequestDecoder()
    /// Bytes received but not yet decoded (a request split across reads).
    private var unparsed: ByteBuffer?
    private var channel: Channel?
    private var closing = false

    init(server: ValkiteServer) {
        self.server = server
    }

    // MARK: lifecycle

    func channelActive(context: ChannelHandlerContext) {
        channel = context.channel
        let remote = context.channel.remoteAddress
        let address = describe(remote)
        let localAddress = describe(context.channel.localAddress)
        let reply = ReplyWriter(buffer: context.channel.allocator.buffer(capacity: 256))

        let admission: Admission = server.withState { state in
            state.stats.connectionsReceived += 1
            if state.clients.count >= state.config.maxclients {
                state.stats.rejectedConnections += 1
                return .refused("ERR max number of clients reached")
            }
            if state.config.protectedMode && !state.requiresPassword && !isLoopback(remote) {
                state.stats.rejectedConnections += 1
                return .refused(ValkiteServer.protectedModeMessage)
            }
            let session = ClientSession(
                id: state.clients.allocateID(), address: address, localAddress: localAddress,
                authenticated: !state.requiresPassword, reply: reply, now: currentTimeMillis())
            session.connection = self
            session.subscriptions.receiver = self
            state.pubsub.observe(state.config)
            decoder.maxBulkLength = Int(state.config.protoMaxBulkLen)
            decoder.unauthenticated = !session.authenticated
            state.clients.add(session)
            return .accepted(session)
        }
        switch admission {
        case .accepted(let session):
            self.session = session
            server.logger.debug("Accepted \(address)")
        case .refused(let message):
            var buffer = context.channel.allocator.buffer(capacity: message.utf8.count + 3)
            buffer.writeString("-\(message)\r\n")
            closing = true
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in context.close(promise: nil) }
        }
        context.fireChannelActive()
    }

    private enum Admission {
        case accepted(ClientSession)
        case refused(String)
    }

    func channelInactive(context: ChannelHandlerContext) {
        pushLock.withLock {
            pushClosed = true
            pushBuffer = nil
        }
        if let session {
            server.withState { state in
                state.pubsub.removeAll(session)
                server.blockedClients.remove(session)
                timeoutTask?.cancel()
                timeoutTask = nil
                state.clients.remove(session)
            }
            server.logger.debug("Client closed connection id=\(session.id) addr=\(session.address)")
        }
        session = nil
        context.fireChannelInactive()
    }

    /// The client shut down its sending side (`shutdown(SHUT_WR)`, `nc -N`).
    /// Valkey runs what it read before the EOF and sends the replies before
    /// it frees the client: so here, once the replies waiting for their
    /// journal write are out. A blocked client is closed at once, as Valkey
    /// frees it.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? ChannelEvent, event == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        unparsed = nil
        closeIfInputDone(context: context)
    }

    private var inputClosed = false

    private func closeIfInputDone(context: ChannelHandlerContext) {
        guard inputClosed, !closing, pendingReplies.isEmpty else { return }
        closing = true
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        server.logger.debug("Connection error: \(error)")
        context.close(promise: nil)
    }

    /// ClientConnection: close from another client's command (CLIENT KILL) or shutdown.
    func close() {
        guard let channel else { return }
        channel.eventLoop.execute {
            channel.flush()
            channel.close(promise: nil)
        }
    }

    // MARK: requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let session, !closing else { return }
        var incoming = unwrapInboundIn(data)
        let received = incoming.readableBytes
        if unparsed == nil || unparsed!.readableBytes == 0 {
            unparsed = incoming
        } else {
            unparsed!.writeBuffer(&incoming)
        }
        process(context: context, session: session, received: received, resuming: false)
    }

    /// Runs the complete requests in `unparsed` as one batch. `resuming`: the
    /// client was blocked and has been unblocked, its reply already written.
    private func process(context: ChannelHandlerContext, session: ClientSession, received: Int, resuming: Bool) {
        processing = true
        defer { processing = false }
        if unparsed == nil { unparsed = context.channel.allocator.buffer(capacity: 0) }
        var replies: ByteBuffer? = nil
        var closeAfterReply = false
        var overQueryLimit = false
        var protocolError: ProtocolError? = nil
        var awaitsCommit = false
        var overMemoryLimit = false
        var earlyPushes: ByteBuffer? = nil
        var sequence = pendingBase + pendingReplies.count
        if commitNotifier == nil { commitNotifier = server.commitNotifier(for: context.eventLoop) }
        var resumeAfterCommit: [BlockedWaiter] = []
        let blockedClients = server.blockedClients
        var stillBlocked = false
        var served: [BlockedWaiter] = []
        server.withState { state in
            state.stats.netInputBytes += received
            session.bytesReceived += received
            if resuming {
                waitingForUnblock = false
                timeoutTask?.cancel()
                timeoutTask = nil
            }
            // Blocked (BLPOP…): input waits until the client is unblocked.
            if waitingForUnblock {
                stillBlocked = true
                if let unparsed, unparsed.readableBytes > state.config.clientQueryBufferLimit { overQueryLimit = true }
                return
            }
            let changesBefore = state.keyspace.changeCount
            // Pushes other clients' commands queued for this one before this batch
            // runs leave ahead of its replies.
            if session.subscriptions.isSubscribed, let pushes = takeQueuedPushes(), pushes.readableBytes > 0 {
                earlyPushes = pushes
                // Held behind earlier replies, they take a place in the queue before this batch.
                if !pendingReplies.isEmpty { sequence += 1 }
            }
            // Decode one request, run it, then decode the next, as Valkey does: an AUTH
            // early in a pipeline lifts the unauthenticated size limits for the rest.
            var requestsUntilPrefetch = 0
            var clock: Int64? = nil
            while !session.closeAfterReply && !waitingForUnblock {
                if requestsUntilPrefetch == 0 {
                    requestsUntilPrefetch = prefetchPipelinedKeys(unparsed!, in: state.keyspace[session.database])
                }
                requestsUntilPrefetch -= 1
                decoder.unauthenticated = !session.authenticated
                var request: [[UInt8]]
                do throws(ProtocolError) {
                    guard let decoded = try decoder.next(from: &unparsed!) else { break }
                    request = decoded
                } catch {
                    protocolError = error
                    session.reply.writeError(error.message)
                    state.stats.countError(error.message)
                    session.closeAfterReply = true
                    break
                }
                clock = CommandDispatcher.execute(request, for: session, in: state, clock: clock)
                decoder.recycle(&request)
                // Pushes for this client caused by its own command follow its reply.
                if session.subscriptions.deferred != nil, var pushes = session.subscriptions.takeDeferredPushes() {
                    session.reply.buffer.writeBuffer(&pushes)
                }
            }
            if !session.closeAfterReply, let unparsed, unparsed.readableBytes > state.config.clientQueryBufferLimit {
                overQueryLimit = true
                session.closeAfterReply = true
            }
            closeAfterReply = session.closeAfterReply
            // Clients blocked on keys this batch filled are served now, their
            // pops going to persistence with the batch's changes.
            if !blockedClients.isEmpty && state.keyspace.changeCount != changesBefore {
                served = blockedClients.serveReady(state)
            }
            // Hand this batch's changes to persistence while still under the lock,
            // so they reach it in execution order.
            let changes = state.keyspace.drainEncodedChanges()
            if !changes.isEmpty {
                KeyspaceNotifications.publishExpired(in: state)
                if var pushes = session.subscriptions.takeDeferredPushes() {
                    session.reply.buffer.writeBuffer(&pushes)
                }
            }
            if !changes.isEmpty, let log = server.durableLog {
                // Replies wait for the journal write (end of the tick, or its fsync in `always`).
                awaitsCommit = true
                // Clients served by this batch reply once their pops are durable too.
                swap(&resumeAfterCommit, &served)
                overMemoryLimit = log.submit(changes, listener: self, token: sequence)
            }
            // Background work (SQL) asked for by this batch starts now that its
            // changes are submitted, so it can wait for them to reach the tables.
            blockedClients.startStagedWork()
            if session.reply.buffer.readableBytes > 0 {
                replies = session.reply.buffer
                session.reply.buffer = takeSpareReplyBuffer(context)
                if replies!.capacity <= 16 * 1024 { spareReplyBuffer = replies }
                state.stats.netOutputBytes += replies!.readableBytes
                session.bytesSent += replies!.readableBytes
            }
        }
        if stillBlocked {
            if overQueryLimit {
                server.logger.warning("Closing client that reached max query buffer length: id=\(session.id) addr=\(session.address)")
                closing = true
                unparsed = nil
                context.close(promise: nil)
            }
            return
        }
        for waiter in served { waiter.unblocked() }
        if let protocolError {
            server.logger.debug("Protocol error (\(protocolError.message)) from client id=\(session.id) addr=\(session.address)")
        }
        if overQueryLimit {
            server.logger.warning("Closing client that reached max query buffer length: id=\(session.id) addr=\(session.address)")
        }
        if overMemoryLimit {
            server.pauseReading(context.channel)
        }
        if closeAfterReply {
            closing = true
            unparsed = nil
        }
        if let earlyPushes {
            writePushes(earlyPushes, context: context, flush: false)
        }
        if awaitsCommit || !pendingReplies.isEmpty {
            // Replies leave in order: behind any batch still waiting for its commit.
            assert(sequence == pendingBase + pendingReplies.count)
            pendingReplies.append(PendingReply(buffer: replies, ready: !awaitsCommit, closeAfter: closeAfterReply,
                                               resumeAfterCommit: resumeAfterCommit))
            releaseReadyReplies(context: context, flush: false)
        } else {
            send(replies, closeAfter: closeAfterReply, context: context)
        }
        if closeAfterReply {
            return
        } else if unparsed?.readableBytes == 0 {
            unparsed = nil
        } else {
            unparsed?.discardReadBytes()
        }
    }

    // MARK: prefetching

    /// How many pipelined requests' keys are prefetched at once (Valkey's
    /// `prefetch-batch-max-size` default).
    private static let prefetchDepth = 16

    /// Prefetches the keys of the next pipelined requests in `buffer` (up to
    /// `prefetchDepth` keys; every key of MSET, MGET, DEL…), then the fields or
    /// members they name in hashes, sets and sorted sets (HGET h f, SADD s m…):
    /// a pipeline of look-ups on large data is bound by cache misses, which
    /// then overlap instead of following one another. Returns how many
    /// requests that covers (at least 1).
    private func prefetchPipelinedKeys(_ buffer: ByteBuffer, in database: Database) -> Int {
        let depth = Self.prefetchDepth
        return withUnsafeTemporaryAllocation(of: UnsafeRawBufferPointer.self, capacity: 2 * depth) { arguments in
            let keys = UnsafeMutableBufferPointer(rebasing: arguments[0..<depth])
            let members = UnsafeMutableBufferPointer(rebasing: arguments[depth...])
            var count = 0
            var withMembers = 0
            let requests = PipelineKeys.forEachKey(in: buffer, limit: depth) { key, member in
                keys[count] = key
                members[count] = member ?? UnsafeRawBufferPointer(start: nil, count: 0)
                if member != nil { withMembers += 1 }
                count += 1
            }
            // A lone key has nothing to overlap with (a lone MSET's keys do).
            guard count > 1 else { return max(requests, 1) }
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * count) { hashes in
                let keyHashes = UnsafeMutableBufferPointer(rebasing: hashes[0..<count])
                let memberHashes = UnsafeMutableBufferPointer(rebasing: hashes[count...])
                for index in 0..<count { keyHashes[index] = ByteString.hashValue(of: keys[index]) }
                database.prefetch(keyHashes: UnsafeBufferPointer(keyHashes))
                guard withMembers > 1 else { return }
                // Second level: each member's bucket, then its node, then its bytes and
                // value, then (for members not first in their chain) the second node's.
                // On the stack, like the rest: no allocation per prefetch round.
                withUnsafeTemporaryAllocation(of: MemberTablePrefetching?.self, capacity: count) { tables in
                    for index in 0..<count {
                        let table = members[index].baseAddress == nil ? nil
                            : database.memberTable(hash: keyHashes[index], key: keys[index])
                        tables.initializeElement(at: index, to: table)
                        guard let table else { continue }
                        memberHashes[index] = ByteString.hashValue(of: members[index])
                        table.prefetchBucket(hash: memberHashes[index])
                    }
                    for index in 0..<count { tables[index]?.prefetchNode(hash: memberHashes[index]) }
                    for index in 0..<count { tables[index]?.prefetchContents(hash: memberHashes[index]) }
                    for index in 0..<count { tables[index]?.prefetchSecondNode(hash: memberHashes[index]) }
                    for index in 0..<count { tables[index]?.prefetchSecondNodeContents(hash: memberHashes[index]) }
                    _ = tables.deinitialize()
                }
            }
            return requests
        }
    }

    // MARK: reply buffers

    /// The buffer of the batch before: once the socket has taken its bytes
    /// nothing else holds it, and clearing it for the next batch costs no
    /// allocation (while still in flight, `clear` gives it fresh storage).
    private var spareReplyBuffer: ByteBuffer?

    private func takeSpareReplyBuffer(_ context: ChannelHandlerContext) -> ByteBuffer {
        guard var spare = spareReplyBuffer else { return context.channel.allocator.buffer(capacity: 256) }
        spareReplyBuffer = nil
        spare.clear()
        return spare
    }

    // MARK: replies held for commits

    /// A batch's replies, held until its writes are durable.
    private struct PendingReply {
        var buffer: ByteBuffer?
        var ready: Bool
        var closeAfter: Bool
        /// For pushes held behind replies: their size, acknowledged once written.
        var pushBytes = 0
        /// Blocked clients this batch served: they reply once its commit is done.
        var resumeAfterCommit: [BlockedWaiter] = []
    }

    private var pendingReplies = Deque<PendingReply>()
    /// Sequence number of `pendingReplies.first`.
    private var pendingBase = 0
    private var handlerContext: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { handlerContext = context }
    func handlerRemoved(context: ChannelHandlerContext) { handlerContext = nil }

    /// Set on the first batch: delivers this connection's commits on its event loop.
    private var commitNotifier: CommitNotifier?
    /// Inside `process` (event loop only): a commit reported meanwhile is for
    /// a batch whose reply is not queued yet, so it goes through the notifier.
    private var processing = false

    /// CommitListener: on any thread, once the batch `token` is written.
    func commitFinished(token: Int, error: (any Error)?) {
        if let error {
            // Like Valkey with AOF everysec: the batch's replies go out (its changes
            // stay queued and are retried), and further writes get -MISCONF once
            // the server's cron sees the failure.
            server.logger.warning("Error writing to the database: \(error)")
        }
        guard let notifier = commitNotifier else { return }
        if notifier.eventLoop.inEventLoop && !processing {
            // The journal write ran at the end of this loop's tick (everysec,
            // no): the replies leave now, as Valkey's do after its AOF write,
            // not one task hop and one loop iteration later.
            batchCommitted(token)
        } else {
            // From the flusher thread (always), or within `process`, before
            // the batch's reply is queued.
            notifier.committed(self, sequence: token)
        }
    }

    /// On the event loop, via `CommitNotifier`: batch `sequence` is durable.
    func batchCommitted(_ sequence: Int) {
        let index = sequence - pendingBase
        guard index >= 0 && index < pendingReplies.count else { return }
        pendingReplies[index].ready = true
        if !pendingReplies[index].resumeAfterCommit.isEmpty {
            let served = pendingReplies[index].resumeAfterCommit
            pendingReplies[index].resumeAfterCommit = []
            for waiter in served { waiter.unblocked() }
        }
        guard let context = handlerContext else { return }
        releaseReadyReplies(context: context, flush: true)
    }

    private func releaseReadyReplies(context: ChannelHandlerContext, flush: Bool) {
        var wrote = false
        while let first = pendingReplies.first, first.ready {
            pendingReplies.removeFirst()
            pendingBase += 1
            if first.pushBytes > 0, let buffer = first.buffer {
                writeAcknowledged(buffer, bytes: first.pushBytes, context: context)
            } else {
                send(first.buffer, closeAfter: first.closeAfter, context: context)
            }
            wrote = true
        }
        if wrote && flush { context.flush() }
        if inputClosed { closeIfInputDone(context: context) }
    }

    private func send(_ replies: ByteBuffer?, closeAfter: Bool, context: ChannelHandlerContext) {
        if let replies {
            context.write(wrapOutboundOut(replies), promise: nil)
        }
        if closeAfter {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    // MARK: blocking commands (BLPOP…) and background work (SQL)

    /// Blocked: no command runs until unblocked. Under the execution lock.
    private var waitingForUnblock = false
    /// The blocked command's timeout. Under the execution lock.
    private var timeoutTask: Scheduled<Void>?

    /// BlockedWaiter: under the execution lock.
    func blocked(deadline: Int64, token: Int) {
        waitingForUnblock = true
        timeoutTask?.cancel()
        timeoutTask = nil
        guard deadline > 0, let channel else { return }
        let delay = max(deadline - currentTimeMillis(), 0)
        timeoutTask = channel.eventLoop.scheduleTask(in: .milliseconds(delay)) { [self] in
            timedOut(token: token)
        }
    }

    /// BlockedWaiter: under the execution lock, or on any thread after a
    /// commit. The reply is in the session's buffer: send it on the event loop.
    func unblocked() {
        guard let channel else { return }
        channel.eventLoop.execute { [self] in
            guard let context = handlerContext, let session, !closing else { return }
            process(context: context, session: session, received: 0, resuming: true)
            context.flush()
        }
    }

    /// BackgroundWaiter: on any thread, once the work is done.
    func finishBackgroundWork(_ finish: @escaping (ServerState) -> Bool) {
        guard let channel else { return }
        channel.eventLoop.execute { [self] in
            guard let context = handlerContext, let session, !closing else { return }
            guard server.withState(finish) else { return }
            process(context: context, session: session, received: 0, resuming: true)
            context.flush()
        }
    }

    /// On the event loop: the blocked command's timeout passed.
    private func timedOut(token: Int) {
        guard let context = handlerContext, let session, !closing else { return }
        let expired = server.withState { _ in server.blockedClients.timeOut(session, token: token) }
        guard expired else { return }
        process(context: context, session: session, received: 0, resuming: true)
        context.flush()
    }

    // MARK: pushes from other clients (pub/sub)

    /// Guards the push queue, which publishers on other event loops append to.
    private let pushLock = NIOLock()
    /// Pushes queued by other clients' commands, not yet handed to the channel.
    private var pushBuffer: ByteBuffer?
    /// A flush of `pushBuffer` is scheduled on this connection's event loop.
    private var pushFlushScheduled = false
    /// Push bytes queued or written but not yet accepted by the socket: the
    /// client's pub/sub output buffer, checked against its limit.
    private var outstandingPushBytes = 0
    /// When the soft limit was first exceeded (Unix ms), 0 while under it.
    private var softLimitSince: Int64 = 0
    /// Over its output buffer limit or closed: further pushes are dropped.
    private var pushClosed = false

    /// PushReceiver: called under the execution lock from the publisher's thread.
    func enqueuePush(_ message: ByteBuffer, limit: OutputBufferLimit, now: Int64) {
        guard let channel else { return }
        let (schedule, overLimit) = pushLock.withLock { () -> (Bool, Bool) in
            if pushClosed { return (false, false) }
            if pushBuffer == nil {
                pushBuffer = message
            } else {
                var message = message
                pushBuffer!.writeBuffer(&message)
            }
            outstandingPushBytes += message.readableBytes
            if exceedsLimit(limit, now: now) {
                pushClosed = true
                pushBuffer = nil
                return (false, true)
            }
            defer { pushFlushScheduled = true }
            return (!pushFlushScheduled, false)
        }
        if overLimit {
            channel.eventLoop.execute { self.closeOverOutputLimit() }
        } else if schedule {
            channel.eventLoop.execute { self.flushQueuedPushes() }
        }
    }

    /// Valkey's `checkClientOutputBufferLimits`: over the hard limit at once, or
    /// over the soft limit for longer than its seconds. Under `pushLock`.
    private func exceedsLimit(_ limit: OutputBufferLimit, now: Int64) -> Bool {
        let used = outstandingPushBytes
        if limit.hard > 0 && used >= limit.hard { return true }
        guard limit.soft > 0 && used >= limit.soft else {
            softLimitSince = 0
            return false
        }
        if softLimitSince == 0 {
            softLimitSince = now
            return false
        }
        return now - softLimitSince > Int64(limit.softSeconds) * 1000
    }

    private func takeQueuedPushes() -> ByteBuffer? {
        pushLock.withLock {
            defer { pushBuffer = nil }
            return pushBuffer
        }
    }

    /// On the event loop: hands the queued pushes to the channel, in order
    /// behind any replies still waiting for their commit.
    private func flushQueuedPushes() {
        let buffer = pushLock.withLock { () -> ByteBuffer? in
            pushFlushScheduled = false
            defer { pushBuffer = nil }
            return pushBuffer
        }
        guard let buffer, let context = handlerContext, !closing else { return }
        writePushes(buffer, context: context, flush: true)
    }

    private func writePushes(_ buffer: ByteBuffer, context: ChannelHandlerContext, flush: Bool) {
        let bytes = buffer.readableBytes
        guard bytes > 0 else { return }
        if pendingReplies.isEmpty {
            writeAcknowledged(buffer, bytes: bytes, context: context)
            if flush { context.flush() }
        } else {
            pendingReplies.append(PendingReply(buffer: buffer, ready: true, closeAfter: false, pushBytes: bytes))
        }
    }

    /// Writes pushes and releases their bytes from the output buffer account
    /// once the socket took them.
    private func writeAcknowledged(_ buffer: ByteBuffer, bytes: Int, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { _ in
            self.pushLock.withLock {
                self.outstandingPushBytes -= bytes
            }
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    /// On the event loop: the client's pub/sub output buffer passed its limit.
    private func closeOverOutputLimit() {
        guard !closing, let context = handlerContext else { return }
        closing = true
        if let session {
            server.logger.warning("Client id=\(session.id) addr=\(session.address) laddr=\(session.localAddress) scheduled to be closed ASAP for overcoming of output buffer limits.")
        }
        context.close(promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
        context.fireChannelReadComplete()
    }
}

private func describe(_ address: SocketAddress?) -> String {
    guard let address else { return "?:0" }
    return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
}

private func isLoopback(_ address: SocketAddress?) -> Bool {
    guard let address else { return true }
    switch address {
    case .v4:
        return address.ipAddress?.hasPrefix("127.") ?? false
    case .v6:
        let ip = address.ipAddress ?? ""
        return ip == "::1" || ip.hasPrefix("::ffff:127.")
    case .unixDomainSocket:
        return true
    }
}
