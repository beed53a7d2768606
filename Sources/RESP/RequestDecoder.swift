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
///
/// A request that is already whole in the buffer and unremarkable (the usual
/// case, pipelined or not) takes a fast path: one pass over the raw bytes,
/// then one move of the reader index. Everything else (incomplete, malformed,
/// over a limit, inline) goes the incremental way, which alone decides the
/// error texts and partial-read behaviour.
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
    /// Tests turn it off to check the fast path against the incremental one.
    var usesFastPath = true

    private var pendingArguments: [[UInt8]] = []
    /// An emptied argument array handed back by `recycle`, reused for the next request.
    private var spareArguments: [[UInt8]] = []
    /// Small arguments of finished requests (`recycle`), last first: the fast
    /// path refills them with the next requests' arguments instead of
    /// allocating an array per argument. One a command kept (a stored key or
    /// value) is shared, and refilling it allocates as a new array would and
    /// drops this reference to it, before the next command runs.
    private var spareBytes: [[UInt8]] = []
    static let spareBytesLimit = 16
    static let spareBytesCapacity = 128
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
                if usesFastPath, let request = decodeWholeMultibulk(&buffer) { return request }
                guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
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
        // Not position 0, the command name `lastCommandName` shares.
        var position = arguments.count - 1
        while position > 0 && spareBytes.count < RequestDecoder.spareBytesLimit {
            if arguments[position].capacity <= RequestDecoder.spareBytesCapacity { spareBytes.append(arguments[position]) }
            position -= 1
        }
        arguments.removeAll(keepingCapacity: true)
        swap(&arguments, &spareArguments)
    }

    // MARK: fast path

    /// The whole multibulk request at the start of `buffer`, consumed; or nil,
    /// with the buffer untouched, when it is incomplete or anything about it is
    /// unusual, so that the incremental path handles it (and its errors).
    private mutating func decodeWholeMultibulk(_ buffer: inout ByteBuffer) -> [[UInt8]]? {
        // The shortest request, `*1\r\n$0\r\n\r\n`: fewer bytes (an empty buffer at
        // the end of every batch) cannot be one.
        guard buffer.readableBytes >= 10 else { return nil }
        var arguments: [[UInt8]] = []
        swap(&arguments, &spareArguments)
        let consumed = buffer.withUnsafeReadableBytes { received in
            parseWholeMultibulk(received, into: &arguments)
        }
        guard consumed > 0 else {
            arguments.removeAll(keepingCapacity: true)
            swap(&arguments, &spareArguments)
            return nil
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return arguments
    }

    /// Parses `*N\r\n` and N `$len\r\n<bytes>\r\n` into `arguments`; returns
    /// the number of bytes they take, or 0 ("not handled") for anything but a
    /// whole request within every limit. It accepts only a subset of what the
    /// incremental path accepts (strict CRLF after headers, no zero or negative
    /// count), and for that subset gives the same arguments.
    private mutating func parseWholeMultibulk(_ received: UnsafeRawBufferPointer,
                                              into arguments: inout [[UInt8]]) -> Int {
        let end = received.count
        guard end >= 4, received[0] == UInt8(ascii: "*") else { return 0 }
        var index = 1
        // 7 digits hold maxMultibulkLength; longer counts are errors the slow path reports.
        guard let count = RequestDecoder.headerNumber(received, at: &index, maxDigits: 7),
              count > 0, count <= RequestDecoder.maxMultibulkLength,
              !(unauthenticated && count > 10) else { return 0 }
        arguments.reserveCapacity(min(count, 1024))
        var newCommandName: [UInt8]?
        for position in 0..<count {
            guard index < end, received[index] == UInt8(ascii: "$") else { return 0 }
            index += 1
            // 18 digits keep `index + length + 2` far from overflow.
            guard let length = RequestDecoder.headerNumber(received, at: &index, maxDigits: 18),
                  length <= maxBulkLength, !(unauthenticated && length > 16384),
                  end - index >= length + 2 else { return 0 }
            let payload = UnsafeRawBufferPointer(rebasing: received[index..<(index + length)])
            if position == 0 && RequestDecoder.equal(payload, lastCommandName) {
                // The same command name as the connection's previous request (the
                // usual case): share its array instead of allocating one.
                arguments.append(lastCommandName)
            } else {
                if position == 0 {
                    let name = RequestDecoder.bytes(payload)
                    if length <= 32 { newCommandName = name }
                    arguments.append(name)
                } else {
                    arguments.append(refilledBytes(payload))
                }
            }
            // Payload plus its CRLF; Valkey skips the two terminator bytes unchecked.
            index += length + 2
        }
        if let newCommandName { lastCommandName = newCommandName }
        return index
    }

    /// A non-negative decimal number without leading zeros followed by CRLF,
    /// starting at `index`, which it moves past the CRLF; nil for anything else.
    @inline(__always)
    private static func headerNumber(_ received: UnsafeRawBufferPointer, at index: inout Int,
                                     maxDigits: Int) -> Int? {
        let end = received.count
        let start = index
        var position = start
        var value = 0
        while position < end {
            let digit = received[position] &- UInt8(ascii: "0")
            guard digit <= 9 else { break }
            // "0" only alone: "01" is an error for the slow path to report.
            if position - start >= maxDigits || (value == 0 && position > start) { return nil }
            value = value * 10 + Int(digit)
            position += 1
        }
        guard position > start, end - position >= 2,
              received[position] == UInt8(ascii: "\r"), received[position + 1] == UInt8(ascii: "\n") else {
            return nil
        }
        index = position + 2
        return value
    }

    @inline(__always)
    private static func equal(_ payload: UnsafeRawBufferPointer, _ name: [UInt8]) -> Bool {
        guard payload.count == name.count else { return false }
        return name.withUnsafeBytes { name in
            for index in 0..<name.count where payload[index] != name[index] { return false }
            return true
        }
    }

    @inline(__always)
    private static func bytes(_ payload: UnsafeRawBufferPointer) -> [UInt8] {
        guard payload.count > 0 else { return [] }
        // Copied from a typed buffer pointer: this path is specialized in full,
        // while `init(unsafeUninitializedCapacity:)` calls the stdlib's
        // unspecialized buffer allocation, a generic metadata look-up per
        // argument (~60 ns, 2–3% of a pipelined HGET).
        return [UInt8](payload.assumingMemoryBound(to: UInt8.self))
    }

    /// `payload` in a spare array when one has room, else in a new one.
    @inline(__always)
    private mutating func refilledBytes(_ payload: UnsafeRawBufferPointer) -> [UInt8] {
        // The capacity read in place: a copy of the array would make it shared.
        guard payload.count > 0, let last = spareBytes.indices.last,
              spareBytes[last].capacity >= payload.count else {
            return RequestDecoder.bytes(payload)
        }
        var bytes = spareBytes.removeLast()
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: payload.assumingMemoryBound(to: UInt8.self))
        return bytes
    }

    // MARK: multibulk

    private mutating func readMultibulkCount(_ buffer: inout ByteBuffer) throws(ProtocolError) -> Int? {
        guard let header = try readHeaderNumber(&buffer, tooBig: "too big mbulk count string") else { return nil }
        guard let count = header, count <= RequestDecoder.maxMultibulkLength else {
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
                guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return false }
                guard first == UInt8(ascii: "$") else {
                    throw ProtocolError("expected '$', got '\(Character(Unicode.Scalar(first)))'")
                }
                guard let header = try readHeaderNumber(&buffer, tooBig: "too big bulk count string") else { return false }
                guard let length = header, length >= 0, length <= maxBulkLength else {
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

    /// Consumes a `*…` or `$…` line and its CRLF and parses the number after
    /// its first byte. Returns nil when the CR or the byte after it has not
    /// arrived yet (nothing consumed), `.some(nil)` when the line is there but
    /// is not a valid integer (consumed: the caller throws).
    private func readHeaderNumber(_ buffer: inout ByteBuffer, tooBig: String) throws(ProtocolError) -> Int?? {
        var cr = -1
        var complete = false
        var number: Int?
        buffer.withUnsafeReadableBytes { received in
            guard let found = received.firstIndex(of: UInt8(ascii: "\r")) else { return }
            cr = found
            // Need the byte after the CR too (skipped unchecked, as by Valkey).
            guard found + 1 < received.count else { return }
            complete = true
            number = parseInteger(raw: UnsafeRawBufferPointer(rebasing: received[Swift.min(1, found)..<found]))
        }
        guard complete else {
            if cr < 0 && buffer.readableBytes > RequestDecoder.maxInlineLength { throw ProtocolError(tooBig) }
            return nil
        }
        buffer.moveReaderIndex(forwardBy: cr + 2)
        return .some(number)
    }

    // MARK: inline

    private mutating func readInline(_ buffer: inout ByteBuffer) throws(ProtocolError) -> [[UInt8]]? {
        var arguments: [[UInt8]] = []
        swap(&arguments, &spareArguments)
        // The bytes to consume and whether the line parsed (quotes balance),
        // or nil when the LF has not arrived.
        let found: (consumed: Int, parsed: Bool)? = buffer.withUnsafeReadableBytes { received in
            guard let newline = received.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            var end = newline
            if end > 0 && received[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: received[0..<end])
            if line.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) {
                guard var split = splitArguments(line) else { return (newline + 1, false) }
                if !split.isEmpty { split[0] = split[0].withUnsafeBytes { commandName($0) } }
                arguments = split
            } else {
                // No quotes (PING, redis-benchmark's inline tests): split on
                // spaces straight from the buffer into the recycled array.
                splitUnquoted(line, into: &arguments)
            }
            return (newline + 1, true)
        }
        guard let found else {
            swap(&arguments, &spareArguments)
            if buffer.readableBytes > RequestDecoder.maxInlineLength { throw ProtocolError("too big inline request") }
            return nil
        }
        buffer.moveReaderIndex(forwardBy: found.consumed)
        guard found.parsed else { throw ProtocolError("unbalanced quotes in request") }
        return arguments
    }

    /// An inline request's command name: as in the multibulk paths, a repeated
    /// one is the previous request's array (no allocation), which is what lets
    /// the dispatcher skip its table look-up.
    private mutating func commandName(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        if RequestDecoder.equal(bytes, lastCommandName) { return lastCommandName }
        let name = RequestDecoder.bytes(bytes)
        if name.count <= 32 { lastCommandName = name }
        return name
    }

    /// Splits a line without quotes as `splitArguments` does (Valkey's
    /// `sdssplitargs`): spaces (`isspace`) before an argument are skipped, and
    /// an argument ends at a space, tab, CR, LF or NUL, which is consumed.
    private mutating func splitUnquoted(_ line: UnsafeRawBufferPointer, into arguments: inout [[UInt8]]) {
        var index = 0
        while true {
            while index < line.count && isInlineSpace(line[index]) { index += 1 }
            guard index < line.count else { return }
            let start = index
            while index < line.count && !endsInlineArgument(line[index]) { index += 1 }
            let argument = UnsafeRawBufferPointer(rebasing: line[start..<index])
            if index < line.count { index += 1 }
            arguments.append(arguments.isEmpty ? commandName(argument) : RequestDecoder.bytes(argument))
        }
    }
}

