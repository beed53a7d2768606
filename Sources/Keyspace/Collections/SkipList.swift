#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compares two byte strings as Valkey's `sdscmp` does: `memcmp` over the
/// common prefix, then the shorter one first. Returns <0, 0 or >0.
@inline(__always)
public func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let common = min(a.count, b.count)
    if common > 0 {
        let result = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in memcmp(pa.baseAddress!, pb.baseAddress!, common) }
        }
        if result != 0 { return Int(result) }
    }
    return a.count - b.count
}

/// An indexable skip list ordered by (score, member bytes), as Valkey's
/// `zskiplist`: every forward link records its span (how many elements it
/// skips), so rank ↔ element conversions are O(log N) like plain searches.
///
/// It knows nothing of members' uniqueness: `SortedSetValue` pairs it with a
/// member → node table and guarantees every (score, member) is inserted once.
///
/// Ownership: links are unretained (`Unmanaged`). The owner of the list keeps
/// every linked node alive (`SortedSetValue`'s member table does), so a search
/// hop is plain loads: a retain on each visited node was an atomic write to a
/// cold cache line, half of ZADD's time. Freeing a long list cannot recurse.
final class SkipList {
    static let maxLevel = 32

    typealias Link = Unmanaged<Node>

    struct Level {
        var forward: Link?
        /// Number of elements between this node and `forward` (1 for adjacent
        /// nodes); when `forward` is nil, the number of elements after this node.
        var span: Int
    }

    struct NodeFields {
        let member: [UInt8]
        var score: Double
        /// The previous node at level 0 (nil for the first element).
        var backward: Link?
        let height: Int
    }

    /// One element: its fields, then its `height` levels in the same
    /// allocation (as Valkey's flexible array member), so a search hop reads
    /// the link and the next node's score without a separate levels block.
    final class Node: ManagedBuffer<NodeFields, Level> {
        static func make(member: [UInt8], score: Double, height: Int) -> Node {
            let buffer = Node.create(minimumCapacity: height) { _ in
                NodeFields(member: member, score: score, backward: nil, height: height)
            }
            let node = unsafeDowncast(buffer, to: Node.self)
            node.levels.initialize(repeating: Level(forward: nil, span: 0), count: height)
            return node
        }

        deinit {
            _ = withUnsafeMutablePointers { fields, levels in levels.deinitialize(count: fields.pointee.height) }
        }

        @inline(__always) var fields: UnsafeMutablePointer<NodeFields> { withUnsafeMutablePointerToHeader { $0 } }
        /// The node's links, lowest level first (valid while the node lives).
        @inline(__always) var levels: UnsafeMutablePointer<Level> { withUnsafeMutablePointerToElements { $0 } }

        @inline(__always) var member: [UInt8] { fields.pointee.member }
        @inline(__always) var score: Double {
            get { fields.pointee.score }
            set { fields.pointee.score = newValue }
        }
        @inline(__always) var height: Int { fields.pointee.height }
        /// The previous node in order (level 0).
        @inline(__always) var backward: Node? { fields.pointee.backward?.takeUnretainedValue() }
        /// The next node in order (level 0).
        @inline(__always) var next: Node? { levels[0].forward?.takeUnretainedValue() }

        /// Whether this node sorts before (score, member).
        @inline(__always)
        func precedes(_ score: Double, _ member: [UInt8]) -> Bool {
            let own = fields.pointee.score
            return own < score || (own == score && compareBytes(fields.pointee.member, member) < 0)
        }
    }

    /// Sentinel before the first element, with all `maxLevel` levels.
    private let head = Node.make(member: [], score: 0, height: SkipList.maxLevel)
    private var headLink: Link { .passUnretained(head) }
    private(set) var tailLink: Link?
    private(set) var count = 0
    /// Levels in use (at least 1).
    private var height = 1
    private var random: FastRandom

    init() {
        // Level choice needs no quality randomness, only no syscall per new set.
        random = FastRandom(seed: SkipList.nextSeed())
    }

    var first: Node? { head.next }
    var tail: Node? { tailLink?.takeUnretainedValue() }

    // MARK: insertion and removal

    /// Inserts (score, member), which must not be present; returns its node,
    /// which the caller must keep alive while it is linked.
    @discardableResult
    func insert(_ member: [UInt8], score: Double) -> Node {
        let node = Node.make(member: member, score: score, height: randomHeight())
        link(node)
        return node
    }

