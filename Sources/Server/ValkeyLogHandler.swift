#if canImport(Glibc)
import Glibc
#endif
import Logging

/// swift-log handler writing Valkey-style lines:
/// `12345:M 27 Nov 2026 16:30:00.123 * Ready to accept connections tcp`
/// to standard output or an append-mode log file.
public struct ValkeyLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private nonisolated(unsafe) let output: UnsafeMutablePointer<FILE>

    /// Valkey's `loglevel` names mapped onto swift-log levels.
    public static func level(for valkeyLevel: String) -> Logger.Level {
        switch valkeyLevel {
        case "debug": return .trace
        case "verbose": return .debug
        case "notice": return .notice
        case "warning": return .warning
        case "nothing": return .critical
        default: return .notice
        }
    }

    /// Opens `logfile` for appending, or uses stdout when it is empty.
    public init(logfile: String, level: Logger.Level) throws {
        if logfile.isEmpty {
            output = stdout
        } else {
            guard let file = fopen(logfile, "a") else {
                throw ConfigurationLoader.Failure(description: "Can't open the log file: \(logfile)")
            }
            output = file
        }
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let message = event.message
        let mark: String
        switch event.level {
        case .trace: mark = "."
        case .debug, .info: mark = "-"
        case .notice: mark = "*"
        default: mark = "#"
        }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        var stamp = [CChar](repeating: 0, count: 64)
        let length = strftime(&stamp, stamp.count, "%d %b %Y %H:%M:%S", &parts)
        let time = String(decoding: stamp[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let millis = now.tv_nsec / 1_000_000
        let millisText = millis < 10 ? "00\(millis)" : (millis < 100 ? "0\(millis)" : "\(millis)")
        let text = "\(getpid()):M \(time).\(millisText) \(mark) \(message)\n"
        fputs(text, output)
        fflush(output)
    }
}
