import Foundation

/// Reads a `ByteStream` range chunk by chunk. Every chunk but the last is exactly `chunkSize` bytes;
/// one file is open at a time, opened with O_NOFOLLOW and checked to still be the regular file of the
/// listed size, so a file swapped or grown after it was listed is never sent as if it were the batch's.
public final class ByteStreamReader {
    let parts: [ByteStream.Part]
    let chunkSize: Int
    var part = 0
    /// Position inside `parts[part]`.
    var position: Int64 = 0
    var remaining: Int64
    var fd: Int32 = -1
    /// Bytes handed out so far.
    public private(set) var sent: Int64 = 0

    init(parts: [ByteStream.Part], offset: Int64, count: Int64, chunkSize: Int) {
        self.parts = parts
        self.chunkSize = chunkSize
        remaining = count
        var skip = offset
        while part < parts.count, skip >= parts[part].length {
            skip -= parts[part].length
            part += 1
        }
        position = skip
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The next chunk, or nil when every byte of the range has been read.
    public func next() throws -> [UInt8]? {
        guard remaining > 0 else { closeFile(); return nil }
        let want = Int(min(Int64(chunkSize), remaining))
        let chunk = try [UInt8](unsafeUninitializedCapacity: want) { buf, filled in
            filled = 0
            while filled < want {
                let n = try fill(UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buf)[filled..<want]))
                filled += n
            }
        }
        remaining -= Int64(chunk.count)
        sent += Int64(chunk.count)
        return chunk
    }

    /// Copies bytes of the current part into `into` (at least one); moves to the next part at its end.
    private func fill(_ into: UnsafeMutableRawBufferPointer) throws -> Int {
        let p = parts[part]
        let n = Int(min(Int64(into.count), p.length - position))
        let target = UnsafeMutableRawBufferPointer(rebasing: into[0..<n])
        switch p {
        case let .bytes(b):
            target.copyBytes(from: b[Int(position)..<Int(position) + n])
        case .zeros:
            target.initializeMemory(as: UInt8.self, repeating: 0)
        case let .file(path, size):
            if fd < 0 { fd = try Self.open(path, size: size) }
            guard let base = target.baseAddress else { break }
            var done = 0
            while done < n {
                let r = pread(fd, base + done, n - done, off_t(position) + off_t(done))
                if r < 0 {
                    if errno == EINTR { continue }
                    throw ByteStreamError(file: path, reason: String(cString: strerror(errno)))
                }
                if r == 0 { throw ByteStreamError(file: path, reason: "it is shorter than the \(size) bytes listed") }
                done += r
            }
        }
        position += Int64(n)
        if position == p.length {
            closeFile()
            part += 1
            position = 0
        }
        return n
    }

    private func closeFile() {
        if fd >= 0 { close(fd); fd = -1 }
    }

    static func open(_ path: String, size: Int64) throws -> Int32 {
        let fd = Foundation.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let why = errno == ELOOP ? "it is a symlink, which is never followed" : String(cString: strerror(errno))
            throw ByteStreamError(file: path, reason: why)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, Int64(st.st_size) == size else {
            close(fd)
            throw ByteStreamError(file: path, reason: "it is no longer the regular file of \(size) bytes it was when listed")
        }
        return fd
    }
}
