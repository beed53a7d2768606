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
        buffer.writeInteger(UInt8(ascii: ":"))
        writeDecimal(value)
        buffer.writeStaticString("\r\n")
    }

    public mutating func writeInteger(_ value: Int64) {
        writeInteger(Int(value))
    }

    // MARK: bulk strings

    /// The common case (values and keys are `[UInt8]`): one capacity check and
    /// one copy for the whole `$len\r\n…\r\n`, instead of five buffer writes.
    public mutating func writeBulkString(_ bytes: [UInt8]) {
        let count = bytes.count
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count + 25) { out in
            let base = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            base[0] = UInt8(ascii: "$")
            var digits = 1
            var rest = count / 10
            while rest > 0 { digits += 1; rest /= 10 }
            var value = count
            for index in stride(from: digits, to: 0, by: -1) {
                base[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                value /= 10
            }
            var position = digits + 1
            base[position] = 13
            base[position + 1] = 10
            position += 2
            if count > 0 {
                bytes.withUnsafeBytes { source in
                    UnsafeMutableRawPointer(base + position).copyMemory(from: source.baseAddress!, byteCount: count)
                }
            }
            position += count
            base[position] = 13
            base[position + 1] = 10
            return position + 2
        }
    }

    public mutating func writeBulkString<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.writeInteger(UInt8(ascii: "$"))
        writeDecimal(bytes.count)
        buffer.writeStaticString("\r\n")
        buffer.writeBytes(bytes)
        buffer.writeStaticString("\r\n")
    }

    public mutating func writeBulkString(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "$"))
        writeDecimal(text.utf8.count)
        buffer.writeStaticString("\r\n")
        buffer.writeString(text)
        buffer.writeStaticString("\r\n")
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
        buffer.writeInteger(UInt8(ascii: "*"))
        writeDecimal(count)
        buffer.writeStaticString("\r\n")
    }

    /// A map of `count` key/value pairs: `%count` in RESP3, a flat array of 2×count in RESP2.
    public mutating func writeMapHeader(_ count: Int) {
        if version == .resp3 {
            buffer.writeInteger(UInt8(ascii: "%"))
            writeDecimal(count)
        } else {
            buffer.writeInteger(UInt8(ascii: "*"))
            writeDecimal(count * 2)
        }
        buffer.writeStaticString("\r\n")
    }

    /// A set: `~count` in RESP3, an array in RESP2.
    public mutating func writeSetHeader(_ count: Int) {
        buffer.writeInteger(UInt8(ascii: version == .resp3 ? "~" : "*"))
        writeDecimal(count)
        buffer.writeStaticString("\r\n")
    }

    /// An out-of-band push (`>count` in RESP3, an array in RESP2: pub/sub messages).
    public mutating func writePushHeader(_ count: Int) {
        buffer.writeInteger(UInt8(ascii: version == .resp3 ? ">" : "*"))
        writeDecimal(count)
        buffer.writeStaticString("\r\n")
    }

    public mutating func writeBulkStringArray(_ items: [[UInt8]]) {
        writeArrayHeader(items.count)
        for item in items { writeBulkString(item) }
    }

    // MARK: helpers

    /// Decimal digits without going through `String`.
    @inline(__always)
    mutating func writeDecimal(_ value: Int) {
        if value >= 0 && value < 10 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: 48 + value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for Int64.min
        withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            var magnitude = value.magnitude
            repeat {
                position -= 1
                scratch[position] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[position...]))
        }
    }
}

/// Formats a double exactly as Valkey 8's `d2string` (scores, RESP3 doubles):
/// inf/-inf/nan, "-0", integers up to 2^62 in plain digits, otherwise the
/// shortest round-trip digits laid out as fpconv_dtoa does ("0.00001",
/// "1.5e+20", "1e-7").
public func formatDouble(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == 0 { return value.sign == .minus ? "-0" : "0" }
    if abs(value) <= 4_611_686_018_427_387_904.0, value == value.rounded(.towardZero) { return String(Int64(value)) }
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
