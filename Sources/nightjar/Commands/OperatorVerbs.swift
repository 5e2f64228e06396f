import ArgumentParser
import Foundation
import Scheduler

/// Options shared by hold, release, skip and kill.
struct TargetOptions: ParsableArguments {
    @Argument(help: "The net.") var net: String
    @Argument(help: "The job (omit to act on the whole net).") var job: String?
    @Option(help: "The run (default: the net's run in progress).") var run: Int64?
    @Option(help: "Why; kept in the audit trail.") var reason: String?
}

/// Prints an operator command's result sentence; a refused command ("error: …", e.g. holding a job
/// that is running) goes to stderr with exit 2, the same for every verb.
func printResult(_ result: String) throws {
    if result.hasPrefix("error:") { throw Failure.badInput(result) }
    print(result)
}

/// hold and release: a job of the net's run, or the whole net.
func holdOrRelease(_ hold: Bool, site: SiteOptions, target: TargetOptions) throws {
    try site.checkNet(target.net)
    do {
        let control = try site.control()
        if let job = target.job {
            let run = try control.targetRun(net: target.net, runID: target.run)
            try printResult(try control.command(hold ? "hold" : "release", run: run, job: job, reason: target.reason))
        } else {
            _ = try site.site.loadNet(target.net)
            print(try control.holdNet(target.net, hold: hold, reason: target.reason))
        }
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
            let control = try site.control()
            let target = try control.targetRun(net: net, runID: runID)
            guard target.isEnded else {
                try printResult(try control.command("skip", run: target, job: job, reason: reason))
                return
            }
            // An ended run: mark the job ended normally and let what needs it carry on, as JP1 does.
            let again = try control.skipAfterEnd(target, job: job, reason: reason)
            print("\(job) marked ended normally; run \(target.id) reopened" + (again.isEmpty ? "" : ": \(again.joined(separator: ", ")) wait to start"))
            try continueRun(target.id, control: control, site: site, queue: queue)
        } catch { throw operatorError(error) }
    }
}

/// Executes a reopened run (rerun, skip after the end) in the foreground, or leaves it for the daemon.
func continueRun(_ runID: Int64, control: RunControl, site: SiteOptions, queue: Bool) throws {
    if queue { print("left for the daemon"); return }
    let zone = site.zone
    let engine = Engine(store: control.store, site: site.site, config: control.config)
    engine.onProgress = { print("\(Output.time(Date().timeIntervalSince1970, zone))  \($0)") }
    try engine.adopt(runID)
    let state = try engine.runToEnd(runID)
    print("run \(runID) ended \(state.rawValue): \(try control.store.run(runID)?.message ?? "")")
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
            let control = try site.control()
            let result = try control.command("kill", run: try control.targetRun(net: target.net, runID: target.run), job: target.job, reason: target.reason)
            try printResult(result)
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
            let control = try site.control()
            let scope: RunControl.RerunScope = from.map { .from($0) } ?? only.map { .only($0) } ?? .failed
            let names = try control.rerun(runID, scope: scope, reason: reason)
            print("run \(runID): rerunning \(names.joined(separator: ", "))")
            try continueRun(runID, control: control, site: site, queue: queue)
        } catch { throw operatorError(error) }
    }
}
