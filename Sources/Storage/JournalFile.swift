#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The journal: append-only segment files beside the database
/// (`valkite.db` → `valkite-journal.000001.log`, …), one record per
/// submission. It is what makes a write durable before its reply, the way
/// Valkey's AOF does: the record is handed to the kernel with one `write(2)`
/// on the caller's thread (a killed process loses nothing written), and
/// fsynced per the durability mode. The type tables catch up from it
/// (`Materializer`); segments they have absorbed are deleted.
///
///     record := length:u32le  crc32:u32le  sequence:i64le  payload[length]
///
/// The CRC covers the sequence and the payload, so a record torn by a crash
/// (power loss) is recognised and dropped at start-up. Sequences are
/// contiguous across segments.
///
/// Not thread-safe: the flusher serializes every call.
final class JournalFile {
    let databasePath: String
    /// The number the next record gets.
    private(set) var nextSequence: Int64
    private var descriptor: Int32 = -1
    private var segment = 0
    private var segmentSize = 0
    /// The sequence of the current segment's first record (or of the next
    /// record while it has none).
    private(set) var segmentFirstSequence: Int64 = 0
    /// Closed segments and the last sequence each holds (deleted once absorbed).
    private var closedSegments: [(number: Int, lastSequence: Int64)] = []
    private let segmentLimit: Int
    private var scratch: [UInt8] = []
    /// Test hook: appends throw this while set (a disk that refuses writes).
    var injectedFailure: StorageError?

    static let headerSize = 16

    init(databasePath: String, nextSequence: Int64, segmentLimit: Int) throws {
        self.databasePath = databasePath
        self.nextSequence = nextSequence
        self.segmentLimit = segmentLimit
        try openSegment(Self.existingSegments(databasePath: databasePath).last.map { $0 + 1 } ?? 1)
    }

    deinit { close() }

    /// Record buffers beyond this size are not kept between records.
    static let largeBufferBytes = 1 << 20

    /// The path of the current segment.
    var currentPath: String { Self.path(databasePath: databasePath, segment: segment) }

    /// Appends one record with one `write(2)`; returns its sequence. On
    /// failure the segment is cut back to its last whole record and the
    /// error is thrown (nothing was appended).
    func append(_ payload: [UInt8]) throws -> Int64 {
        if let failure = injectedFailure { throw failure }
        if segmentSize >= segmentLimit { try rotate() }
        let sequence = nextSequence
        try writeRecord(payload, sequence: sequence)
        nextSequence += 1
        return sequence
    }

