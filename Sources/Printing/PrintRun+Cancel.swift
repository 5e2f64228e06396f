import Foundation
import GRDB
import Spool
import Store

extension PrintRun {
    /// Whether an operator has cancelled this print (a `print` still running on it stops submitting).
    public func isCanceled() throws -> Bool {
        try state() == .canceled
    }

    /// Cancels the print: marks it cancelled first (so a `print` process still working on it submits
    /// nothing more), then has CUPS cancel every IPP job it holds, and records each job's end. A
    /// whole-batch print returns the batch to the state it had before. Audited.
    /// Nothing is changed when CUPS cannot be reached: jobs it holds would print regardless.
    public func cancel(connection: IPPConnection, user: String, reason: String?, address: String? = nil) throws -> Outcome {
        guard try connection.printerState(printer) != nil else {
            throw SpoolError.badInput("CUPS at \(IPPConnection.serverName) has no queue \(printer)")
        }
        try store.db.write { db in
            try db.execute(sql: "UPDATE print_runs SET state = ?, ended_at = ? WHERE id = ?",
                           arguments: [PrintRunState.canceled.rawValue, Date().timeIntervalSince1970, id])
            let what = "print \(id) on \(printer) cancelled"
            if kind == "batch" {
                let before = try Self.stateBeforePrinting(db, batch: batch.id)
                try Spool.move(db, batch: batch.id, to: before, user: user, detail: what, action: "returned to \(before.rawValue)")
            } else {
                try Spool.record(db, batch: batch.id, state: "reprint-canceled", user: user, detail: what)
            }
            try Spool.audit(db, batch: batch.id, user: user, action: "print.cancel", reason: reason, result: what, address: address)
        }
        // A `print` that was submitting when the run was marked may have one more job in flight:
        // look again until a pass finds nothing left to cancel.
        for pass in 0..<4 {
            var found = false
            for job in try jobs() where job.state != .completed && job.state != .canceled {
                guard let ipp = job.ippJobID else {
                    if job.state != .submitting || pass > 0 {
                        try update(job, state: .canceled, message: "not sent: the print was cancelled")
                    } else {
                        found = true
                    }
                    continue
                }
                let s = try connection.jobState(ipp, printer: printer)
                if let s, s.state.isTerminal {
                    try update(job, state: PrintJobState(s.state), message: s.message)
                    continue
                }
                connection.cancel(ipp, printer: printer)
                found = true
                let after = try connection.jobState(ipp, printer: printer)
                try update(job, state: after.map { $0.state.isTerminal ? PrintJobState($0.state) : .canceled } ?? .canceled,
                           message: "IPP job \(ipp) cancelled by \(user)")
            }
            if !found { break }
            usleep(300_000)
        }
        return try outcome()
    }

    /// The batch's state before its latest move to printing (rendered when there is none).
    static func stateBeforePrinting(_ db: Database, batch: Int64) throws -> BatchState {
        let states = BatchState.allCases.filter { $0 != .printing && $0 != .purged }.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let raw = try String.fetchOne(db, sql: """
            SELECT state FROM spool_events
            WHERE batch_id = ? AND state IN (\(states))
              AND id < (SELECT MAX(id) FROM spool_events WHERE batch_id = ? AND state = 'printing')
            ORDER BY id DESC LIMIT 1
            """, arguments: [batch, batch])
        return raw.flatMap(BatchState.init(rawValue:)) ?? .rendered
    }
}
