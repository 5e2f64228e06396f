import Executors
import Foundation
import GRDB
import JobNets
import OperatorFiles
import Slurm
import Store

/// The engine's slurm executor: attempts of jobs whose executor is `type: slurm` are submitted with
/// sbatch instead of started under a local supervisor, watched with one `squeue` per poll interval,
/// cancelled with scancel and recovered by their unique submission name.
///
/// The same order as locally: the attempt (with its submission name) is committed before sbatch runs;
/// the Slurm job id is committed in the transaction that records the submission; an end is recorded
/// only from what Slurm reports.
final class SlurmSide {
    /// An attempt handed to Slurm (or about to be, or found again after a restart).
    struct Outstanding {
        var run: Int64
        var job: String
        var attemptID: Int64
        var number: Int
        var name: String
        var slurmID: String?
        var node: String?
        var reason: String?
        var recordedAt: Double
        /// Found open after a restart without an id: Slurm is asked by name before anything is decided.
        var unresolved = false
        var cancelSentAt: Double?
    }

    final class Pending {
        let run: Int64
        let job: String
        let number: Int
        var attemptID: Int64 = 0
        var submission: SlurmClient.Submission
        init(run: Int64, job: String, number: Int, submission: SlurmClient.Submission) {
            self.run = run; self.job = job; self.number = number; self.submission = submission
        }
    }

    var client = SlurmClient()
    var outstanding: [Int64: Outstanding] = [:]
    var pending: [Pending] = []
    var lastPoll = -Double.infinity
    var pollNow = false
    var prefix: String?
    /// From `scontrol show config`, read once: the completion file and how long slurmctld keeps ended jobs.
    var clusterFacts: (completion: JobCompletionFile?, minJobAge: Double)?
    var unavailableSaid = false
}

extension Engine {
    /// The slurm executor a job's attempts go to, or nil for this machine.
    func slurmExecutor(_ net: JobNet, _ job: Job) -> ExecutorConfig? {
        guard let e = config.executors[net.executorName(of: job)], e.kind == .slurm else { return nil }
        return e
    }

