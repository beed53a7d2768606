import Testing
@testable import Keyspace

@Suite struct GlobTests {
    @Test(arguments: [
        ("*", "anything", true), ("*", "", false) /* as Valkey; KEYS/SCAN special-case a lone "*" */, ("h?llo", "hello", true), ("h?llo", "hllo", false),
        ("h*llo", "heeeello", true), ("h[ae]llo", "hallo", true), ("h[ae]llo", "hillo", false),
        ("h[^e]llo", "hallo", true), ("h[^e]llo", "hello", false), ("h[a-b]llo", "hbllo", true),
        ("h[b-a]llo", "hallo", true), ("h\\*llo", "h*llo", true), ("h\\*llo", "hello", false),
        ("tickers:*", "tickers:BTC", true), ("tickers:*", "ticker:BTC", false), ("a*b*c", "aXbYc", true),
        ("a*b*c", "aXbY", false), ("[", "[", false), ("[a", "a", true), ("\\", "\\", true),
        ("*a", "ba", true), ("a**", "abc", true), ("", "", true), ("", "a", false), ("abc", "abc", true),
    ])
    func valkeyRules(pattern: String, subject: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(subject) == expected)
    }

    @Test func caseInsensitive() {
        #expect(GlobPattern("MAX*", caseInsensitive: true).matches("maxmemory"))
        #expect(!GlobPattern("MAX*").matches("maxmemory"))
        #expect(GlobPattern("[A-C]x", caseInsensitive: true).matches("bX"))
    }

    /// Without Valkey's early exit this pattern takes exponential time.
    @Test func pathologicalPatternIsFast() {
        let pattern = GlobPattern(String(repeating: "a*", count: 30) + "b")
        let subject = String(repeating: "a", count: 60)
        #expect(!pattern.matches(subject))
        let deep = GlobPattern(String(repeating: "*?", count: 2000))
        #expect(!deep.matches(String(repeating: "x", count: 10)))
    }

    @Test func literalDetection() {
        #expect(GlobPattern("plain:key").isLiteral)
        #expect(!GlobPattern("a*").isLiteral)
        #expect(!GlobPattern("a\\b").isLiteral)
    }
}
