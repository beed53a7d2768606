#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNumbers
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
    // On the stack: HINCRBYFLOAT/INCRBYFLOAT format on every call, and a
    // 5 KB heap array (zero-filled) showed in their profile.
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 5120) { buffer -> [UInt8] in
        let written = valkite_format_long_double(buffer.baseAddress!, buffer.count, value)
        var length = min(Int(max(written, 0)), buffer.count - 1)
        let text = UnsafeRawBufferPointer(start: buffer.baseAddress!, count: length)
        if text.contains(UInt8(ascii: ".")) {
            while length > 0 && text[length - 1] == UInt8(ascii: "0") { length -= 1 }
            if length > 0 && text[length - 1] == UInt8(ascii: ".") { length -= 1 }
        }
        if length == 2 && text[0] == UInt8(ascii: "-") && text[1] == UInt8(ascii: "0") { return [UInt8(ascii: "0")] }
        return Array(text[0..<length])
    }
}

private func isCSpace(_ byte: UInt8) -> Bool {
    byte == 32 || (byte >= 9 && byte <= 13)
}

/// The bytes with a NUL after them, on the stack (callers cap the length at 4096).
private func withNullTerminated<Result>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> Result) -> Result {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: source.count)
            }
        }
        buffer[bytes.count] = 0
        return body(buffer.baseAddress!)
    }
}
