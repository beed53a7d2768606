/// A binary-safe string used as a key: wraps the bytes and hashes them in one
/// pass over raw memory (Array's own Hashable feeds the hasher byte by byte).
public struct ByteString: Hashable, Sendable {
    public var bytes: [UInt8]

    @inline(__always)
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(_ text: String) { self.bytes = Array(text.utf8) }

    public var count: Int { bytes.count }

    @inline(__always)
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The `hashValue` a `ByteString` of these bytes has (for bytes still in
    /// a read buffer, such as a pipeline's keys being prefetched).
    @inline(__always)
    public static func hashValue(of bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }

    @inline(__always)
    public static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.bytes == rhs.bytes
    }
}

extension ByteString: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

extension ByteString: CustomStringConvertible {
    public var description: String { String(decoding: bytes, as: UTF8.self) }
}
