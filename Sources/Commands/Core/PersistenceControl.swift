/// What commands may ask of the persistence layer (implemented over the SQLite
/// store by the executable; Commands knows nothing of SQL).
public protocol PersistenceControl: AnyObject {
    /// SAVE: commit everything queued and checkpoint, so the database file alone
    /// holds all data. Blocks until done.
    func save() throws(CommandError)
    /// BGSAVE: start writing a consistent snapshot file while serving.
    /// Returns false when one is already in progress.
    func startBackgroundSave() -> Bool
    /// Whether a BGSAVE is running, and how the last one ended.
    var backgroundSaveInProgress: Bool { get }
    var lastBackgroundSaveSucceeded: Bool { get }
    /// When the last BGSAVE finished successfully (Unix seconds), 0 if none.
    var lastBackgroundSaveTime: Int64 { get }
    /// Extra INFO persistence fields (queue depth, batch sizes, commits…).
    var infoFields: [(String, String)] { get }
}
