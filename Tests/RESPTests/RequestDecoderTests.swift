import NIOCore
import Testing
@testable import RESP

@Suite struct RequestDecoderTests {
    private func decodeAll(_ chunks: [[UInt8]], decoder: inout RequestDecoder) throws -> [[[UInt8]]] {
        var buffer = ByteBuffer()
        var requests: [[[UInt8]]] = []
        for chunk in chunks {
            buffer.writeBytes(chunk)
            while let request = try decoder.next(from: &buffer) { requests.append(request) }
        }
        return requests
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func multibulkSplitAtEveryByteBoundary() throws {
        let wire = bytes("*3\r\n$3\r\nSET\r\n$5\r\nhello\r\n$0\r\n\r\n*1\r\n$4\r\nPING\r\n")
        let expected = [[bytes("SET"), bytes("hello"), []], [bytes("PING")]]
        for split in 0...wire.count {
            var decoder = RequestDecoder()
            let requests = try decodeAll([Array(wire[..<split]), Array(wire[split...])], decoder: &decoder)
            #expect(requests == expected, "split at \(split)")
        }
        // One byte at a time.
        var decoder = RequestDecoder()
        #expect(try decodeAll(wire.map { [$0] }, decoder: &decoder) == expected)
    }

    @Test func recycledArgumentArraysAreReusedWithoutDisturbingKeptRequests() throws {
        var decoder = RequestDecoder()
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n1\r\n*1\r\n$4\r\nPING\r\n"))
        var first = try #require(try decoder.next(from: &buffer))
        // Kept elsewhere, as a MULTI queue keeps a request: recycling must not empty the copy.
        let kept = first
        decoder.recycle(&first)
        #expect(kept == [bytes("GET"), bytes("a")])
        var second = try #require(try decoder.next(from: &buffer))
        #expect(second == [bytes("SET"), bytes("b"), bytes("1")])
        decoder.recycle(&second)
        #expect(try decoder.next(from: &buffer) == [bytes("PING")])
        #expect(try decoder.next(from: &buffer) == nil)
    }

    @Test func inlineSplitAtEveryByteBoundary() throws {
        let wire = bytes("SET key \"a b\\x41\\n\"\r\nPING\n")
        let expected = [[bytes("SET"), bytes("key"), bytes("a bA\n")], [bytes("PING")]]
        for split in 0...wire.count {
            var decoder = RequestDecoder()
            #expect(try decodeAll([Array(wire[..<split]), Array(wire[split...])], decoder: &decoder) == expected)
        }
    }

    @Test func binarySafeBulkStrings() throws {
        let payload: [UInt8] = [0, 13, 10, 255, 42]
        var decoder = RequestDecoder()
        let wire = bytes("*2\r\n$3\r\nGET\r\n$5\r\n") + payload + bytes("\r\n")
        #expect(try decodeAll([wire], decoder: &decoder) == [[bytes("GET"), payload]])
    }

    @Test func emptyRequestsAreSkipped() throws {
        var decoder = RequestDecoder()
        #expect(try decodeAll([bytes("\r\n\n*0\r\n*-1\r\nPING\r\n")], decoder: &decoder) == [[bytes("PING")]])
    }

    @Test(arguments: [
        ("*abc\r\n", "Protocol error: invalid multibulk length"),
        ("*1048577\r\n", "Protocol error: invalid multibulk length"),
        ("*1\r\n+foo\r\n", "Protocol error: expected '$', got '+'"),
        ("*1\r\n$-5\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$x\r\n", "Protocol error: invalid bulk length"),
        ("*1\r\n$536870913\r\n", "Protocol error: invalid bulk length"),
        ("SET a \"b\r\n", "Protocol error: unbalanced quotes in request"),
        ("SET a 'b'c\r\n", "Protocol error: unbalanced quotes in request"),
    ])
    func malformedInput(wire: String, message: String) {
        var decoder = RequestDecoder()
        #expect(throws: ProtocolError(String(message.dropFirst("Protocol error: ".count)))) {
            _ = try decodeAll([bytes(wire)], decoder: &decoder)
        }
    }

    @Test func errorLineCarriesTheErrCode() {
        #expect(ProtocolError("invalid bulk length").message == "ERR Protocol error: invalid bulk length")
    }

    @Test func oversizedHeadersAndInline() {
        var decoder = RequestDecoder()
        let longInline = [UInt8](repeating: UInt8(ascii: "a"), count: 70_000)
        #expect(throws: ProtocolError("too big inline request")) {
            _ = try decodeAll([longInline], decoder: &decoder)
        }
        var multibulk = RequestDecoder()
        #expect(throws: ProtocolError("too big mbulk count string")) {
            _ = try decodeAll([bytes("*") + [UInt8](repeating: UInt8(ascii: "1"), count: 70_000)], decoder: &multibulk)
        }
    }

    @Test func unauthenticatedLimits() {
        var decoder = RequestDecoder()
        decoder.unauthenticated = true
        #expect(throws: ProtocolError("unauthenticated multibulk length")) {
            _ = try decodeAll([bytes("*11\r\n")], decoder: &decoder)
        }
        var bulk = RequestDecoder()
        bulk.unauthenticated = true
        #expect(throws: ProtocolError("unauthenticated bulk length")) {
            _ = try decodeAll([bytes("*1\r\n$16385\r\n")], decoder: &bulk)
        }
    }

    @Test func largeRequestArrivingInPiecesIsParsedIncrementally() throws {
        var decoder = RequestDecoder()
        var buffer = ByteBuffer()
        buffer.writeString("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n")
        #expect(try decoder.next(from: &buffer) == nil)
        #expect(decoder.isMidRequest)
        // The consumed header bytes are gone: nothing is re-parsed.
        #expect(buffer.readableBytes == 0)
        buffer.writeBytes([UInt8](repeating: 7, count: 100_000))
        buffer.writeString("\r\n")
        let request = try decoder.next(from: &buffer)
        #expect(request?.count == 3)
        #expect(request?[2].count == 100_000)
    }

    @Test func integerParsingMatchesValkey() {
        #expect(parseInteger(bytes("0")) == 0)
        #expect(parseInteger(bytes("-1")) == -1)
        #expect(parseInteger(bytes("9223372036854775807")) == Int.max)
        #expect(parseInteger(bytes("-9223372036854775808")) == Int.min)
        #expect(parseInteger(bytes("9223372036854775808")) == nil)
        #expect(parseInteger(bytes("01")) == nil)
        #expect(parseInteger(bytes("-0")) == nil)
        #expect(parseInteger(bytes("+1")) == nil)
        #expect(parseInteger(bytes(" 1")) == nil)
        #expect(parseInteger(bytes("")) == nil)
        #expect(parseInteger(bytes("1a")) == nil)
    }
}
