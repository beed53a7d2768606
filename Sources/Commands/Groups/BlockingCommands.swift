import Keyspace
import RESP

enum BlockingCommands {
    static let handlers: [String: CommandHandler] = [:]
}
