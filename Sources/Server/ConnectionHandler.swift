import Commands
import DequeModule
import Keyspace
import Logging
import NIOCore
import RESP

/// One client connection: decodes the requests of each read, runs them as one
/// batch under the execution lock, and writes all their replies with one flush.
final class ConnectionHandler: ChannelInboundHandler, ClientConnection {
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
        if let session {
            server.withState { $0.clients.remove(session) }
            server.logger.debug("Client closed connection id=\(session.id) addr=\(session.address)")
        }
        session = nil
        context.fireChannelInactive()
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

        var replies: ByteBuffer? = nil
        var closeAfterReply = false
        var overQueryLimit = false
        var protocolError: ProtocolError? = nil
        var awaitsCommit = false
        var overMemoryLimit = false
        let sequence = pendingBase + pendingReplies.count
        let notifier = server.commitNotifier(for: context.eventLoop)
        server.withState { state in
            state.stats.netInputBytes += received
            session.bytesReceived += received
            // Decode one request, run it, then decode the next, as Valkey does: an AUTH
            // early in a pipeline lifts the unauthenticated size limits for the rest.
            while !session.closeAfterReply {
                decoder.unauthenticated = !session.authenticated
                let request: [[UInt8]]?
                do throws(ProtocolError) {
                    request = try decoder.next(from: &unparsed!)
                } catch {
                    protocolError = error
                    session.reply.writeError(error.message)
                    state.stats.countError(error.message)
                    session.closeAfterReply = true
                    break
                }
                guard let request else { break }
                CommandDispatcher.execute(request, for: session, in: state)
            }
            if !session.closeAfterReply, let unparsed, unparsed.readableBytes > state.config.clientQueryBufferLimit {
                overQueryLimit = true
                session.closeAfterReply = true
            }
            closeAfterReply = session.closeAfterReply
            // Hand this batch's changes to persistence while still under the lock,
            // so they reach it in execution order.
            let changes = state.keyspace.drainChanges()
            if !changes.isEmpty, let log = server.durableLog {
                awaitsCommit = log.repliesWaitForCommit
                overMemoryLimit = log.submit(changes) { [self] in
                    if awaitsCommit { notifier.committed(self, sequence: sequence) }
                }
            }
            if session.reply.buffer.readableBytes > 0 {
                replies = session.reply.buffer
                session.reply.buffer = context.channel.allocator.buffer(capacity: 256)
                state.stats.netOutputBytes += replies!.readableBytes
                session.bytesSent += replies!.readableBytes
            }
        }
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
        if awaitsCommit || !pendingReplies.isEmpty {
            // Replies leave in order: behind any batch still waiting for its commit.
            pendingReplies.append(PendingReply(buffer: replies, ready: !awaitsCommit, closeAfter: closeAfterReply))
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

    // MARK: replies held for commits

    /// A batch's replies, held until its writes are durable.
    private struct PendingReply {
        var buffer: ByteBuffer?
        var ready: Bool
        var closeAfter: Bool
    }

    private var pendingReplies = Deque<PendingReply>()
    /// Sequence number of `pendingReplies.first`.
    private var pendingBase = 0
    private var handlerContext: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { handlerContext = context }
    func handlerRemoved(context: ChannelHandlerContext) { handlerContext = nil }

    /// On the event loop, via `CommitNotifier`.
    func commitFinished(_ sequence: Int) {
        guard let context = handlerContext else { return }
        let index = sequence - pendingBase
        guard index >= 0 && index < pendingReplies.count else { return }
        pendingReplies[index].ready = true
        releaseReadyReplies(context: context, flush: true)
    }

    private func releaseReadyReplies(context: ChannelHandlerContext, flush: Bool) {
        var wrote = false
        while let first = pendingReplies.first, first.ready {
            pendingReplies.removeFirst()
            pendingBase += 1
            send(first.buffer, closeAfter: first.closeAfter, context: context)
            wrote = true
        }
        if wrote && flush { context.flush() }
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
