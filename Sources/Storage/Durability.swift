/// When a write counts as done. Valkey's `appendfsync` names, with the same
/// promises or better.
public enum Durability: String, Sendable, CaseIterable {
    /// Completions run after the batch committed with `synchronous=FULL`:
    /// the WAL is fsynced before the reply leaves. Survives power loss.
    case always
    /// Completions run after the batch committed with `synchronous=NORMAL`: a
    /// killed process loses nothing acknowledged; the WAL is fsynced at least
    /// once a second, so power loss loses at most about a second.
    case everysec
    /// Completions run at submit time; batches commit every few milliseconds.
    case no

    /// The `PRAGMA synchronous` level of the writer connection.
    var synchronousPragma: String {
        switch self {
        case .always: return "FULL"
        // NORMAL, not OFF, for `no`: with OFF a power loss during a checkpoint
        // can corrupt the database file, not just lose recent writes.
        case .everysec, .no: return "NORMAL"
        }
    }
}
