import Testing
@testable import Keyspace

/// The obvious model: an array kept sorted by (score, member bytes).
private struct NaiveSortedSet {
    var elements: [(member: [UInt8], score: Double)] = []

    static func precedes(_ a: (member: [UInt8], score: Double), _ b: (member: [UInt8], score: Double)) -> Bool {
        a.score < b.score || (a.score == b.score && a.member.lexicographicallyPrecedes(b.member))
    }

    func index(of member: [UInt8]) -> Int? { elements.firstIndex { $0.member == member } }

    mutating func insert(_ member: [UInt8], _ score: Double) {
        if let index = index(of: member) { elements.remove(at: index) }
        let position = elements.firstIndex { NaiveSortedSet.precedes((member, score), $0) } ?? elements.count
        elements.insert((member, score), at: position)
    }

    mutating func remove(_ member: [UInt8]) -> Bool {
        guard let index = index(of: member) else { return false }
        elements.remove(at: index)
        return true
    }

    func ranks(_ range: ScoreRange) -> Range<Int> {
        let inside = elements.indices.filter { range.isAboveMin(elements[$0].score) && range.isBelowMax(elements[$0].score) }
        guard let first = inside.first, let last = inside.last else { return 0..<0 }
        return first..<(last + 1)
    }

    func ranks(_ range: LexRange) -> Range<Int> {
        let inside = elements.indices.filter { range.isAboveMin(elements[$0].member) && range.isBelowMax(elements[$0].member) }
        guard let first = inside.first, let last = inside.last else { return 0..<0 }
        return first..<(last + 1)
    }
}

