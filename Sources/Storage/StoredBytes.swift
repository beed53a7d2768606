/// How bytes are stored in a key, field, member or value column: as TEXT when
/// they are valid UTF-8 without NUL, as BLOB otherwise. The rule depends only
/// on the bytes, so the same key always has the same storage class and
/// `WHERE key = ?` finds it. (Valid UTF-8 may contain NUL, but SQL functions
/// on TEXT stop at the first NUL, so such values are BLOBs.)
enum StoredBytes {
    @inline(__always)
    static func isText(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isText($0) }
    }

    /// Strict UTF-8 validation (no overlong forms, no surrogates, nothing
    /// above U+10FFFF), with an 8-bytes-at-a-time ASCII fast path.
    static func isText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            // Fast path: eight ASCII bytes, none of them NUL.
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                let hasZero = (word &- 0x0101_0101_0101_0101) & ~word & high
                if word & high == 0 && hasZero == 0 {
                    index += 8
                    continue
                }
            }
            let lead = base[index]
            if lead < 0x80 {
                if lead == 0 { return false }
                index += 1
                continue
            }
            if lead < 0xC2 { return false }  // stray continuation byte or overlong 2-byte form
            if lead < 0xE0 {
                guard index + 1 < count, base[index + 1] & 0xC0 == 0x80 else { return false }
                index += 2
                continue
            }
            if lead < 0xF0 {
                guard index + 2 < count else { return false }
                let second = base[index + 1], third = base[index + 2]
                guard second & 0xC0 == 0x80, third & 0xC0 == 0x80 else { return false }
                if lead == 0xE0 && second < 0xA0 { return false }  // overlong
                if lead == 0xED && second >= 0xA0 { return false }  // UTF-16 surrogates
                index += 3
                continue
            }
            if lead < 0xF5 {
                guard index + 3 < count else { return false }
                let second = base[index + 1], third = base[index + 2], fourth = base[index + 3]
                guard second & 0xC0 == 0x80, third & 0xC0 == 0x80, fourth & 0xC0 == 0x80 else { return false }
                if lead == 0xF0 && second < 0x90 { return false }  // overlong
                if lead == 0xF4 && second >= 0x90 { return false }  // above U+10FFFF
                index += 4
                continue
            }
            return false
        }
        return true
    }
}
