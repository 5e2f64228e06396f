import Foundation

/// Bytes made of pieces held in memory (tar headers) and files on disk, with their total length known
/// before the first byte is read (so a server can send Content-Length), read from any offset in
/// fixed-size chunks: a file is never loaded into memory.
public struct ByteStream: Sendable {
    public enum Part: Sendable, Equatable {
        case bytes([UInt8])
        /// A file that must be a regular file (not a symlink) of exactly `size` bytes when read.
        case file(path: String, size: Int64)
        case zeros(Int64)

        public var length: Int64 {
            switch self {
            case let .bytes(b): return Int64(b.count)
            case let .file(_, size): return size
            case let .zeros(n): return n
            }
        }
    }

    public let parts: [Part]
    public let length: Int64

    public init(_ parts: [Part]) {
        self.parts = parts.filter { $0.length > 0 }
        length = parts.reduce(0) { $0 + $1.length }
    }

    /// One file as it is on disk.
    public static func file(path: String, size: Int64) -> ByteStream { ByteStream([.file(path: path, size: size)]) }

    /// A reader of `count` bytes from `offset` (default: to the end) in chunks of at most `chunkSize`.
    public func reader(offset: Int64 = 0, count: Int64? = nil, chunkSize: Int = 256 << 10) throws -> ByteStreamReader {
        let n = count ?? (length - offset)
        guard offset >= 0, n >= 0, offset + n <= length, chunkSize > 0 else {
            throw ByteStreamError(file: nil, reason: "bytes \(offset)+\(n) are not within the \(length) bytes of the stream")
        }
        return ByteStreamReader(parts: parts, offset: offset, count: n, chunkSize: chunkSize)
    }
}

/// Why a stream could not be read: the file and the reason (it changed since it was listed, a symlink
/// took its place, the disk failed).
public struct ByteStreamError: Error, CustomStringConvertible, Sendable {
    public let file: String?
    public let reason: String
    public var description: String { file.map { "cannot read \($0): \(reason)" } ?? reason }
}
