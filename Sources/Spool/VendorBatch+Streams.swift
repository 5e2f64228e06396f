import BatchFiles

extension VendorBatch.File {
    /// The file's bytes, read in chunks from disk (O_NOFOLLOW, checked to be the listed size).
    public var stream: ByteStream { .file(path: path, size: size) }
}

extension VendorBatch {
    /// The whole batch as one tar: the directory `batch-N/`, its SHA256SUMS first (so even a partial
    /// archive carries the list), then the files in the list's order — `sha256sum -c SHA256SUMS` passes
    /// inside the extracted directory. Every member carries the batch's render time, so the archive's
    /// bytes are the same on every request and a broken download resumes with a range.
    public func tar() throws -> TarArchive {
        let dir = batch.outboxName
        let modified = Int64(batch.createdAt)
        let ordered = files.filter { $0.name == "SHA256SUMS" } + files.filter { $0.name != "SHA256SUMS" }
        do {
            return try TarArchive([TarArchive.Member(name: dir + "/", mode: 0o750, modified: modified)] + ordered.map {
                TarArchive.Member(name: "\(dir)/\($0.name)", path: $0.path, size: $0.size, modified: modified)
            })
        } catch {
            throw SpoolError.io("batch \(batch.id): \(error)")
        }
    }
}
