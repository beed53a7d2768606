import DequeModule

/// A list: a deque of elements, O(1) at both ends and by index.
///
/// Commands mutate it through the methods below, which also keep a running
/// estimate of the listpack size Valkey would use for the same elements (for
/// OBJECT ENCODING). Code that edits `elements` directly still gets a correct
/// estimate: a count that no longer matches triggers a recount.
public final class ListValue {
    public var elements = Deque<[UInt8]>()
    /// Whether Valkey would hold this list as a quicklist rather than a single
    /// listpack (OBJECT ENCODING), per `list-max-listpack-size`.
    public var isQuicklist = false

    /// Sum of `ListValue.entrySize` over `elements`, valid while
    /// `sizedCount == elements.count`.
    private var entryBytes = 0
    private var sizedCount = 0

    public init() {}

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    public func copy() -> ListValue {
        let copy = ListValue()
        copy.elements = elements
        copy.isQuicklist = isQuicklist
        copy.entryBytes = entryBytes
        copy.sizedCount = sizedCount
        return copy
    }

    // MARK: mutations that keep the size estimate

    public func pushFront(_ value: [UInt8]) {
        let valid = sizeIsValid
        elements.prepend(value)
        if valid { grow(by: value) }
    }

    public func pushBack(_ value: [UInt8]) {
        let valid = sizeIsValid
        elements.append(value)
        if valid { grow(by: value) }
    }

    public func popFront() -> [UInt8] {
        let valid = sizeIsValid
        let value = elements.removeFirst()
        if valid { shrink(by: value) }
        return value
    }

    public func popBack() -> [UInt8] {
        let valid = sizeIsValid
        let value = elements.removeLast()
        if valid { shrink(by: value) }
        return value
    }

    /// Removes `head` elements from the head and `tail` from the tail.
    public func trim(head: Int, tail: Int) {
        let valid = sizeIsValid
        if valid {
            for index in 0..<head { entryBytes -= Self.entrySize(elements[index]) }
            for index in (elements.count - tail)..<elements.count { entryBytes -= Self.entrySize(elements[index]) }
        }
        elements.removeFirst(head)
        elements.removeLast(tail)
        if valid { sizedCount = elements.count }
    }

    /// Replaces the element at `index` (LSET).
    public func replace(at index: Int, with value: [UInt8]) {
        let valid = sizeIsValid
        let old = elements[index]
        elements[index] = value
        if valid { entryBytes += Self.entrySize(value) - Self.entrySize(old) }
    }

    /// Inserts `value` so that it ends up at `index` (LINSERT).
    public func insert(_ value: [UInt8], at index: Int) {
        let valid = sizeIsValid
        elements.insert(value, at: index)
        if valid { grow(by: value) }
    }

    /// Removes the elements at the given positions (ascending, distinct) in one
    /// pass (LREM).
    public func remove(atSortedOffsets offsets: [Int]) {
        guard !offsets.isEmpty else { return }
        let valid = sizeIsValid
        if offsets.count == 1 {
            let value = elements.remove(at: offsets[0])
            if valid { shrink(by: value) }
            return
        }
        var kept = Deque<[UInt8]>()
        kept.reserveCapacity(elements.count - offsets.count)
        var next = 0
        for (index, element) in elements.enumerated() {
            if next < offsets.count && offsets[next] == index {
                next += 1
                if valid { entryBytes -= Self.entrySize(element) }
            } else {
                kept.append(element)
            }
        }
        elements = kept
        if valid { sizedCount = elements.count }
    }

    private var sizeIsValid: Bool { sizedCount == elements.count }

    private func grow(by value: [UInt8]) {
        entryBytes += Self.entrySize(value)
        sizedCount += 1
    }

    private func shrink(by value: [UInt8]) {
        entryBytes -= Self.entrySize(value)
        sizedCount -= 1
    }

    // MARK: encoding (listpack / quicklist), as Valkey's t_list.c

    /// Bytes of a listpack holding all the elements: 6-byte header, entries,
    /// 1-byte terminator.
    public var listpackBytes: Int {
        if !sizeIsValid {
            entryBytes = 0
            for element in elements { entryBytes += Self.entrySize(element) }
            sizedCount = elements.count
        }
        return 7 + entryBytes
    }

    /// Before adding elements (LPUSH, LINSERT, LSET…): a listpack that would
    /// exceed the node limit becomes a quicklist. Like Valkey, the added size
    /// is the raw length of the new values, without entry overhead.
    public func convertBeforeGrowth(fill: Int, addedBytes: Int, addedCount: Int) {
        guard !isQuicklist else { return }
        if Self.exceedsLimit(fill: fill, bytes: listpackBytes + addedBytes, count: count + addedCount) {
            isQuicklist = true
        }
    }

    /// After removing elements (LPOP, LTRIM, LREM, LSET…): a quicklist that
    /// fits in half a node goes back to a listpack (the half avoids flapping).
    public func convertAfterShrink(fill: Int) {
        guard isQuicklist else { return }
        let limit = Self.nodeLimit(fill: fill)
        // Each entry takes at least 2 bytes: skip the recount for big lists.
        guard count <= limit.count / 2, 7 + 2 * count <= limit.bytes / 2 else { return }
        if listpackBytes <= limit.bytes / 2 { isQuicklist = false }
    }

    /// For a list built whole (loading, RESTORE, SORT STORE): listpack when
    /// it fits one node.
    public func settleEncoding(fill: Int) {
        isQuicklist = Self.exceedsLimit(fill: fill, bytes: listpackBytes, count: count)
    }

    /// Valkey's `quicklistNodeLimit`: a negative fill is a size class (-1 = 4 KB
    /// … -5 = 64 KB), a positive one an entry count (with an 8 KB safety cap).
    public static func nodeLimit(fill: Int) -> (bytes: Int, count: Int) {
        if fill >= 0 {
            return (Int.max, fill == 0 ? 1 : fill)
        }
        let levels = [4096, 8192, 16384, 32768, 65536]
        let offset = min(-(fill + 1), levels.count - 1)
        return (levels[offset], Int.max)
    }

    /// Valkey's `quicklistNodeExceedsLimit`.
    public static func exceedsLimit(fill: Int, bytes: Int, count: Int) -> Bool {
        let limit = nodeLimit(fill: fill)
        if limit.bytes != Int.max { return bytes > limit.bytes }
        if bytes > 8192 { return true }
        return count > limit.count
    }

    /// Bytes one element takes in a listpack: encoding header and data, plus
    /// the back-length. Canonical integers are stored as integers.
    public static func entrySize(_ value: [UInt8]) -> Int {
        let encoded: Int
        if let integer = listpackInteger(value) {
            switch integer {
            case 0...127: encoded = 1
            case -4096...4095: encoded = 2
            case -32768...32767: encoded = 3
            case -8_388_608...8_388_607: encoded = 4
            case -2_147_483_648...2_147_483_647: encoded = 5
            default: encoded = 9
            }
        } else if value.count < 64 {
            encoded = 1 + value.count
        } else if value.count < 4096 {
            encoded = 2 + value.count
        } else {
            encoded = 5 + value.count
        }
        let backlength: Int
        switch encoded {
        case ...127: backlength = 1
        case ..<16383: backlength = 2
        case ..<2_097_151: backlength = 3
        case ..<268_435_455: backlength = 4
        default: backlength = 5
        }
        return encoded + backlength
    }

    /// The value as listpack stores integers (`lpStringToInt64`): canonical
    /// decimal, no leading zeros or '+', within Int64.
    static func listpackInteger(_ value: [UInt8]) -> Int64? {
        parseCanonicalInteger(value)
    }
}
