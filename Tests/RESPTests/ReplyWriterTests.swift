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
