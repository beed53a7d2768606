/// A sorted set: member → score, ordered by (score, member).
/// PLACEHOLDER API — being replaced by the order-statistic implementation.
public final class SortedSetValue {
    public private(set) var scores: [ByteString: Double] = [:]
    /// Whether Valkey would still hold this sorted set as a listpack (OBJECT
    /// ENCODING); cleared past `zset-max-listpack-entries` / `-value`.
    public var isListpack = true

    public init() {}

    public var count: Int { scores.count }
    public var isEmpty: Bool { scores.isEmpty }

    public func score(of member: [UInt8]) -> Double? { scores[ByteString(member)] }

    /// Adds `member` or changes its score.
    public func insert(_ member: [UInt8], score: Double) { scores[ByteString(member)] = score }

    /// Removes `member`; returns whether it was there.
    @discardableResult
    public func remove(_ member: [UInt8]) -> Bool { scores.removeValue(forKey: ByteString(member)) != nil }

    public func copy() -> SortedSetValue {
        let copy = SortedSetValue()
        copy.scores = scores
        copy.isListpack = isListpack
        return copy
    }
}
