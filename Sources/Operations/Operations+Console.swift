import Calendars
import Foundation
import GRDB
import Printing
import Scheduler
import Store

/// Read models of the operators' web console (issue 14): a run's counts and a page of its jobs with
/// their latest attempts in a fixed number of queries (a 10,000-job run must not cost a query per
/// job), and alerts and the audit trail filtered on the server.
extension Operations {
    /// One job of a run as the run page lists it, with its latest attempt's outcome. Read column by
    /// column (not through Codable): a run page may list 10,000 of them.
    public struct JobLine: Sendable {
        public var name: String
        public var state: JobState
        public var held: Bool
        public var attempts: Int
        public var exitCode: Int?
        public var message: String?
        public var startedAt: Double?
        public var endedAt: Double?
        /// The latest attempt: its number, state and whether it wrote any output.
        public var attempt: Int?
        public var attemptState: AttemptState?
        public var hasOutput: Bool

        /// By position, in the order of `runDetail`'s SELECT (a lookup by name hashes the name per cell).
        init(row: Row) {
            name = row[0]
            state = JobState(rawValue: row[1] as String) ?? .waiting
            held = row[2]
            attempts = row[3]
            exitCode = row[4]
            message = row[5]
            startedAt = row[6]
            endedAt = row[7]
            attempt = row[8]
            attemptState = (row[9] as String?).flatMap(AttemptState.init(rawValue:))
            hasOutput = row.hasNull(atIndex: 10) == false
        }
    }

    /// A run, the counts of its jobs by state, one page of its jobs with each one's latest attempt,
    /// and who holds its net.
    public struct RunDetail: Sendable {
        public var run: RunRecord
        /// The whole run's jobs by state; "held" counted apart (a held job is also waiting).
        public var counts: [String: Int]
        public var jobCount: Int
        /// The page's jobs: those that need an operator first (abnormal, running, retry wait, held,
        /// warning), then the rest in the net's order.
        public var jobs: [JobLine]
        /// How many jobs the state asked for matches (all of them without one), and where the page starts.
        public var matching: Int
        public var offset: Int
        /// Who holds the whole net, if anyone.
        public var netHold: (user: String, reason: String?)?
    }

    static let runColumns = "id, net, business_date, state, trigger, scheduled_at, created_at, started_at, ended_at, owner, message"

    /// The run page's order: what needs an operator first, then the net's order (the rows' insertion order).
    /// `t`: the jobs table's name or alias; `order`: its column of insertion order.
    static func attentionOrder(_ t: String = "jobs", order: String = "rowid") -> String {
        """
        CASE WHEN \(t).state = 'abnormal' THEN 0 WHEN \(t).state = 'running' THEN 1 WHEN \(t).state = 'retry-wait' THEN 2
             WHEN \(t).held = 1 AND \(t).state = 'waiting' THEN 3 WHEN \(t).state = 'warning' THEN 4 ELSE 5 END, \(t).\(order)
        """
    }

