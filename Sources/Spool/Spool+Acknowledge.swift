import Foundation

extension Spool {
    /// The vendor has collected a published batch. The published copy's files are checked against its
    /// SHA256SUMS (and that list against the one the renderer wrote) first: a mismatch is recorded,
    /// leaves the batch published, and throws `checksumMismatch`.
    ///
    /// `ledger`: the vendor account acknowledging (the web's "received" button, a receipt file). Its
    /// acknowledgement, accepted or refused, is written to the custody ledger with the state change or
    /// the failure; a batch not published to its vendor is refused as `unknownBatch`, as if it did not
    /// exist, so a vendor cannot learn of other vendors' batches. Without it (an operator's `spool ack`)
    /// nothing is written there.
    public func acknowledge(_ id: Int64, user: String, reason: String?, via: String = "command", ledger actor: LedgerActor? = nil,
                            address: String? = nil) throws {
        func refused(_ e: SpoolError, why: String? = nil) -> SpoolError {
            if let actor {
                try? store.db.write { try Self.ledger($0, kind: .acknowledgement, actor: actor, batch: id, outcome: .refused, detail: why ?? e.description) }
            }
            return e
        }
        let b: Batch
        do { b = try batch(id) } catch let e as SpoolError { throw refused(e) }
        if let actor, b.vendor != actor.vendor {
            throw refused(.unknownBatch(id), why: "batch \(id) is not published to vendor \(actor.vendor)")
        }
        guard b.state == .published, let path = b.publishedPath else {
            throw refused(.notAllowed(batch: id, state: b.state, action: "acknowledged (only a published batch can be)"))
        }
        var bad: [String]
        do {
            bad = try Checksums.mismatches(in: path)
            // The published list must be the one the render wrote: its recorded digest (the render
            // directory may hold a later batch's files by now), or for older batches the file there.
            let published = try Self.sumsDigest(of: "\(path)/SHA256SUMS")
            if let expected = b.sumsSHA256 {
                if published.hex != expected { bad.append("SHA256SUMS") }
            } else if b.replacedBy == nil, let original = FileManager.default.contents(atPath: "\(b.directory)/SHA256SUMS"),
                      original != published.data {
                bad.append("SHA256SUMS")
            }
        } catch {
            bad = ["\(path)/SHA256SUMS (\(error))"]
        }
        if !bad.isEmpty {
            let e = SpoolError.checksumMismatch(batch: id, files: bad)
            recordFailure(batch: id, event: "ack-failed", user: user, action: "spool.ack", reason: reason, message: e.description,
                          ledger: actor.map { ($0, .acknowledgement, nil) }, address: address)
            throw e
        }
        try store.db.write { db in
            try Self.move(db, batch: id, to: .collected, user: user, detail: "acknowledged by \(via); checksums verified",
                          action: "acknowledged")
            try Self.audit(db, batch: id, user: user, action: "spool.ack", reason: reason, result: "collected (\(via))", address: address)
            if let actor {
                try Self.ledger(db, kind: .acknowledgement, actor: actor, batch: id, outcome: .completed, detail: "checksums verified (\(via))")
            }
        }
    }

    /// The receipt files a vendor may drop for a published batch: `<outbox>/batch-N.ack` or
    /// `<outbox>/batch-N/ACK`.
    public static func receipts(of b: Batch) -> [String] {
        guard let p = b.publishedPath else { return [] }
        return [p + ".ack", p + "/ACK"]
    }

    /// Acknowledges every published batch whose vendor has dropped a receipt. A receipt that fails
    /// verification is renamed to `….failed` so it is reported once. Returns one line per receipt.
    public func collectReceipts() throws -> [String] {
        var out: [String] = []
        for b in try batches() where b.state == .published {
            guard let receipt = Self.receipts(of: b).first(where: { FileManager.default.fileExists(atPath: $0) }) else { continue }
            let vendor = "vendor:\(b.vendor ?? "?")"
            let file = (receipt as NSString).lastPathComponent
            // The vendor acknowledges through its outbox: a ledger row too, with the receipt as account.
            let actor = b.vendor.map { LedgerActor(account: "receipt \(file)", vendor: $0, client: nil) }
            do {
                try acknowledge(b.id, user: vendor, reason: "receipt \(file)", via: "receipt", ledger: actor)
                out.append("batch \(b.id): collected (receipt from \(b.vendor ?? "the vendor"); checksums verified)")
            } catch {
                _ = rename(receipt, receipt + ".failed")
                out.append("batch \(b.id): receipt refused: \(error)")
            }
        }
        return out
    }
}
