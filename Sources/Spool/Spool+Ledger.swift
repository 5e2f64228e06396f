import Executors
import Foundation
import GRDB

/// The custody ledger (情報管理台帳): who took which file of which batch, how much of it, from where and
/// when, and who acknowledged a batch.
///
/// A download is written twice: `beginDownload` inserts an `in-progress` row before the first byte is
/// sent, naming the serving process (`pid:starttime`, as the scheduler names a run's owner), and
/// `finishDownload` closes it. A download whose server dies midway is therefore never lost: its row
/// stays `in-progress` with the bytes last recorded (`recordProgress`), and every read shows a row
/// whose owner process is gone as `broken-off`. The owner's identity decides, not "older than this
/// server's start": several processes (`serve`, `daemon --http`, a second server) may share one state
/// directory, and one starting must not declare another's live downloads broken off.
extension Spool {
    /// Records that a download begins: `size` is the whole file's (or tar's), `offset` and `length` the
    /// bytes about to be sent. Returns the entry's id for `recordProgress` and `finishDownload`.
    public func beginDownload(_ actor: LedgerActor, batch: Int64, file: String, size: Int64, offset: Int64 = 0,
                              length: Int64, now: Date = Date()) throws -> Int64 {
        guard offset >= 0, length >= 0, size >= 0, offset + length <= size else {
            throw SpoolError.badInput("download of \(file): bytes \(offset)+\(length) are not within its \(size) bytes")
        }
        let t = now.timeIntervalSince1970
        return try store.db.write { db in
            try db.execute(sql: """
                INSERT INTO spool_ledger (kind, batch_id, vendor, account, file, size, offset, length, bytes, client,
                                          started_at, updated_at, outcome, owner)
                VALUES ('download', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 'in-progress', ?)
                """, arguments: [batch, actor.vendor, actor.account, file, size, offset, length, actor.client, t, t,
                                 ProcessIdentity.current])
            return db.lastInsertedRowID
        }
    }

    /// Records how many bytes of a download in progress have been sent so far, so a download the
    /// server dies in shows how far it got. Cheap; call it every few megabytes, not per chunk.
    public func recordProgress(entry id: Int64, bytes: Int64, now: Date = Date()) throws {
        try store.db.write { db in
            try db.execute(sql: "UPDATE spool_ledger SET bytes = ?, updated_at = ? WHERE id = ? AND outcome = 'in-progress'",
                           arguments: [bytes, now.timeIntervalSince1970, id])
        }
    }

    /// Closes a download: `completed` when every byte it was to send was sent, else `broken-off`.
    /// Returns the outcome recorded. A download already closed is left as it is.
    @discardableResult
    public func finishDownload(entry id: Int64, bytes: Int64, detail: String? = nil, now: Date = Date()) throws -> LedgerEntry.Outcome {
        try store.db.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT length, outcome FROM spool_ledger WHERE id = ? AND kind = 'download'",
                                             arguments: [id]) else {
                throw SpoolError.badInput("no download \(id) in the custody ledger")
            }
            if let done = LedgerEntry.Outcome(rawValue: row["outcome"]), done != .inProgress { return done }
            let length: Int64? = row["length"]
            let outcome: LedgerEntry.Outcome = bytes == length ? .completed : .brokenOff
            let t = now.timeIntervalSince1970
            try db.execute(sql: """
                UPDATE spool_ledger SET bytes = ?, ended_at = ?, updated_at = ?, outcome = ?, detail = ?, owner = NULL WHERE id = ?
                """, arguments: [bytes, t, t, outcome.rawValue, detail, id])
            return outcome
        }
    }

    /// Records a download that was not served (no such batch for this vendor, a name not in its list,
    /// an unsatisfiable range). `reason` must name files and causes only.
    public func recordRefusedDownload(_ actor: LedgerActor, batch: Int64, file: String?, reason: String, now: Date = Date()) throws {
        try store.db.write { db in
            try Self.ledger(db, kind: .download, actor: actor, batch: batch, file: file, outcome: .refused, detail: reason, now: now)
        }
    }

    /// The ledger, oldest first (newest last), of one batch or all. An `in-progress` download whose
    /// serving process is gone is shown `broken-off`, ended when its bytes were last recorded.
    public func ledger(batch: Int64? = nil) throws -> [LedgerEntry] {
        let rows = try store.db.read { db in
            try LedgerEntry.fetchAll(db, sql: "SELECT * FROM spool_ledger WHERE ?1 IS NULL OR batch_id = ?1 ORDER BY id",
                                     arguments: [batch])
        }
        return rows.map { e in
            guard e.outcome == .inProgress, !ProcessIdentity.isAlive(e.owner) else { return e }
            var e = e
            e.outcome = .brokenOff
            e.endedAt = e.updatedAt
            e.detail = e.detail ?? "the serving process ended before the download did"
            return e
        }
    }

    /// Writes `broken-off` into the rows of downloads whose serving process is gone (what `ledger`
    /// shows for them already), so they stay so however process ids are reused later. A server calls
    /// it when it starts. Returns how many were closed.
    @discardableResult
    public func closeAbandonedDownloads() throws -> Int {
        try store.db.write { db in
            let open = try Row.fetchAll(db, sql: "SELECT id, owner FROM spool_ledger WHERE outcome = 'in-progress'")
            var closed = 0
            for row in open where !ProcessIdentity.isAlive(row["owner"]) {
                try db.execute(sql: """
                    UPDATE spool_ledger SET outcome = 'broken-off', ended_at = updated_at, owner = NULL,
                        detail = COALESCE(detail, 'the serving process ended before the download did') WHERE id = ?
                    """, arguments: [row["id"] as Int64])
                closed += 1
            }
            return closed
        }
    }

    /// A ledger row that is whole when written (an acknowledgement, a refusal), inside a transaction.
    static func ledger(_ db: Database, kind: LedgerEntry.Kind, actor: LedgerActor, batch: Int64, file: String? = nil,
                       outcome: LedgerEntry.Outcome, detail: String?, now: Date = Date()) throws {
        let t = now.timeIntervalSince1970
        try db.execute(sql: """
            INSERT INTO spool_ledger (kind, batch_id, vendor, account, file, client, started_at, ended_at, updated_at, outcome, detail)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [kind.rawValue, batch, actor.vendor, actor.account, file, actor.client, t, t, t, outcome.rawValue, detail])
    }
}