    /// The rightmost node before the insertion or removal point, per level.
    private typealias Path = UnsafeMutableBufferPointer<Link>

    @inline(__always)
    private func withPath<Result>(_ body: (Path) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: Link.self, capacity: SkipList.maxLevel) { path in
            path.initialize(repeating: headLink)
            return body(path)
        }
    }

    private func link(_ node: Node) {
        let nodeLink = Link.passUnretained(node)
        let nodeLevels = node.levels
        withPath { update in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: SkipList.maxLevel) { rank in
                rank.initialize(repeating: 0)
                let score = node.score, member = node.member
                var x = headLink
                for level in stride(from: height - 1, through: 0, by: -1) {
                    rank[level] = level == height - 1 ? 0 : rank[level + 1]
                    while let forward = x.levels[level].forward, forward.precedes(score, member) {
                        rank[level] += x.levels[level].span
                        x = forward
                    }
                    update[level] = x
                }
                let nodeHeight = node.height
                if nodeHeight > height {
                    for level in height..<nodeHeight {
                        rank[level] = 0
                        update[level] = headLink
                        head.levels[level].span = count
                    }
                    height = nodeHeight
                }
                for level in 0..<nodeHeight {
                    let previous = update[level].levels
                    nodeLevels[level].forward = previous[level].forward
                    previous[level].forward = nodeLink
                    nodeLevels[level].span = previous[level].span - (rank[0] - rank[level])
                    previous[level].span = rank[0] - rank[level] + 1
                }
                for level in nodeHeight..<height {
                    update[level].levels[level].span += 1
                }
                let before = update[0]
                node.fields.pointee.backward = before.toOpaque() == headLink.toOpaque() ? nil : before
            }
        }
        if let next = nodeLevels[0].forward {
            next.fields.pointee.backward = nodeLink
        } else {
            tailLink = nodeLink
        }
        count += 1
    }

    /// Removes `node`, which must be in the list.
    func remove(_ node: Node) {
        let nodeLink = Link.passUnretained(node)
        withPath { update in
            let score = node.score, member = node.member
            var x = headLink
            for level in stride(from: height - 1, through: 0, by: -1) {
                while let forward = x.levels[level].forward, !forward.isSame(as: nodeLink),
                      forward.precedes(score, member) {
                    x = forward
                }
                update[level] = x
            }
            precondition(x.levels[0].forward?.isSame(as: nodeLink) == true, "skip list node not found")
            unlink(nodeLink, update)
        }
    }

    private func unlink(_ node: Link, _ update: Path) {
        let nodeLevels = node.levels
        for level in 0..<height {
            let previous = update[level].levels
            if previous[level].forward?.isSame(as: node) == true {
                previous[level].span += nodeLevels[level].span - 1
                previous[level].forward = nodeLevels[level].forward
            } else {
                previous[level].span -= 1
            }
        }
        let backward = node.fields.pointee.backward
        if let next = nodeLevels[0].forward {
            next.fields.pointee.backward = backward
        } else {
            tailLink = backward
        }
        // A re-linked node (updateScore) starts clean.
        for level in 0..<node.fields.pointee.height { nodeLevels[level].forward = nil }
        node.fields.pointee.backward = nil
        while height > 1 && head.levels[height - 1].forward == nil { height -= 1 }
        count -= 1
    }

    /// Changes the score of `node` and moves it to its new position.
    func updateScore(_ node: Node, to score: Double) {
        // Same position (neighbours still on the right sides): change in place.
        let previousOK = node.fields.pointee.backward.map { $0.score < score } ?? true
        let nextOK = node.levels[0].forward.map { $0.score > score } ?? true
        if previousOK && nextOK {
            node.score = score
            return
        }
        remove(node)
        node.score = score
        link(node)
    }

    /// Removes the elements of 0-based ranks `ranks` and returns them in order.
    func removeRange(_ ranks: Range<Int>) -> [Node] {
        guard !ranks.isEmpty else { return [] }
        return withPath { update in
            var traversed = 0
            var x = headLink
            for level in stride(from: height - 1, through: 0, by: -1) {
                while let forward = x.levels[level].forward, traversed + x.levels[level].span <= ranks.lowerBound {
                    traversed += x.levels[level].span
                    x = forward
                }
                update[level] = x
            }
            var removed: [Node] = []
            removed.reserveCapacity(ranks.count)
            var node = x.levels[0].forward
            while let current = node, removed.count < ranks.count {
                node = current.levels[0].forward
                unlink(current, update)
                removed.append(current.takeUnretainedValue())
            }
            return removed
        }
    }

    // MARK: ranks

    /// 0-based rank of `node`, which must be in the list.
    func rank(of node: Node) -> Int {
        let nodeLink = Link.passUnretained(node)
        let score = node.score, member = node.member
        var traversed = 0
        var x = headLink
        for level in stride(from: height - 1, through: 0, by: -1) {
            while let forward = x.levels[level].forward,
                  forward.isSame(as: nodeLink) || forward.precedes(score, member) {
                traversed += x.levels[level].span
                x = forward
                if forward.isSame(as: nodeLink) { return traversed - 1 }
            }
        }
        preconditionFailure("skip list node not found")
    }

    /// Calls `body` with the member bytes and score of each element from
    /// `rank` on (toward lower ranks when `reverse`) while it returns true.
    /// Walks the unretained links and lends the member's bytes: the nodes are
    /// not retained (replies of ranges).
    func visitBytes(fromRank rank: Int, reverse: Bool, _ body: (UnsafeRawBufferPointer, Double) -> Bool) {
        guard let start = node(atRank: rank) else { return }
        var link: Link? = .passUnretained(start)
        while let current = link {
            let fields = current.fields
            guard fields.pointee.member.withUnsafeBytes({ body($0, fields.pointee.score) }) else { return }
            link = reverse ? fields.pointee.backward : current.levels[0].forward
        }
    }

    /// The node at 0-based `rank`, or nil when out of range.
    func node(atRank rank: Int) -> Node? {
        guard rank >= 0 && rank < count else { return nil }
        let target = rank + 1
        var traversed = 0
        var x = headLink
        for level in stride(from: height - 1, through: 0, by: -1) {
            while let forward = x.levels[level].forward, traversed + x.levels[level].span <= target {
                traversed += x.levels[level].span
                x = forward
            }
            if traversed == target { return x.takeUnretainedValue() }
        }
        return nil
    }

    /// How many leading elements satisfy `isBefore`, which must hold for a
    /// prefix of the order (a lower or upper bound of a range). O(log N).
    func countPrefix(where isBefore: (Node) -> Bool) -> Int {
        var traversed = 0
        var x = headLink
        for level in stride(from: height - 1, through: 0, by: -1) {
            while let forward = x.levels[level].forward, forward._withUnsafeGuaranteedRef(isBefore) {
                traversed += x.levels[level].span
                x = forward
            }
        }
        return traversed
    }

    // MARK: helpers

    /// A pseudo-random integer in 0..<bound (ZRANDMEMBER; not for security).
    func randomIndex(below bound: Int) -> Int {
        Int(random.next() % UInt64(bound))
    }

    /// 1…32 with P(h > k) = 4^-k, as Valkey's `zslRandomLevel`.
    private func randomHeight() -> Int {
        let bits = random.next()
        return bits == 0 ? SkipList.maxLevel : min(bits.leadingZeroBitCount / 2 + 1, SkipList.maxLevel)
    }

    /// Distinct seeds for the per-list generators without a system RNG call
    /// per new sorted set (splitmix64 over a counter; a race only repeats a seed).
    nonisolated(unsafe) private static var seedState: UInt64 = 0x9E37_79B9_7F4A_7C15

    private static func nextSeed() -> UInt64 {
        seedState &+= 0x9E37_79B9_7F4A_7C15
        var z = seedState
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Reads through an unretained link: the list's owner keeps the node alive.
extension Unmanaged where Instance == SkipList.Node {
    @inline(__always) var levels: UnsafeMutablePointer<SkipList.Level> { _withUnsafeGuaranteedRef { $0.levels } }
    @inline(__always) var fields: UnsafeMutablePointer<SkipList.NodeFields> { _withUnsafeGuaranteedRef { $0.fields } }
    @inline(__always) var score: Double { fields.pointee.score }
    @inline(__always) func isSame(as other: Unmanaged) -> Bool { toOpaque() == other.toOpaque() }
    @inline(__always) func precedes(_ score: Double, _ member: [UInt8]) -> Bool {
        _withUnsafeGuaranteedRef { $0.precedes(score, member) }
    }
}
