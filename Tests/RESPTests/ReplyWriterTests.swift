import NIOCore
import Testing
@testable import RESP

@Suite struct ReplyWriterTests {
    private func encode(_ version: ProtocolVersion, _ body: (inout ReplyWriter) -> Void) -> String {
        var writer = ReplyWriter(buffer: ByteBuffer(), version: version)
        body(&writer)
        return String(buffer: writer.buffer)
    }

    @Test func simpleTypesAreTheSameInBothProtocols() {
        for version in [ProtocolVersion.resp2, .resp3] {
            #expect(encode(version) { $0.writeOK() } == "+OK\r\n")
            #expect(encode(version) { $0.writeError("ERR bad\r\nthing") } == "-ERR bad  thing\r\n")
            #expect(encode(version) { $0.writeInteger(-42) } == ":-42\r\n")
            #expect(encode(version) { $0.writeInteger(Int.min) } == ":-9223372036854775808\r\n")
            #expect(encode(version) { $0.writeInteger(7) } == ":7\r\n")
            #expect(encode(version) { $0.writeBulkString([UInt8]("hi".utf8)) } == "$2\r\nhi\r\n")
            #expect(encode(version) { $0.writeBulkString("") } == "$0\r\n\r\n")
            #expect(encode(version) { $0.writeArrayHeader(2) } == "*2\r\n")
        }
    }

    @Test func resp3TypesDowngradeInResp2() {
        #expect(encode(.resp2) { $0.writeNull() } == "$-1\r\n")
        #expect(encode(.resp3) { $0.writeNull() } == "_\r\n")
        #expect(encode(.resp2) { $0.writeNullArray() } == "*-1\r\n")
        #expect(encode(.resp2) { $0.writeMapHeader(2) } == "*4\r\n")
        #expect(encode(.resp3) { $0.writeMapHeader(2) } == "%2\r\n")
        #expect(encode(.resp2) { $0.writeSetHeader(3) } == "*3\r\n")
        #expect(encode(.resp3) { $0.writeSetHeader(3) } == "~3\r\n")
        #expect(encode(.resp2) { $0.writeBoolean(true) } == ":1\r\n")
        #expect(encode(.resp3) { $0.writeBoolean(false) } == "#f\r\n")
        #expect(encode(.resp2) { $0.writeDouble(1.5) } == "$3\r\n1.5\r\n")
        #expect(encode(.resp3) { $0.writeDouble(1.5) } == ",1.5\r\n")
        #expect(encode(.resp3) { $0.writeDouble(-.infinity) } == ",-inf\r\n")
        #expect(encode(.resp2) { $0.writeVerbatimString("a:b") } == "$3\r\na:b\r\n")
        #expect(encode(.resp3) { $0.writeVerbatimString("a:b") } == "=7\r\ntxt:a:b\r\n")
        #expect(encode(.resp3) { $0.writePushHeader(3) } == ">3\r\n")
        #expect(encode(.resp2) { $0.writePushHeader(3) } == "*3\r\n")
    }

    @Test func doubleFormatting() {
        #expect(formatDouble(3) == "3")
        #expect(formatDouble(-0.5) == "-0.5")
        #expect(formatDouble(1e20) == "1e+20")
        #expect(formatDouble(.infinity) == "inf")
        #expect(formatDouble(0.1) == "0.1")
        // Valkey 8 d2string layouts.
        #expect(formatDouble(-0.0) == "-0")
        #expect(formatDouble(1e17) == "100000000000000000")
        #expect(formatDouble(1e-5) == "0.00001")
        #expect(formatDouble(1e-7) == "1e-7")
        #expect(formatDouble(1.5e20) == "1.5e+20")
    }

    /// Integral doubles are formatted straight into the buffer: the same
    /// text as `formatDouble`, at the edges of that path too.
    @Test func writtenDoublesMatchFormatDouble() {
        let values: [Double] = [1, -1, 9, 10, -10, 12345, 0, -0.0, 0.5, -2.5, 1e15, -1e15, 1e17, 4_611_686_018_427_387_904.0,
                                -4_611_686_018_427_387_904.0, 9_223_372_036_854_775_807.0, 1e20, .infinity, -.infinity, .nan,
                                Double(Int32.max), Double(Int64(1) << 53), 3.0000000000000004]
        for value in values {
            let text = formatDouble(value)
            #expect(encode(.resp2) { $0.writeDouble(value) } == "$\(text.utf8.count)\r\n\(text)\r\n", "\(value)")
            #expect(encode(.resp3) { $0.writeDouble(value) } == ",\(text)\r\n", "\(value)")
        }
    }

    @Test func numbersAndHeadersOfEveryLength() {
        var value = 1
        for _ in 0..<18 {
            for number in [value - 1, value, -value, -(value - 1)] {
                #expect(encode(.resp2) { $0.writeInteger(number) } == ":\(number)\r\n")
                #expect(encode(.resp2) { $0.writeBulkString(Array(repeating: 120, count: abs(number) % 1000)) }
                        == "$\(abs(number) % 1000)\r\n" + String(repeating: "x", count: abs(number) % 1000) + "\r\n")
                if number >= 0 { #expect(encode(.resp3) { $0.writeArrayHeader(number) } == "*\(number)\r\n") }
            }
            value *= 10
        }
        #expect(encode(.resp2) { $0.writeInteger(Int.max) } == ":\(Int.max)\r\n")
        #expect(encode(.resp2) { $0.writeBulkString("ünï") } == "$5\r\nünï\r\n")
        #expect(encode(.resp2) { $0.writeBulkString([UInt8]("ab".utf8)[...]) } == "$2\r\nab\r\n")
    }

    @Test func inlineArgumentSplitting() {
        func split(_ text: String) -> [String]? {
            splitArguments(Array(text.utf8))?.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(split("  set  a   b ") == ["set", "a", "b"])
        #expect(split("set \"a b\" 'c d'") == ["set", "a b", "c d"])
        #expect(split("\"\\x41\\t\\\\\"") == ["A\t\\"])
        #expect(split("'it\\'s'") == ["it's"])
        #expect(split("\"\"") == [""])
        #expect(split("\"abc") == nil)
        #expect(split("'abc") == nil)
        #expect(split("\"a\"b") == nil)
        #expect(split("") == [])
    }
}
