/// Valkey's `string2ll`: the bytes as an Int64 only when they are its
/// canonical decimal form (no '+', no leading zeros, no spaces, no "-0"),
/// which is when listpacks and intsets store a value as an integer.
public func parseCanonicalInteger(_ bytes: [UInt8]) -> Int64? {
    guard let first = bytes.first, bytes.count <= 20 else { return nil }
    var index = 0
    let negative = first == UInt8(ascii: "-")
    if negative { index = 1 }
    guard index < bytes.count else { return nil }
    let lead = bytes[index]
    if lead == UInt8(ascii: "0") { return bytes.count == 1 ? 0 : nil }
    guard lead >= UInt8(ascii: "1") && lead <= UInt8(ascii: "9") else { return nil }
    var magnitude: UInt64 = 0
    while index < bytes.count {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit <= 9 else { return nil }
        let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
        if overflow1 || overflow2 { return nil }
        magnitude = sum
        index += 1
    }
    if negative {
        guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
        return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int64(magnitude)
}
