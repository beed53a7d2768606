import Keyspace

/// The arguments shared by SCAN, HSCAN, SSCAN and ZSCAN:
/// `cursor [MATCH pattern] [COUNT count]` plus `TYPE` (SCAN), `NOVALUES` (HSCAN)
/// or `NOSCORES` (ZSCAN).
struct ScanArguments {
    var cursor: UInt64
    var count = 10
    /// nil when every element matches (no MATCH, or MATCH *).
    var pattern: GlobPattern?
    /// SCAN TYPE, lowercased.
    var type: String?
    /// HSCAN NOVALUES / ZSCAN NOSCORES: only the first of each pair.
    var noValues = false

    enum Extra { case none, type, noValues, noScores }

    /// Parses the cursor at `cursorIndex` and the options after it, with
    /// Valkey's errors (`ERR invalid cursor`, syntax error, COUNT < 1).
    static func parse(_ context: CommandContext, cursorIndex: Int, extra: Extra) throws(CommandError) -> ScanArguments {
        guard let cursor = UInt64(String(decoding: context[cursorIndex], as: UTF8.self)) else {
            throw CommandError("ERR invalid cursor")
        }
        var arguments = ScanArguments(cursor: cursor)
        var index = cursorIndex + 1
        while index < context.count {
            if (extra == .noValues && context.isToken(index, "NOVALUES"))
                || (extra == .noScores && context.isToken(index, "NOSCORES")) {
                arguments.noValues = true
                index += 1
                continue
            }
            guard index + 1 < context.count else { throw .syntax }
            if context.isToken(index, "COUNT") {
                arguments.count = try context.integer(at: index + 1)
                guard arguments.count >= 1 else { throw .syntax }
            } else if context.isToken(index, "MATCH") {
                let glob = GlobPattern(context[index + 1])
                arguments.pattern = glob.matchesEverything ? nil : glob
            } else if extra == .type && context.isToken(index, "TYPE") {
                arguments.type = context.text(at: index + 1).lowercased()
            } else {
                throw .syntax
            }
            index += 2
        }
        return arguments
    }

    /// Whether `element` passes MATCH.
    @inline(__always)
    func matches(_ element: [UInt8]) -> Bool { pattern?.matches(element) ?? true }
}
