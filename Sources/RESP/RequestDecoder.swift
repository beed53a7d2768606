import NIOCore

/// A malformed or oversized request. The connection answers `-<message>` and closes.
public struct ProtocolError: Error, Equatable, Sendable {
    /// The whole error line, code included: `ERR Protocol error: …`.
    public let message: String
    public init(_ detail: String) { self.message = "ERR Protocol error: " + detail }
}

/// Incremental decoder for client requests: RESP multibulk (`*2\r\n$3\r\nGET\r\n…`)
/// and inline commands (`GET key\r\n`), with Valkey's limits and error texts.
///
/// It consumes bytes from the caller's buffer as it goes and keeps the state of a
/// half-received multibulk request, so a large request arriving in many reads
/// is parsed once, not re-parsed from its start on every read.
public struct RequestDecoder {
    /// Largest multibulk count accepted (Valkey: 1024*1024).
    public static let maxMultibulkLength = 1024 * 1024
    /// Longest inline request or multibulk/bulk header line (Valkey: PROTO_INLINE_MAX_SIZE).
    public static let maxInlineLength = 64 * 1024

    /// `proto-max-bulk-len`.
    public var maxBulkLength: Int
    /// Before authentication Valkey accepts only small requests, so an
    /// unauthenticated client cannot make the server allocate much.
    public var unauthenticated = false

    private var pendingArguments: [[UInt8]] = []
    /// An emptied argument array handed back by `recycle`, reused for the next request.
    private var spareArguments: [[UInt8]] = []
    /// The first argument of the previous multibulk request (its command name).
    private var lastCommandName: [UInt8] = []
    private var remainingArguments = 0
    private var pendingBulkLength = -1

    public init(maxBulkLength: Int = 512 * 1024 * 1024) {
        self.maxBulkLength = maxBulkLength
    }

    /// True when part of a request has been consumed and the rest is awaited.
    public var isMidRequest: Bool { remainingArguments > 0 }

    /// Decodes the next complete request from `buffer`, consuming its bytes.
    /// Returns nil when more bytes are needed. Empty requests (blank inline
    /// lines, `*0`) are skipped, as Valkey does.
    public mutating func next(from buffer: inout ByteBuffer) throws(ProtocolError) -> [[UInt8]]? {
        while true {
            if remainingArguments == 0 {
                guard let first = buffer.readableBytesView.first else { return nil }
                if first == UInt8(ascii: "*") {
                    guard let count = try readMultibulkCount(&buffer) else { return nil }
                    if count <= 0 { continue }
                    remainingArguments = count
                    swap(&pendingArguments, &spareArguments)
                    pendingArguments.reserveCapacity(min(count, 1024))
                } else {
                    guard let arguments = try readInline(&buffer) else { return nil }
                    if arguments.isEmpty { continue }
                    return arguments
                }
            }
            guard try readBulkArguments(&buffer) else { return nil }
            remainingArguments = 0
            defer { pendingArguments = [] }
            return pendingArguments
        }
    }

    /// Hands back a request's argument array once the command is done with
    /// it: emptied, it holds the next request's arguments without allocating
    /// (when nothing kept it, such as a MULTI queue, it is not shared).
    public mutating func recycle(_ arguments: inout [[UInt8]]) {
        guard arguments.capacity <= 64 else { return }
        arguments.removeAll(keepingCapacity: true)
        swap(&arguments, &spareArguments)
    }

    // MARK: multibulk

    private mutating func readMultibulkCount(_ buffer: inout ByteBuffer) throws(ProtocolError) -> Int? {
        guard let line = try readHeaderLine(&buffer, tooBig: "too big mbulk count string") else { return nil }
        guard let count = parseInteger(line.dropFirst()),
              count <= RequestDecoder.maxMultibulkLength else {
            throw ProtocolError("invalid multibulk length")
        }
        if unauthenticated && count > 10 {
            throw ProtocolError("unauthenticated multibulk length")
        }
        return count
    }

