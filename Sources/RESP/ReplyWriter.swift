import NIOCore

/// RESP protocol version a connection speaks (`HELLO 2|3`).
public enum ProtocolVersion: Int, Sendable {
    case resp2 = 2
    case resp3 = 3
}

/// Encodes replies straight into an outgoing `ByteBuffer`.
///
/// Commands write their replies through this type instead of building reply
/// values first: no intermediate allocations, and one buffer collects the
/// replies of a whole pipelined batch so they leave with one flush.
/// Aggregate replies are written as a header (`writeArrayHeader(count)`) followed
/// by their elements. Where RESP3 has a richer type (map, set, double, null,
/// boolean, push) the writer downgrades it to the RESP2 form automatically.
public struct ReplyWriter {
    public var buffer: ByteBuffer
    public var version: ProtocolVersion

    public init(buffer: ByteBuffer, version: ProtocolVersion = .resp2) {
        self.buffer = buffer
        self.version = version
    }

    // MARK: simple types

    /// `+OK`-style status line. The text must not contain CR or LF.
    public mutating func writeSimpleString(_ text: StaticString) {
        buffer.writeInteger(UInt8(ascii: "+"))
        buffer.writeStaticString(text)
        buffer.writeStaticString("\r\n")
    }

    /// Disfavored so that literals (`"PONG"`, `"QUEUED"`) take the StaticString
    /// overload: no String to build and walk per reply.
    @_disfavoredOverload
    public mutating func writeSimpleString(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "+"))
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }

    public mutating func writeOK() {
        buffer.writeStaticString("+OK\r\n")
    }

    /// An error line; `message` starts with its code (`ERR …`, `WRONGTYPE …`).
    /// CR/LF inside the message are replaced by spaces as Valkey does.
    public mutating func writeError(_ message: String) {
        buffer.writeInteger(UInt8(ascii: "-"))
        if message.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
            buffer.writeBytes(message.utf8.map { $0 == 13 || $0 == 10 ? UInt8(ascii: " ") : $0 })
        } else {
            buffer.writeString(message)
        }
        buffer.writeStaticString("\r\n")
    }

    public mutating func writeInteger(_ value: Int) {
        writeLine(UInt8(ascii: ":"), value)
    }

    public mutating func writeInteger(_ value: Int64) {
        writeInteger(Int(value))
    }

    // MARK: bulk strings

    /// The common case (values and keys are `[UInt8]`).
    public mutating func writeBulkString(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeBulk($0) }
    }

    /// Bytes lent by their owner (a skip list's member).
    public mutating func writeBulkString(_ bytes: UnsafeRawBufferPointer) {
        writeBulk(bytes)
    }

    public mutating func writeBulkString<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ writeBulk(UnsafeRawBufferPointer($0)) }) != nil { return }
        buffer.writeInteger(UInt8(ascii: "$"))
        writeDecimal(bytes.count)
        buffer.writeStaticString("\r\n")
        buffer.writeBytes(bytes)
        buffer.writeStaticString("\r\n")
    }

    public mutating func writeBulkString(_ text: String) {
        var text = text
        text.withUTF8 { writeBulk(UnsafeRawBufferPointer($0)) }
    }

    /// RESP3 verbatim string (`=len\r\ntxt:…`); a plain bulk string in RESP2.
    public mutating func writeVerbatimString(_ text: String, format: StaticString = "txt") {
        guard version == .resp3 else { return writeBulkString(text) }
        buffer.writeInteger(UInt8(ascii: "="))
        writeDecimal(text.utf8.count + 4)
        buffer.writeStaticString("\r\n")
        buffer.writeStaticString(format)
        buffer.writeInteger(UInt8(ascii: ":"))
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
    }

    /// The null reply: `_` in RESP3, the null bulk string `$-1` in RESP2.
    public mutating func writeNull() {
        if version == .resp3 {
            buffer.writeStaticString("_\r\n")
        } else {
            buffer.writeStaticString("$-1\r\n")
        }
    }

    /// A null where RESP2 uses the null array (`*-1`), e.g. EXEC aborted, BLPOP timeout.
    public mutating func writeNullArray() {
        if version == .resp3 {
            buffer.writeStaticString("_\r\n")
        } else {
            buffer.writeStaticString("*-1\r\n")
        }
    }

    /// RESP3 boolean; RESP2 integer 1/0.
    public mutating func writeBoolean(_ value: Bool) {
        if version == .resp3 {
            buffer.writeStaticString(value ? "#t\r\n" : "#f\r\n")
        } else {
            buffer.writeStaticString(value ? ":1\r\n" : ":0\r\n")
        }
    }

    /// RESP3 double (`,1.5`); in RESP2 a bulk string with the same text.
    public mutating func writeDouble(_ value: Double) {
        // Integral scores (the usual kind) are formatted straight into the
        // buffer, not through a String.
        if let integral = plainDigitsValue(value) { return writeIntegralDouble(integral) }
        let text = formatDouble(value)
        if version == .resp3 {
            buffer.writeInteger(UInt8(ascii: ","))
            buffer.writeString(text)
            buffer.writeStaticString("\r\n")
        } else {
            writeBulkString(text)
        }
    }

    // MARK: aggregates

    public mutating func writeArrayHeader(_ count: Int) {
        writeLine(UInt8(ascii: "*"), count)
    }

    /// A map of `count` key/value pairs: `%count` in RESP3, a flat array of 2×count in RESP2.
    public mutating func writeMapHeader(_ count: Int) {
        if version == .resp3 {
            writeLine(UInt8(ascii: "%"), count)
        } else {
            writeLine(UInt8(ascii: "*"), count * 2)
        }
    }

    /// A set: `~count` in RESP3, an array in RESP2.
    public mutating func writeSetHeader(_ count: Int) {
        writeLine(UInt8(ascii: version == .resp3 ? "~" : "*"), count)
    }

    /// An out-of-band push (`>count` in RESP3, an array in RESP2: pub/sub messages).
    public mutating func writePushHeader(_ count: Int) {
        writeLine(UInt8(ascii: version == .resp3 ? ">" : "*"), count)
    }

    public mutating func writeBulkStringArray(_ items: [[UInt8]]) {
        writeArrayHeader(items.count)
        for item in items { writeBulkString(item) }
    }

    // MARK: helpers
    //
    // Each writes its whole line with one capacity check and one copy: a
    // `ByteBuffer` write checks uniqueness and capacity every time, and ten
    // members with scores took ~45 of them per ZRANGE.

    /// The longest decimal an `Int` prints as (with its sign).
    private static let maximumDecimalLength = 20

    /// `<marker><value>\r\n`: integers and aggregate headers.
    @inline(__always)
    mutating func writeLine(_ marker: UInt8, _ value: Int) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.maximumDecimalLength + 3) { out in
            out[0] = marker
            let end = 1 + Self.putDecimal(value, into: out.baseAddress! + 1)
            out[end] = 13
            out[end + 1] = 10
            return end + 2
        }
    }

    /// `$<count>\r\n<bytes>\r\n`.
    @inline(__always)
    mutating func writeBulk(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count + Self.maximumDecimalLength + 5) { out in
            out[0] = UInt8(ascii: "$")
            var position = 1 + Self.putDecimal(count, into: out.baseAddress! + 1)
            out[position] = 13
            out[position + 1] = 10
            position += 2
            if count > 0 { (out.baseAddress! + position).copyMemory(from: bytes.baseAddress!, byteCount: count) }
            position += count
            out[position] = 13
            out[position + 1] = 10
            return position + 2
        }
    }

    /// A double with an integral value, as `formatDouble` prints it (plain digits).
    mutating func writeIntegralDouble(_ value: Int) {
        guard version == .resp2 else { return writeLine(UInt8(ascii: ","), value) }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { scratch in
            writeBulk(UnsafeRawBufferPointer(rebasing: scratch[..<Self.putDecimal(value, into: scratch.baseAddress!)]))
        }
    }

    /// Writes the decimal digits of `value` (with a `-` when negative) at
    /// `out`, which has room for `maximumDecimalLength` bytes; returns how many.
    @inline(__always)
    static func putDecimal(_ value: Int, into out: UnsafeMutableRawPointer) -> Int {
        let out = out.assumingMemoryBound(to: UInt8.self)
        var magnitude = value.magnitude
        if magnitude < 10 && value >= 0 {
            out[0] = UInt8(truncatingIfNeeded: 48 + magnitude)
            return 1
        }
        var length = value < 0 ? 1 : 0
        var rest = magnitude
        while rest > 0 { length += 1; rest /= 10 }
        if value < 0 { out[0] = UInt8(ascii: "-") }
        var index = length
        repeat {
            index -= 1
            out[index] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return length
    }

    /// Decimal digits without going through `String`.
    @inline(__always)
    mutating func writeDecimal(_ value: Int) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.maximumDecimalLength) { out in
            Self.putDecimal(value, into: out.baseAddress!)
        }
    }
}

