import Foundation

/// A batch as its vendor may fetch it: the files of its published copy, exactly those its SHA256SUMS
/// lists plus the list itself, with their sizes, digests and paths. A name asked for (from a URL) is
/// looked up in this list, never joined to a directory, so `../`, encoded slashes and absolute paths
/// find nothing.
public struct VendorBatch: Sendable {
    public struct File: Sendable, Equatable {
        /// The name in SHA256SUMS (no `/`: `ChecksumList` refuses any other).
        public var name: String
        public var size: Int64
        public var sha256: String
        /// Absolute path of the published copy's file; a regular file, not a symlink, when listed.
        public var path: String
    }

    public var batch: Batch
    /// The listed files in the list's order, then `SHA256SUMS`.
    public var files: [File]

    /// The listed file of exactly this name (byte for byte: no Unicode or case folding), or nil.
    public func file(named name: String) -> File? {
        let bytes = Array(name.utf8)
        return files.first { Array($0.name.utf8) == bytes }
    }

    /// The name of the whole batch as one tar, and of the directory its files are in inside it.
    public var tarName: String { "\(batch.outboxName).tar" }

    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }
}