@Suite struct SortedSetValueTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func contents(_ zset: SortedSetValue) -> [String] {
        var result: [String] = []
        zset.forEach { result.append("\(String(decoding: $0.member, as: UTF8.self))=\($0.score)") }
        return result
    }

    @Test func compareBytesIsMemcmpThenLength() {
        #expect(compareBytes([], []) == 0)
        #expect(compareBytes([1], []) > 0)
        #expect(compareBytes([], [0]) < 0)
        #expect(compareBytes([0xFF], [0x01, 0x02]) > 0)
        #expect(compareBytes(bytes("abc"), bytes("abd")) < 0)
        #expect(compareBytes(bytes("ab"), bytes("abc")) < 0)
        #expect(compareBytes(bytes("abc"), bytes("abc")) == 0)
    }

    @Test func orderByScoreThenMember() {
        let zset = SortedSetValue()
        #expect(zset.insert(bytes("b"), score: 1))
        #expect(zset.insert(bytes("a"), score: 1))
        #expect(zset.insert(bytes("c"), score: 0))
        #expect(zset.insert(bytes("z"), score: -.infinity))
        #expect(zset.insert(bytes("y"), score: .infinity))
        #expect(contents(zset) == ["z=-inf", "c=0.0", "a=1.0", "b=1.0", "y=inf"])
        #expect(!zset.insert(bytes("c"), score: 5))  // update moves it
        #expect(contents(zset) == ["z=-inf", "a=1.0", "b=1.0", "c=5.0", "y=inf"])
        #expect(zset.count == 5)
        #expect(zset.score(of: bytes("c")) == 5)
        #expect(zset.score(of: bytes("nope")) == nil)
        #expect(zset.rank(of: bytes("b"))?.rank == 2)
        #expect(zset.rank(of: bytes("nope")) == nil)
        #expect(zset.element(atRank: 3)?.member == bytes("c"))
        #expect(zset.element(atRank: 5) == nil)
        #expect(zset.element(atRank: -1) == nil)
        #expect(zset.first?.member == bytes("z"))
        #expect(zset.last?.member == bytes("y"))
        #expect(zset.remove(bytes("a")))
        #expect(!zset.remove(bytes("a")))
        #expect(contents(zset) == ["z=-inf", "b=1.0", "c=5.0", "y=inf"])
    }

    @Test func scoreRanges() {
        let zset = SortedSetValue()
        for (index, name) in ["a", "b", "c", "d", "e"].enumerated() { zset.insert(bytes(name), score: Double(index + 1)) }
        #expect(zset.ranks(in: ScoreRange(min: 2, max: 4)) == 1..<4)
        #expect(zset.ranks(in: ScoreRange(min: 2, max: 4, minExclusive: true)) == 2..<4)
        #expect(zset.ranks(in: ScoreRange(min: 2, max: 4, minExclusive: true, maxExclusive: true)) == 2..<3)
        #expect(zset.ranks(in: ScoreRange(min: -.infinity, max: .infinity)) == 0..<5)
        #expect(zset.ranks(in: ScoreRange(min: 4, max: 2)).isEmpty)
        #expect(zset.ranks(in: ScoreRange(min: 3, max: 3, minExclusive: true)).isEmpty)
        #expect(zset.ranks(in: ScoreRange(min: 6, max: 9)).isEmpty)
        #expect(zset.ranks(in: ScoreRange(min: 3, max: 3)) == 2..<3)
    }

    @Test func lexRanges() {
        let zset = SortedSetValue()
        for name in ["a", "b", "c", "d", "e"] { zset.insert(bytes(name), score: 0) }
        #expect(zset.ranks(in: LexRange(min: .minusInfinity, max: .plusInfinity)) == 0..<5)
        #expect(zset.ranks(in: LexRange(min: .inclusive(bytes("b")), max: .exclusive(bytes("d")))) == 1..<3)
        #expect(zset.ranks(in: LexRange(min: .exclusive(bytes("b")), max: .inclusive(bytes("d")))) == 2..<4)
        #expect(zset.ranks(in: LexRange(min: .inclusive(bytes("bb")), max: .plusInfinity)) == 2..<5)
        #expect(zset.ranks(in: LexRange(min: .plusInfinity, max: .minusInfinity)).isEmpty)
        #expect(zset.ranks(in: LexRange(min: .inclusive(bytes("d")), max: .inclusive(bytes("b")))).isEmpty)
    }

    @Test func removeRanksAndVisit() {
        let zset = SortedSetValue()
        for index in 0..<100 { zset.insert(bytes("m\(index)"), score: Double(index)) }
        let removed = zset.removeRanks(10..<20)
        #expect(removed.map(\.score) == (10..<20).map(Double.init))
        #expect(zset.count == 90)
        #expect(zset.score(of: bytes("m15")) == nil)
        #expect(zset.element(atRank: 10)?.score == 20)
        var seen: [Double] = []
        zset.visit(fromRank: 12, reverse: true) { seen.append($0.score); return seen.count < 4 }
        #expect(seen == [22, 21, 20, 9])
        // The lending walk sees the same elements, both ways, and stops when told.
        for reverse in [false, true] {
            var visited: [(member: [UInt8], score: Double)] = []
            zset.visit(fromRank: 40, reverse: reverse) { visited.append($0); return visited.count < 60 }
            var lent: [(member: [UInt8], score: Double)] = []
            zset.visitBytes(fromRank: 40, reverse: reverse) { lent.append((Array($0), $1)); return lent.count < 60 }
            #expect(lent.map(\.member) == visited.map(\.member) && lent.map(\.score) == visited.map(\.score))
            #expect(lent.count == (reverse ? 41 : 50))
        }
        var none = 0
        zset.visitBytes(fromRank: 90) { _, _ in none += 1; return true }
        #expect(none == 0)
        #expect(zset.removeRanks(85..<200).count == 5)
        #expect(zset.count == 85)
    }

    @Test func copyIsIndependent() {
        let zset = SortedSetValue()
        for index in 0..<50 { zset.insert(bytes("m\(index)"), score: Double(index % 7)) }
        zset.isListpack = false
        let copy = zset.copy()
        #expect(contents(copy) == contents(zset))
        #expect(!copy.isListpack)
        copy.remove(bytes("m3"))
        #expect(zset.score(of: bytes("m3")) != nil)
        #expect(copy.count == 49 && zset.count == 50)
    }

    @Test func resetEncodingFromContents() {
        let zset = SortedSetValue()
        for index in 0..<3 { zset.insert(bytes("m\(index)"), score: 0) }
        zset.resetEncoding(maxEntries: 3, maxValue: 2)
        #expect(zset.isListpack)
        zset.resetEncoding(maxEntries: 2, maxValue: 2)
        #expect(!zset.isListpack)
        zset.resetEncoding(maxEntries: 3, maxValue: 1)
        #expect(!zset.isListpack)
    }

    @Test func scanVisitsEveryMember() {
        let zset = SortedSetValue()
        for index in 0..<1000 { zset.insert(bytes("m\(index)"), score: Double(index)) }
        var seen = Set<[UInt8]>()
        var cursor: UInt64 = 0
        repeat {
            let step = zset.scan(cursor: cursor, count: 10)
            for element in step.elements {
                seen.insert(element.member)
                #expect(zset.score(of: element.member) == element.score)
            }
            cursor = step.cursor
        } while cursor != 0
        #expect(seen.count == 1000)
    }

    @Test func longListReleasesWithoutRecursion() {
        let zset = SortedSetValue()
        for index in 0..<300_000 { zset.insert(bytes("\(index)"), score: Double(index)) }
        let removed = zset.removeRanks(0..<200_000)
        #expect(removed.count == 200_000)
        #expect(zset.count == 100_000)
    }

    /// Random operations against the naive model, checking every query type.
    @Test func randomizedAgainstModel() {
        var generator = FastRandom(seed: 42)
        for round in 0..<4 {
            let zset = SortedSetValue()
            var model = NaiveSortedSet()
            let universe = round == 0 ? 8 : 300
            for step in 0..<4000 {
                let member = bytes("m\(Int.random(in: 0..<universe, using: &generator))")
                // Few distinct scores so ties (member order) matter.
                let score = [Double(Int.random(in: -5...5, using: &generator)), -.infinity, .infinity, 0.5][
                    Int.random(in: 0..<4, using: &generator) == 0 ? Int.random(in: 1...3, using: &generator) : 0]
                switch Int.random(in: 0..<10, using: &generator) {
                case 0..<5:
                    let existed = model.index(of: member) != nil
                    #expect(zset.insert(member, score: score) == !existed)
                    model.insert(member, score)
                case 5..<7:
                    #expect(zset.remove(member) == model.remove(member))
                case 7:
                    if !model.elements.isEmpty {
                        let a = Int.random(in: 0..<model.elements.count, using: &generator)
                        let b = Int.random(in: a...model.elements.count, using: &generator)
                        let removed = zset.removeRanks(a..<b)
                        #expect(removed.map(\.member) == model.elements[a..<b].map(\.member))
                        model.elements.removeSubrange(a..<b)
                    }
                default:
                    let low = Double(Int.random(in: -6...6, using: &generator))
                    let high = Double(Int.random(in: -6...6, using: &generator))
                    let range = ScoreRange(min: low, max: high, minExclusive: Bool.random(using: &generator),
                                           maxExclusive: Bool.random(using: &generator))
                    let expected = model.ranks(range)
                    let actual = zset.ranks(in: range)
                    #expect(actual.count == expected.count)
                    if !expected.isEmpty { #expect(actual == expected) }
                    let lexLow = bytes("m\(Int.random(in: 0..<universe, using: &generator))")
                    let lexHigh = bytes("m\(Int.random(in: 0..<universe, using: &generator))")
                    let lex = LexRange(min: Bool.random(using: &generator) ? .inclusive(lexLow) : .exclusive(lexLow),
                                       max: Bool.random(using: &generator) ? .inclusive(lexHigh) : .plusInfinity)
                    // Lex ranges are defined on equal scores only: check against a same-score copy.
                    let flat = SortedSetValue()
                    var flatModel = NaiveSortedSet()
                    for element in model.elements { flat.insert(element.member, score: 0); flatModel.insert(element.member, 0) }
                    let lexExpected = flatModel.ranks(lex)
                    let lexActual = flat.ranks(in: lex)
                    #expect(lexActual.count == lexExpected.count)
                    if !lexExpected.isEmpty { #expect(lexActual == lexExpected) }
                }
                if step % 97 == 0 || round == 0 {
                    #expect(zset.count == model.elements.count)
                    var index = 0
                    zset.forEach { element in
                        #expect(element.member == model.elements[index].member)
                        #expect(element.score == model.elements[index].score)
                        index += 1
                    }
                    for (rank, element) in model.elements.enumerated() {
                        #expect(zset.rank(of: element.member)?.rank == rank)
                        #expect(zset.element(atRank: rank)?.member == element.member)
                        #expect(zset.score(of: element.member) == element.score)
                    }
                    // Backward links agree with forward order.
                    var backward: [[UInt8]] = []
                    if !model.elements.isEmpty {
                        zset.visit(fromRank: model.elements.count - 1, reverse: true) { backward.append($0.member); return true }
                    }
                    #expect(backward == model.elements.reversed().map(\.member))
                }
            }
        }
    }
}
