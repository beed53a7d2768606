/// An error reply. `message` is the whole line after `-`, code included
/// (`ERR …`, `WRONGTYPE …`), in Valkey's exact words.
public struct CommandError: Error, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public static let syntax = CommandError("ERR syntax error")
    public static let wrongType = CommandError("WRONGTYPE Operation against a key holding the wrong kind of value")
    public static let notInteger = CommandError("ERR value is not an integer or out of range")
    public static let notFloat = CommandError("ERR value is not a valid float")
    public static let noSuchKey = CommandError("ERR no such key")
    public static let outOfRange = CommandError("ERR index out of range")
    public static let overflow = CommandError("ERR increment or decrement would overflow")
    public static let invalidDatabaseIndex = CommandError("ERR DB index is out of range")
    public static let noAuth = CommandError("NOAUTH Authentication required.")
    public static let wrongPass = CommandError("WRONGPASS invalid username-password pair or user is disabled.")

    public static let loading = CommandError("LOADING Valkey is loading the dataset in memory")

    public static func persistenceFailed(_ cause: String) -> CommandError {
        CommandError("MISCONF Errors writing to the database file: \(cause)")
    }

    public static func wrongArity(_ name: String) -> CommandError {
        CommandError("ERR wrong number of arguments for '\(name)' command")
    }

    public static func invalidExpireTime(_ command: String) -> CommandError {
        CommandError("ERR invalid expire time in '\(command)' command")
    }

    public static func unknownSubcommand(_ subcommand: [UInt8], of command: String) -> CommandError {
        CommandError("ERR unknown subcommand '\(printable(subcommand, limit: 128))'. Try \(command.uppercased()) HELP.")
    }
}

/// Bytes as text for an error message, truncated as Valkey's `%.128s` does.
func printable(_ bytes: [UInt8], limit: Int = 128) -> String {
    String(decoding: bytes.prefix(limit), as: UTF8.self)
}
