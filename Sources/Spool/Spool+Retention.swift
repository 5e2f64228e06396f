import Foundation

extension Spool {
    /// Deletes a batch's spool files (the render directory and its published copy, if any) and records
    /// `purged`. The batch's rows stay: what was printed or handed over, by whom and when, is kept.
    public func purge(_ id: Int64, user: String, reason: String?, address: String? = nil) throws {
        let b = try batch(id)
        guard b.state.canMove(to: .purged) else { throw SpoolError.notAllowed(batch: id, state: b.state, action: "purged") }
        var removed: [String] = []
        // A replaced batch's render directory belongs to the batch that replaced it: never removed here.
        let own = b.replacedBy == nil ? [b.directory] : []
        for dir in (own + [b.publishedPath].compactMap({ $0 })) where FileManager.default.fileExists(atPath: dir) {
            do { try FileManager.default.removeItem(atPath: dir) } catch {
                let e = SpoolError.io("batch \(id): cannot remove \(dir): \(error)")
                recordFailure(batch: id, event: "purge-failed", user: user, action: "spool.purge", reason: reason, message: e.description, address: address)
                throw e
            }
            removed.append(dir)
        }
        try store.db.write { db in
            try Self.move(db, batch: id, to: .purged, user: user,
                          detail: removed.isEmpty ? "no files left" : "removed \(removed.joined(separator: ", "))", action: "purged")
            try Self.audit(db, batch: id, user: user, action: "spool.purge", reason: reason, result: "purged", address: address)
        }
    }

    /// Batches past retention: rendered more than `days` ago, and not waiting for a vendor's
    /// acknowledgement (published) or a printer (printing).
    public func expired(days: Int, now: Date = Date()) throws -> [Batch] {
        let cutoff = now.timeIntervalSince1970 - Double(days) * 86_400
        return try batches().filter { $0.createdAt < cutoff && ![.published, .printing, .purged].contains($0.state) }
    }

    /// Purges every batch past retention; returns one line per batch.
    public func purgeExpired(days: Int, user: String, now: Date = Date()) throws -> [String] {
        try expired(days: days, now: now).map { b in
            do {
                try purge(b.id, user: user, reason: "retention \(days) days")
                return "batch \(b.id): purged (retention \(days) days)"
            } catch {
                return "batch \(b.id): \(error)"
            }
        }
    }
}
