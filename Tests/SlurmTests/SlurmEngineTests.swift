import Foundation
import GRDB
import JobNets
@testable import Scheduler
import Slurm
import Store
import Testing


extension SlurmSuites {
    /// Nets whose jobs run on the real two-node cluster through the real engine.
    @Suite struct SlurmEngineTests {
        @Test func aNetRunsOnSlurmInOrderWithJudgementRetriesLogsAndBothNodes() throws {
            let c = try SlurmCluster.get()
            let t = try SlurmSite(["hpcnet": """
                name: hpcnet
                executor: hpc
                concurrency: 4
                jobs:
                  a:
                    run: [sh, -c, 'echo "a $SLURMD_NODENAME" >> order.txt; echo out-a; echo err-a >&2']
                  b1:
                    needs: [a]
                    run: [sh, -c, 'sleep 1; echo "b1 $SLURMD_NODENAME" >> order.txt']
                    cpus: 2
                    memory: 64M
                  b2:
                    needs: [a]
                    run: [sh, -c, 'sleep 1; echo "b2 $SLURMD_NODENAME" >> order.txt']
                    cpus: 2
                  warn:
                    needs: [b1, b2]
                    run: [sh, -c, 'exit 2']
                    exit: { warning: "2" }
                  flaky:
                    needs: [a]
                    run: [sh, -c, 'n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; [ "$n" -ge 1 ]']
                    retry: { count: 2 }
                  here:
                    executor: local
                    needs: [a]
                    run: [sh, -c, 'echo "here ${SLURMD_NODENAME:-local}" >> here.txt']
                  last:
                    needs: [warn, flaky, here]
                    run: [sh, -c, 'echo "last $SLURMD_NODENAME" >> order.txt']
                """], cluster: c)
            let e = try t.engine()
            let id = try t.start("hpcnet", e)
            let state = try e.runToEnd(id)
            #expect(state == .warning)
            let jobs = try t.jobs(id)
            #expect(jobs["warn"]?.state == .warning && jobs["warn"]?.exitCode == 2)
            #expect(jobs["flaky"]?.state == .normal && jobs["flaky"]?.attempts == 2)
            #expect(jobs["last"]?.state == .normal)
            // Dependency order, as the jobs themselves wrote it on their nodes.
            let order = (t.read("order.txt") ?? "").split(separator: "\n").map { String($0.split(separator: " ")[0]) }
            #expect(order.first == "a" && order.last == "last" && Set(order[1...2]) == ["b1", "b2"], "\(order)")
            #expect(t.read("here.txt") == "here local\n")
            let attempts = try t.store.attempts(ofRun: id)
            let onSlurm = attempts.filter { $0.executor == "hpc" }
            #expect(onSlurm.count == 7)   // a, b1, b2, warn, flaky ×2, last
            #expect(onSlurm.allSatisfy { $0.slurmJobID != nil && ($0.node == "n1" || $0.node == "n2") && $0.submitName != nil })
            #expect(attempts.first { $0.job == "here" }?.executor == nil)
            // b1 and b2 each take a whole node (2 CPUs) at the same time: both nodes were used.
            let b = onSlurm.filter { $0.job == "b1" || $0.job == "b2" }.compactMap(\.node)
            #expect(Set(b) == ["n1", "n2"], "\(b)")
            // Logs where `nightjar log` reads them.
            let a = try #require(attempts.first { $0.job == "a" })
            #expect(try String(contentsOfFile: try #require(a.stdoutPath), encoding: .utf8) == "out-a\n")
            #expect(try String(contentsOfFile: try #require(a.stderrPath), encoding: .utf8) == "err-a\n")
            // Slurm's own records: every submission name once, with the exit code the engine recorded.
            let records = c.completions()
            #expect(try eventually(10) { onSlurm.allSatisfy { c.completions()[$0.submitName ?? ""]?.count == 1 } })
            for attempt in onSlurm {
                let r = c.completions()[attempt.submitName ?? ""]?.first
                #expect(r?.id == attempt.slurmJobID)
                #expect(r?.exitCode == attempt.exitCode, "\(attempt.job)")
            }
            _ = records
            let events = try t.store.events(ofRun: id).map(\.kind)
            #expect(events.filter { $0 == "attempt.submitted" }.count == 7)
            #expect(events.contains("attempt.placed"))
        }

