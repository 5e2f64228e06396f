import Foundation
import GRDB
import Spool
import Store

/// One print of a batch (or of some of its notices) on one CUPS queue, as IPP jobs recorded in
/// `print_jobs` before they are submitted and each time CUPS reports on them. Executing a run again
/// (`--resume`) only submits the jobs CUPS never accepted or that ended aborted or canceled; jobs CUPS
/// still holds are waited for, completed ones are left alone, so nothing is printed twice.
public final class PrintRun {
    public struct Job: Sendable, Encodable, FetchableRecord {
        public var id: Int64
        public var seq: Int
        public var volume: String
        public var ranges: String
        public var pages: Int
        public var ippJobID: Int32?
        public var state: PrintJobState
        public var message: String?
        public var submittedAt: Double?
        public var endedAt: Double?

        public init(row: Row) throws {
            id = row["id"]; seq = row["seq"]; volume = row["volume"]; ranges = row["page_ranges"]; pages = row["pages"]
            ippJobID = row["ipp_job_id"]; state = PrintJobState(rawValue: row["state"]) ?? .lost; message = row["message"]
            submittedAt = row["submitted_at"]; endedAt = row["ended_at"]
        }

        enum CodingKeys: String, CodingKey {
            case seq, volume, ranges = "page_ranges", pages, ippJobID = "ipp_job_id", state, message
        }

        /// CUPS holds the job and will print it: wait, never resubmit.
        var isWaiting: Bool { state.isWaitingForCUPS }
    }

    public struct Outcome: Sendable, Encodable {
        public var run: Int64
        public var batch: Int64
        public var printer: String
        public var kind: String
        public var jobs: [Job]
        public var pages: Int
        /// An operator cancelled the print (`print --cancel`).
        public var canceled = false
        public var completed: Int { jobs.filter { $0.state == .completed }.count }
        public var unfinished: [Job] { jobs.filter { $0.state != .completed } }

