/// A score interval for ZRANGEBYSCORE and friends: `min`/`max` may be ±inf,
/// each end inclusive unless marked exclusive (`(` in the command).
public struct ScoreRange: Equatable {
    public var min: Double
    public var max: Double
    public var minExclusive: Bool
    public var maxExclusive: Bool

    public init(min: Double, max: Double, minExclusive: Bool = false, maxExclusive: Bool = false) {
        self.min = min
        self.max = max
        self.minExclusive = minExclusive
        self.maxExclusive = maxExclusive
    }

    @inline(__always) public func isAboveMin(_ score: Double) -> Bool { minExclusive ? score > min : score >= min }
    @inline(__always) public func isBelowMax(_ score: Double) -> Bool { maxExclusive ? score < max : score <= max }
}

/// One end of a ZRANGEBYLEX interval: `-`, `+`, `[member` or `(member`.
public enum LexBound: Equatable {
    case minusInfinity
    case plusInfinity
    case inclusive([UInt8])
    case exclusive([UInt8])
}

/// A member interval, compared byte-wise (meaningful when all scores are equal).
public struct LexRange: Equatable {
    public var min: LexBound
    public var max: LexBound

    public init(min: LexBound, max: LexBound) {
        self.min = min
        self.max = max
    }

    public func isAboveMin(_ member: [UInt8]) -> Bool {
        switch min {
        case .minusInfinity: return true
        case .plusInfinity: return false
        case .inclusive(let bound): return compareBytes(member, bound) >= 0
        case .exclusive(let bound): return compareBytes(member, bound) > 0
        }
    }

    public func isBelowMax(_ member: [UInt8]) -> Bool {
        switch max {
        case .minusInfinity: return false
        case .plusInfinity: return true
        case .inclusive(let bound): return compareBytes(member, bound) <= 0
        case .exclusive(let bound): return compareBytes(member, bound) < 0
        }
    }
}

/// A sorted set: members with scores, ordered by (score, member bytes).
///
/// Two views of the same nodes, as in Valkey: a member → node table for O(1)
/// score look-ups (and ZSCAN's stable cursor), and an indexable skip list for
/// order, ranks and ranges in O(log N). Ranks are 0-based, ascending.
public final class SortedSetValue {
    public typealias Element = (member: [UInt8], score: Double)

    let list = SkipList()
    /// Owns the nodes: the skip list's links are unretained.
    let members = KeyTable<SkipList.Node>()
    /// Whether Valkey would still hold this sorted set as a listpack (OBJECT
    /// ENCODING); cleared past `zset-max-listpack-entries` / `-value`, and
    /// never set again by element changes (as in Valkey).
    public var isListpack = true

    public init() {}

    public var count: Int { list.count }
    public var isEmpty: Bool { list.count == 0 }

    public func score(of member: [UInt8]) -> Double? {
        members.node(for: ByteString(member))?.value.score
    }

    public func contains(_ member: [UInt8]) -> Bool {
        members.node(for: ByteString(member)) != nil
    }

    /// Adds `member` or changes its score; returns true when it was added.
    @discardableResult
    public func insert(_ member: [UInt8], score: Double) -> Bool {
        precondition(!score.isNaN, "NaN score")
        if let entry = members.node(for: ByteString(member)) {
            if entry.value.score != score { list.updateScore(entry.value, to: score) }
            return false
        }
        let node = list.insert(member, score: score)
        members.insert(ByteString(node.member), node)
        return true
    }

    /// Removes `member`; returns whether it was there.
    @discardableResult
    public func remove(_ member: [UInt8]) -> Bool {
        guard let node = members.remove(ByteString(member)) else { return false }
        list.remove(node)
        return true
    }

    /// Sets `isListpack` from the contents, as Valkey decides when it loads a
    /// set or stores a computed one: at most `maxEntries` members, none longer
    /// than `maxValue` bytes. For start-up loading; commands keep the flag as they go.
    public func resetEncoding(maxEntries: Int, maxValue: Int) {
        var fits = count <= maxEntries
        if fits { forEach { if $0.member.count > maxValue { fits = false } } }
        isListpack = fits
    }

