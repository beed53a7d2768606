import Keyspace
import RESP

/// The hash command family.
enum HashCommands {
    static let handlers: [String: CommandHandler] = [:]
}
