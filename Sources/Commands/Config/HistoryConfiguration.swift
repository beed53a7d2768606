import Keyspace

/// Valkite's `history-keys` and `history-retention` parameters.
public enum HistoryConfiguration {
    /// `history-retention`: `0` (keep forever) or a number with a unit
    /// `ms`, `s`, `m`, `h`, `d` or `w` (none = seconds), as milliseconds.
    public static func retentionMilliseconds(_ text: String) -> Int64? {
        let units: [(suffix: String, factor: Int64)] = [
            ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
        ]
        let lowered = text.lowercased()
        var number = Substring(lowered)
        var factor: Int64 = 1000
        for unit in units where lowered.hasSuffix(unit.suffix) {
            number = lowered.dropLast(unit.suffix.count)
            factor = unit.factor
            break
        }
        guard !number.isEmpty, number.allSatisfy(\.isASCIIDigit), let value = Int64(number) else { return nil }
        let (milliseconds, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : milliseconds
    }

    static func validateRetention(_ text: String) -> String? {
        retentionMilliseconds(text) == nil ? "argument must be 0 or a duration such as 30d, 12h, 90m or 3600s" : nil
    }

    /// Applies `history-keys` to the keyspace now and on every CONFIG SET.
    static func install(on state: ServerState) {
        state.keyspace.historyKeys = HistoryKeys(parsing: state.config.value("history-keys") ?? "")
        let previous = state.config.onChange
        state.config.onChange = { [weak state] name, value in
            previous?(name, value)
            if name == "history-keys" { state?.keyspace.historyKeys = HistoryKeys(parsing: value) }
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
