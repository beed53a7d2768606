import Keyspace
import RESP

enum PubSubCommands {
    static let handlers: [String: CommandHandler] = [:]
}
