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
final class SkipList {
    static let maxLevel = 32

    struct Level {
        var forward: Node?
        /// Number of elements between this node and `forward` (1 for adjacent
        /// nodes); when `forward` is nil, the number of elements after this node.
        var span: Int
    }

    final class Node {
        let member: [UInt8]
        var score: Double
        /// The previous node at level 0 (nil for the first element). Not
        /// retained: forward links own the nodes, so the list has no cycles.
        unowned(unsafe) var backward: Node?
        /// `height` links, one per level. A raw buffer rather than an array:
        /// searches and relinking index it on every hop, and an array adds a
        /// bounds check, a uniqueness check per write and its own header.
        let levels: UnsafeMutablePointer<Level>
        let height: Int

        init(member: [UInt8], score: Double, height: Int) {
            self.member = member
            self.score = score
            self.height = height
            levels = .allocate(capacity: height)
            levels.initialize(repeating: Level(forward: nil, span: 0), count: height)
        }

        deinit {
            levels.deinitialize(count: height)
            levels.deallocate()
        }

        /// The next node in order (level 0).
        @inline(__always) var next: Node? { levels[0].forward }

        /// Whether this node sorts before (score, member).
        @inline(__always)
        func precedes(_ score: Double, _ member: [UInt8]) -> Bool {
            self.score < score || (self.score == score && compareBytes(self.member, member) < 0)
        }
    }

    /// Sentinel before the first element, with all `maxLevel` levels.
    private let head = Node(member: [], score: 0, height: SkipList.maxLevel)
    private(set) unowned(unsafe) var tail: Node?
    private(set) var count = 0
    /// Levels in use (at least 1).
    private var height = 1
    private var random: FastRandom

    init() {
        // Level choice needs no quality randomness, only no syscall per new set.
        random = FastRandom(seed: SkipList.nextSeed())
    }

    deinit {
        // Unlink iteratively: releasing a long chain recursively would overflow the stack.
        var node = head.levels[0].forward
        for level in 0..<head.height { head.levels[level].forward = nil }
        while let current = node {
            node = current.levels[0].forward
            for level in 0..<current.height { current.levels[level].forward = nil }
        }
    }

    var first: Node? { head.levels[0].forward }

    // MARK: insertion and removal

    /// Inserts (score, member), which must not be present; returns its node.
    @discardableResult
    func insert(_ member: [UInt8], score: Double) -> Node {
        let node = Node(member: member, score: score, height: randomHeight())
        link(node)
        return node
    }

    /// The rightmost node before the insertion or removal point, per level.
    /// Unretained: the nodes are alive for the whole operation.
    private typealias Path = UnsafeMutableBufferPointer<Unmanaged<Node>>

