/// A set of byte strings. SSCAN uses the table's stable reverse-binary cursor;
/// SPOP / SRANDMEMBER sample it in O(1) (`randomNode`).
public final class SetValue {
    public let members = KeyTable<Void>()
    /// How Valkey would encode this set (OBJECT ENCODING); only moves forward
    /// (intset → listpack → hashtable), as in Valkey.
    public var encoding: Encoding = .intset

    public enum Encoding: UInt8 { case intset, listpack, hashtable }

    /// The encoding thresholds (`set-max-intset-entries`,
    /// `set-max-listpack-entries`, `set-max-listpack-value`).
    public struct Limits {
        public var intsetEntries: Int
        public var listpackEntries: Int
        public var listpackValue: Int

        public init(intsetEntries: Int, listpackEntries: Int, listpackValue: Int) {
            // Valkey caps intsets at 2^30 entries whatever the setting says.
            self.intsetEntries = min(intsetEntries, 1 << 30)
            self.listpackEntries = listpackEntries
            self.listpackValue = listpackValue
        }
    }

    public init() {}

    public init(encoding: Encoding) {
        self.encoding = encoding
    }

    /// Valkey's `setTypeCreate`: the encoding a new set starts with, from its
    /// first member and the number of members about to be added.
    public static func create(first: [UInt8], sizeHint: Int, limits: Limits) -> SetValue {
        if isInteger(first) && sizeHint <= limits.intsetEntries { return SetValue(encoding: .intset) }
        if sizeHint <= limits.listpackEntries { return SetValue(encoding: .listpack) }
        return SetValue(encoding: .hashtable)
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    public func copy() -> SetValue {
        let copy = SetValue()
        copy.encoding = encoding
        members.forEach { copy.members.insert($0.key, ()) }
        return copy
    }

    // MARK: access

    @inline(__always)
    public func contains(_ member: [UInt8]) -> Bool {
        members.node(for: ByteString(member)) != nil
    }

    /// The members in the order Valkey would list them: ascending numbers for
    /// an intset, the table's order otherwise.
    public func orderedMembers() -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(members.count)
        if encoding == .intset {
            var numbered: [(Int64, [UInt8])] = []
            numbered.reserveCapacity(members.count)
            members.forEach { numbered.append((SetValue.parseInteger($0.key.bytes) ?? 0, $0.key.bytes)) }
            numbered.sort { $0.0 < $1.0 }
            for (_, member) in numbered { result.append(member) }
        } else {
            members.forEach { result.append($0.key.bytes) }
        }
        return result
    }

    // MARK: mutation (callers record the changes)

    /// Valkey's `setTypeMaybeConvert`: an add of `sizeHint` members that cannot
    /// fit the compact encoding converts to a hashtable up front.
    public func prepareForAdd(sizeHint: Int, limits: Limits) {
        switch encoding {
        case .listpack where sizeHint > limits.listpackEntries: encoding = .hashtable
        case .intset where sizeHint > limits.intsetEntries: encoding = .hashtable
        default: break
        }
    }

    /// Adds a member, moving the encoding forward as Valkey's `setTypeAdd` does.
    /// Returns whether it was new.
    @discardableResult
    public func add(_ member: [UInt8], limits: Limits) -> Bool {
        let key = ByteString(member)
        switch encoding {
        case .hashtable:
            return members.insert(key, ()).inserted
        case .listpack:
            guard members.node(for: key) == nil else { return false }
            if members.count >= limits.listpackEntries || member.count > limits.listpackValue {
                encoding = .hashtable
            }
            members.insert(key, ())
            return true
        case .intset:
            if SetValue.isInteger(member) {
                guard members.insert(key, ()).inserted else { return false }
                if members.count > limits.intsetEntries { encoding = .hashtable }
                return true
            }
            guard members.node(for: key) == nil else { return false }
            // The first non-integer: a listpack if everything fits one, else a hashtable.
            var longest = 0
            members.forEach { longest = max(longest, $0.key.count) }
            if members.count < limits.listpackEntries && member.count <= limits.listpackValue
                && longest <= limits.listpackValue {
                encoding = .listpack
            } else {
                encoding = .hashtable
            }
            members.insert(key, ())
            return true
        }
    }

    /// Removes a member; returns whether it was there. Never changes the encoding.
    @discardableResult
    public func remove(_ member: [UInt8]) -> Bool {
        members.remove(ByteString(member)) != nil
    }

    /// Valkey's `maybeConvertToIntset`, for a set known to hold only integers.
    public func convertToIntsetIfSmall(limits: Limits) {
        if encoding != .intset && members.count <= limits.intsetEntries { encoding = .intset }
    }

    /// Sets the encoding from the contents, as a set rebuilt from scratch
    /// (loading from storage) would be encoded.
    public func recomputeEncoding(limits: Limits) {
        var allIntegers = true
        var longest = 0
        members.forEach { node in
            longest = max(longest, node.key.count)
            if allIntegers && !SetValue.isInteger(node.key.bytes) { allIntegers = false }
        }
        if allIntegers && members.count <= limits.intsetEntries {
            encoding = .intset
        } else if members.count <= limits.listpackEntries && longest <= limits.listpackValue {
            encoding = .listpack
        } else {
            encoding = .hashtable
        }
    }

    // MARK: integers

    /// Whether Valkey would store `bytes` in an intset (`string2ll` accepts it).
    @inline(__always)
    public static func isInteger(_ bytes: [UInt8]) -> Bool {
        bytes.count <= 20 && parseInteger(bytes) != nil
    }

    /// `string2ll`: canonical decimal only (no sign on zero, no leading zeros,
    /// no spaces or plus sign), within Int64.
    static func parseInteger(_ bytes: [UInt8]) -> Int64? {
        parseCanonicalInteger(bytes)
    }
}