/// Parses a signed decimal integer as Valkey's `string2ll` does: no spaces, no
/// leading zeros except "0" itself, no "+" sign, within Int64.
public func parseInteger<Bytes: Collection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
    // Called unspecialized from other modules: one witness call, then a loop over raw memory.
    if let parsed = bytes.withContiguousStorageIfAvailable({ parseInteger(raw: UnsafeRawBufferPointer($0)) }) {
        return parsed
    }
    return Array(bytes).withUnsafeBytes { parseInteger(raw: $0) }
}

/// `parseInteger` over raw bytes.
func parseInteger(raw bytes: UnsafeRawBufferPointer) -> Int? {
    let count = bytes.count
    guard count > 0 else { return nil }
    var index = 0
    var negative = false
    if bytes[0] == UInt8(ascii: "-") {
        negative = true
        index = 1
        guard count > 1 else { return nil }
    }
    let first = bytes[index] &- UInt8(ascii: "0")
    guard first <= 9 else { return nil }
    if first == 0 {
        // "0" alone; "-0" and "01" are rejected.
        return (index + 1 == count && !negative) ? 0 : nil
    }
    var magnitude = UInt64(first)
    index += 1
    while index < count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit <= 9 else { return nil }
        let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
        if overflow1 || overflow2 { return nil }
        magnitude = sum
        index += 1
    }
    if negative {
        guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
        return magnitude == UInt64(Int64.max) + 1 ? Int(Int64.min) : -Int(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int(magnitude)
}
