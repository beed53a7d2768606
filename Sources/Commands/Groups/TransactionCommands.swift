import Keyspace
import RESP

enum TransactionCommands {
    static let handlers: [String: CommandHandler] = [:]
}
