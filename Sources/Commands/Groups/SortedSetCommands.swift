import Keyspace
import RESP

/// The sortedset command family.
enum SortedSetCommands {
    static let handlers: [String: CommandHandler] = [:]
}