/// The integer `formatDouble` prints `value` as, in plain digits: integral
/// values up to 2^62 in magnitude (Valkey's d2string), but not -0; nil otherwise.
@inline(__always)
func plainDigitsValue(_ value: Double) -> Int? {
    guard abs(value) <= 4_611_686_018_427_387_904.0, value == value.rounded(.towardZero),
          value != 0 || value.sign == .plus else { return nil }
    return Int(value)
}

/// Formats a double exactly as Valkey 8's `d2string` (scores, RESP3 doubles):
/// inf/-inf/nan, "-0", integers up to 2^62 in plain digits, otherwise the
/// shortest round-trip digits laid out as fpconv_dtoa does ("0.00001",
/// "1.5e+20", "1e-7").
public func formatDouble(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if let integral = plainDigitsValue(value) { return String(integral) }
    if value == 0 { return "-0" }
    // The shortest round-trip digits and their decimal exponent: value = digits × 10^k.
    let text = abs(value).description
    var digits: [UInt8] = [], k = 0, afterPoint = false
    var index = text.utf8.startIndex
    while index != text.utf8.endIndex {
        let byte = text.utf8[index]
        if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            k += Int(text[text.utf8.index(after: index)...])!
            break
        }
        if byte == UInt8(ascii: ".") {
            afterPoint = true
        } else {
            if !(digits.isEmpty && byte == UInt8(ascii: "0")) { digits.append(byte) }
            if afterPoint { k -= 1 }
        }
        index = text.utf8.index(after: index)
    }
    while digits.last == UInt8(ascii: "0") { digits.removeLast(); k += 1 }
    let count = digits.count, exponent = abs(k + count - 1), zero = UInt8(ascii: "0")
    var out: [UInt8] = value < 0 ? [UInt8(ascii: "-")] : []
    if k >= 0 && exponent < count + 7 {
        out += digits + [UInt8](repeating: zero, count: k)
    } else if k < 0 && (k > -7 || exponent < 4) {
        let offset = count + k
        if offset <= 0 {
            out += [zero, UInt8(ascii: ".")] + [UInt8](repeating: zero, count: -offset) + digits
        } else {
            out += digits[..<offset] + [UInt8(ascii: ".")] + digits[offset...]
        }
    } else {
        let shown = min(count, value < 0 ? 17 : 18)
        out.append(digits[0])
        if shown > 1 { out += [UInt8(ascii: ".")] + digits[1..<shown] }
        out += Array((k + count - 1 < 0 ? "e-" : "e+").utf8) + Array(String(exponent).utf8)
    }
    return String(decoding: out, as: UTF8.self)
}
