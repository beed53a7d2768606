import Keyspace
import NIOCore
import RESP
@testable import Commands

/// Runs commands in-process against a fresh server state and returns the raw
/// RESP bytes each one wrote, as a client would receive them.
final class CommandHarness {
    let server: ServerState
    let client: ClientSession

    /// - Parameter settings: CONFIG SET pairs applied before the client connects.
    init(settings: [(String, String)] = []) {
        let config = ServerConfig()
        try! config.set(settings)
        server = ServerState(config: config)
        client = ClientSession(
            id: server.clients.allocateID(), address: "127.0.0.1:5000", localAddress: "127.0.0.1:6379",
            authenticated: !server.requiresPassword, reply: ReplyWriter(buffer: ByteBuffer()), now: server.keyspace.now)
        server.clients.add(client)
    }

    /// Executes one command (arguments as text) and returns its reply bytes as text.
    @discardableResult
    func run(_ arguments: String...) -> String {
        run(arguments.map { Array($0.utf8) })
    }

    func run(_ arguments: [[UInt8]]) -> String {
        CommandDispatcher.execute(arguments, for: client, in: server)
        let text = String(buffer: client.reply.buffer)
        client.reply.buffer.clear()
        return text
    }

    /// Moves the keyspace clock (expiry tests without sleeping). Commands read
    /// the wall clock, so this shifts stored TTLs instead.
    func expireAllNow() {
        for database in server.keyspace.databases {
            for key in database.keys(matching: GlobPattern("*")) {
                if let node = database.lookup(key), node.value.expireAt != 0 {
                    node.value.expireAt = 1
                }
            }
        }
    }
}
