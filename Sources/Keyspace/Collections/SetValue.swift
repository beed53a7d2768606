/// A set of byte strings. SSCAN uses the table's stable reverse-binary cursor;
/// SPOP / SRANDMEMBER sample it in O(1) (`randomNode`).
public final class SetValue {
    public let members = KeyTable<Void>()
    /// How Valkey would encode this set (OBJECT ENCODING); only moves forward
    /// (intset → listpack → hashtable), as in Valkey.
    public var encoding: Encoding = .intset

    public enum Encoding: UInt8 { case intset, listpack, hashtable }

    public init() {}

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    public func copy() -> SetValue {
        let copy = SetValue()
        copy.encoding = encoding
        members.forEach { copy.members.insert($0.key, ()) }
        return copy
    }
}
