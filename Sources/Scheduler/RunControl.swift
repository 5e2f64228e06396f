import Executors
import Foundation
import GRDB
import JobNets
import Store

/// Operator actions from the command line. Each is audited in the same transaction that records it.
/// A command for a run that a live process executes goes to that process through the `commands`
/// table; a run nobody executes is changed here, by adopting it for the moment.
public struct RunControl {
    public let store: Store
    public let site: Site
    public let config: SiteConfig
    public let user: String
    /// The client address of a web request, kept in the audit rows beside `user`.
    public var address: String?

    public init(store: Store, site: Site, config: SiteConfig, user: String = ProcessIdentity.user) {
        self.store = store
        self.site = site
        self.config = config
        self.user = user
    }

    public enum ControlError: Error, CustomStringConvertible {
        case noActiveRun(String)
        case noSuchRun(Int64)
        case noSuchJob(String, String)
        case refused(String)
        public var description: String {
            switch self {
            case .noActiveRun(let net): return "\(net) has no run in progress; see `nightjar history --net \(net)`"
            case .noSuchRun(let id): return "run \(id) does not exist; see `nightjar history`"
            case let .noSuchJob(net, job): return "\(net) has no job named \(job)"
            case .refused(let why): return why
            }
        }
    }

    /// The run a verb means: `--run ID`, else the net's run in progress.
    public func targetRun(net: String?, runID: Int64?) throws -> RunRecord {
        if let runID {
            guard let r = try store.run(runID) else { throw ControlError.noSuchRun(runID) }
            if let net, r.net != net { throw ControlError.refused("run \(runID) is of \(r.net), not \(net)") }
            return r
        }
        guard let net, let r = try store.runs(net: net, limit: 1, activeOnly: true).first else {
            throw ControlError.noActiveRun(net ?? "?")
        }
        return r
    }

