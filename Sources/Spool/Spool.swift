import Foundation
import GRDB
import Store

/// The batches in a state directory and the operator actions on them. Every state change is one
/// transaction holding the new state, its event (who, when, what) and, for operator actions, the
/// audit entry.
public final class Spool: @unchecked Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    public func batches() throws -> [Batch] {
        try store.db.read { try Batch.fetchAll($0, sql: "SELECT * FROM spool_batches ORDER BY id") }.map(resolved)
    }

    /// A batch with its stored paths (relative to the site root where they are inside it) made absolute.
    func resolved(_ b: Batch) -> Batch {
        var b = b
        b.directory = store.resolvedPath(b.directory)
        b.publishedPath = b.publishedPath.map(store.resolvedPath)
        return b
    }

    public func batch(_ id: Int64) throws -> Batch {
        guard let b = try store.db.read({ try Batch.fetchOne($0, sql: "SELECT * FROM spool_batches WHERE id = ?", arguments: [id]) }) else {
            throw SpoolError.unknownBatch(id)
        }
        return resolved(b)
    }

    /// A batch named by its id, or by the directory it was rendered into (the newest batch there), so a
    /// job net step can name the batch its render step made: `spool publish work/notices/${NIGHTJAR_DATE}`.
    public func resolve(_ reference: String) throws -> Int64 {
        if let id = Int64(reference) { return try batch(id).id }
        let path = URL(fileURLWithPath: reference).standardizedFileURL.path
        guard let id = try store.db.read({
            try Int64.fetchOne($0, sql: "SELECT id FROM spool_batches WHERE directory IN (?, ?) ORDER BY id DESC LIMIT 1",
                               arguments: [path, store.storedPath(path)])
        }) else {
            throw SpoolError.badInput("no batch \(reference): give a batch id or a directory `nightjar render` wrote (see `nightjar spool list`)")
        }
        return id
    }

    public func events(_ id: Int64) throws -> [BatchEvent] {
        try store.db.read { try BatchEvent.fetchAll($0, sql: "SELECT * FROM spool_events WHERE batch_id = ? ORDER BY id", arguments: [id]) }
    }

    /// Moves a batch to `state` inside a write transaction, checking the transition against the
    /// state the database holds now (not a copy read earlier).
    public static func move(_ db: Database, batch id: Int64, to state: BatchState, user: String, detail: String?,
                            action: String) throws {
        guard let raw = try String.fetchOne(db, sql: "SELECT state FROM spool_batches WHERE id = ?", arguments: [id]) else {
            throw SpoolError.unknownBatch(id)
        }
        let current = BatchState(rawValue: raw) ?? .rendered
        guard current.canMove(to: state) else { throw SpoolError.notAllowed(batch: id, state: current, action: action) }
        try db.execute(sql: "UPDATE spool_batches SET state = ? WHERE id = ?", arguments: [state.rawValue, id])
        try record(db, batch: id, state: state.rawValue, user: user, detail: detail)
    }

    /// An event of a batch that is not a state change (a failed acknowledgement, a print job).
    public static func record(_ db: Database, batch id: Int64, state: String, user: String, detail: String?) throws {
        try db.execute(sql: "INSERT INTO spool_events (batch_id, at, state, user, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [id, Date().timeIntervalSince1970, state, user, detail])
    }

    /// The audit entry of an operator action on a batch (the batch goes in the job column as `batch N`).
    public static func audit(_ db: Database, batch id: Int64, user: String, action: String, reason: String?, result: String?,
                             address: String? = nil) throws {
        try Store.audit(db, user: user, action: action, net: nil, runID: nil, job: "batch \(id)", reason: reason, result: result,
                        address: address)
    }

    /// Records a failed action in the audit trail and the batch's events, in its own transaction; with
    /// `ledger`, a refused row of the custody ledger too.
    func recordFailure(batch id: Int64, event: String, user: String, action: String, reason: String?, message: String,
                       ledger: (actor: LedgerActor, kind: LedgerEntry.Kind, file: String?)? = nil, address: String? = nil) {
        try? store.db.write { db in
            try Self.record(db, batch: id, state: event, user: user, detail: message)
            try Self.audit(db, batch: id, user: user, action: action, reason: reason, result: "failed: \(message)", address: address)
            if let ledger {
                try Self.ledger(db, kind: ledger.kind, actor: ledger.actor, batch: id, file: ledger.file, outcome: .refused, detail: message)
            }
        }
    }
}
