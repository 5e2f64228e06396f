import Foundation

/// A growable window over a file, filled by `read(2)` in chunks. Readers parse
/// `base[start..<end]`, advance `start` past what they have consumed, and call `refill()` when
/// they need bytes beyond `end`. Memory stays at about one chunk unless one record is larger.
final class ByteSource {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// First unconsumed byte.
    var start = 0
    /// End of the bytes read so far.
    private(set) var end = 0
    /// True once `read` has returned 0 (or for in-memory input).
    private(set) var eof = false
    /// Total bytes discarded before `base` (so `consumedBefore + start` is a file offset).
    private(set) var consumedBefore = 0

    let name: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let chunkSize: Int

    init(path: String, chunkSize: Int) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw RecordError(.io, file: path, line: 0,
                              message: "Cannot open the file (\(reason)). Check the path and its permissions.")
        }
        self.name = path
        self.fd = fd
        self.ownsDescriptor = true
        self.chunkSize = max(chunkSize, 16)
        self.capacity = self.chunkSize
        self.base = .allocate(capacity: capacity)
    }

    /// Reads from an open descriptor, which the caller keeps ownership of.
    init(fileDescriptor: Int32, name: String, chunkSize: Int) {
        self.name = name
        self.fd = fileDescriptor
        self.ownsDescriptor = false
        self.chunkSize = max(chunkSize, 16)
        self.capacity = self.chunkSize
        self.base = .allocate(capacity: capacity)
    }

    /// Reads from bytes already in memory.
    init(data: Data, name: String) {
        self.name = name
        self.fd = -1
        self.ownsDescriptor = false
        self.chunkSize = max(data.count, 1)
        self.capacity = self.chunkSize
        self.base = .allocate(capacity: capacity)
        data.copyBytes(to: base, count: data.count)
        self.end = data.count
        self.eof = true
    }

    deinit {
        base.deallocate()
        if ownsDescriptor { close(fd) }
    }

    /// Bytes available without reading.
    var available: Int { end - start }

    /// Moves the unconsumed bytes to the front of the buffer (growing it if the unconsumed part
    /// fills more than half of it) and reads more. Sets `eof` when the file has no more bytes.
    /// Invalidates `base` and all offsets; `start` becomes 0.
    func refill() throws {
        guard !eof else { return }
        if start > 0 {
            let keep = end - start
            if keep > 0 { memmove(base, base + start, keep) }
            consumedBefore += start
            end = keep
            start = 0
        }
        if capacity - end < capacity / 2 {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: base, count: end)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        while true {
            let n = read(fd, base + end, capacity - end)
            if n > 0 { end += n; return }
            if n == 0 { eof = true; return }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            throw RecordError(.io, file: name, line: 0,
                              message: "Reading the file failed (\(reason)). Check the disk and run again.")
        }
    }

    enum LineEnd {
        /// The offset of the next LF.
        case at(Int)
        /// No LF before the end of the input: the rest is an unterminated last line.
        case endOfInput
        /// `limit` bytes or more are buffered without an LF.
        case tooLong
    }

    /// Finds the next LF from `start`, reading more as needed; shared by the line-oriented readers.
    func findLineEnd(limit: Int) throws -> LineEnd {
        var searchFrom = start
        while true {
            if let hit = memchr(base + searchFrom, 0x0A, end - searchFrom) {
                return .at(base.distance(to: hit.assumingMemoryBound(to: UInt8.self)))
            }
            if eof { return .endOfInput }
            if available >= limit { return .tooLong }
            let scanned = searchFrom - start
            try refill()
            searchFrom = start + scanned
        }
    }

    /// Ensures at least `count` bytes are available from `start`, unless the file ends first.
    func ensure(_ count: Int) throws {
        while available < count && !eof { try refill() }
    }

    /// Skips a UTF-8 BOM and rejects UTF-16 or a BOM that contradicts the declared encoding.
    /// Returns the number of bytes skipped.
    @discardableResult
    func skipByteOrderMark(declared encoding: TextEncoding?) throws -> Int {
        try ensure(3)
        let n = available
        let p = base + start
        if n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)) {
            throw RecordError(.encodingMismatch, file: name, line: 1, column: 1,
                              message: "The file starts with a UTF-16 byte order mark. Re-save it as UTF-8 or CP932 (Shift_JIS) and declare that encoding.")
        }
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
            if encoding == .cp932 {
                throw RecordError(.encodingMismatch, file: name, line: 1, column: 1,
                                  message: "The file starts with a UTF-8 byte order mark but was declared CP932 (Shift_JIS). Declare its encoding as utf-8.")
            }
            start += 3
            return 3
        }
        return 0
    }
}

extension UnsafeMutablePointer where Pointee == UInt8 {
    /// The line and 1-based byte column of `offset`, given that `lineStart` is the first byte of
    /// physical line `line`.
    func position(of offset: Int, from lineStart: Int, line: Int) -> (line: Int, column: Int) {
        var line = line
        var begin = lineStart
        var i = lineStart
        while i < offset {
            if self[i] == 0x0A { line += 1; begin = i + 1 }
            i += 1
        }
        return (line, offset - begin + 1)
    }
}
