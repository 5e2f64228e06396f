import Foundation
import Spool

/// publish, ack and purge: the `Spool` does the work and audits with the actor's name and address.
extension Operations {
    var spool: Spool { Spool(store: store) }

    /// Hands a batch to a vendor's outbox; returns the batch id and the published directory.
    public func publish(batch reference: String, vendor: String, reason: String?, by actor: Actor) throws -> (id: Int64, path: String) {
        guard let outbox = config.vendorOutboxes[vendor] else {
            let known = config.vendorOutboxes.keys.sorted()
            throw OperationError(.badInput, "no vendor \(vendor) in nightjar.yaml (spool: vendors:)"
                + (known.isEmpty ? "" : "; vendors: \(known.joined(separator: ", "))"))
        }
        let id = try spool.resolve(reference)
        let path = try spool.publish(id, vendor: vendor, outbox: outbox, user: actor.name, reason: reason, address: actor.address)
        return (id, path)
    }

    /// The vendor collected a published batch: its published copy is checked against SHA256SUMS first;
    /// a mismatch is recorded and refused. Returns the batch id.
    public func acknowledge(batch reference: String, reason: String?, by actor: Actor) throws -> Int64 {
        let id = try spool.resolve(reference)
        try spool.acknowledge(id, user: actor.name, reason: reason, address: actor.address)
        return id
    }

    /// Deletes a batch's spool files and records it purged. Returns the batch id.
    public func purge(batch reference: String, reason: String?, by actor: Actor) throws -> Int64 {
        let id = try spool.resolve(reference)
        try spool.purge(id, user: actor.name, reason: reason, address: actor.address)
        return id
    }

    /// Every batch past the site's retention (`spool: retention_days`), purged; one line per batch.
    public func purgeExpired(by actor: Actor) throws -> (days: Int, lines: [String]) {
        guard let days = config.retentionDays else { throw OperationError(.badInput, "nightjar.yaml sets no spool: retention_days") }
        return (days, try spool.purgeExpired(days: days, user: actor.name))
    }
}