    @inline(__always)
    private func withPath<Result>(_ body: (Path) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: Unmanaged<Node>.self, capacity: SkipList.maxLevel) { path in
            path.initialize(repeating: .passUnretained(head))
            return body(path)
        }
    }

    private func link(_ node: Node) {
        withPath { update in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: SkipList.maxLevel) { rank in
                rank.initialize(repeating: 0)
                var x = head
                for level in stride(from: height - 1, through: 0, by: -1) {
                    rank[level] = level == height - 1 ? 0 : rank[level + 1]
                    while let forward = x.levels[level].forward, forward.precedes(node.score, node.member) {
                        rank[level] += x.levels[level].span
                        x = forward
                    }
                    update[level] = .passUnretained(x)
                }
                let nodeHeight = node.height
                if nodeHeight > height {
                    for level in height..<nodeHeight {
                        rank[level] = 0
                        update[level] = .passUnretained(head)
                        head.levels[level].span = count
                    }
                    height = nodeHeight
                }
                for level in 0..<nodeHeight {
                    let previous = update[level].takeUnretainedValue()
                    node.levels[level].forward = previous.levels[level].forward
                    previous.levels[level].forward = node
                    node.levels[level].span = previous.levels[level].span - (rank[0] - rank[level])
                    previous.levels[level].span = rank[0] - rank[level] + 1
                }
                for level in nodeHeight..<height {
                    update[level].takeUnretainedValue().levels[level].span += 1
                }
                let before = update[0].takeUnretainedValue()
                node.backward = before === head ? nil : before
            }
        }
        if let next = node.levels[0].forward {
            next.backward = node
        } else {
            tail = node
        }
        count += 1
    }

    /// Removes `node`, which must be in the list.
    func remove(_ node: Node) {
        withPath { update in
            var x = head
            for level in stride(from: height - 1, through: 0, by: -1) {
                while let forward = x.levels[level].forward, forward !== node,
                      forward.precedes(node.score, node.member) {
                    x = forward
                }
                update[level] = .passUnretained(x)
            }
            precondition(x.levels[0].forward === node, "skip list node not found")
            unlink(node, update)
        }
    }

    private func unlink(_ node: Node, _ update: Path) {
        for level in 0..<height {
            let previous = update[level].takeUnretainedValue()
            if previous.levels[level].forward === node {
                previous.levels[level].span += node.levels[level].span - 1
                previous.levels[level].forward = node.levels[level].forward
            } else {
                previous.levels[level].span -= 1
            }
        }
        if let next = node.levels[0].forward {
            next.backward = node.backward
        } else {
            tail = node.backward
        }
        // A removed node links nowhere: a chain of removed nodes must not be
        // released recursively, and a re-linked node starts clean.
        for level in 0..<node.height { node.levels[level].forward = nil }
        node.backward = nil
        while height > 1 && head.levels[height - 1].forward == nil { height -= 1 }
        count -= 1
    }

    /// Changes the score of `node` and moves it to its new position.
    func updateScore(_ node: Node, to score: Double) {
        // Same position (neighbours still on the right sides): change in place.
        let previousOK = node.backward.map { $0.score < score } ?? true
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
            var x = head
            for level in stride(from: height - 1, through: 0, by: -1) {
                while let forward = x.levels[level].forward, traversed + x.levels[level].span <= ranks.lowerBound {
                    traversed += x.levels[level].span
                    x = forward
                }
                update[level] = .passUnretained(x)
            }
            var removed: [Node] = []
            removed.reserveCapacity(ranks.count)
            var node = x.levels[0].forward
            while let current = node, removed.count < ranks.count {
                node = current.levels[0].forward
                unlink(current, update)
                removed.append(current)
            }
            return removed
        }
    }

    // MARK: ranks

    /// 0-based rank of `node`, which must be in the list.
    func rank(of node: Node) -> Int {
        var traversed = 0
        var x = head
        for level in stride(from: height - 1, through: 0, by: -1) {
            while let forward = x.levels[level].forward,
                  forward === node || forward.precedes(node.score, node.member) {
                traversed += x.levels[level].span
                x = forward
                if forward === node { return traversed - 1 }
            }
        }
        preconditionFailure("skip list node not found")
    }

    /// The node at 0-based `rank`, or nil when out of range.
    func node(atRank rank: Int) -> Node? {
        guard rank >= 0 && rank < count else { return nil }
        let target = rank + 1
        var traversed = 0
        var x = head
        for level in stride(from: height - 1, through: 0, by: -1) {
            while let forward = x.levels[level].forward, traversed + x.levels[level].span <= target {
                traversed += x.levels[level].span
                x = forward
            }
            if traversed == target { return x }
        }
        return nil
    }

    /// How many leading elements satisfy `isBefore`, which must hold for a
    /// prefix of the order (a lower or upper bound of a range). O(log N).
    func countPrefix(where isBefore: (Node) -> Bool) -> Int {
        var traversed = 0
        var x = head
        for level in stride(from: height - 1, through: 0, by: -1) {
            while let forward = x.levels[level].forward, isBefore(forward) {
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
