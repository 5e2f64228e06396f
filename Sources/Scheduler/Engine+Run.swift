import Calendars
import Foundation
import GRDB
import JobNets
import Store

/// The run-level half of the engine: `RunMachine`'s events are fed here, and its effects turned into
/// writes (committed together at the end of the step) and after-commit actions, as `perform` does for
/// `JobMachine`.
extension Engine {
    /// Takes on a run's new state from the machine and performs its effects.
    func performRun(_ transition: (RunMachine.State, [RunMachine.Effect]), _ run: ActiveRun) {
        let (next, effects) = transition
        run.machine = next
        let id = run.id
        for effect in effects {
            switch effect {
            case .recordWaiting(let text):
                writes.append { db in
                    try db.run("UPDATE runs SET message = ? WHERE id = ?", [text, id])
                    try Store.event(db, runID: id, job: nil, kind: "run.waiting", detail: text)
                }
            case .recordRunning(let at):
                writes.append { db in
                    try db.run("UPDATE runs SET state = 'running', started_at = ?, message = NULL WHERE id = ?", [at, id])
                    try Store.event(db, runID: id, job: nil, kind: "run.running", detail: nil)
                }
            case .recordStopping(let reason):
                writes.append { db in try Store.event(db, runID: id, job: nil, kind: "run.stopping", detail: reason) }
            case .killJobs(let names):
                for name in names { killJob(run, name) }
            case let .recordNotRun(name, why):
                run.setState(name, .notRun)
                setJob(run, name, .notRun, message: why, event: "job.not-run", detail: why)
            case let .recordEnd(final, summary, at):
                writes.append { db in
                    try db.execute(sql: "UPDATE runs SET state = ?, ended_at = ?, owner = NULL, message = ? WHERE id = ?",
                                   arguments: [final.rawValue, at, summary, id])
                    try Store.event(db, runID: id, job: nil, kind: "run.\(final.rawValue)", detail: summary)
                }
                runs[id] = nil
            case let .alert(kind, message):
                record(Alert(kind: kind, net: run.net.name, runID: id, date: run.date, message: message))
            case .progress(let line):
                onProgress?(line)
            }
        }
    }

    /// Ends the run if nothing of it runs or can still start.
    func settle(_ run: ActiveRun, now: Double) {
        // Called on every step: the machine's question is worth the walk over all jobs (their states,
        // the blocked ones) only once nothing runs and nothing can start.
        let busy = !run.running.isEmpty || !run.retrying.isEmpty
        if busy { return }
        let startable = run.ready.contains { run.jobs[$0]?.held == false }
        if startable && !run.machine.stopping { return }
        let states = run.net.jobs.compactMap { job in run.jobs[job.name].map { (job: job, state: $0.state) } }
        let jobs = RunMachine.Jobs(states: states, busy: busy, startable: startable, blocked: run.blockedJobs())
        performRun(RunMachine.settle(run.machine, jobs: jobs, name: run.name, at: now), run)
    }

    /// The net's deadlines of a run, as instants.
    func deadlines(_ run: ActiveRun) -> (start: (at: Double, text: String)?, end: (at: Double, text: String)?) {
        (run.net.startDeadline.map { (deadlineInstant($0, run: run), "\($0)") },
         run.net.endDeadline.map { (deadlineInstant($0, run: run), "\($0)") })
    }

    func checkDeadlines(_ run: ActiveRun, now: Double) {
        let d = deadlines(run)
        guard d.start != nil || d.end != nil else { return }
        performRun(RunMachine.deadlines(run.machine, start: d.start, end: d.end, name: run.name, at: now), run)
    }

    /// Start deadlines concern runs still waiting (for `after:` nets or a hold); the daemon looks at
    /// them every tick, since a waiting run is not advanced between its `after:` checks.
    public func checkStartDeadlines(now given: Double? = nil) {
        let now = given ?? clock.now()
        for run in runs.values where run.state == .waiting { checkDeadlines(run, now: now) }
    }
}

extension ActiveRun {
    var name: RunMachine.Name { RunMachine.Name(net: net.name, date: date.description) }
}
