import Foundation
import JobNets
import Scheduler
import Store

/// hold, release, skip, kill and rerun: the scheduler's `RunControl` does the work and writes the audit
/// row (with the actor's name and address) in the same transaction as the change.
extension Operations {
    /// What `skip` did: applied to a run in progress, or (on an ended run) the job marked ended normally
    /// and the run reopened with `waiting` jobs to run again.
    public enum SkipOutcome: Sendable, Equatable {
        case applied(String)
        case reopened(run: Int64, waiting: [String])
    }

    /// Which jobs a rerun resets: the scheduler's own scope, so the two cannot drift apart.
    public typealias RerunScope = RunControl.RerunScope

    func control(for actor: Actor) -> RunControl {
        var control = RunControl(store: store, site: site, config: config, user: actor.name)
        control.address = actor.address
        return control
    }

    /// A command's result sentence; one starting `error:` is the run's refusal (holding a running job).
    func accepted(_ result: String) throws -> String {
        if result.hasPrefix("error:") { throw OperationError(.refused, result) }
        return result
    }

    /// Holds (or releases) a job of the net's run (`run`, else its run in progress), or the whole net
    /// when `job` is nil. Returns the result sentence.
    public func hold(_ hold: Bool, net: String, job: String?, run: Int64?, reason: String?, by actor: Actor) throws -> String {
        try checkNet(net)
        let control = control(for: actor)
        if let job {
            let target = try control.targetRun(net: net, runID: run)
            return try accepted(control.command(hold ? "hold" : "release", run: target, job: job, reason: reason))
        }
        _ = try site.loadNet(net)
        return try control.holdNet(net, hold: hold, reason: reason)
    }

    /// Kills a running job, or every job of the run when `job` is nil.
    public func kill(net: String, job: String?, run: Int64?, reason: String?, by actor: Actor) throws -> String {
        try checkNet(net)
        let control = control(for: actor)
        return try accepted(control.command("kill", run: try control.targetRun(net: net, runID: run), job: job, reason: reason))
    }

    /// Marks a job ended normally. On an ended run (JP1's "change to ended normally") the run reopens;
    /// whoever executes it next (the CLI in the foreground, or the daemon) carries it on.
    public func skip(net: String, job: String, run: Int64?, reason: String?, by actor: Actor) throws -> SkipOutcome {
        try checkNet(net)
        let control = control(for: actor)
        let target = try control.targetRun(net: net, runID: run)
        guard target.isEnded else {
            return .applied(try accepted(control.command("skip", run: target, job: job, reason: reason)))
        }
        return .reopened(run: target.id, waiting: try control.skipAfterEnd(target, job: job, reason: reason))
    }

    /// Resets jobs of an ended run to run again under the same id; returns the jobs reset. The run is
    /// left for whoever executes it next.
    public func rerun(_ runID: Int64, scope: RerunScope, reason: String?, by actor: Actor) throws -> [String] {
        try control(for: actor).rerun(runID, scope: scope, reason: reason)
    }
}
