/// Splits an inline request line into arguments with Valkey's `sdssplitargs` rules:
/// whitespace separates arguments; "double quotes" allow `\n \r \t \b \a \\ \" \xHH`
/// escapes; 'single quotes' allow `\'`; a closing quote must be followed by a space
/// or the end of the line. Returns nil for unbalanced quotes.
public func splitArguments<Line: Collection>(_ line: Line) -> [[UInt8]]? where Line.Element == UInt8 {
    let bytes = Array(line)
    var arguments: [[UInt8]] = []
    var index = 0
    func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    while true {
        while index < bytes.count && isInlineSpace(bytes[index]) { index += 1 }
        guard index < bytes.count else { return arguments }
        var current: [UInt8] = []
        var inDoubleQuotes = false
        var inSingleQuotes = false
        var done = false
        while !done {
            if inDoubleQuotes {
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") && index + 3 < bytes.count && bytes[index + 1] == UInt8(ascii: "x"),
                   let high = hexValue(bytes[index + 2]), let low = hexValue(bytes[index + 3]) {
                    current.append(high << 4 | low)
                    index += 3
                } else if byte == UInt8(ascii: "\\") && index + 1 < bytes.count {
                    index += 1
                    switch bytes[index] {
                    case UInt8(ascii: "n"): current.append(10)
                    case UInt8(ascii: "r"): current.append(13)
                    case UInt8(ascii: "t"): current.append(9)
                    case UInt8(ascii: "b"): current.append(8)
                    case UInt8(ascii: "a"): current.append(7)
                    default: current.append(bytes[index])
                    }
                } else if byte == UInt8(ascii: "\"") {
                    // The closing quote must be followed by a space or the end.
                    if index + 1 < bytes.count && !isInlineSpace(bytes[index + 1]) { return nil }
                    done = true
                } else {
                    current.append(byte)
                }
            } else if inSingleQuotes {
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "'") {
                    index += 1
                    current.append(UInt8(ascii: "'"))
                } else if byte == UInt8(ascii: "'") {
                    if index + 1 < bytes.count && !isInlineSpace(bytes[index + 1]) { return nil }
                    done = true
                } else {
                    current.append(byte)
                }
            } else {
                guard index < bytes.count else { break }
                let byte = bytes[index]
                switch byte {
                case _ where endsInlineArgument(byte):
                    done = true
                case UInt8(ascii: "\""):
                    inDoubleQuotes = true
                case UInt8(ascii: "'"):
                    inSingleQuotes = true
                default:
                    current.append(byte)
                }
            }
            if index < bytes.count { index += 1 }
        }
        arguments.append(current)
    }
}

/// The spaces skipped before an inline argument (C's `isspace`, as Valkey's `sdssplitargs`).
@inline(__always)
func isInlineSpace(_ byte: UInt8) -> Bool {
    byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12
}

/// The bytes that end an unquoted inline argument (`sdssplitargs`).
@inline(__always)
func endsInlineArgument(_ byte: UInt8) -> Bool {
    byte == 32 || byte == 10 || byte == 13 || byte == 9 || byte == 0
}