    /// Reads bulk strings until the pending request is complete; false if more bytes are needed.
    private mutating func readBulkArguments(_ buffer: inout ByteBuffer) throws(ProtocolError) -> Bool {
        while remainingArguments > 0 {
            if pendingBulkLength < 0 {
                guard let first = buffer.readableBytesView.first else { return false }
                guard first == UInt8(ascii: "$") else {
                    throw ProtocolError("expected '$', got '\(Character(Unicode.Scalar(first)))'")
                }
                guard let line = try readHeaderLine(&buffer, tooBig: "too big bulk count string") else { return false }
                guard let length = parseInteger(line.dropFirst()), length >= 0, length <= maxBulkLength else {
                    throw ProtocolError("invalid bulk length")
                }
                if unauthenticated && length > 16384 {
                    throw ProtocolError("unauthenticated bulk length")
                }
                pendingBulkLength = length
            }
            // Payload plus its CRLF; Valkey skips the two terminator bytes unchecked.
            guard buffer.readableBytes >= pendingBulkLength + 2 else { return false }
            if pendingArguments.isEmpty && pendingBulkLength == lastCommandName.count
                && startsWithLastCommandName(buffer) {
                // The same command name as the connection's previous request (the
                // usual case): share its array instead of allocating one.
                buffer.moveReaderIndex(forwardBy: pendingBulkLength)
                pendingArguments.append(lastCommandName)
            } else {
                let argument = buffer.readBytes(length: pendingBulkLength)!
                if pendingArguments.isEmpty && argument.count <= 32 { lastCommandName = argument }
                pendingArguments.append(argument)
            }
            buffer.moveReaderIndex(forwardBy: 2)
            pendingBulkLength = -1
            remainingArguments -= 1
        }
        return true
    }

    private func startsWithLastCommandName(_ buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { received in
            lastCommandName.withUnsafeBytes { name in
                for index in 0..<name.count where received[index] != name[index] { return false }
                return true
            }
        }
    }

    /// A `*…` or `$…` line without its CRLF, or nil when the CR has not arrived yet.
    private func readHeaderLine(_ buffer: inout ByteBuffer, tooBig: String) throws(ProtocolError) -> ByteBufferView? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: UInt8(ascii: "\r")) else {
            if view.count > RequestDecoder.maxInlineLength { throw ProtocolError(tooBig) }
            return nil
        }
        // Need the LF after the CR too.
        guard cr + 1 < view.endIndex else { return nil }
        let line = view[view.startIndex..<cr]
        buffer.moveReaderIndex(to: cr + 2)
        return line
    }

    // MARK: inline

    private mutating func readInline(_ buffer: inout ByteBuffer) throws(ProtocolError) -> [[UInt8]]? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > RequestDecoder.maxInlineLength { throw ProtocolError("too big inline request") }
            return nil
        }
        var end = newline
        if end > view.startIndex && view[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = view[view.startIndex..<end]
        buffer.moveReaderIndex(to: newline + 1)
        guard let arguments = splitArguments(line) else {
            throw ProtocolError("unbalanced quotes in request")
        }
        return arguments
    }
}

/// Parses a signed decimal integer as Valkey's `string2ll` does: no spaces, no
/// leading zeros except "0" itself, no "+" sign, within Int64.
public func parseInteger<Bytes: Collection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
    var iterator = bytes.makeIterator()
    guard var byte = iterator.next() else { return nil }
    var negative = false
    if byte == UInt8(ascii: "-") {
        negative = true
        guard let next = iterator.next() else { return nil }
        byte = next
    }
    guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
    if byte == UInt8(ascii: "0") {
        // "0" alone; "-0" and "01" are rejected.
        return (iterator.next() == nil && !negative) ? 0 : nil
    }
    var magnitude = UInt64(byte - UInt8(ascii: "0"))
    while let next = iterator.next() {
        guard next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9") else { return nil }
        let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(next - UInt8(ascii: "0")))
        if overflow1 || overflow2 { return nil }
        magnitude = sum
    }
    if negative {
        guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
        return magnitude == UInt64(Int64.max) + 1 ? Int(Int64.min) : -Int(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int(magnitude)
}
