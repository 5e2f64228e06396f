import CZlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A job attempt's log file as retention leaves it: the file the supervisor wrote, or, once
/// `nightjar gc` has compressed it, the same path with `.gz` (gzip, readable with zcat). The
/// database keeps the original path, so readers ask here for whichever exists.
public enum JobLogFile {
    public static let compressedSuffix = ".gz"

    /// The path that holds the log now: `path` itself, else `path.gz`; nil when neither exists
    /// (the supervisor creates a log on the job's first output: none means no output).
    public static func existing(_ path: String) -> String? {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) { return path }
        let gz = path + compressedSuffix
        return fm.fileExists(atPath: gz) ? gz : nil
    }

    /// `path.gz` when gc has compressed the log (the original is gone), else nil.
    public static func compressed(_ path: String) -> String? {
        existing(path).flatMap { $0 == path ? nil : $0 }
    }

    /// The whole log, decompressed if gc compressed it; nil when there is none.
    public static func contents(_ path: String) throws -> Data? {
        guard let actual = existing(path) else { return nil }
        guard actual.hasSuffix(compressedSuffix), actual != path else {
            guard let data = FileManager.default.contents(atPath: actual) else { throw LogFileError.io(actual, "cannot read it") }
            return data
        }
        return try decompress(actual)
    }

    public enum LogFileError: Error, CustomStringConvertible {
        case io(String, String)
        public var description: String {
            switch self { case let .io(path, why): return "\(path): \(why)" }
        }
    }

    /// The last `limit` bytes of a compressed log and the log's whole length, decompressed as a stream:
    /// memory stays within twice `limit` however long the log (for the web's log views).
    public static func compressedTail(_ gzPath: String, limit: Int) throws -> (bytes: Data, length: Int64) {
        guard let gz = gzopen(gzPath, "rb") else { throw LogFileError.io(gzPath, String(cString: strerror(errno))) }
        defer { gzclose(gz) }
        var kept = Data()
        var length: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { gzread(gz, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw LogFileError.io(gzPath, "not a readable gzip file") }
            if n == 0 { break }
            length += Int64(n)
            kept.append(contentsOf: buffer[0..<Int(n)])
            if kept.count > 2 * limit { kept = kept.suffix(limit) }
        }
        return (Data(kept.suffix(limit)), length)
    }

    /// Reads a gzip file whole.
    static func decompress(_ path: String) throws -> Data {
        guard let gz = gzopen(path, "rb") else { throw LogFileError.io(path, String(cString: strerror(errno))) }
        defer { gzclose(gz) }
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { gzread(gz, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw LogFileError.io(path, "not a readable gzip file") }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<Int(n)])
        }
        return out
    }

    /// Compresses `path` into `path.gz` (written beside it, fsynced, then renamed into place) and removes
    /// the original; returns the compressed size. A crash midway leaves the original and at most a stray
    /// `.gz.partial`, never a log that exists only half.
    @discardableResult
    public static func compress(_ path: String) throws -> Int {
        let partial = path + compressedSuffix + ".partial"
        guard let input = FileHandle(forReadingAtPath: path) else { throw LogFileError.io(path, "cannot open it") }
        defer { try? input.close() }
        // Job logs are the city's operational records: owner and group only, like the supervisor writes them.
        guard let gz = gzopen(partial, "wb6") else { throw LogFileError.io(partial, String(cString: strerror(errno))) }
        var failed = false
        while !failed {
            guard let chunk = try? input.read(upToCount: 1 << 16), !chunk.isEmpty else { break }
            let written = chunk.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
            if written != chunk.count { failed = true }
        }
        if gzclose(gz) != Z_OK || failed {
            unlink(partial)
            throw LogFileError.io(partial, "cannot write the compressed log (disk full?)")
        }
        let fd = open(partial, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
        chmod(partial, 0o640)
        guard rename(partial, path + compressedSuffix) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(partial)
            throw LogFileError.io(path, "cannot rename the compressed log into place: \(why)")
        }
        unlink(path)
        var st = stat()
        return stat(path + compressedSuffix, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Removes the log in whichever form it is in; returns the bytes freed.
    @discardableResult
    public static func remove(_ path: String) -> Int {
        var freed = 0
        for p in [path, path + compressedSuffix] {
            var st = stat()
            if stat(p, &st) == 0, unlink(p) == 0 { freed += Int(st.st_size) }
        }
        return freed
    }

    /// The size of the log as stored now (0 when there is none).
    public static func size(_ path: String) -> Int {
        guard let p = existing(path) else { return 0 }
        var st = stat()
        return stat(p, &st) == 0 ? Int(st.st_size) : 0
    }
}
