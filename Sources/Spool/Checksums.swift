import BatchFiles
import Crypto
import Foundation

/// SHA-256 of files and the `SHA256SUMS` lists the renderer writes (`<hex>  <file>` per line).
public enum Checksums {
    public static func sha256(file path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { throw SpoolError.io("cannot read \(path)") }
        defer { try? h.close() }
        var hasher = SHA256()
        while let chunk = try h.read(upToCount: 1 << 22), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The entries of a SHA256SUMS file, in order.
    public static func read(_ path: String) throws -> [(file: String, sha256: String)] {
        guard let data = FileManager.default.contents(atPath: path) else { throw SpoolError.io("cannot read \(path)") }
        return try parse(data)
    }

    /// The entries of a SHA256SUMS list (`ChecksumList`, the format the renderer writes).
    public static func parse(_ data: Data) throws -> [(file: String, sha256: String)] {
        do {
            return try ChecksumList.parse(String(decoding: data, as: UTF8.self)).map { ($0.file, $0.sha256) }
        } catch let e as ChecksumList.FormatError {
            throw SpoolError.io(e.description)
        }
    }

    /// Whether `file` in `directory` still has the SHA-256 its list gives; nil when it is missing.
    public static func matches(_ file: String, sha256 expected: String, in directory: String) throws -> Bool? {
        let path = "\(directory)/\(file)"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try sha256(file: path) == expected
    }

    /// The files of `directory` whose content no longer matches its SHA256SUMS (missing ones included).
    public static func mismatches(in directory: String) throws -> [String] {
        try read("\(directory)/SHA256SUMS").compactMap { entry in
            switch try matches(entry.file, sha256: entry.sha256, in: directory) {
            case nil: return entry.file + " (missing)"
            case true?: return nil
            case false?: return entry.file
            }
        }
    }
}

/// An incremental SHA-256 over raw buffers (for copies that hash what they write).
struct SHA256Stream {
    var hasher = SHA256()
    mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
    var hex: String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
}