    public func copy() -> SortedSetValue {
        let copy = SortedSetValue()
        copy.isListpack = isListpack
        // From the greatest down: every insertion lands right after the head.
        var node = list.tail
        while let current = node {
            let inserted = copy.list.insert(current.member, score: current.score)
            copy.members.insert(ByteString(inserted.member), inserted)
            node = current.backward
        }
        return copy
    }

    // MARK: order

    /// Every element in (score, member) order.
    public func forEach(_ body: (Element) throws -> Void) rethrows {
        var node = list.first
        while let current = node {
            node = current.next
            try body((current.member, current.score))
        }
    }

    /// Visits elements from `rank` toward higher ranks (or lower ones when
    /// `reverse`) while `body` returns true. O(log N) to find the start.
    public func visit(fromRank rank: Int, reverse: Bool = false, _ body: (Element) throws -> Bool) rethrows {
        var node = list.node(atRank: rank)
        while let current = node {
            guard try body((current.member, current.score)) else { return }
            node = reverse ? current.backward : current.next
        }
    }

    /// `visit` for writing replies: each member's bytes, lent (valid only
    /// during the call), with its score.
    public func visitBytes(fromRank rank: Int, reverse: Bool = false, _ body: (UnsafeRawBufferPointer, Double) -> Bool) {
        list.visitBytes(fromRank: rank, reverse: reverse, body)
    }

    /// 0-based ascending rank of `member`, with its score.
    public func rank(of member: [UInt8]) -> (rank: Int, score: Double)? {
        guard let node = members.node(for: ByteString(member))?.value else { return nil }
        return (list.rank(of: node), node.score)
    }

    /// The element at 0-based ascending `rank`, nil when out of range.
    public func element(atRank rank: Int) -> Element? {
        list.node(atRank: rank).map { ($0.member, $0.score) }
    }

    public var first: Element? { list.first.map { ($0.member, $0.score) } }
    public var last: Element? { list.tail.map { ($0.member, $0.score) } }

    /// The ranks of the elements inside `range` (empty when none).
    public func ranks(in range: ScoreRange) -> Range<Int> {
        let lower = list.countPrefix { !range.isAboveMin($0.score) }
        let upper = list.countPrefix { range.isBelowMax($0.score) }
        return lower < upper ? lower..<upper : lower..<lower
    }

    /// The ranks of the elements inside a lexicographic `range`, assuming
    /// member order matches rank order (all scores equal), as Valkey does.
    public func ranks(in range: LexRange) -> Range<Int> {
        let lower = list.countPrefix { !range.isAboveMin($0.member) }
        let upper = list.countPrefix { range.isBelowMax($0.member) }
        return lower < upper ? lower..<upper : lower..<lower
    }

    /// Removes the elements of the given ranks; returns them in order.
    @discardableResult
    public func removeRanks(_ ranks: Range<Int>) -> [Element] {
        let clamped = ranks.clamped(to: 0..<list.count)
        let removed = list.removeRange(clamped)
        return removed.map { node in
            members.remove(ByteString(node.member))
            return (node.member, node.score)
        }
    }

    // MARK: sampling and scanning

    /// A uniformly random rank in 0..<count (count must be > 0).
    public func randomRank() -> Int {
        list.randomIndex(below: list.count)
    }

    /// A pseudo-random integer in 0..<bound from this set's generator.
    public func randomIndex(below bound: Int) -> Int {
        list.randomIndex(below: bound)
    }

    /// One ZSCAN step over the member table (Valkey's reverse-binary cursor):
    /// visits buckets from `cursor` until about `count` elements were seen.
    public func scan(cursor: UInt64, count: Int) -> (cursor: UInt64, elements: [Element]) {
        var elements: [Element] = []
        var next = cursor
        var bucketsLeft = max(count, 1) * 10
        repeat {
            next = members.scan(cursor: next) { elements.append(($0.value.member, $0.value.score)) }
            bucketsLeft -= 1
        } while next != 0 && bucketsLeft > 0 && elements.count < count
        return (next, elements)
    }
}
