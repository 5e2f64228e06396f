import ArgumentParser
import Foundation
import JobNets
import Operations
import Scheduler
import Store

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the runs in progress (or one net's current run, job by job).")

    @OptionGroup var site: SiteOptions
    @Argument(help: "A net: show its current (or latest) run job by job.") var net: String?
    @Option(name: .customLong("run"), help: "Show this run job by job.") var runID: Int64?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let zone = site.zone
        try site.checkNet(net)
        let store = try site.openStore()
        if net != nil || runID != nil {
            let record: RunRecord?
            if let runID { record = try store.run(runID) } else { record = try store.currentRun(net: net ?? "") }
            guard let record else {
                if let runID { throw Failure.badInput("error: run \(runID) does not exist; see `nightjar history`") }
                let name = net ?? ""
                let known = site.site.netNames()
                // A net with no file and no run is a typo, for scripts (--json) too: not an empty answer.
                if !known.contains(name) {
                    throw Failure.badInput("error: no net named '\(name)': Jobs/\(name).yaml does not exist and it has no runs"
                        + Site.knownNets(known))
                }
                if json { print("null"); return }
                throw Failure.badInput("no run of \(name) yet; start one with `nightjar run \(name)`")
            }
            let jobs = try store.jobs(ofRun: record.id)
            if json { Output.json(RunView(record, jobs: jobs, zone: zone)); return }
            let hold = try store.netHold(record.net).map { " — net held by \($0.user)" } ?? ""
            // A waiting run says what it waits for (its message while waiting).
            let waiting = record.state == .waiting ? (record.message.map { " — \($0)" } ?? "") : ""
            print("run \(record.id)  \(record.net)  \(record.businessDate)  \(record.state)  (\(record.trigger))\(hold)\(waiting)")
            if !record.isEnded, let forecast = Self.forecastText(try? site.operations(), run: record.id) { print(forecast) }
            // A WHERE column (node, Slurm job id of the latest attempt) only for runs with jobs off this machine.
            let placed = Dictionary(try store.attempts(ofRun: record.id).map { ($0.job, $0) }, uniquingKeysWith: { $1 })
            let whereColumn = placed.values.contains { $0.executor != nil }
            let headers: [String] = ["JOB", "STATE", "TRY", "EXIT", Output.header("STARTED", zone), "TOOK"] + (whereColumn ? ["WHERE"] : []) + ["MESSAGE"]
            Output.table(headers, jobs.map { j -> [String] in
                var row: [String] = [j.name, j.held ? "\(j.state) (held)" : j.state.rawValue, String(j.attempts), j.exitCode.map(String.init) ?? "-",
                                     Output.time(j.startedAt, zone), j.startedAt == nil ? "-" : Output.duration(j.startedAt, j.endedAt)]
                if whereColumn { row.append(placed[j.name].map { $0.placement ?? "local" } ?? "-") }
                row.append(j.message ?? "")
                return row
            })
            return
        }
        let active = try store.runs(limit: 200, activeOnly: true)
        if json { Output.json(active.map { RunView($0, zone: zone) }); return }
        if active.isEmpty { print("no run in progress"); return }
        let ops = try? site.operations()
        Output.table(["RUN", "NET", "DATE", "STATE", Output.header("STARTED", zone), "END", "JOBS"], try active.map { r in
            let jobs = try store.jobs(ofRun: r.id)
            var counts: [String: Int] = [:]
            for j in jobs { counts[j.state.rawValue, default: 0] += 1 }
            let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            return [String(r.id), r.net, r.businessDate, r.state.rawValue, Output.time(r.startedAt, zone),
                    Self.forecastText(ops, run: r.id) ?? "-", r.state == .waiting ? (r.message ?? summary) : summary]
        })
    }
}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List past and current runs, newest first.")

    @OptionGroup var site: SiteOptions
    @Option(help: "Only this net.") var net: String?
    @Option(name: .shortAndLong, help: "How many runs.") var limit = 20
    @Option(name: .customLong("run"), help: "Show every event of this run instead.") var runID: Int64?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let zone = site.zone
        try site.checkNet(net)
        let store = try site.openStore()
        if let runID {
            guard try store.run(runID) != nil else { throw Failure.badInput("run \(runID) does not exist") }
            let events = try store.events(ofRun: runID)
            if json { Output.json(events.map { EventView($0, zone: zone) }); return }
            Output.table([Output.header("AT", zone), "JOB", "EVENT", "DETAIL"], events.map { [Output.time($0.at, zone), $0.job ?? "", $0.kind, $0.detail ?? ""] })
            return
        }
        let runs = try store.runs(net: net, limit: limit)
        if json { Output.json(runs.map { RunView($0, zone: zone) }); return }
        Output.table(["RUN", "NET", "DATE", "STATE", "TRIGGER", Output.header("STARTED", zone), "TOOK", "SUMMARY"], runs.map { r in
            [String(r.id), r.net, r.businessDate, r.state.rawValue, r.trigger, Output.time(r.startedAt ?? r.createdAt, zone),
             r.startedAt == nil ? "-" : Output.duration(r.startedAt, r.endedAt), r.message ?? ""]
        })
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the operator audit trail: who did what, when, on which run, and why.")

    @OptionGroup var site: SiteOptions
    @Option(name: .shortAndLong, help: "How many entries.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let zone = site.zone
        let ops = try site.operationsWithoutConfig()
        if json { Output.json(try ops.audit(limit: limit)); return }
        let rows = try ops.store.audit(limit: limit)
        Output.table([Output.header("AT", zone), "USER", "ACTION", "NET", "RUN", "JOB", "REASON", "RESULT"], rows.map {
            [Output.time($0.at, zone), $0.user, $0.action, $0.net ?? "", $0.runID.map(String.init) ?? "", $0.job ?? "", $0.reason ?? "", $0.result ?? ""]
        })
    }
}

struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show alerts: start deadlines passed, end delays, abnormal ends.")

    @OptionGroup var site: SiteOptions
    @Option(name: .shortAndLong, help: "How many entries.") var limit = 50
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let zone = site.zone
        let rows = try site.openStore().alerts(limit: limit)
        if json { Output.json(rows.map { AlertView($0, zone: zone) }); return }
        Output.table([Output.header("AT", zone), "NET", "RUN", "KIND", "MESSAGE"], rows.map {
            [Output.time($0.at, zone), $0.net, $0.runID.map(String.init) ?? "", $0.kind, $0.message]
        })
    }
}
