import Foundation

extension Spool {
    /// The batch `id` as `vendor` may fetch it: only a batch published to that vendor whose published
    /// copy is still there (any state but purged or replaced: it may be collected already, or printed
    /// locally as well). Any other batch — unknown, unpublished, another vendor's, purged — is
    /// `unknownBatch`, the same answer, so a vendor cannot learn which ids exist.
    ///
    /// The published SHA256SUMS must be the very list the render wrote (its recorded digest), and
    /// every file it names a regular file (a symlink is refused, not followed); otherwise the batch is
    /// refused with an `io` error naming the file. Open the files with `O_NOFOLLOW`
    /// (`ByteStream` does), as they may still be swapped after this check.
    public func vendorBatch(_ id: Int64, vendor: String) throws -> VendorBatch {
        let b: Batch
        do { b = try batch(id) } catch SpoolError.unknownBatch(_) { throw SpoolError.unknownBatch(id) }
        guard b.vendor == vendor, let dir = b.publishedPath, ![.purged, .replaced].contains(b.state) else {
            throw SpoolError.unknownBatch(id)
        }
        guard Self.isRegular(dir, directory: true) else { throw SpoolError.io("batch \(id): the published copy \(dir) is gone or not a directory") }
        let sumsPath = "\(dir)/SHA256SUMS"
        guard Self.isRegular(sumsPath) else { throw SpoolError.io("batch \(id): \(sumsPath) is missing or not a regular file") }
        let sums = try Self.sumsDigest(of: sumsPath)
        if let expected = b.sumsSHA256, sums.hex != expected {
            throw SpoolError.io("batch \(id): \(sumsPath) is not the list its render wrote; nothing is handed over")
        }
        var files: [VendorBatch.File] = []
        for e in try Checksums.parse(sums.data) + [(file: "SHA256SUMS", sha256: sums.hex)] {
            let path = "\(dir)/\(e.file)"
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
                throw SpoolError.io("batch \(id): \(path) is missing or not a regular file; nothing is handed over")
            }
            files.append(VendorBatch.File(name: e.file, size: Int64(st.st_size), sha256: e.sha256, path: path))
        }
        return VendorBatch(batch: b, files: files)
    }

    /// The batches `vendor` may fetch, oldest first (for the portal's list; files are listed by
    /// `vendorBatch`, which also checks them).
    public func vendorBatches(vendor: String) throws -> [Batch] {
        try batches().filter { $0.vendor == vendor && $0.publishedPath != nil && ![.purged, .replaced].contains($0.state) }
    }

    /// Whether `path` itself (not what a symlink points to) is a regular file, or a directory.
    static func isRegular(_ path: String, directory: Bool = false) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == (directory ? S_IFDIR : S_IFREG)
    }
}
