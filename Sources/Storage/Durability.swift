/// When a write counts as done. Valkey's `appendfsync` names, with the same
/// promises.
public enum Durability: String, Sendable, CaseIterable {
    /// The record is written and fsynced before the completion runs
    /// (fsyncs are grouped). Survives power loss.
    case always
    /// The record is written (handed to the kernel) before `submit` returns:
    /// a killed process loses nothing acknowledged. The journal is fsynced
    /// once a second, so power loss loses at most about a second.
    case everysec
    /// Written at submit, never fsynced by us: the OS flushes when it likes.
    case no

    /// Whether completions wait for an fsync (else they run within `submit`).
    public var completesAtSubmit: Bool { self != .always }
}
