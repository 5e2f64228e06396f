import JobNets
@testable import Scheduler
import Store
import Testing

/// The run machine's events on their own, on virtual time: `after:` checks, deadlines in every run
/// state, failure policies, an operator's kill, and when a run settles.
@Suite struct RunMachineEventTests {
    let name = RunMachine.Name(net: "tax", date: "2026-06-10")

    func kinds(_ effects: [RunMachine.Effect]) -> [String] {
        effects.compactMap { if case let .alert(kind, _) = $0 { kind } else { nil } }
    }

    @Test func aWaitingRunRecordsWhatItWaitsForOnceThenStarts() {
        let s = RunMachine.State(state: .waiting)
        let (waiting, e1) = RunMachine.afterNetsChecked(s, missing: ["registry-sync"], name: name, at: 10)
        let text = "waiting for registry-sync to end normally for 2026-06-10"
        #expect(e1 == [.recordWaiting(text), .progress(text)])
        #expect(waiting.waitingFor == text && waiting.state == .waiting)
        // The same answer a second later records nothing (it used to write every step).
        let (same, e2) = RunMachine.afterNetsChecked(waiting, missing: ["registry-sync"], name: name, at: 11)
        #expect(e2.isEmpty && same == waiting)
        let (other, e3) = RunMachine.afterNetsChecked(waiting, missing: ["a", "b"], name: name, at: 12)
        #expect(e3.count == 2 && other.waitingFor == "waiting for a, b to end normally for 2026-06-10")
        let (running, e4) = RunMachine.afterNetsChecked(other, missing: [], name: name, at: 13)
        #expect(e4 == [.recordRunning(at: 13)])
        #expect(running.state == .running && running.startedAt == 13 && running.waitingFor == nil)
        // Only a waiting run that is not being cancelled reacts.
        for st in [RunState.running, .normal, .abnormal, .warning] {
            #expect(RunMachine.afterNetsChecked(RunMachine.State(state: st), missing: [], name: name, at: 1).1.isEmpty)
        }
        #expect(RunMachine.afterNetsChecked(RunMachine.State(state: .waiting, stopping: true), missing: [], name: name, at: 1).1.isEmpty)
    }

    @Test(arguments: [RunState.waiting, .running, .normal, .warning, .abnormal])
    func deadlinesRaiseOnceInTheStatesTheyConcern(state: RunState) {
        let start = (at: 100.0, text: "23:00"), end = (at: 200.0, text: "05:00")
        let s = RunMachine.State(state: state)
        #expect(RunMachine.deadlines(s, start: start, end: end, name: name, at: 99).1.isEmpty)
        let (afterStart, e1) = RunMachine.deadlines(s, start: start, end: end, name: name, at: 100)
        #expect(kinds(e1) == (state == .waiting ? ["start-deadline"] : []))
        let (afterEnd, e2) = RunMachine.deadlines(afterStart, start: start, end: end, name: name, at: 200)
        let open = state == .waiting || state == .running
        #expect(kinds(e2) == (open ? ["end-delay"] : []))
        if state == .running, case let .alert(_, message)? = e2.first {
            #expect(message == "tax for 2026-06-10 has not ended by its end deadline 05:00")
        }
        // Passed deadlines stay passed: no further alert, however often the engine looks.
        for t in [200.0, 300, 10_000] {
            #expect(RunMachine.deadlines(afterEnd, start: start, end: end, name: name, at: t).1.isEmpty)
        }
        #expect(RunMachine.deadlines(s, start: nil, end: nil, name: name, at: 1e9).1.isEmpty)
    }

    @Test(arguments: [FailurePolicy.block, .continue, .stop, .kill], [false, true])
    func failurePolicies(policy: FailurePolicy, stoppingAlready: Bool) {
        let s = RunMachine.State(state: .running, stopping: stoppingAlready, stopReason: stoppingAlready ? "earlier" : nil)
        let (next, effects) = RunMachine.jobFailed(s, job: "assess", policy: policy, running: ["print", "totals"])
        switch policy {
        case .block, .continue:
            #expect(next == s && effects.isEmpty)
        case .stop, .kill:
            #expect(next.stopping)
            let reason = "assess ended abnormally and its on_failure is \(policy.rawValue)"
            #expect(next.stopReason == (stoppingAlready ? "earlier" : reason))
            var expected: [RunMachine.Effect] = stoppingAlready ? [] : [.recordStopping(reason)]
            if policy == .kill { expected.append(.killJobs(["print", "totals"])) }
            #expect(effects == expected)
        }
        if policy == .kill {
            #expect(RunMachine.jobFailed(s, job: "assess", policy: .kill, running: []).1.allSatisfy { $0 != .killJobs([]) })
        }
    }