    /// Writes one record; on failure cuts the segment back to its last
    /// whole record.
    private func writeRecord(_ payload: [UInt8], sequence: Int64) throws {
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(Self.headerSize + payload.count)
        appendLittleEndian(UInt32(payload.count), to: &scratch)
        appendLittleEndian(UInt32(0), to: &scratch)  // CRC, filled below
        appendLittleEndian(UInt64(bitPattern: sequence), to: &scratch)
        scratch.append(contentsOf: payload)
        let crc = CRC32.checksum(scratch[8...])
        scratch.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self) }
        do {
            try writeAll(scratch)
        } catch {
            _ = ftruncate(descriptor, off_t(segmentSize))
            throw error
        }
        segmentSize += scratch.count
        // Kept for the next record, unless a burst made it large.
        if scratch.capacity > Self.largeBufferBytes { scratch = [] }
    }

    /// fsyncs the current segment.
    func sync() throws {
        if fdatasync(descriptor) != 0 { throw Self.systemError("fdatasync \(currentPath)") }
    }

    /// A duplicate of the current segment's descriptor (for an fsync
    /// outside the caller's lock); the caller closes it.
    func duplicateDescriptor() -> Int32 { dup(descriptor) }

    /// Whether the current segment was deleted (or replaced) under us.
    func hasMoved() -> Bool {
        var open = stat(), named = stat()
        guard fstat(descriptor, &open) == 0 else { return true }
        guard stat(currentPath, &named) == 0 else { return true }
        return open.st_ino != named.st_ino || open.st_nlink == 0
    }

    /// Deletes the closed segments whose records are all at or below `sequence`.
    func removeSegments(through sequence: Int64) {
        while let first = closedSegments.first, first.lastSequence <= sequence {
            unlink(Self.path(databasePath: databasePath, segment: first.number))
            closedSegments.removeFirst()
        }
    }

    /// Closes and deletes every segment (shutdown, after everything was absorbed).
    func deleteAll() {
        close()
        for number in Self.existingSegments(databasePath: databasePath) {
            unlink(Self.path(databasePath: databasePath, segment: number))
        }
        closedSegments.removeAll()
    }

    /// Continues in a new segment file (the current one was deleted under
    /// us). It starts with `lost`, the records of the deleted segment the
    /// tables have not absorbed, under their own sequences, so that the
    /// journal still continues the database after a crash. If that fails
    /// the new segment goes too, and `hasMoved` stays true for a retry.
    func reopen(rewriting lost: [(sequence: Int64, payload: [UInt8])]) throws {
        let lostFrom = segmentFirstSequence
        close()
        do {
            try openSegment(segment + 1)
            for record in lost { try writeRecord(record.payload, sequence: record.sequence) }
            if !lost.isEmpty { try sync() }
        } catch {
            if descriptor >= 0 { unlink(currentPath) }
            close()
            segmentFirstSequence = lostFrom  // what a retry must rewrite from
            throw error
        }
        if let first = lost.first { segmentFirstSequence = first.sequence }
    }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    // MARK: segments

    private func rotate() throws {
        try sync()  // the old segment is complete and durable before the new one starts
        closedSegments.append((segment, nextSequence - 1))
        close()
        try openSegment(segment + 1)
    }

    private func openSegment(_ number: Int) throws {
        let path = Self.path(databasePath: databasePath, segment: number)
        let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw Self.systemError("open \(path)") }
        descriptor = opened
        segment = number
        segmentFirstSequence = nextSequence
        var info = stat()
        segmentSize = fstat(opened, &info) == 0 ? Int(info.st_size) : 0
        try Self.syncDirectory(of: path)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw Self.systemError("write \(currentPath)")
                }
                offset += written
            }
        }
    }

    // MARK: files

    static func path(databasePath: String, segment: Int) -> String {
        let base = databasePath.hasSuffix(".db") ? String(databasePath.dropLast(3)) : databasePath
        var number = String(segment)
        if number.count < 6 { number = String(repeating: "0", count: 6 - number.count) + number }
        return "\(base)-journal.\(number).log"
    }

    /// Segment numbers present on disk, ascending.
    static func existingSegments(databasePath: String) -> [Int] {
        let directory = directoryName(databasePath)
        let prefix = baseName(path(databasePath: databasePath, segment: 0)).dropLast("000000.log".count)
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var numbers: [Int] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix(prefix), name.hasSuffix(".log"),
                  let number = Int(name.dropFirst(prefix.count).dropLast(4)) else { continue }
            numbers.append(number)
        }
        return numbers.sorted()
    }

    /// Every record after `after`, in order, from the segments on disk. A
    /// torn record at the very end (a crash mid-write) ends the journal and
    /// is cut off; anything else malformed is an error.
    static func records(databasePath: String, after: Int64) throws -> [(sequence: Int64, payload: [UInt8])] {
        let segments = existingSegments(databasePath: databasePath)
        var records: [(sequence: Int64, payload: [UInt8])] = []
        var previous: Int64? = nil
        for (index, number) in segments.enumerated() {
            let path = path(databasePath: databasePath, segment: number)
            let bytes = try readFile(path)
            var offset = 0
            while offset < bytes.count {
                guard let record = parseRecord(bytes, at: offset) else {
                    guard index == segments.count - 1 else {
                        throw StorageError(kind: .invalidData, message: "corrupt journal record at byte \(offset)",
                                           context: path)
                    }
                    _ = truncate(path, off_t(offset))  // the torn tail of the last write
                    break
                }
                // A segment deleted under the server was replaced by one that
                // starts with the records it held that the tables had not
                // absorbed: the ones skipped are in the tables.
                if let previous, record.sequence != previous + 1 && !(record.sequence > previous && record.sequence <= after + 1) {
                    throw StorageError(kind: .invalidData,
                                       message: "journal records jump from \(previous) to \(record.sequence)",
                                       context: path)
                }
                previous = record.sequence
                if record.sequence > after {
                    if records.isEmpty && record.sequence != after + 1 {
                        throw StorageError(
                            kind: .invalidData,
                            message: "the journal does not continue the database (it resumes at change "
                                + "\(record.sequence), the database is at \(after)): it belongs to another copy "
                                + "of the database; move the valkite-journal.*.log files away to start from "
                                + "the database file alone",
                            context: path)
                    }
                    records.append((record.sequence, Array(bytes[(offset + headerSize)..<record.end])))
                }
                offset = record.end
            }
        }
        return records
    }

    private static func parseRecord(_ bytes: [UInt8], at offset: Int) -> (sequence: Int64, end: Int)? {
        guard bytes.count - offset >= headerSize else { return nil }
        let length = Int(readLittleEndian(bytes, offset, as: UInt32.self))
        let crc = readLittleEndian(bytes, offset + 4, as: UInt32.self)
        let sequence = Int64(bitPattern: readLittleEndian(bytes, offset + 8, as: UInt64.self))
        let end = offset + headerSize + length
        guard end <= bytes.count, CRC32.checksum(bytes[(offset + 8)..<end]) == crc else { return nil }
        return (sequence, end)
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError("open \(path)") }
        defer { _ = Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 { if errno == EINTR { continue }; throw systemError("read \(path)") }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    private static func syncDirectory(of path: String) throws {
        let directory = open(directoryName(path), O_RDONLY | O_CLOEXEC)
        guard directory >= 0 else { return }
        defer { _ = Glibc.close(directory) }
        _ = fsync(directory)
    }

    private static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    static func systemError(_ context: String) -> StorageError {
        let code = errno
        return StorageError(kind: .system, code: code, message: String(cString: strerror(code)), context: context)
    }
}

@inline(__always)
private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}

@inline(__always)
private func readLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, as: T.Type) -> T {
    var value: T = 0
    for index in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + index]) << (8 * index) }
    return value
}

/// CRC-32 (IEEE 802.3, as zlib), table-driven, eight bytes per step
/// ("slicing-by-8"): the journal checksums every record on the event loop,
/// and a byte at a time it was 2% of the loop under MSET.
enum CRC32 {
    /// `tables[k][b]`: the CRC of byte b followed by k zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            tables[index] = crc
        }
        for index in 0..<256 {
            for slice in 1..<8 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = tables[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return tables
    }()

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        tables.withUnsafeBufferPointer { table in
            var position = 0
            let count = bytes.count
            while count - position >= 8 {
                let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self))
                crc = table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                    ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                    ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
                position += 8
            }
            while position < count {
                crc = table[Int((crc ^ UInt32(bytes[position])) & 0xFF)] ^ (crc >> 8)
                position += 1
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
