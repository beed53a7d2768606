/// Glob-style matching with Valkey's exact rules (`stringmatchlen`): `*`, `?`,
/// `[abc]`, `[^abc]`, `[a-z]`, and `\` escapes. Used by KEYS, SCAN MATCH,
/// CONFIG GET, PSUBSCRIBE and friends.
///
/// Safe against pathological patterns: once the rest of a pattern failed to match
/// anywhere after a `*`, earlier stars are not retried on longer substrings
/// (Valkey's `skipLongerMatches`), and recursion is capped at depth 1000.
public struct GlobPattern: Sendable {
    public let pattern: [UInt8]
    public let caseInsensitive: Bool

    public init(_ pattern: [UInt8], caseInsensitive: Bool = false) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
    }

    public init(_ pattern: String, caseInsensitive: Bool = false) {
        self.init(Array(pattern.utf8), caseInsensitive: caseInsensitive)
    }

    /// True when the pattern is `*` alone, which matches everything.
    public var matchesEverything: Bool { pattern == [UInt8(ascii: "*")] }

    /// True when the pattern has no special characters: it matches only itself.
    public var isLiteral: Bool {
        !pattern.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\\") }
    }

    public func matches(_ string: [UInt8]) -> Bool {
        pattern.withUnsafeBufferPointer { pattern in
            string.withUnsafeBufferPointer { string in
                var skipLongerMatches = false
                return GlobPattern.match(pattern, 0, string, 0, caseInsensitive, &skipLongerMatches, 0)
            }
        }
    }

    public func matches(_ string: String) -> Bool { matches(Array(string.utf8)) }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    private static func match(
        _ pattern: UnsafeBufferPointer<UInt8>, _ patternStart: Int,
        _ string: UnsafeBufferPointer<UInt8>, _ stringStart: Int,
        _ nocase: Bool, _ skipLongerMatches: inout Bool, _ nesting: Int
    ) -> Bool {
        if nesting > 1000 { return false }
        var p = patternStart
        var s = stringStart
        // Reading past the end yields 0, as C's NUL terminator does in the original.
        func pat(_ i: Int) -> UInt8 { i < pattern.count ? pattern[i] : 0 }
        func equal(_ a: UInt8, _ b: UInt8) -> Bool { nocase ? lower(a) == lower(b) : a == b }

        while p < pattern.count && s < string.count {
            switch pattern[p] {
            case UInt8(ascii: "*"):
                while p + 1 < pattern.count && pattern[p + 1] == UInt8(ascii: "*") { p += 1 }
                if p + 1 == pattern.count { return true }
                while s < string.count {
                    if match(pattern, p + 1, string, s, nocase, &skipLongerMatches, nesting + 1) { return true }
                    if skipLongerMatches { return false }
                    s += 1
                }
                skipLongerMatches = true
                return false
            case UInt8(ascii: "?"):
                s += 1
            case UInt8(ascii: "["):
                p += 1
                let negate = pat(p) == UInt8(ascii: "^")
                if negate { p += 1 }
                var matched = false
                while true {
                    if pat(p) == UInt8(ascii: "\\") && pattern.count - p >= 2 {
                        p += 1
                        if pattern[p] == string[s] { matched = true }
                    } else if pat(p) == UInt8(ascii: "]") {
                        break
                    } else if p >= pattern.count {
                        p -= 1
                        break
                    } else if pattern.count - p >= 3 && pattern[p + 1] == UInt8(ascii: "-") {
                        var start = pattern[p], end = pattern[p + 2], c = string[s]
                        if start > end { swap(&start, &end) }
                        if nocase { start = lower(start); end = lower(end); c = lower(c) }
                        p += 2
                        if c >= start && c <= end { matched = true }
                    } else if equal(pattern[p], string[s]) {
                        matched = true
                    }
                    p += 1
                }
                if negate { matched.toggle() }
                if !matched { return false }
                s += 1
            default:
                if pattern[p] == UInt8(ascii: "\\") && pattern.count - p >= 2 { p += 1 }
                if !equal(pattern[p], string[s]) { return false }
                s += 1
            }
            p += 1
            if s == string.count {
                while pat(p) == UInt8(ascii: "*") { p += 1 }
                break
            }
        }
        return p >= pattern.count && s == string.count
    }
}
