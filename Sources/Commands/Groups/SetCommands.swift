import Keyspace
import RESP

/// The set command family.
enum SetCommands {
    static let handlers: [String: CommandHandler] = [:]
}