    /// hold / release / skip / kill on one job (or `kill` on the whole run). Returns the result sentence.
    public func command(_ action: String, run: RunRecord, job: String?, reason: String?, wait: Double = 5) throws -> String {
        if let job {
            let names = try store.jobs(ofRun: run.id).map(\.name)
            guard names.contains(job) else { throw ControlError.noSuchJob(run.net, job) }
        }
        guard !run.isEnded else {
            throw ControlError.refused("run \(run.id) has already ended \(run.state); use `nightjar rerun \(run.id)` to run jobs again")
        }
        let commandID: Int64 = try store.db.write { db in
            try db.execute(sql: "INSERT INTO commands (at, run_id, job, action, user) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Date().timeIntervalSince1970, run.id, job, action, user])
            let id = db.lastInsertedRowID
            try Store.audit(db, user: user, action: action, net: run.net, runID: run.id, job: job, reason: reason, result: nil, address: address)
            return id
        }
        if ProcessIdentity.isAlive(run.owner) {
            let deadline = Date().addingTimeInterval(wait)
            while Date() < deadline {
                if let result = try store.db.read({ try String.fetchOne($0, sql: "SELECT result FROM commands WHERE id = ? AND done_at IS NOT NULL", arguments: [commandID]) }) {
                    return result
                }
                usleep(50_000)
            }
            return "queued for process \(run.owner?.split(separator: ":").first ?? "?"), which has not answered yet"
        }
        // Nobody executes the run: take it, apply the command, let go again.
        let engine = Engine(store: store, site: site, config: config)
        try engine.adopt(run.id)
        try engine.applyCommands()
        try engine.flush()
        try engine.releaseAll()
        return try store.db.read { try String.fetchOne($0, sql: "SELECT result FROM commands WHERE id = ?", arguments: [commandID]) } ?? "done"
    }

    /// Holds or releases a whole net: while held, no job of it starts and scheduled runs wait.
    public func holdNet(_ net: String, hold: Bool, reason: String?) throws -> String {
        try store.db.write { db in
            if hold {
                try db.execute(sql: "INSERT OR REPLACE INTO net_holds (net, at, user, reason) VALUES (?, ?, ?, ?)",
                               arguments: [net, Date().timeIntervalSince1970, user, reason])
            } else {
                try db.execute(sql: "DELETE FROM net_holds WHERE net = ?", arguments: [net])
            }
            let result = hold ? "\(net) held: no job of it will start until released" : "\(net) released"
            try Store.audit(db, user: user, action: hold ? "hold" : "release", net: net, runID: nil, job: nil, reason: reason, result: result,
                            address: address)
            return result
        }
    }

    /// JP1's "change to ended normally" on an ended run: the job is marked skipped (ended normally by
    /// hand), the jobs that did not run because of a failure wait again, and the run reopens under the
    /// same id, date and snapshot, to be executed like a rerun. Audited in the same transaction.
    /// Returns the jobs that wait again.
    public func skipAfterEnd(_ run: RunRecord, job: String, reason: String?) throws -> [String] {
        let net = try JSONDecoder().decode(JobNet.self, from: Data(run.definition.utf8))
        guard net.job(named: job) != nil else { throw ControlError.noSuchJob(run.net, job) }
        guard run.isEnded else { throw ControlError.refused("run \(run.id) has not ended") }
        let jobs = try store.jobs(ofRun: run.id)
        guard let record = jobs.first(where: { $0.name == job }) else { throw ControlError.noSuchJob(run.net, job) }
        guard [.abnormal, .notRun, .warning].contains(record.state) else {
            throw ControlError.refused("\(job) is \(record.state.rawValue) in run \(run.id); only an abnormal, warning or not-run job can be marked ended normally")
        }
        let again = net.jobs.map(\.name).filter { n in n != job && jobs.first { $0.name == n }?.state == .notRun }
        let now = Date().timeIntervalSince1970
        try store.db.write { db in
            try db.execute(sql: """
                UPDATE jobs SET state = 'skipped', held = 0, next_at = NULL, ended_at = ?,
                    message = 'marked ended normally by an operator after the run ended' WHERE run_id = ? AND name = ?
                """, arguments: [now, run.id, job])
            try Store.event(db, runID: run.id, job: job, kind: "job.skipped", detail: "after the run ended")
            try Self.reopen(db, run: run.id, waiting: again)
            let detail = again.isEmpty ? "nothing waits on it" : "\(again.joined(separator: ", ")) wait again"
            try Store.event(db, runID: run.id, job: nil, kind: "run.reopened", detail: "\(job) marked ended normally; \(detail)")
            try Store.audit(db, user: user, action: "skip", net: run.net, runID: run.id, job: job, reason: reason,
                            result: "\(job) marked ended normally; run \(run.id) reopened (\(detail))", address: address)
        }
        return again
    }

    public enum RerunScope: Sendable, Equatable {
        case from(String)
        case only(String)
        case failed
    }

    /// Resets jobs of an ended run so they run again under the same run id, business date and
    /// definition snapshot. Returns the jobs reset.
    public func rerun(_ runID: Int64, scope: RerunScope, reason: String?) throws -> [String] {
        guard let run = try store.run(runID) else { throw ControlError.noSuchRun(runID) }
        if !run.isEnded && ProcessIdentity.isAlive(run.owner) {
            throw ControlError.refused("run \(runID) is still in progress; wait for it to end, or kill it first")
        }
        let net = try JSONDecoder().decode(JobNet.self, from: Data(run.definition.utf8))
        let jobs = try store.jobs(ofRun: runID)
        var reset: Set<String>
        switch scope {
        case .from(let j):
            guard net.job(named: j) != nil else { throw ControlError.noSuchJob(run.net, j) }
            reset = net.descendants(of: j).union([j])
        case .only(let j):
            guard let job = net.job(named: j) else { throw ControlError.noSuchJob(run.net, j) }
            // Rerunning a job whose needs did not end well would only mark it not-run again at once.
            let states = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0.state) })
            let settled: Set<JobState> = [.normal, .warning, .skipped]
            if let unmet = job.needs.first(where: { states[$0].map(settled.contains) != true }) {
                throw ControlError.refused("""
                    \(j) needs \(unmet), which is \(states[unmet]?.rawValue ?? "unknown") in run \(runID): `nightjar skip \(run.net) \(unmet) --run \(runID)` \
                    marks it ended normally and lets what needs it carry on, or `nightjar rerun \(runID) --from \(unmet)` runs it again first
                    """)
            }
            reset = [j]
        case .failed:
            reset = Set(jobs.filter { [.abnormal, .notRun].contains($0.state) }.map(\.name))
            guard !reset.isEmpty else { throw ControlError.refused("run \(runID) has no abnormal or not-run job to rerun") }
        }
        let names = net.jobs.map(\.name).filter { reset.contains($0) }
        let description: String = {
            switch scope {
            case .from(let j): return "from \(j)"
            case .only(let j): return "only \(j)"
            case .failed: return "failed jobs"
            }
        }()
        try store.db.write { db in
            try Self.reopen(db, run: runID, waiting: names)
            try Store.event(db, runID: runID, job: nil, kind: "run.rerun", detail: "\(description): \(names.joined(separator: ", "))")
            try Store.audit(db, user: user, action: "rerun", net: run.net, runID: runID, job: nil, reason: reason,
                            result: "reset \(names.joined(separator: ", "))", address: address)
        }
        return names
    }

    /// Reopens an ended run under the same id, date and snapshot: `waiting` jobs are reset to wait
    /// again, and the run is running with no owner, for whoever executes it next (rerun, skip after the end).
    static func reopen(_ db: Database, run id: Int64, waiting names: [String]) throws {
        for name in names {
            try db.execute(sql: """
                UPDATE jobs SET state = 'waiting', held = 0, next_at = NULL, exit_code = NULL, message = NULL, ended_at = NULL
                WHERE run_id = ? AND name = ?
                """, arguments: [id, name])
        }
        try db.execute(sql: "UPDATE runs SET state = 'running', ended_at = NULL, owner = NULL, message = NULL WHERE id = ?",
                       arguments: [id])
    }
}
