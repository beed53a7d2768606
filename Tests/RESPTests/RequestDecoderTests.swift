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

    // MARK: fast path (whole requests parsed in one pass) against the incremental path

    /// What decoding `chunks`, arriving one after another, gives: the requests, the
    /// error that stopped it, the bytes left unconsumed and whether a request is half read.
    private struct Outcome: Equatable {
        var requests: [[[UInt8]]] = []
        var error: ProtocolError?
        var leftover: [UInt8] = []
        var midRequest = false
    }

    private func run(_ chunks: [[UInt8]], fastPath: Bool, unauthenticated: Bool = false,
                     maxBulkLength: Int = 512 * 1024 * 1024) -> Outcome {
        var decoder = RequestDecoder(maxBulkLength: maxBulkLength)
        decoder.usesFastPath = fastPath
        decoder.unauthenticated = unauthenticated
        var buffer = ByteBuffer()
        var outcome = Outcome()
        decoding: for chunk in chunks {
            buffer.writeBytes(chunk)
            do {
                while var request = try decoder.next(from: &buffer) {
                    outcome.requests.append(request)
                    // As the connection does: the array comes back for the next request.
                    decoder.recycle(&request)
                }
            } catch {
                outcome.error = error
                break decoding
            }
        }
        outcome.leftover = Array(buffer.readableBytesView)
        outcome.midRequest = decoder.isMidRequest
        return outcome
    }

    private func multibulk(_ arguments: [[UInt8]]) -> [UInt8] {
        var wire = bytes("*\(arguments.count)\r\n")
        for argument in arguments { wire += bytes("$\(argument.count)\r\n") + argument + bytes("\r\n") }
        return wire
    }

    /// Payloads that look like protocol: CRLFs, headers, a whole request.
    private var trickyPayloads: [[UInt8]] {
        [[], [13, 10], bytes("\r\n$3\r\nGET\r\n"), bytes("*1\r\n$4\r\nPING\r\n"), [0, 255, 13], bytes("$-1\r\n")]
    }

    @Test func pipelinedRequestsInOneBuffer() throws {
        var expected: [[[UInt8]]] = []
        for index in 0..<600 {
            switch index % 6 {
            case 0: expected.append([bytes("PING")])
            case 1: expected.append([bytes("GET"), bytes("key:\(index)")])
            case 2: expected.append([bytes("SET"), bytes("key:\(index)"), trickyPayloads[index % trickyPayloads.count]])
            case 3: expected.append([bytes("SET"), bytes("big"), [UInt8](repeating: UInt8(index % 256), count: 3000)])
            case 4: expected.append([[], []])
            default: expected.append((0..<40).map { bytes("arg\($0)") })
            }
        }
        let wire = expected.flatMap(multibulk)
        for fastPath in [true, false] {
            let outcome = run([wire], fastPath: fastPath)
            #expect(outcome == Outcome(requests: expected), "fast path \(fastPath)")
        }
    }

    @Test func requestsSplitAtEveryOffsetDecodeTheSame() throws {
        let expected = [[bytes("SET"), bytes("k"), trickyPayloads[2]], [bytes("GET"), trickyPayloads[3]],
                        [[], trickyPayloads[1]], [bytes("SET"), bytes("k"), []], [bytes("PING")]]
        let wire = expected.flatMap(multibulk)
        for split in 0...wire.count {
            for fastPath in [true, false] {
                let outcome = run([Array(wire[..<split]), Array(wire[split...])], fastPath: fastPath)
                #expect(outcome == Outcome(requests: expected), "split at \(split), fast path \(fastPath)")
            }
        }
    }

    @Test func binaryAndEmptyArguments() throws {
        let requests: [[[UInt8]]] = [trickyPayloads, [[]], [[], bytes("x")], [Array(0...255)]]
        #expect(run([requests.flatMap(multibulk)], fastPath: true) == Outcome(requests: requests))
    }

    @Test func commandNameAndRecycledArrayAreShared() throws {
        var decoder = RequestDecoder()
        var buffer = ByteBuffer()
        buffer.writeBytes(multibulk([bytes("GET"), bytes("a")]) + multibulk([bytes("GET"), bytes("b")]))
        let first = try #require(try decoder.next(from: &buffer))
        // Handed back by recycle: a distinctive capacity shows whether it is reused.
        var recycled: [[UInt8]] = []
        recycled.reserveCapacity(50)
        decoder.recycle(&recycled)
        let second = try #require(try decoder.next(from: &buffer))
        #expect(second == [bytes("GET"), bytes("b")])
        // `first` is alive, so equal addresses mean one shared array, not a reused allocation.
        #expect(second[0].withUnsafeBufferPointer { $0.baseAddress } == first[0].withUnsafeBufferPointer { $0.baseAddress })
        #expect(second.capacity >= 50)
    }

    @Test func argumentsOfRecycledRequestsAreRefilledUnlessKept() throws {
        var decoder = RequestDecoder()
        var buffer = ByteBuffer()
        buffer.writeBytes(multibulk([bytes("HGET"), bytes("hash"), bytes("field")])
            + multibulk([bytes("HGET"), bytes("other"), bytes("f2")])
            + multibulk([bytes("SET"), bytes("k"), bytes("v")])
            + multibulk([bytes("SET"), bytes("a-longer-key-than-any-spare-holds".padding(200)), bytes("x")]))
        var first = try #require(try decoder.next(from: &buffer))
        let addresses = first[1...].map { $0.withUnsafeBufferPointer { $0.baseAddress } }
        decoder.recycle(&first)
        // Nothing kept the arguments: the next request's arguments are written into their arrays.
        var second = try #require(try decoder.next(from: &buffer))
        #expect(second == [bytes("HGET"), bytes("other"), bytes("f2")])
        #expect(second[1...].map { $0.withUnsafeBufferPointer { $0.baseAddress } } == addresses)
        // A command kept its arguments (a stored key and value): refilling leaves them as they were.
        let keptKey = second[1], keptValue = second[2]
        decoder.recycle(&second)
        var third = try #require(try decoder.next(from: &buffer))
        #expect(third == [bytes("SET"), bytes("k"), bytes("v")])
        #expect(keptKey == bytes("other") && keptValue == bytes("f2"))
        decoder.recycle(&third)
        // An argument larger than every spare array gets its own.
        #expect(try decoder.next(from: &buffer) == [bytes("SET"), bytes("a-longer-key-than-any-spare-holds".padding(200)), bytes("x")])
    }

    @Test func inlineCommandNamesAreSharedToo() throws {
        var decoder = RequestDecoder()
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes("PING\r\nPING hello\r\nECHO x\r\nECHO \"a b\"\r\n"))
        let first = try #require(try decoder.next(from: &buffer))
        let second = try #require(try decoder.next(from: &buffer))
        let third = try #require(try decoder.next(from: &buffer))
        let quoted = try #require(try decoder.next(from: &buffer))
        #expect(first == [bytes("PING")] && second == [bytes("PING"), bytes("hello")] && third == [bytes("ECHO"), bytes("x")])
        #expect(quoted == [bytes("ECHO"), bytes("a b")])
        #expect(second[0].withUnsafeBufferPointer { $0.baseAddress } == first[0].withUnsafeBufferPointer { $0.baseAddress })
        #expect(third[0].withUnsafeBufferPointer { $0.baseAddress } != first[0].withUnsafeBufferPointer { $0.baseAddress })
        #expect(quoted[0].withUnsafeBufferPointer { $0.baseAddress } == third[0].withUnsafeBufferPointer { $0.baseAddress })
    }

    /// Lines without quotes are split straight from the buffer: the same
    /// arguments as `splitArguments`, whatever the spacing; the argument
    /// array handed back is reused.
    @Test func unquotedInlineLinesSplitAsSplitArguments() throws {
        var random = SystemRandomNumberGenerator()
        let alphabet = bytes("ab\\x1 \t\u{0B}\u{0C}\r\u{00}")
        var decoder = RequestDecoder()
        for _ in 0..<2_000 {
            let line = (0..<Int.random(in: 0..<12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            var buffer = ByteBuffer(bytes: line + [10])
            let expected = try #require(splitArguments(line))
            if expected.isEmpty {
                #expect(try decoder.next(from: &buffer) == nil)
                continue
            }
            var decoded = try #require(try decoder.next(from: &buffer))
            #expect(decoded == expected, "\(line)")
            decoder.recycle(&decoded)
        }
        var buffer = ByteBuffer(bytes: bytes("GET a\r\nGET b\r\n"))
        var first = try #require(try decoder.next(from: &buffer))
        let firstArray = first.withUnsafeBufferPointer { $0.baseAddress }
        decoder.recycle(&first)
        let second = try #require(try decoder.next(from: &buffer))
        #expect(second == [bytes("GET"), bytes("b")])
        #expect(second.withUnsafeBufferPointer { $0.baseAddress } == firstArray)
    }

    @Test func emptyCountsAndOddTerminatorsBehaveAsBefore() throws {
        // `*0` and negative counts are skipped; the byte after a header's CR and the two
        // after a payload are skipped unchecked (as Valkey does).
        let wire = bytes("*0\r\n*-1\r\n*-5\r\n*1\rX$4\rYPINGxx*1\r\n$3\r\nGETzz")
        for fastPath in [true, false] {
            #expect(run([wire], fastPath: fastPath) == Outcome(requests: [[bytes("PING")], [bytes("GET")]]))
        }
    }

    @Test(arguments: [
        ("*01\r\n$1\r\nx\r\n", "invalid multibulk length"),
        ("*+1\r\n$1\r\nx\r\n", "invalid multibulk length"),
        ("*-0\r\n", "invalid multibulk length"),
        ("*1 \r\n$1\r\nx\r\n", "invalid multibulk length"),
        ("*99999999999999999999\r\n", "invalid multibulk length"),
        ("*1048577\r\n$1\r\nx\r\n", "invalid multibulk length"),
        ("*1\r\n$01\r\nx\r\n", "invalid bulk length"),
        ("*1\r\n$+1\r\nx\r\n", "invalid bulk length"),
        ("*1\r\n$-0\r\n\r\n", "invalid bulk length"),
        ("*1\r\n$-1\r\nx\r\n", "invalid bulk length"),
        ("*1\r\n$ 1\r\nx\r\n", "invalid bulk length"),
        ("*1\r\n$1x\r\nx\r\n", "invalid bulk length"),
        ("*1\r\n$\r\nx\r\n", "invalid bulk length"),
        ("*1\r\n$9223372036854775808\r\nx\r\n", "invalid bulk length"),
        ("*1\r\n$536870913\r\nx\r\n", "invalid bulk length"),
        ("*2\r\n$3\r\nGET\r\n:1\r\n", "expected '$', got ':'"),
        ("*2\r\n$3\r\nGET\r\n\r\n$1\r\nx\r\n", "expected '$', got '\r'"),
    ])
    func malformedCompleteRequestsFailAsBefore(wire: String, message: String) {
        let valid = multibulk([bytes("GET"), bytes("k")])
        // Alone, after a whole request in the same read, and split after its first byte.
        for chunks in [[bytes(wire)], [valid + bytes(wire)], [Array(bytes(wire).prefix(1)), Array(bytes(wire).dropFirst())]] {
            for fastPath in [true, false] {
                let outcome = run(chunks, fastPath: fastPath)
                #expect(outcome.error == ProtocolError(message), "\(wire.debugDescription) fast path \(fastPath)")
                #expect(outcome.requests == (chunks.count == 1 && chunks[0].count > wire.utf8.count ? [[bytes("GET"), bytes("k")]] : []))
            }
        }
    }

    @Test func limitsAreTheSameOnBothPaths() {
        let oversizedHeader = bytes("*1\r\n$") + [UInt8](repeating: UInt8(ascii: "1"), count: 70_000)
        let tenArguments = multibulk((0..<10).map { bytes("\($0)") })
        let elevenArguments = multibulk((0..<11).map { bytes("\($0)") })
        let largestUnauthenticated = multibulk([[UInt8](repeating: 1, count: 16384)])
        let tooLargeUnauthenticated = multibulk([[UInt8](repeating: 1, count: 16385)])
        for fastPath in [true, false] {
            #expect(run([oversizedHeader], fastPath: fastPath).error == ProtocolError("too big bulk count string"))
            #expect(run([tenArguments], fastPath: fastPath, unauthenticated: true).requests.count == 1)
            #expect(run([elevenArguments], fastPath: fastPath, unauthenticated: true).error
                    == ProtocolError("unauthenticated multibulk length"))
            #expect(run([elevenArguments], fastPath: fastPath).requests.count == 1)
            #expect(run([largestUnauthenticated], fastPath: fastPath, unauthenticated: true).requests.count == 1)
            #expect(run([tooLargeUnauthenticated], fastPath: fastPath, unauthenticated: true).error
                    == ProtocolError("unauthenticated bulk length"))
            #expect(run([multibulk([bytes("12345")])], fastPath: fastPath, maxBulkLength: 5).requests.count == 1)
            #expect(run([multibulk([bytes("123456")])], fastPath: fastPath, maxBulkLength: 5).error
                    == ProtocolError("invalid bulk length"))
        }
    }

    /// A deterministic generator, so a failure can be replayed.
    private struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func randomAndCorruptedInputMatchesTheIncrementalPath() {
        var random = SplitMix64(state: 20_251_128)
        let noise = bytes("*$\r\n-+0123456789 x")
        for round in 0..<3000 {
            var wire: [UInt8] = []
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                if Int.random(in: 0..<8, using: &random) == 0 {
                    wire += bytes("PING \"a\" b\r\n")
                } else {
                    let arguments = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                        Bool.random(using: &random) ? trickyPayloads.randomElement(using: &random)!
                            : [UInt8](repeating: 65, count: Int.random(in: 0...40, using: &random))
                    }
                    wire += multibulk(arguments)
                }
            }
            // Most rounds corrupt a byte or two.
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                wire[Int.random(in: 0..<wire.count, using: &random)] = noise.randomElement(using: &random)!
            }
            var chunks: [[UInt8]] = []
            var rest = wire[...]
            while !rest.isEmpty {
                let size = Bool.random(using: &random) ? rest.count : Int.random(in: 1...rest.count, using: &random)
                chunks.append(Array(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            let unauthenticated = round % 5 == 0
            let fast = run(chunks, fastPath: true, unauthenticated: unauthenticated)
            let incremental = run(chunks, fastPath: false, unauthenticated: unauthenticated)
            #expect(fast == incremental, "round \(round): \(wire)")
        }
    }

    @Test func integerParsingIsTheSameForEveryKindOfCollection() {
        let cases = ["0", "-1", "42", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                     "-9223372036854775809", "01", "-0", "+1", " 1", "", "-", "1a", "99999999999999999999"]
        for text in cases {
            let array = bytes(text)
            let expected = parseInteger(array)
            var buffer = ByteBuffer()
            buffer.writeBytes(array)
            #expect(parseInteger(buffer.readableBytesView) == expected, "\(text)")
            #expect(parseInteger(array[...]) == expected, "\(text)")
            // Not contiguous: takes the copying fallback.
            #expect(parseInteger(array.lazy.map { $0 }) == expected, "\(text)")
            #expect(array.withUnsafeBytes { parseInteger(raw: $0) } == expected, "\(text)")
        }
        #expect(parseInteger(bytes("-9223372036854775809")) == nil)
        #expect(parseInteger(bytes("-")) == nil)
        #expect(parseInteger(bytes("42")) == 42)
    }
}

private extension String {
    /// The string repeated up to `count` bytes.
    func padding(_ count: Int) -> String { String(repeating: self, count: count / utf8.count + 1).prefix(count).description }
}
