import ArgumentParser
import Foundation
import Operations
import Scheduler

/// Options shared by hold, release, skip and kill.
struct TargetOptions: ParsableArguments {
    @Argument(help: "The net.") var net: String
    @Argument(help: "The job (omit to act on the whole net).") var job: String?
    @Option(help: "The run (default: the net's run in progress).") var run: Int64?
    @Option(help: "Why; kept in the audit trail.") var reason: String?
}

/// hold and release: a job of the net's run, or the whole net.
func holdOrRelease(_ hold: Bool, site: SiteOptions, target: TargetOptions) throws {
    try site.checkNet(target.net)
    do {
        // A refused command ("error: …", e.g. holding a running job) goes to stderr with exit 2.
        print(try site.operations().hold(hold, net: target.net, job: target.job, run: target.run, reason: target.reason, by: .cli))
    } catch { throw operatorError(error) }
}

struct Hold: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hold a waiting job (it will not start until released), or a whole net (no job of it starts).")
    @OptionGroup var site: SiteOptions
    @OptionGroup var target: TargetOptions

    func run() throws { try holdOrRelease(true, site: site, target: target) }
}

struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Release a held job or net.")
    @OptionGroup var site: SiteOptions
    @OptionGroup var target: TargetOptions

    func run() throws { try holdOrRelease(false, site: site, target: target) }
}

struct Skip: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark a job ended normally by hand, so the jobs that need it can start.")
    @OptionGroup var site: SiteOptions
    @Argument(help: "The net.") var net: String
    @Argument(help: "The job.") var job: String
    @Option(name: .customLong("run"), help: "The run (default: the net's run in progress).") var runID: Int64?
    @Option(help: "Why; kept in the audit trail.") var reason: String?
    @Flag(help: "For an ended run: leave the reopened run for the daemon instead of executing it here.") var queue = false

    func run() throws {
        try site.checkNet(net)
        do {
            let ops = try site.operations()
            switch try ops.skip(net: net, job: job, run: runID, reason: reason, by: .cli) {
            case .applied(let result):
                print(result)
            case let .reopened(id, again):
                // An ended run: the job is marked ended normally and what needs it carries on, as JP1 does.
                print("\(job) marked ended normally; run \(id) reopened" + (again.isEmpty ? "" : ": \(again.joined(separator: ", ")) wait to start"))
                try continueRun(id, ops: ops, site: site, queue: queue)
            }
        } catch { throw operatorError(error) }
    }
}

/// Executes a reopened run (rerun, skip after the end) in the foreground, or leaves it for the daemon.
func continueRun(_ runID: Int64, ops: Operations, site: SiteOptions, queue: Bool) throws {
    if queue { print("left for the daemon"); return }
    let zone = site.zone
    let engine = Engine(store: ops.store, site: site.site, config: ops.config)
    engine.onProgress = { print("\(Output.time(Date().timeIntervalSince1970, zone))  \($0)") }
    try engine.adopt(runID)
    let state = try engine.runToEnd(runID)
    print("run \(runID) ended \(state.rawValue): \(try ops.store.run(runID)?.message ?? "")")
    if state == .abnormal { throw ExitCode(1) }
}

struct Kill: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kill a running job (SIGTERM to its process group, SIGKILL after its grace period), or every job of a net's run.")
    @OptionGroup var site: SiteOptions
    @OptionGroup var target: TargetOptions

    func run() throws {
        try site.checkNet(target.net)
        do {
            print(try site.operations().kill(net: target.net, job: target.job, run: target.run, reason: target.reason, by: .cli))
        } catch { throw operatorError(error) }
    }
}

struct Rerun: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run jobs of an ended run again, under the same run id and business date.",
        discussion: """
            Exactly one of --from JOB (JOB and every job that needs it), --only JOB, or --failed (every
            abnormal and not-run job). Runs in the foreground like `run`, unless --queue leaves it for the daemon.
            """)
    @OptionGroup var site: SiteOptions
    @Argument(help: "The run id (see `nightjar history`).") var runID: Int64
    @Option(help: "Rerun from this job.") var from: String?
    @Option(help: "Rerun only this job.") var only: String?
    @Flag(help: "Rerun every abnormal and not-run job.") var failed = false
    @Flag(help: "Leave the run for the daemon instead of executing it here.") var queue = false
    @Option(help: "Why; kept in the audit trail.") var reason: String?

    func validate() throws {
        let n = [from != nil, only != nil, failed].filter { $0 }.count
        guard n == 1 else { throw ValidationError("give exactly one of --from JOB, --only JOB, --failed") }
    }

    func run() throws {
        do {
            let ops = try site.operations()
            let scope: Operations.RerunScope = from.map { .from($0) } ?? only.map { .only($0) } ?? .failed
            let names = try ops.rerun(runID, scope: scope, reason: reason, by: .cli)
            print("run \(runID): rerunning \(names.joined(separator: ", "))")
            try continueRun(runID, ops: ops, site: site, queue: queue)
        } catch { throw operatorError(error) }
    }
}
