import Crypto
import Foundation
import GRDB

extension Spool {
    /// What a finished render hands to the spool.
    public struct RenderedBatch: Sendable {
        public var form: String
        public var input: String
        public var inputSHA256: String
        public var directory: String
        public var records: Int
        public var notices: Int
        public var rejected: Int
        public var pages: Int
        public var volumes: Int
        public var user: String

        public init(form: String, input: String, inputSHA256: String, directory: String, records: Int, notices: Int,
                    rejected: Int, pages: Int, volumes: Int, user: String) {
            self.form = form; self.input = input; self.inputSHA256 = inputSHA256; self.directory = directory
            self.records = records; self.notices = notices; self.rejected = rejected; self.pages = pages
            self.volumes = volumes; self.user = user
        }
    }

    /// Records a render as a new batch, with the digest of the SHA256SUMS it wrote. Earlier batches
    /// of the same directory lose their files to it: they are marked `replaced by N` in the same
    /// transaction (a rendered one moves to `replaced`), so none of them can hand over the new files.
    public func recordRender(_ r: RenderedBatch, now: Date = Date()) throws -> Int64 {
        let absolute = URL(fileURLWithPath: r.directory).standardizedFileURL.path
        let sums = try Self.sumsDigest(of: "\(absolute)/SHA256SUMS")
        let directory = store.storedPath(absolute)
        return try store.db.write { db in
            try db.execute(sql: """
                INSERT INTO spool_batches (form, input, input_sha256, directory, state, records, notices, rejected, pages, volumes,
                                           created_at, user, sums_sha256)
                VALUES (?, ?, ?, ?, 'rendered', ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.form, r.input, r.inputSHA256, directory, r.records, r.notices, r.rejected, r.pages, r.volumes,
                                 now.timeIntervalSince1970, r.user, sums.hex])
            let id = db.lastInsertedRowID
            try Self.record(db, batch: id, state: BatchState.rendered.rawValue, user: r.user,
                            detail: "\(r.pages) pages in \(r.volumes) volumes")
            let earlier = try Row.fetchAll(db, sql: """
                SELECT id, state FROM spool_batches WHERE directory IN (?, ?) AND id < ? AND replaced_by IS NULL AND state != 'purged'
                """, arguments: [directory, absolute, id])
            for row in earlier {
                let old: Int64 = row["id"]
                try db.execute(sql: "UPDATE spool_batches SET replaced_by = ? WHERE id = ?", arguments: [id, old])
                let detail = "replaced by batch \(id): a later render wrote \(absolute)"
                if BatchState(rawValue: row["state"]) == .rendered {
                    try Self.move(db, batch: old, to: .replaced, user: r.user, detail: detail, action: "replaced")
                } else {
                    try Self.record(db, batch: old, state: "replaced", user: r.user, detail: detail)
                }
            }
            return id
        }
    }

    /// The SHA256SUMS bytes of a batch's render directory and their entries, checked to be the very
    /// list that batch's render wrote. Refuses a batch whose directory a later render replaced, or whose
    /// list changed since: such files are not this batch's and must never be handed over as it.
    public func renderedFiles(of b: Batch) throws -> (sums: Data, entries: [(file: String, sha256: String)]) {
        if let later = b.replacedBy {
            throw SpoolError.replaced(batch: b.id, by: later, directory: b.directory)
        }
        let path = "\(b.directory)/SHA256SUMS"
        let digest = try Self.sumsDigest(of: path)
        if let expected = b.sumsSHA256, expected != digest.hex {
            throw SpoolError.io("batch \(b.id): \(path) is not the list its render wrote (the directory was changed since); nothing was handed over")
        }
        return (digest.data, try Checksums.parse(digest.data))
    }

    /// The bytes of a SHA256SUMS file and their SHA-256.
    static func sumsDigest(of path: String) throws -> (data: Data, hex: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpoolError.io("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return (data, SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }
}
