#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Keyspace
import RESP

/// What a command handler gets: its arguments, its client, and the server.
/// Handlers write their reply through `reply` and report failures by throwing
/// a `CommandError`, which becomes the error reply.
public struct CommandContext {
    public let server: ServerState
    public let client: ClientSession
    /// The request as received; `arguments[0]` is the command name.
    public let arguments: [[UInt8]]

    public init(server: ServerState, client: ClientSession, arguments: [[UInt8]]) {
        self.server = server
        self.client = client
        self.arguments = arguments
    }

    public var keyspace: Keyspace { server.keyspace }
    public var database: Database { server.keyspace[client.database] }
    public var now: Int64 { server.keyspace.now }

    /// The client's reply buffer, written in place.
    public var reply: ReplyWriter {
        get { client.reply }
        nonmutating _modify { yield &client.reply }
    }

    public var count: Int { arguments.count }

    public subscript(index: Int) -> [UInt8] { arguments[index] }

    // MARK: argument parsing

    /// The argument as a 64-bit integer, or Valkey's "not an integer" error.
    public func integer(at index: Int) throws(CommandError) -> Int {
        guard let value = parseInteger(arguments[index]) else { throw .notInteger }
        return value
    }

    /// The argument as a finite double (`inf` accepted only when `allowInfinity`).
    public func double(at index: Int, allowInfinity: Bool = true) throws(CommandError) -> Double {
        guard let value = parseDouble(arguments[index]), allowInfinity || value.isFinite else { throw .notFloat }
        return value
    }

    /// Case-insensitive comparison of an argument with an ASCII keyword.
    public func isToken(_ index: Int, _ token: StaticString) -> Bool {
        arguments[index].matchesToken(token)
    }

    /// The argument as text, for error messages and names (never on a hot path).
    public func text(at index: Int) -> String {
        String(decoding: arguments[index], as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Case-insensitive equality with an ASCII keyword, without building a String.
    @inline(__always)
    public func matchesToken(_ token: StaticString) -> Bool {
        guard count == token.utf8CodeUnitCount else { return false }
        let pointer = token.utf8Start
        for index in 0..<count {
            var byte = self[index]
            if byte >= 65 && byte <= 90 { byte += 32 }
            var expected = pointer[index]
            if expected >= 65 && expected <= 90 { expected += 32 }
            if byte != expected { return false }
        }
        return true
    }
}

/// Parses a double as Valkey's `string2d` does (C `strtod`): decimal, exponent or
/// hex notation and `inf`; rejects leading spaces, trailing garbage, NaN and overflow.
public func parseDouble(_ bytes: [UInt8]) -> Double? {
    parseWithC(bytes, strtod)
}

/// Parses a long double as Valkey's `string2ld` (INCRBYFLOAT's arithmetic is in long double).
public func parseLongDouble(_ bytes: [UInt8]) -> Float80? {
    parseWithC(bytes, strtold)
}

/// Runs a C `strto*` conversion and applies Valkey's acceptance rules to it.
private func parseWithC<Value: FloatingPoint>(
    _ bytes: [UInt8], _ convert: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Value
) -> Value? {
    guard let first = bytes.first, !isCSpace(first), bytes.count < 4096 else { return nil }
    return withNullTerminated(bytes) { pointer -> Value? in
        var end: UnsafeMutablePointer<CChar>? = nil
        errno = 0
        let value = convert(pointer, &end)
        guard let end, UnsafePointer(end) - pointer == bytes.count, !value.isNaN else { return nil }
        if errno == ERANGE && (value.isInfinite || value == 0) { return nil }
        return value
    }
}

/// Formats a long double as Valkey's `ld2string(LD_STR_HUMAN)`: `%.17Lf` with
/// trailing zeros (and a trailing dot) removed.
public func formatLongDouble(_ value: Float80) -> [UInt8] {
    var buffer = [CChar](repeating: 0, count: 5120)
    let length = withVaList([value]) { arguments in
        vsnprintf(&buffer, buffer.count, "%.17Lf", arguments)
    }
    var bytes = buffer[0..<Int(length)].map { UInt8(bitPattern: $0) }
    if bytes.contains(UInt8(ascii: ".")) {
        while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
    }
    if bytes == Array("-0".utf8) { bytes = [UInt8(ascii: "0")] }
    return bytes
}

private func isCSpace(_ byte: UInt8) -> Bool {
    byte == 32 || (byte >= 9 && byte <= 13)
}

private func withNullTerminated<Result>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result {
    var terminated = bytes
    terminated.append(0)
    return terminated.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
    }
}
