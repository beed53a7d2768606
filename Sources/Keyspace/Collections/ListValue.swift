import DequeModule

/// A list: a deque of elements, O(1) at both ends and by index.
public final class ListValue {
    public var elements = Deque<[UInt8]>()
    /// Whether Valkey would hold this list as a quicklist rather than a single
    /// listpack (OBJECT ENCODING), per `list-max-listpack-size`.
    public var isQuicklist = false

    public init() {}

    public var count: Int { elements.count }
    public var isEmpty: Bool { elements.isEmpty }

    public func copy() -> ListValue {
        let copy = ListValue()
        copy.elements = elements
        copy.isQuicklist = isQuicklist
        return copy
    }
}
