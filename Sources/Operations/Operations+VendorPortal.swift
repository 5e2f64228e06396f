import Foundation
import Spool

/// What the print vendor's portal does: fetch a batch's files with every download in the custody
/// ledger, acknowledge a batch as `spool ack` does, and the city's view of that ledger.
extension Operations {
    /// The batch `id` as `vendor` may fetch it. Unknown, unpublished, purged and other vendors' batches
    /// are all the same "not found", so a vendor cannot learn which ids exist.
    public func vendorBatch(_ id: Int64, vendor: String) throws -> VendorBatch {
        do {
            return try spool.vendorBatch(id, vendor: vendor)
        } catch SpoolError.unknownBatch(_) {
            throw OperationError(.notFound, "no batch \(id) for \(vendor): see the list of your batches")
        } catch let e as SpoolError {
            // The published copy is broken (a file gone, swapped or altered): only the city can fix
            // that, and its paths are none of the vendor's business, so the vendor gets the what, not the where.
            if case .io = e { throw OperationError(.failed, "batch \(id) cannot be handed over now: its published copy failed a check; ask the city to publish it again") }
            throw e
        }
    }

    /// Records that a download begins (before its first byte); returns the ledger entry's id.
    public func beginDownload(_ actor: LedgerActor, batch: Int64, file: String, size: Int64, offset: Int64, length: Int64) throws -> Int64 {
        try spool.beginDownload(actor, batch: batch, file: file, size: size, offset: offset, length: length)
    }

    /// The bytes of a download in progress sent so far (call every few megabytes).
    public func recordProgress(entry: Int64, bytes: Int64) throws {
        try spool.recordProgress(entry: entry, bytes: bytes)
    }

    /// Closes a download: completed when every byte it was to send was sent, else broken off.
    @discardableResult
    public func finishDownload(entry: Int64, bytes: Int64, detail: String? = nil) throws -> LedgerEntry.Outcome {
        try spool.finishDownload(entry: entry, bytes: bytes, detail: detail)
    }

    /// A download that was not served (no such batch for the vendor, a name not in its list, an
    /// unsatisfiable range).
    public func recordRefusedDownload(_ actor: LedgerActor, batch: Int64, file: String?, reason: String) throws {
        try spool.recordRefusedDownload(actor, batch: batch, file: file, reason: reason)
    }

    /// The vendor's "received": exactly `spool ack` (checksums re-verified, a mismatch refused naming
    /// the file), audited with the account and address, and a ledger row either way. Another
    /// vendor's batch is "not found", as in `vendorBatch`.
    public func acknowledge(batch id: Int64, vendor: String, reason: String?, by actor: Actor) throws {
        let ledger = LedgerActor(account: actor.name, vendor: vendor, client: actor.address)
        do {
            try spool.acknowledge(id, user: actor.name, reason: reason, via: actor.via.rawValue, ledger: ledger, address: actor.address)
        } catch SpoolError.unknownBatch(_) {
            throw OperationError(.notFound, "no batch \(id) for \(vendor): see the list of your batches")
        } catch SpoolError.checksumMismatch(let batch, let files) {
            // An unreadable list is reported with its server path and the system's error: the vendor
            // gets the file's name only (the audit trail and the ledger have the rest).
            throw SpoolError.checksumMismatch(batch: batch, files: files.map { $0.contains("/") ? "SHA256SUMS (unreadable)" : $0 })
        }
    }

    /// Downloads whose serving process is gone, closed as broken off (a server calls it when it starts).
    @discardableResult
    public func closeAbandonedDownloads() throws -> Int { try spool.closeAbandonedDownloads() }

    /// The custody ledger, oldest first, of one batch (by id or directory) or all.
    public func ledger(batch reference: String?) throws -> [LedgerView] {
        let spool = spool
        // An unknown batch is "not found" (resolve checks), not an empty ledger.
        let id = try reference.map { try spool.resolve($0) }
        return try spool.ledger(batch: id).map { LedgerView($0, zone: zone) }
    }
}
