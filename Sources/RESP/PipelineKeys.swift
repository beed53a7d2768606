import NIOCore

/// Peeks at the pipelined requests waiting in a read buffer without consuming
/// them: the caller prefetches their keys before running the first one, so
/// the cache misses of a whole pipeline overlap instead of adding up.
public enum PipelineKeys {
    /// Calls `body` with the second argument (the key, for most commands) and
    /// the third, if any (a field or member: HGET, HSET, SADD…), of each
    /// complete multibulk request at the start of `buffer`; for the multi-key
    /// commands (MSET, MSETNX, MGET, DEL, UNLINK, EXISTS, TOUCH) with each of
    /// their keys and no member. Reports at most `limit` keys and returns how
    /// many requests that covered. Stops at anything it does not recognize
    /// (inline commands, partial requests, malformed headers): the decoder
    /// handles those; this only guesses what to prefetch.
    @discardableResult
    public static func forEachKey(in buffer: ByteBuffer, limit: Int,
                                  _ body: (_ key: UnsafeRawBufferPointer, _ member: UnsafeRawBufferPointer?) -> Void) -> Int {
        buffer.withUnsafeReadableBytes { bytes in
            var position = 0
            var seen = 0
            var reported = 0
            while reported < limit {
                guard let count = header(bytes, &position, marker: UInt8(ascii: "*")), count > 0 else { return seen }
                var keyStep = 0
                var key: UnsafeRawBufferPointer? = nil
                var member: UnsafeRawBufferPointer? = nil
                for index in 0..<count {
                    guard let length = header(bytes, &position, marker: UInt8(ascii: "$")),
                          position + length + 2 <= bytes.count else { return seen }
                    let argument = UnsafeRawBufferPointer(rebasing: bytes[position..<position + length])
                    if index == 0 {
                        keyStep = multiKeyStep(argument)
                    } else if keyStep > 0 {
                        // Reported as they come: prefetching a key of a request
                        // still arriving is as useful.
                        if (index - 1) % keyStep == 0 && reported < limit {
                            body(argument, nil)
                            reported += 1
                        }
                    } else if index == 1 {
                        key = argument
                    } else if index == 2 {
                        member = argument
                    }
                    position += length + 2
                }
                if let key {
                    body(key, member)
                    reported += 1
                }
                seen += 1
            }
            return seen
        }
    }

    /// For a multi-key command, the distance between its keys from the
    /// second argument on (MSET k v k v…: 2; MGET k k…: 1); 0 for any other.
    @inline(__always)
    private static func multiKeyStep(_ name: UnsafeRawBufferPointer) -> Int {
        switch name.count {
        case 3: return matches(name, "del") ? 1 : 0
        case 4: return matches(name, "mset") ? 2 : matches(name, "mget") ? 1 : 0
        case 5: return matches(name, "touch") ? 1 : 0
        case 6: return matches(name, "msetnx") ? 2 : matches(name, "unlink") || matches(name, "exists") ? 1 : 0
        default: return 0
        }
    }

    /// Whether `bytes` is `lowercase` in any letter case (ASCII letters only).
    @inline(__always)
    private static func matches(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
        return true
    }

    /// Reads `<marker><digits>\r\n` at `position` (moving past it); nil when absent or odd.
    @inline(__always)
    private static func header(_ bytes: UnsafeRawBufferPointer, _ position: inout Int, marker: UInt8) -> Int? {
        var index = position
        guard index < bytes.count, bytes[index] == marker else { return nil }
        index += 1
        var value = 0
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
            if index - start > 10 { return nil }
        }
        guard index > start, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\r") else { return nil }
        position = index + 2
        return value
    }
}