        enum CodingKeys: String, CodingKey { case run, batch, printer, kind, jobs, pages, completed, state }
        /// How a print stands once `execute` returns.
        public enum State: String, Sendable, Encodable {
            /// Every IPP job completed.
            case completed
            /// An operator cancelled it.
            case canceled
            /// A job was aborted, cancelled in CUPS or lost: `--resume` sends it again.
            case failed
            /// Jobs still queued in CUPS (a paused queue, `--wait-timeout`): `--resume` waits for them.
            case pending
        }
        public var state: State {
            canceled ? .canceled : unfinished.isEmpty ? .completed : unfinished.contains { !$0.isWaiting } ? .failed : .pending
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run); try c.encode(batch, forKey: .batch); try c.encode(printer, forKey: .printer)
            try c.encode(kind, forKey: .kind); try c.encode(jobs, forKey: .jobs); try c.encode(pages, forKey: .pages)
            try c.encode(completed, forKey: .completed); try c.encode(state, forKey: .state)
        }
    }

    public let store: Store
    public let id: Int64
    public let batch: Batch
    public let printer: String
    public let options: PrintOptions
    public let kind: String
    public var progress: (String) -> Void = { _ in }
    /// Seconds between polls of CUPS while waiting.
    public var pollInterval = 0.2

    /// Records a new print of `chunks` (every IPP job `planned`) and, for a whole-batch print, moves
    /// the batch to printing. Audited (with the web client's `address`) in the same transaction.
    public static func create(store: Store, batch: Batch, printer: String, options: PrintOptions, kind: String, notices: [String]?,
                              chunks: [PrintChunk], user: String, reason: String?, address: String? = nil) throws -> Int64 {
        let now = Date().timeIntervalSince1970
        let pages = chunks.reduce(0) { $0 + $1.pages }
        let optionsJSON = String(decoding: try JSONEncoder().encode(options.arguments), as: UTF8.self)
        let noticesJSON = try notices.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        return try store.db.write { db in
            try db.execute(sql: """
                INSERT INTO print_runs (batch_id, printer, options, kind, notices, pages, state, created_at, user)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [batch.id, printer, optionsJSON, kind, noticesJSON, pages, PrintRunState.printing.rawValue, now, user])
            let run = db.lastInsertedRowID
            for (i, c) in chunks.enumerated() {
                try db.execute(sql: """
                    INSERT INTO print_jobs (print_run_id, batch_id, seq, printer, volume, page_ranges, pages, state, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?)
                    """, arguments: [run, batch.id, i + 1, printer, c.volume, c.ranges, c.pages, now])
            }
            let what = "print \(run) on \(printer): \(pages) pages in \(chunks.count) IPP job\(chunks.count == 1 ? "" : "s")"
            if kind == "batch" {
                try Spool.move(db, batch: batch.id, to: .printing, user: user, detail: what, action: "printed")
            } else {
                try Spool.record(db, batch: batch.id, state: "reprint", user: user, detail: what + " (notices \(notices?.count ?? 0))")
            }
            try Spool.audit(db, batch: batch.id, user: user, action: kind == "batch" ? "print" : "print.notices", reason: reason, result: what,
                            address: address)
            return run
        }
    }

    /// The newest print of a batch that has neither completed nor been cancelled, if any.
    public static func unfinished(store: Store, batch: Int64) throws -> Int64? {
        try store.db.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM print_runs WHERE batch_id = ? AND state NOT IN (?, ?) ORDER BY id DESC LIMIT 1",
                               arguments: [batch, PrintRunState.completed.rawValue, PrintRunState.canceled.rawValue])
        }
    }

    /// Every print of a batch, oldest first.
    public static func all(store: Store, batch: Int64) throws -> [Int64] {
        try store.db.read { try Int64.fetchAll($0, sql: "SELECT id FROM print_runs WHERE batch_id = ? ORDER BY id", arguments: [batch]) }
    }

    /// The newest print of a batch, if any.
    public static func latest(store: Store, batch: Int64) throws -> Int64? {
        try store.db.read { try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM print_runs WHERE batch_id = ?", arguments: [batch]) }
    }

    /// Whether the whole batch has been printed already.
    public static func printedBefore(store: Store, batch: Int64) throws -> Bool {
        try store.db.read {
            try Bool.fetchOne($0, sql: "SELECT EXISTS (SELECT 1 FROM print_runs WHERE batch_id = ? AND kind = 'batch' AND state = ?)",
                              arguments: [batch, PrintRunState.completed.rawValue]) ?? false
        }
    }

    public init(store: Store, id: Int64) throws {
        self.store = store
        self.id = id
        guard let row = try store.db.read({ try Row.fetchOne($0, sql: "SELECT * FROM print_runs WHERE id = ?", arguments: [id]) }) else {
            throw SpoolError.badInput("no print \(id)")
        }
        batch = try Spool(store: store).batch(row["batch_id"])
        printer = row["printer"]
        kind = row["kind"]
        let args = try JSONDecoder().decode([String].self, from: Data((row["options"] as String).utf8))
        options = try PrintOptions(arguments: args)
    }

    /// The print's recorded state. A value this version does not know (a newer Nightjar's) reads as
    /// `printing`: unfinished, so it is resumed or cancelled rather than taken as done.
    public func state() throws -> PrintRunState {
        let raw = try store.db.read { try String.fetchOne($0, sql: "SELECT state FROM print_runs WHERE id = ?", arguments: [id]) }
        return raw.flatMap(PrintRunState.init(rawValue:)) ?? .printing
    }

    public func jobs() throws -> [Job] {
        try store.db.read { try Job.fetchAll($0, sql: "SELECT * FROM print_jobs WHERE print_run_id = ? ORDER BY seq", arguments: [id]) }
    }

    public func outcome() throws -> Outcome {
        let j = try jobs()
        return Outcome(run: id, batch: batch.id, printer: printer, kind: kind, jobs: j, pages: j.reduce(0) { $0 + $1.pages },
                       canceled: try isCanceled())
    }

    func update(_ job: Job, state: PrintJobState, ipp: Int32? = nil, message: String? = nil, submitted: Bool = false) throws {
        let now = Date().timeIntervalSince1970
        let terminal = state.isEnded
        try store.db.write { db in
            try db.execute(sql: """
                UPDATE print_jobs SET state = ?, ipp_job_id = COALESCE(?, ipp_job_id), message = ?,
                  submitted_at = CASE WHEN ? THEN ? ELSE submitted_at END, ended_at = CASE WHEN ? THEN ? ELSE NULL END
                WHERE id = ?
                """, arguments: [state.rawValue, ipp, message, submitted, now, terminal, now, job.id])
        }
    }
}
