import Keyspace

/// The changes of a run of journal records, ready to apply in one
/// transaction: coalesced `BatchPlan`s, split only where a change to a key
/// tracked by `history-keys` (announced by a `.history` marker) needs its
/// history rows written against the tables' state right before it. Without
/// tracked keys it is a single plan.
struct MaterializationPlan {
    private struct TrackedChange {
        let change: ChangeRecord
        let operation: [UInt8]
        let source: Bool
        let destination: Bool
        let time: Int64
    }

    /// Apply `plan`, then write the history of `tracked` (which starts the next plan).
    private var steps: [(plan: BatchPlan, tracked: TrackedChange?)] = []
    private var current: BatchPlan
    private var marker: (operation: [UInt8], source: Bool, destination: Bool)?
    private var finishedChanges = 0

    /// `expectedChanges`: about how many records will go in (sizes the first plan).
    init(expectedChanges: Int = 0) {
        current = BatchPlan(expectedChanges: expectedChanges)
    }

    /// Change records that went in (markers not counted).
    var changeCount: Int { finishedChanges + current.changeCount }

    mutating func add(_ change: ChangeRecord, time: Int64) {
        if case .history(let operation, let source, let destination) = change {
            marker = (operation, source, destination)
            return
        }
        if let marker {
            self.marker = nil
            closePlan(tracked: TrackedChange(change: change, operation: marker.operation, source: marker.source,
                                             destination: marker.destination, time: time))
        }
        current.add(change, time: time)
    }

    /// Adds every change of an encoded journal row (`JournalCodec`).
    mutating func add(row: [UInt8]) throws {
        try JournalCodec.forEachChange(in: row) { change, time in add(change, time: time) }
    }

    /// Ends the last plan; call before `apply`.
    mutating func finish() { closePlan(tracked: nil) }

    private mutating func closePlan(tracked: TrackedChange?) {
        current.finish()
        finishedChanges += current.changeCount
        steps.append((current, tracked))
        current = BatchPlan()
    }

    /// Applies everything inside the caller's transaction; returns the number of SQL writes.
    func apply(with writer: ChangeWriter, history: HistoryWriter) throws -> Int {
        var writes = 0
        for step in steps {
            writes += try writer.apply(step.plan)
            if let tracked = step.tracked {
                try history.write(tracked.change, operation: tracked.operation, source: tracked.source,
                                  destination: tracked.destination, time: tracked.time)
            }
        }
        return writes
    }
}
