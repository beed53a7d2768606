/// A hash: field → value. Iteration order is the table's (as Valkey's
/// hashtable encoding); HSCAN uses the table's stable reverse-binary cursor.
public final class HashValue {
    public let fields = KeyTable<[UInt8]>()
    /// Whether Valkey would still hold this hash as a listpack (OBJECT
    /// ENCODING). Cleared once it grows past `hash-max-listpack-entries` or
    /// a field or value exceeds `hash-max-listpack-value`; never set again.
    public var isListpack = true

    public init() {}

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public func copy() -> HashValue {
        let copy = HashValue()
        copy.isListpack = isListpack
        fields.forEach { copy.fields.insert($0.key, $0.value) }
        return copy
    }
}