    @Test func anOperatorsKillCancelsAWaitingRunOrStopsARunningOne() {
        let waiting = RunMachine.State(state: .waiting, waitingFor: "waiting for a to end normally for 2026-06-10")
        let (w, we, wa) = RunMachine.kill(waiting, running: [])
        #expect(wa == "cancelled; it was waiting for a to end normally for 2026-06-10")
        #expect(w.stopping && we == [.recordStopping("cancelled by an operator while waiting for a to end normally for 2026-06-10")])
        #expect(RunMachine.kill(RunMachine.State(state: .waiting), running: []).answer == "cancelled; it was waiting to start")

        let running = RunMachine.State(state: .running)
        let (r, re, ra) = RunMachine.kill(running, running: ["b", "c"])
        #expect(ra == "stopped; killing b, c" && r.stopping)
        #expect(re == [.recordStopping("the net was killed by an operator"), .killJobs(["b", "c"])])
        #expect(RunMachine.kill(running, running: []).answer == "stopped; no job was running")
        // Killing twice: the run is already stopping; only the kill of what runs is repeated.
        #expect(RunMachine.kill(r, running: ["b"]).1 == [.killJobs(["b"])])
    }

    func jobs(_ states: [(String, JobState, [String])], policy: FailurePolicy = .block) -> [(job: Job, state: JobState)] {
        states.map { (Job(name: $0.0, kind: .command(["true"]), needs: $0.2, onFailure: policy), $0.1) }
    }

    @Test func aRunSettlesOnlyWhenNothingRunsOrCanStart() {
        let s = RunMachine.State(state: .running)
        let all = jobs([("a", .normal, []), ("b", .waiting, ["a"])])
        // Something runs, or a job could start: not yet.
        #expect(RunMachine.settle(s, jobs: .init(states: all, busy: true, startable: false, blocked: []), name: name, at: 5).1.isEmpty)
        #expect(RunMachine.settle(s, jobs: .init(states: all, busy: false, startable: true, blocked: []), name: name, at: 5).1.isEmpty)
        // A waiting job that is held (not startable, not blocked) keeps the run open for its release.
        #expect(RunMachine.settle(s, jobs: .init(states: all, busy: false, startable: false, blocked: []), name: name, at: 5).1.isEmpty)

        let done = jobs([("a", .normal, []), ("b", .warning, ["a"])])
        let (ended, e) = RunMachine.settle(s, jobs: .init(states: done, busy: false, startable: false, blocked: []), name: name, at: 7)
        #expect(ended.state == .warning && e == [.recordEnd(.warning, summary: "1 normal, 1 warning", at: 7)])
        // An ended run does not end again.
        #expect(RunMachine.settle(ended, jobs: .init(states: done, busy: false, startable: false, blocked: []), name: name, at: 8).1.isEmpty)
    }

    @Test func blockedJobsAreNotRunAndTheAbnormalEndAlertsOnce() {
        let s = RunMachine.State(state: .running)
        let states = jobs([("a", .abnormal, []), ("b", .waiting, ["a"]), ("c", .waiting, ["b"])])
        let (next, effects) = RunMachine.settle(s, jobs: .init(states: states, busy: false, startable: false, blocked: ["b", "c"]), name: name, at: 9)
        let why = "a job it needs did not end normally"
        #expect(effects == [.recordNotRun(job: "b", why: why), .recordNotRun(job: "c", why: why),
                            .recordEnd(.abnormal, summary: "1 abnormal, 2 not-run", at: 9),
                            .alert(kind: "run-abnormal", message: "tax for 2026-06-10 ended abnormally: 1 abnormal, 2 not-run")])
        #expect(next.state == .abnormal && next.alerted == ["run-abnormal"])
    }

    @Test func aStoppingRunEndsWithItsReasonEvenWithStartableJobs() {
        let (stopped, _) = RunMachine.jobFailed(RunMachine.State(state: .running), job: "a", policy: .stop, running: [])
        let states = jobs([("a", .abnormal, []), ("x", .waiting, [])], policy: .stop)
        let (next, effects) = RunMachine.settle(stopped, jobs: .init(states: states, busy: false, startable: true, blocked: []), name: name, at: 3)
        #expect(effects.first == .recordNotRun(job: "x", why: "a ended abnormally and its on_failure is stop"))
        #expect(next.state == .abnormal)
        // A run cancelled while waiting ends at once, every job not-run with the operator's reason.
        let (cancelled, _, _) = RunMachine.kill(RunMachine.State(state: .waiting), running: [])
        let (end, e2) = RunMachine.settle(cancelled, jobs: .init(states: jobs([("p", .waiting, [])]), busy: false, startable: true, blocked: []), name: name, at: 4)
        #expect(end.state == .abnormal)
        #expect(e2.first == .recordNotRun(job: "p", why: "cancelled by an operator while waiting to start"))
        // A waiting run nobody cancelled never settles: it has not started.
        #expect(RunMachine.settle(RunMachine.State(state: .waiting), jobs: .init(states: jobs([("p", .waiting, [])]), busy: false, startable: false, blocked: []), name: name, at: 4).1.isEmpty)
    }
}
