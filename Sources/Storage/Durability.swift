/// When a write counts as done. Valkey's `appendfsync` names, with the same
/// promises.
public enum Durability: String, Sendable, CaseIterable {
    /// The record is written and fsynced before the completion runs
    /// (fsyncs are grouped). Survives power loss.
    case always
    /// The record is written (handed to the kernel) before the completion
    /// runs: a killed process loses nothing acknowledged. The journal is
    /// fsynced once a second, so power loss loses at most about a second.
    case everysec
    /// Written before the completion, never fsynced by us: the OS flushes when it likes.
    case no
}
