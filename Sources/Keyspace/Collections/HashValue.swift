/// A hash: field → value. Iteration order is the table's (as Valkey's
/// hashtable encoding); HSCAN uses the table's stable reverse-binary cursor.
public final class HashValue {
    public let fields = KeyTable<[UInt8]>()
    /// Whether Valkey would still hold this hash as a listpack (OBJECT
    /// ENCODING). Cleared once it grows past `hash-max-listpack-entries` or
    /// a field or value exceeds `hash-max-listpack-value`; never set again.
    public var isListpack = true

    /// The listpack thresholds (`hash-max-listpack-entries`, `hash-max-listpack-value`).
    public struct Limits {
        public var maxEntries: Int
        public var maxValue: Int

        public init(maxEntries: Int, maxValue: Int) {
            self.maxEntries = maxEntries
            self.maxValue = maxValue
        }
    }

    public init() {}

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public func copy() -> HashValue {
        let copy = HashValue()
        copy.isListpack = isListpack
        fields.forEach { copy.fields.insert($0.key, $0.value) }
        return copy
    }

    // MARK: access

    @inline(__always)
    public subscript(field: [UInt8]) -> [UInt8]? {
        fields[ByteString(field)]
    }

    @inline(__always)
    public func contains(_ field: [UInt8]) -> Bool {
        fields.node(for: ByteString(field)) != nil
    }

    // MARK: mutation (callers record the changes)

    /// Valkey's `hashTypeTryConversion` before a write of `newFields` pairs whose
    /// arguments have the given lengths: more pairs than fit, or any argument
    /// longer than `maxValue`, converts to a hashtable up front.
    public func prepareForWrite(newFields: Int, longestArgument: Int, limits: Limits) {
        guard isListpack else { return }
        if newFields > limits.maxEntries || longestArgument > limits.maxValue { isListpack = false }
    }

    public enum SetResult { case inserted, updated, unchanged }

    /// Sets `field` to `value` (Valkey's `hashTypeSet`, encoding included).
    /// Tells whether the field is new, got a different value, or already held it.
    @discardableResult
    public func set(_ field: [UInt8], _ value: [UInt8], limits: Limits) -> SetResult {
        if isListpack && (field.count > limits.maxValue || value.count > limits.maxValue) { isListpack = false }
        let key = ByteString(field)
        if let node = fields.node(for: key) {
            if node.value == value { return .unchanged }
            node.value = value
            return .updated
        }
        fields.insert(key, value)
        if isListpack && fields.count > limits.maxEntries { isListpack = false }
        return .inserted
    }

    /// Removes `field`; returns whether it existed.
    @discardableResult
    public func remove(_ field: [UInt8]) -> Bool {
        fields.remove(ByteString(field)) != nil
    }

    /// Sets the encoding flag from the contents, as a hash rebuilt from scratch
    /// (loading from storage) would be encoded.
    public func recomputeEncoding(limits: Limits) {
        var fits = fields.count <= limits.maxEntries
        if fits {
            fields.forEach { node in
                if node.key.count > limits.maxValue || node.value.count > limits.maxValue { fits = false }
            }
        }
        isListpack = fits
    }
}
