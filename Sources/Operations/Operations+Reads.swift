import Foundation
import GRDB
import Printing
import Spool
import Scheduler
import Store

/// The read models of runs, jobs, attempts, events, logs, alerts and the audit trail.
extension Operations {
    /// Runs, newest first (all, one net's, or only those in progress).
    public func runs(net: String? = nil, limit: Int = 20, activeOnly: Bool = false) throws -> [RunView] {
        if let net { try checkNet(net) }
        return try store.runs(net: net, limit: limit, activeOnly: activeOnly, definitions: false).map { RunView($0, zone: zone) }
    }

    /// One run with its jobs.
    public func run(_ id: Int64) throws -> RunView {
        guard let r = try store.run(id) else { throw OperationError(.notFound, "error: run \(id) does not exist; see `nightjar history`") }
        return RunView(r, jobs: try store.jobs(ofRun: id), zone: zone)
    }

    /// A net's run in progress, else its latest run, with its jobs; nil when it has never run.
    public func currentRun(net: String) throws -> RunView? {
        try checkNet(net)
        guard let r = try store.currentRun(net: net) else { return nil }
        return RunView(r, jobs: try store.jobs(ofRun: r.id), zone: zone)
    }

    /// Every attempt of one job of a run.
    public func attempts(run id: Int64, job: String) throws -> [AttemptView] {
        guard try store.run(id) != nil else { throw OperationError(.notFound, "run \(id) does not exist") }
        guard try store.jobs(ofRun: id).contains(where: { $0.name == job }) else {
            throw OperationError(.notFound, "run \(id) has no job \(job)")
        }
        return try store.attempts(ofRun: id, job: job).map { AttemptView($0, zone: zone) }
    }

    /// Every event of a run, oldest first.
    public func events(run id: Int64) throws -> [EventView] {
        guard try store.run(id) != nil else { throw OperationError(.notFound, "run \(id) does not exist") }
        return try store.events(ofRun: id).map { EventView($0, zone: zone) }
    }

    /// The attempt whose output `log` shows: of run `runID` (else the net's current or latest run),
    /// number `attempt` (else the latest).
    public func log(net: String, job: String, run runID: Int64?, attempt: Int?) throws -> LogView {
        try checkNet(net)
        let record: RunRecord?
        if let runID { record = try store.run(runID) } else { record = try store.currentRun(net: net) }
        guard let record, record.net == net else {
            throw OperationError(.notFound, "no run of \(net)" + (runID.map { " with id \($0)" } ?? ""))
        }
        let attempts = try store.attempts(ofRun: record.id, job: job)
        guard !attempts.isEmpty else {
            let names = try store.jobs(ofRun: record.id).map(\.name)
            if !names.contains(job) { throw OperationError(.notFound, "\(net) has no job \(job); its jobs are \(names.joined(separator: ", "))") }
            throw OperationError(.notFound, "\(job) has not run in run \(record.id)")
        }
        guard let a = attempt.map({ n in attempts.first { $0.number == n } }) ?? attempts.last else {
            throw OperationError(.notFound, "\(job) has no attempt \(attempt ?? 0) in run \(record.id); it has \(attempts.count)")
        }
        return LogView(run: record.id, job: job, attempt: a.number, stdoutPath: a.stdoutPath, stderrPath: a.stderrPath,
                       placement: a.placement)
    }

    /// The audit trail, newest first.
    public func audit(limit: Int = 50) throws -> [AuditView] {
        try store.db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                AuditView(at: Timestamp.iso(row["at"], zone), user: row["user"], action: row["action"], net: row["net"],
                          run: row["run_id"], job: row["job"], reason: row["reason"], result: row["result"],
                          address: row["address"])
            }
        }
    }

    /// Alerts raised, newest first.
    public func alerts(limit: Int = 50) throws -> [AlertView] {
        try store.alerts(limit: limit).map { AlertView($0, zone: zone) }
    }

    /// Who holds a whole net, if anyone.
    public func netHold(_ net: String) throws -> (user: String, reason: String?)? { try store.netHold(net) }
}

/// The read models of the spool: batches, one batch's history and prints, a vendor's batches.
extension Operations {
    /// Batches in id order, optionally only those in one state.
    public func batches(only state: String? = nil) throws -> [BatchView] {
        if let state, BatchState(rawValue: state) == nil {
            throw OperationError(.badInput, "\(state) is not a batch state; states are \(BatchState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return try spool.batches().filter { state == nil || $0.state.rawValue == state }.map { BatchView($0, zone: zone) }
    }

    /// One batch (by id, or the directory it was rendered into) with every state change and its prints.
    public func batch(_ reference: String) throws -> BatchDetailView {
        let b = try spool.batch(try spool.resolve(reference))
        let events = try spool.events(b.id).map { BatchDetailView.Event(at: Timestamp.iso($0.at, zone), state: $0.state, user: $0.user, detail: $0.detail) }
        let prints = try PrintRun.all(store: store, batch: b.id).map { try PrintRun(store: store, id: $0).outcome() }
        return BatchDetailView(batch: BatchView(b, zone: zone), events: events, prints: prints)
    }

    /// The batches a vendor may see: those published to it, awaiting collection or collected.
    public func vendorBatches(vendor: String) throws -> [VendorBatchView] {
        try spool.batches().filter { $0.vendor == vendor && ($0.state == .published || $0.state == .collected) }
            .map { VendorBatchView($0, zone: zone) }
    }
}