        @Test func killCancelsThroughScancelAndOnFailureKillToo() throws {
            let c = try SlurmCluster.get()
            let t = try SlurmSite(["stop": """
                name: stop
                executor: hpc
                jobs:
                  long: { run: [sleep, "300"] }
                  other: { run: [sleep, "300"] }
                  failing: { run: [sh, -c, 'sleep 2; exit 4'], on_failure: kill }
                """, "cancel": """
                name: cancel
                executor: hpc
                jobs:
                  long: { run: [sleep, "300"] }
                """], cluster: c)
            // An operator's kill.
            let e = try t.engine()
            let id = try t.start("cancel", e)
            #expect(try eventually(30) { try e.step(); return try t.store.attempts(ofRun: id).first?.node != nil })
            let control = RunControl(store: t.store, site: t.site, config: try SiteConfig.load(site: t.site), user: "tanaka")
            _ = try control.command("kill", run: try #require(try t.store.run(id)), job: "long", reason: "hung", wait: 0)
            #expect(try e.runToEnd(id) == .abnormal)
            let attempt = try #require(try t.store.attempts(ofRun: id).first)
            #expect(attempt.killed)
            let slurmID = try #require(attempt.slurmJobID)
            #expect(try c.client.jobs().first { $0.id == slurmID }?.state == "CANCELLED")
            #expect(try t.store.events(ofRun: id).contains { $0.kind == "job.kill-sent" && ($0.detail ?? "").contains("scancel") })
            // on_failure: kill cancels the other running jobs.
            let id2 = try t.start("stop", e)
            #expect(try e.runToEnd(id2) == .abnormal)
            let jobs = try t.jobs(id2)
            #expect(jobs["failing"]?.exitCode == 4)
            let cancelled = try t.store.attempts(ofRun: id2).filter { $0.job != "failing" }
            #expect(cancelled.count == 2 && cancelled.allSatisfy(\.killed))
            for a in cancelled { #expect(try c.client.jobs().first { $0.id == a.slurmJobID }?.state == "CANCELLED") }
        }

        @Test func aRejectedJobEndsAbnormalWithSlurmsMessage() throws {
            let c = try SlurmCluster.get()
            let t = try SlurmSite(["rej": """
                name: rej
                jobs:
                  big: { run: [/bin/true], executor: hpc, memory: 900G }
                """], cluster: c)
            let e = try t.engine()
            let id = try t.start("rej", e)
            #expect(try e.runToEnd(id) == .abnormal)
            let job = try #require(try t.jobs(id)["big"])
            #expect(job.message?.contains("Slurm rejected the job") == true, "\(job.message ?? "")")
            #expect(try t.store.attempts(ofRun: id).first?.slurmJobID == nil)
        }

        @Test func anAttemptRecordedButNeverSubmittedIsSubmittedOnceAfterACrash() throws {
            let c = try SlurmCluster.get()
            let t = try SlurmSite(["once": "name: once\nexecutor: hpc\njobs:\n  j: { run: [sh, -c, 'echo ran >> ran.txt'] }\n"], cluster: c)
            // The first engine commits the attempt, then "dies" before sbatch runs.
            let e1 = try t.engine()
            let id = try t.start("once", e1)
            let run = try #require(e1.runs[id])
            try e1.advance(run, now: e1.clock.now())
            try e1.flush()
            #expect(try t.store.attempts(ofRun: id).first?.submitName != nil)
            // A second engine (the restarted daemon) adopts it: Slurm has no such name, so it never ran.
            let e2 = try t.engine()
            try e2.adopt(id)
            #expect(try e2.runToEnd(id) == .normal)
            let attempts = try t.store.attempts(ofRun: id)
            #expect(attempts.map(\.state) == [.neverStarted, .ended])
            #expect(t.read("ran.txt") == "ran\n")
            #expect(c.completions()[attempts[0].submitName ?? ""] == nil)
        }

        @Test func aSubmissionWhoseIdWasNotCommittedIsFoundByNameNotSubmittedAgain() throws {
            let c = try SlurmCluster.get()
            let t = try SlurmSite(["found": "name: found\nexecutor: hpc\njobs:\n  j: { run: [sh, -c, 'sleep 1; echo ran >> ran.txt; exit 3'] }\n"], cluster: c)
            let e1 = try t.engine()
            let id = try t.start("found", e1)
            let run = try #require(e1.runs[id])
            try e1.advance(run, now: e1.clock.now())
            try e1.flush()
            e1.startSubmissions(now: e1.clock.now())
            // sbatch has run; the transaction holding its id never commits (the daemon dies here).
            #expect(try t.store.attempts(ofRun: id).first?.slurmJobID == nil)
            let e2 = try t.engine()
            try e2.adopt(id)
            #expect(try e2.runToEnd(id) == .abnormal)
            let attempts = try t.store.attempts(ofRun: id)
            #expect(attempts.count == 1)
            #expect(attempts.first?.exitCode == 3)
            #expect(attempts.first?.slurmJobID != nil)
            #expect(t.read("ran.txt") == "ran\n")
            #expect(try t.store.events(ofRun: id).contains { $0.kind == "attempt.found" })
            #expect(try eventually(10) { c.completions()[attempts.first?.submitName ?? ""]?.count == 1 })
        }

        @Test func whatEndedWhileTheSchedulerWasDownIsRecordedFromSlurm() throws {
            let c = try SlurmCluster.get()
            let t = try SlurmSite(["down": "name: down\nexecutor: hpc\njobs:\n  j: { run: [sh, -c, 'exit 5'] }\n"], cluster: c)
            let e1 = try t.engine()
            let id = try t.start("down", e1)
            #expect(try eventually(30) { try e1.step(); return try t.store.attempts(ofRun: id).first?.slurmJobID != nil })
            let slurmID = try #require(try t.store.attempts(ofRun: id).first?.slurmJobID)
            // The engine is gone; the job ends in Slurm meanwhile.
            #expect(try eventually(30) { try c.client.jobs().first { $0.id == slurmID }?.isTerminal == true })
            let e2 = try t.engine()
            try e2.adopt(id)
            #expect(try e2.runToEnd(id) == .abnormal)
            let a = try #require(try t.store.attempts(ofRun: id).first)
            #expect(a.exitCode == 5 && a.state == .ended && a.node != nil)
        }

        @Test func aTimeoutIsEnforcedAndEndedBySlurm() throws {
            // Slurm's time limit is in whole minutes and checked about every 30 s: this takes 60–100 s.
            let c = try SlurmCluster.get()
            let t = try SlurmSite(["slow": "name: slow\nexecutor: hpc\njobs:\n  j: { run: [sleep, \"600\"], timeout: 1m }\n"], cluster: c)
            let e = try t.engine()
            let id = try t.start("slow", e)
            #expect(try e.runToEnd(id) == .abnormal)
            let a = try #require(try t.store.attempts(ofRun: id).first)
            #expect(a.timedOut && !a.killed)
            #expect(try t.jobs(id)["j"]?.message?.contains("timed out after 1m") == true)
            #expect(try c.client.jobs().first { $0.id == a.slurmJobID }?.state == "TIMEOUT")
            #expect(a.endedAt.map { $0 - a.startedAt } ?? 0 >= 59)
        }

        @Test func recoveryDecisions() {
            typealias M = SlurmRecoveryMachine
            func f(id: Bool = false, queue: Bool = false, done: Bool = false, file: Bool = true, ago: Double = 5, age: Double = 300) -> M.Facts {
                M.Facts(recordedID: id, inQueue: queue, completed: done, completionFileReadable: file, recordedAgo: ago, minJobAge: age)
            }
            #expect(M.decide(f(queue: true)) == .watch)
            #expect(M.decide(f(id: true, queue: true)) == .watch)
            #expect(M.decide(f(done: true)) == .settleFromCompletion)
            #expect(M.decide(f(id: true)) == .lost)
            #expect(M.decide(f()) == .neverSubmitted)
            // Without a completion file, absence proves nothing once Slurm may have forgotten the job.
            #expect(M.decide(f(file: false, ago: 5)) == .neverSubmitted)
            #expect(M.decide(f(file: false, ago: 400)) == .lost)
            #expect(M.decide(f(file: false, ago: 5, age: 0)) == .lost)
        }
    }
}