    /// A name no other attempt, site or scheduler uses: the state directory's own prefix plus the attempt id.
    func slurmPrefix() -> String {
        if let p = slurm.prefix { return p }
        var p = (try? store.meta("slurm_name_prefix")) ?? nil
        if p == nil {
            let made = "nj" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
            try? store.db.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO meta (key, value) VALUES ('slurm_name_prefix', ?)", arguments: [made])
            }
            p = (try? store.meta("slurm_name_prefix")) ?? made
        }
        slurm.prefix = p
        return p ?? "nj"
    }

    /// Records the attempt with its submission name; sbatch runs once that has committed.
    func queueSubmission(_ run: ActiveRun, _ job: Job, number: Int, attempts: Int, spec: AttemptSpec, executor: ExecutorConfig, now: Double) {
        let prefix = slurmPrefix()
        let submission = SlurmClient.Submission(
            name: "", argv: spec.argv, environment: spec.environment, workdir: spec.workdir, stdoutPath: spec.stdoutPath,
            stderrPath: spec.stderrPath, timeLimit: job.timeout, cpus: job.cpus, memoryMB: job.memoryMB,
            partition: executor.partition, account: executor.account, qos: executor.qos, extra: executor.extra)
        let p = SlurmSide.Pending(run: run.id, job: job.name, number: number, submission: submission)
        slurm.pending.append(p)
        writes.append { db in
            try db.run("""
                INSERT INTO attempts (run_id, job, number, state, started_at, stdout_path, stderr_path, executor)
                VALUES (?, ?, ?, 'running', ?, ?, ?, ?)
                """, [run.id, job.name, number, now, spec.stdoutPath, spec.stderrPath, executor.name])
            p.attemptID = db.lastInsertedRowID
            p.submission.name = "\(prefix)-a\(p.attemptID)"
            try db.run("UPDATE attempts SET submit_name = ? WHERE id = ?", [p.submission.name, p.attemptID])
            try db.run("UPDATE jobs SET state = 'running', attempts = ?, started_at = ?, ended_at = NULL, message = ? WHERE run_id = ? AND name = ?",
                       [attempts, now, "submitting to Slurm (\(executor.name))", run.id, job.name])
            try Store.event(db, runID: run.id, job: job.name, kind: "job.running", detail: "attempt \(number), to Slurm as \(p.submission.name)")
        }
    }

    /// Runs sbatch for every attempt the last flush committed; the ids go into the next transaction.
    func startSubmissions(now: Double) {
        let pending = slurm.pending
        slurm.pending = []
        for p in pending {
            guard let run = runs[p.run] else { continue }
            run.jobs[p.job]?.attemptID = p.attemptID
            run.jobs[p.job]?.isChild = false
            var o = SlurmSide.Outstanding(run: p.run, job: p.job, attemptID: p.attemptID, number: p.number,
                                          name: p.submission.name, recordedAt: now)
            do {
                o.slurmID = try slurm.client.submit(p.submission)
            } catch SlurmClient.SlurmError.rejected(let why) {
                finish(run: run, job: p.job, attemptID: p.attemptID, outcome: AttemptOutcome(error: "Slurm rejected the job: \(why)"))
                continue
            } catch {
                // sbatch may have failed after slurmctld took the job: ask by name before giving up on it.
                if let found = try? slurm.client.jobs().first(where: { $0.name == p.submission.name }) {
                    o.slurmID = found.id
                } else {
                    finish(run: run, job: p.job, attemptID: p.attemptID, outcome: AttemptOutcome(error: "could not submit to Slurm: \(error)"))
                    continue
                }
            }
            recordSubmitted(o, run: run)
            slurm.outstanding[p.attemptID] = o
            slurm.pollNow = true
            onProgress?("\(p.job): submitted to Slurm as job \(o.slurmID ?? "?") (attempt \(p.number))")
        }
    }

    func recordSubmitted(_ o: SlurmSide.Outstanding, run: ActiveRun, found: Bool = false) {
        guard let id = o.slurmID else { return }
        let detail = found ? "attempt \(o.number) was submitted before the scheduler stopped: Slurm job \(id) (\(o.name))"
            : "attempt \(o.number): Slurm job \(id) (\(o.name))"
        writes.append { db in
            try db.run("UPDATE attempts SET slurm_job_id = ? WHERE id = ?", [id, o.attemptID])
            try db.run("UPDATE jobs SET message = ? WHERE run_id = ? AND name = ?", ["submitted to Slurm as job \(id)", run.id, o.job])
            try Store.event(db, runID: run.id, job: o.job, kind: found ? "attempt.found" : "attempt.submitted", detail: detail)
        }
    }

    /// An attempt open when its scheduler stopped: watched by id, or looked up by name at the next poll.
    func recoverSlurm(_ attempt: AttemptRecord, in run: ActiveRun) {
        run.jobs[attempt.job]?.attemptID = attempt.id
        run.jobs[attempt.job]?.isChild = false
        run.setState(attempt.job, .running)
        var o = SlurmSide.Outstanding(run: run.id, job: attempt.job, attemptID: attempt.id, number: attempt.number,
                                      name: attempt.submitName ?? "", slurmID: attempt.slurmJobID, node: attempt.node,
                                      recordedAt: attempt.startedAt)
        o.unresolved = true
        slurm.outstanding[attempt.id] = o
        slurm.pollNow = true
    }

    /// One `squeue` for every outstanding attempt, once per poll interval (at once after a change).
    func pollSlurm(now: Double) {
        guard !slurm.outstanding.isEmpty else { return }
        let interval = config.executors.values.filter { $0.kind == .slurm }.map(\.poll).min() ?? 1
        guard slurm.pollNow || now - slurm.lastPoll >= interval else { return }
        slurm.lastPoll = now
        slurm.pollNow = false
        let queue: [SlurmJob]
        do {
            queue = try slurm.client.jobs()
            slurm.unavailableSaid = false
        } catch {
            // Nothing is decided without Slurm's answer; say so once, ask again next interval.
            if !slurm.unavailableSaid { onProgress?("Slurm does not answer (\(error)); its jobs are looked at again in \(JobDuration.format(interval))") }
            slurm.unavailableSaid = true
            return
        }
        let byID = Dictionary(queue.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byName: [String: SlurmJob]?
        for o in slurm.outstanding.values.sorted(by: { $0.attemptID < $1.attemptID }) {
            guard let run = runs[o.run] else { slurm.outstanding[o.attemptID] = nil; continue }
            if o.slurmID == nil && !o.unresolved { continue }
            var o = o
            var seen = o.slurmID.flatMap { byID[$0] }.flatMap { $0.name == o.name ? $0 : nil }
            if o.unresolved {
                if seen == nil {
                    // A killed scheduler's sbatch may still be on its way: decide once it has ended.
                    if SlurmClient.submissionInFlight(name: o.name) { continue }
                    if byName == nil { byName = Dictionary(queue.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
                    seen = byName?[o.name]
                    if let seen, o.slurmID == nil {
                        o.slurmID = seen.id
                        recordSubmitted(o, run: run, found: true)
                    }
                }
                o.unresolved = false
                slurm.outstanding[o.attemptID] = o
            }
            if let job = seen {
                if job.isTerminal { settleSlurm(o, job, run: run) } else { watchSlurm(o, job, run: run, now: now) }
                continue
            }
            // slurmctld no longer knows it: its completion record, or the careful decision.
            let facts = clusterFacts()
            let completed = facts.completion?.records()[o.name]?.last
            let decision = SlurmRecoveryMachine.decide(.init(
                recordedID: o.slurmID != nil, inQueue: false, completed: completed != nil,
                completionFileReadable: facts.completion?.isReadable ?? false, recordedAgo: now - o.recordedAt, minJobAge: facts.minJobAge))
            switch decision {
            case .watch: break
            case .settleFromCompletion:
                if let completed {
                    if o.slurmID == nil {
                        o.slurmID = completed.id
                        recordSubmitted(o, run: run, found: true)
                    }
                    settleSlurm(o, completed, run: run)
                }
            case .neverSubmitted:
                neverSubmitted(o, run: run, now: now)
            case .lost:
                slurm.outstanding[o.attemptID] = nil
                let text = o.slurmID.map { "Slurm no longer knows job \($0) (\(o.name)) and has no completion record of it" }
                    ?? "the scheduler stopped while submitting \(o.name), and Slurm cannot say whether it ran"
                finish(run: run, job: o.job, attemptID: o.attemptID,
                       outcome: AttemptOutcome(error: text + "; check the log, then rerun or skip it"), lost: true)
            }
        }
    }

    /// Still pending or running: keep the node and Slurm's reason for waiting where status shows them.
    func watchSlurm(_ o: SlurmSide.Outstanding, _ job: SlurmJob, run: ActiveRun, now: Double) {
        var o = o
        defer { slurm.outstanding[o.attemptID] = o }
        if let sent = o.cancelSentAt, now - sent >= 10, let id = o.slurmID {
            // Not confirmed cancelled yet: ask again.
            o.cancelSentAt = now
            try? slurm.client.cancel(id)
        }
        if job.isRunning, let node = job.node, node != o.node {
            o.node = node
            let id = job.id, attemptID = o.attemptID, name = o.job
            writes.append { db in
                try db.run("UPDATE attempts SET node = ? WHERE id = ?", [node, attemptID])
                try db.run("UPDATE jobs SET message = ? WHERE run_id = ? AND name = ?", ["running on \(node) (Slurm job \(id))", run.id, name])
                try Store.event(db, runID: run.id, job: name, kind: "attempt.placed", detail: "Slurm job \(id) runs on \(node)")
            }
            onProgress?("\(o.job): running on \(node) (Slurm job \(id))")
        } else if job.state == "PENDING", let reason = job.reason, reason != o.reason, reason != "None" {
            o.reason = reason
            let id = job.id, name = o.job
            writes.append { db in
                try db.run("UPDATE jobs SET message = ? WHERE run_id = ? AND name = ?", ["pending in Slurm as job \(id): \(reason)", run.id, name])
            }
        }
    }

    func settleSlurm(_ o: SlurmSide.Outstanding, _ job: SlurmJob, run: ActiveRun) {
        slurm.outstanding[o.attemptID] = nil
        let node = job.node ?? o.node, attemptID = o.attemptID
        if let node { writes.append { db in try db.run("UPDATE attempts SET node = ? WHERE id = ?", [node, attemptID]) } }
        let cancelled = o.cancelSentAt != nil || run.jobs[o.job]?.killRequested == true
        finish(run: run, job: o.job, attemptID: o.attemptID, outcome: job.outcome(cancelRequested: cancelled))
    }

    /// Proven never to have reached Slurm: the attempt did not run and the job waits to start again.
    func neverSubmitted(_ o: SlurmSide.Outstanding, run: ActiveRun, now: Double) {
        slurm.outstanding[o.attemptID] = nil
        run.setState(o.job, .waiting)
        run.jobs[o.job]?.attemptID = nil
        let attempts = max(0, (run.jobs[o.job]?.attempts ?? o.number) - 1)
        run.jobs[o.job]?.attempts = attempts
        writes.append { db in
            try db.run("UPDATE attempts SET state = 'never-started', ended_at = ?, message = ? WHERE id = ?",
                       [now, "the scheduler stopped before submitting it to Slurm; Slurm has no job of its name, so it did not run", o.attemptID])
            try db.run("UPDATE jobs SET state = 'waiting', attempts = ?, message = NULL WHERE run_id = ? AND name = ?", [attempts, run.id, o.job])
            try Store.event(db, runID: run.id, job: o.job, kind: "attempt.never-started",
                            detail: "attempt \(o.number) never reached Slurm (\(o.name)); the job waits to start again")
        }
    }

    /// kill, a timeout's or `on_failure: kill`'s end: scancel once recorded; the end is recorded when
    /// Slurm reports the job CANCELLED. False if the job is not on Slurm.
    func cancelSlurm(_ run: ActiveRun, _ name: String) -> Bool {
        guard let entry = slurm.outstanding.values.first(where: { $0.run == run.id && $0.job == name }) else { return false }
        var o = entry
        o.cancelSentAt = clock.now()
        slurm.outstanding[o.attemptID] = o
        slurm.pollNow = true
        guard let id = o.slurmID else { return true }
        let client = slurm.client
        writes.append { db in try Store.event(db, runID: run.id, job: name, kind: "job.kill-sent", detail: "scancel of Slurm job \(id)") }
        afterCommit.append { try? client.cancel(id) }
        return true
    }

    func clusterFacts() -> (completion: JobCompletionFile?, minJobAge: Double) {
        if let f = slurm.clusterFacts { return f }
        let configured = config.executors.values.first { $0.kind == .slurm && $0.jobcomp != nil }?.jobcomp
        guard let c = try? slurm.client.configuration() else {
            // Unknown: nothing may be taken as proof that a submission never happened.
            return (configured.map(JobCompletionFile.init(path:)), 0)
        }
        var path = configured
        if path == nil, c["JobCompType"] == "jobcomp/filetxt", let loc = c["JobCompLoc"], loc.hasPrefix("/") { path = loc }
        let age = c["MinJobAge"].flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
        let facts = (path.map(JobCompletionFile.init(path:)), age)
        slurm.clusterFacts = facts
        return facts
    }
}
