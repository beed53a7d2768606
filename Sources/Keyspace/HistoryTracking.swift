/// `history-keys`: which keys' changes the persistence layer also appends to
/// the `history` table, and the name of the command making them.
///
/// The keyspace marks each change to a tracked key with a `.history` record
/// right before it, carrying the command's name; the storage side derives the
/// history rows (old and new values) from the tables when it applies the
/// change. Untracked changes carry nothing, and with no patterns set the cost
/// is one emptiness check per change.
public struct HistoryKeys: Sendable {
    public let patterns: [GlobPattern]

    public init(patterns: [GlobPattern] = []) { self.patterns = patterns }

    /// Parses the `history-keys` value: glob patterns separated by spaces or
    /// commas (`balances*,fills*` as an environment variable).
    public init(parsing value: String) {
        let separators: Set<Character> = [" ", ","]
        patterns = value.split(whereSeparator: { separators.contains($0) }).map { GlobPattern(String($0)) }
    }

    public var isEmpty: Bool { patterns.isEmpty }

    public func matches(_ key: [UInt8]) -> Bool {
        for pattern in patterns where pattern.matches(key) { return true }
        return false
    }
}

extension Keyspace {
    /// The `.history` marker for `change`, if it touches a tracked key.
    func historyMarker(for change: ChangeRecord) -> ChangeRecord? {
        let tracked = historyKeys
        let operation = change.isExpiry ? HistoryOperation.expired : currentOperation
        switch change {
        case .setString(_, let key, _), .replaceWithString(_, let key, _), .delete(_, let key), .expired(_, let key), .setExpiry(_, let key, _),
             .hashSet(_, let key, _, _), .hashDelete(_, let key, _), .setAdd(_, let key, _), .setRemove(_, let key, _),
             .zsetAdd(_, let key, _, _), .zsetRemove(_, let key, _), .listPush(_, let key, _, _),
             .listTrim(_, let key, _, _), .listSet(_, let key, _, _), .listInsert(_, let key, _, _),
             .listRemove(_, let key, _):
            return tracked.matches(key) ? .history(operation: operation, source: true, destination: false) : nil
        case .rename(_, let from, let to), .copy(_, let from, _, let to):
            let source = tracked.matches(from) && !change.isCopy
            let destination = tracked.matches(to)
            return source || destination ? .history(operation: operation, source: source, destination: destination) : nil
        case .move(_, _, let key):
            return tracked.matches(key) ? .history(operation: operation, source: true, destination: true) : nil
        case .flushDatabase, .flushAll, .swapDatabases, .history:
            // FLUSHDB/FLUSHALL record their tracked keys' deletions first (see
            // `recordHistoryOfFlush`); SWAPDB is not part of any key's history.
            return nil
        }
    }

    /// Before FLUSHDB/FLUSHALL empties `database`: a deletion of each tracked
    /// key, so their history shows what was lost.
    func recordHistoryOfFlush(_ database: Database) {
        guard !historyKeys.isEmpty else { return }
        var tracked: [[UInt8]] = []
        database.table.forEach { node in
            if historyKeys.matches(node.key.bytes) { tracked.append(node.key.bytes) }
        }
        for key in tracked { record(.delete(db: database.index, key: key)) }
    }
}

/// Operation names of history rows that are not commands.
public enum HistoryOperation {
    public static let expired = Array("expired".utf8)
}

extension ChangeRecord {
    var isExpiry: Bool {
        if case .expired = self { return true }
        return false
    }

    var isCopy: Bool {
        if case .copy = self { return true }
        return false
    }
}
