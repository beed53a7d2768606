import Keyspace
import RESP

/// The list command family.
enum ListCommands {
    static let handlers: [String: CommandHandler] = [:]
}
