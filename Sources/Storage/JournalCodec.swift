import Keyspace

/// The binary form of a journal row: the change records of one flusher batch,
/// grouped by submission.
///
///     row        := submission*
///     submission := time:varint count:varint record*
///
/// A record's own form is `Keyspace/ChangeRecordCodec`: the keyspace encodes
/// each record as it is made, and a submission carries those bytes. The
/// event loop frames every row; the materializer decodes it once (and
/// start-up replays rows a crash left), so the format favours cheap encoding.
enum JournalCodec {
    struct Submission {
        var time: Int64
        var changes: [ChangeRecord]
    }

    /// Appends one submission: its time, how many records, and the records as encoded.
    static func append(time: Int64, count: Int, records: [UInt8], to row: inout [UInt8]) {
        ChangeRecordCodec.writeInteger(time, to: &row)
        ChangeRecordCodec.writeInteger(Int64(count), to: &row)
        row.append(contentsOf: records)
    }

    /// Encodes submissions of records (tests, tools; the server's records
    /// arrive encoded).
    static func encode(_ submissions: [(time: Int64, changes: [ChangeRecord])], into out: inout [UInt8]) {
        for submission in submissions {
            var records: [UInt8] = []
            for change in submission.changes { ChangeRecordCodec.encode(change, into: &records) }
            append(time: submission.time, count: submission.changes.count, records: records, to: &out)
        }
    }

    /// Decodes a row; throws `invalidData` on anything malformed.
    static func decode(_ row: [UInt8]) throws -> [Submission] {
        var submissions: [Submission] = []
        try forEachSubmission(in: row) { time, count in
            submissions.append(Submission(time: time, changes: []))
            submissions[submissions.count - 1].changes.reserveCapacity(count)
        } change: { change in
            submissions[submissions.count - 1].changes.append(change)
        }
        return submissions
    }

    /// Decodes a row change by change, with no array per submission (the
    /// materializer builds its plan straight from the rows it is handed).
    static func forEachChange(in row: [UInt8], _ body: (ChangeRecord, _ time: Int64) throws -> Void) throws {
        var time: Int64 = 0
        try forEachSubmission(in: row) { submissionTime, _ in time = submissionTime } change: { try body($0, time) }
    }

    static let malformed = StorageError(kind: .invalidData, message: "malformed journal row")

    private static func forEachSubmission(in row: [UInt8], start: (_ time: Int64, _ count: Int) -> Void,
                                          change: (ChangeRecord) throws -> Void) throws {
        var reader = ChangeRecordCodec.Reader(data: row)
        do {
            while !reader.atEnd {
                let time = try reader.integer()
                let count = try reader.integer()
                guard count >= 0 && count <= row.count else { throw malformed }
                start(time, Int(count))
                for _ in 0..<count { try change(try ChangeRecordCodec.decodeRecord(&reader)) }
            }
        } catch is ChangeRecordCodec.Malformed {
            throw malformed
        }
    }
}
