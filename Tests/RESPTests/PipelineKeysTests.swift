import NIOCore
import Testing
@testable import RESP

@Suite struct PipelineKeysTests {
    private func keys(_ text: String, limit: Int = 16) -> (keys: [String], members: [String?], requests: Int) {
        var buffer = ByteBufferAllocator().buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        var found: [String] = []
        var members: [String?] = []
        let requests = PipelineKeys.forEachKey(in: buffer, limit: limit) { key, member in
            found.append(String(decoding: key, as: UTF8.self))
            members.append(member.map { String(decoding: $0, as: UTF8.self) })
        }
        #expect(buffer.readableBytes == text.utf8.count, "nothing consumed")
        return (found, members, requests)
    }

    @Test func secondArgumentOfEachCompleteRequest() {
        let pipeline = "*2\r\n$3\r\nGET\r\n$2\r\nk1\r\n*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$4\r\nk\r\n2\r\n$1\r\nv\r\n"
        let result = keys(pipeline)
        #expect(result.keys == ["k1", "k\r\n2"])
        #expect(result.members == [nil, "v"])
        #expect(result.requests == 3)
    }

    @Test func stopsAtPartialOrUnknownInput() {
        #expect(keys("*2\r\n$3\r\nGET\r\n$2\r\nk1\r\n*2\r\n$3\r\nGET\r\n$2\r\nk").requests == 1)
        #expect(keys("GET k1\r\n").requests == 0)
        #expect(keys("*2\r\n$3\r\nGET\r\n$-1\r\n").requests == 0)
        #expect(keys("*2\r\n$3\r\nGET\r\n$99999999999\r\n").requests == 0)
        #expect(keys("*1\r").requests == 0)
        #expect(keys("").requests == 0)
    }

    @Test func everyKeyOfMultiKeyCommands() {
        let pipeline = "*5\r\n$4\r\nmSeT\r\n$2\r\nk1\r\n$2\r\nv1\r\n$2\r\nk2\r\n$2\r\nv2\r\n"
            + "*3\r\n$3\r\nDEL\r\n$2\r\nk3\r\n$2\r\nk4\r\n"
            + "*3\r\n$4\r\nMGET\r\n$2\r\nk5\r\n$2\r\nk6\r\n"
            + "*3\r\n$4\r\nHGET\r\n$1\r\nh\r\n$1\r\nf\r\n"
            + "*3\r\n$6\r\nUNLINK\r\n$2\r\nk7\r\n$2\r\nk8\r\n"
        let result = keys(pipeline)
        #expect(result.keys == ["k1", "k2", "k3", "k4", "k5", "k6", "h", "k7", "k8"])
        #expect(result.members == [nil, nil, nil, nil, nil, nil, "f", nil, nil])
        #expect(result.requests == 5)
        // The limit counts keys: a request whose keys pass it is the last covered.
        let limited = keys(pipeline, limit: 3)
        #expect(limited.keys == ["k1", "k2", "k3"])
        #expect(limited.requests == 2)
    }

    @Test func honoursTheLimit() {
        let pipeline = String(repeating: "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", count: 40)
        let result = keys(pipeline, limit: 16)
        #expect(result.requests == 16)
        #expect(result.keys.count == 16)
    }
}