    /// Three queries whatever the size of the run: the run, its counts by state, and one page of its
    /// jobs (`state`: one state, or "held"), sorted in the jobs table alone and only then joined to
    /// their newest attempts (each found through the attempts' (run_id, job, number) unique index),
    /// so a 10,000-job run costs a sort of 10,000 short rows and `limit` joins.
    public func runDetail(_ id: Int64, state: String? = nil, offset: Int = 0, limit: Int = 500) throws -> RunDetail {
        try store.db.read { db in
            guard let run = try RunRecord.fetchOne(db, sql: "SELECT \(Self.runColumns) FROM runs WHERE id = ?", arguments: [id]) else {
                throw OperationError(.notFound, "run \(id) does not exist; see `nightjar history`")
            }
            var counts: [String: Int] = [:], total = 0
            for row in try Row.fetchAll(db, sql: "SELECT state, held, COUNT(*) FROM jobs WHERE run_id = ? GROUP BY state, held", arguments: [id]) {
                let n: Int = row[2]
                counts[row[0] as String, default: 0] += n
                if row[1] as Bool { counts["held", default: 0] += n }
                total += n
            }
            var filter = "", arguments: StatementArguments = [id]
            if let state {
                if state == "held" { filter = " AND held = 1" } else { filter = " AND state = ?"; arguments += [state] }
            }
            arguments += [limit, offset]
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT j.name, j.state, j.held, j.attempts, j.exit_code, j.message, j.started_at, j.ended_at,
                       a.number, a.state, COALESCE(a.stdout_path, a.stderr_path)
                FROM (SELECT rowid AS position, * FROM jobs WHERE run_id = ?\(filter) ORDER BY \(Self.attentionOrder()) LIMIT ? OFFSET ?) j
                LEFT JOIN attempts a ON a.run_id = j.run_id AND a.job = j.name
                  AND a.number = (SELECT MAX(number) FROM attempts WHERE run_id = j.run_id AND job = j.name)
                ORDER BY \(Self.attentionOrder("j", order: "position"))
                """, arguments: arguments)
            var jobs: [JobLine] = []
            jobs.reserveCapacity(min(limit, total))
            while let row = try cursor.next() { jobs.append(JobLine(row: row)) }
            let hold = try Row.fetchOne(db, sql: "SELECT user, reason FROM net_holds WHERE net = ?", arguments: [run.net])
                .map { (user: $0["user"] as String, reason: $0["reason"] as String?) }
            return RunDetail(run: run, counts: counts, jobCount: total, jobs: jobs,
                             matching: state.map { counts[$0] ?? 0 } ?? total, offset: offset, netHold: hold)
        }
    }

    /// Where a job stands in the run page's order (0 first), for going back to its page after an action.
    public func runPosition(_ id: Int64, job: String) throws -> Int? {
        try store.db.read { db in
            try Int.fetchOne(db, sql: """
                SELECT position FROM (SELECT name, ROW_NUMBER() OVER (ORDER BY \(Self.attentionOrder())) - 1 AS position FROM jobs WHERE run_id = ?)
                WHERE name = ?
                """, arguments: [id, job])
        }
    }

    /// Every attempt of one job of a run, with its log paths (the console serves the files).
    public func attemptRecords(run id: Int64, job: String) throws -> (run: RunRecord, job: JobRecord, attempts: [AttemptRecord]) {
        try store.db.read { db in
            guard let run = try RunRecord.fetchOne(db, sql: "SELECT \(Self.runColumns) FROM runs WHERE id = ?", arguments: [id]) else {
                throw OperationError(.notFound, "run \(id) does not exist; see `nightjar history`")
            }
            guard let record = try JobRecord.fetchOne(db, sql: "SELECT * FROM jobs WHERE run_id = ? AND name = ?", arguments: [id, job]) else {
                throw OperationError(.notFound, "run \(id) of \(run.net) has no job \(job)")
            }
            let attempts = try AttemptRecord.fetchAll(db, sql: "SELECT * FROM attempts WHERE run_id = ? AND job = ? ORDER BY number",
                                                      arguments: [id, job])
            return (run, record, attempts)
        }
    }

    /// What the alert and audit lists may be narrowed to. Dates are business-free calendar dates in the
    /// site's zone, both ends included.
    public struct RecordFilter: Sendable, Equatable {
        public var net: String?
        /// An alert's kind, or an audit row's action.
        public var kind: String?
        public var user: String?
        public var from: LocalDate?
        public var to: LocalDate?
        public var limit: Int

        public init(net: String? = nil, kind: String? = nil, user: String? = nil, from: LocalDate? = nil, to: LocalDate? = nil, limit: Int = 200) {
            self.net = net
            self.kind = kind
            self.user = user
            self.from = from
            self.to = to
            self.limit = limit
        }

        /// The WHERE clause and its arguments for a table with `at`, `net` and the given kind and user columns.
        func clause(kindColumn: String, userColumn: String?, zone: TimeZone) -> (String, [DatabaseValueConvertible]) {
            var parts: [String] = [], args: [DatabaseValueConvertible] = []
            let clock = ZonedClock(zone: zone), midnight = TimeOfDay(hour: 0, minute: 0)
            if let net { parts.append("net = ?"); args.append(net) }
            if let kind { parts.append("\(kindColumn) = ?"); args.append(kind) }
            if let user, let userColumn { parts.append("\(userColumn) = ?"); args.append(user) }
            if let from { parts.append("at >= ?"); args.append(clock.instant(on: from, at: midnight).timeIntervalSince1970) }
            if let to { parts.append("at < ?"); args.append(clock.instant(on: to.adding(days: 1), at: midnight).timeIntervalSince1970) }
            return (parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND "), args)
        }
    }

    /// Alerts, newest first, narrowed by net, kind and date.
    public func alerts(_ filter: RecordFilter) throws -> [AlertView] {
        let (clause, args) = filter.clause(kindColumn: "kind", userColumn: nil, zone: zone)
        return try store.db.read { db in
            try AlertRecord.fetchAll(db, sql: "SELECT * FROM alerts\(clause) ORDER BY id DESC LIMIT ?", arguments: StatementArguments(args + [filter.limit]))
        }.map { AlertView($0, zone: zone) }
    }

    /// The audit trail, newest first, narrowed by net, action, user and date.
    public func audit(_ filter: RecordFilter) throws -> [AuditView] {
        let (clause, args) = filter.clause(kindColumn: "action", userColumn: "user", zone: zone)
        return try store.db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit\(clause) ORDER BY id DESC LIMIT ?", arguments: StatementArguments(args + [filter.limit])).map { row in
                AuditView(at: Timestamp.iso(row["at"], zone), user: row["user"], action: row["action"], net: row["net"],
                          run: row["run_id"], job: row["job"], reason: row["reason"], result: row["result"], address: row["address"])
            }
        }
    }

    /// The distinct alert kinds, audit actions, users and nets on record, for the filter forms' choices.
    public func recordChoices() throws -> (alertKinds: [String], actions: [String], users: [String], nets: [String]) {
        try store.db.read { db in
            (try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM alerts ORDER BY kind"),
             try String.fetchAll(db, sql: "SELECT DISTINCT action FROM audit ORDER BY action"),
             try String.fetchAll(db, sql: "SELECT DISTINCT user FROM audit ORDER BY user"),
             try String.fetchAll(db, sql: "SELECT net FROM alerts WHERE net IS NOT NULL UNION SELECT net FROM audit WHERE net IS NOT NULL ORDER BY 1"))
        }
    }
}

/// The queue a print waits on, as CUPS says it is now: for the Spool page, beside the recorded jobs.
extension Operations {
    public struct QueueState: Sendable {
        public var stopped: Bool
        public var accepting: Bool
        public var message: String?
    }

    /// nil when CUPS does not know the queue; throws when CUPS cannot be reached.
    public func queueState(_ printer: String) throws -> QueueState? {
        try IPPConnection().printerState(printer).map { QueueState(stopped: $0.stopped, accepting: $0.accepting, message: $0.message) }
    }

    /// The vendors of nightjar.yaml a batch may be published to.
    public var vendors: [String] { config.vendorOutboxes.keys.sorted() }
}
