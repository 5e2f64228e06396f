import Executors
import JobNets
@testable import Scheduler
import Store
import Testing

/// The job machine on its own: every state × operator command, and attempts ending under every rule,
/// on virtual time (instants are plain numbers; nothing sleeps).
@Suite struct JobMachineTests {
    func job(retry: RetryRule? = nil, exit: ExitJudgement = ExitJudgement(), timeout: Double? = nil,
             onFailure: FailurePolicy = .block) -> Job {
        var j = Job(name: "assess", kind: .command(["true"]), timeout: timeout, onFailure: onFailure)
        j.retry = retry
        j.exit = exit
        return j
    }

    func jobStates(_ effects: [JobMachine.Effect]) -> [JobState] {
        effects.compactMap { if case let .recordJob(s, _, _, _, _, _, _) = $0 { s } else { nil } }
    }

    @Test(arguments: JobState.allCases, [false, true])
    func everyCommandInEveryState(state: JobState, held: Bool) {
        let s = JobMachine.State(state: state, held: held, attempts: 1, nextAt: state == .retryWait ? 100 : nil)
        for c in JobMachine.Command.allCases {
            let (next, effects, answer) = JobMachine.command(c, s, job: "assess", at: 50)
            switch c {
            case .hold:
                let allowed = state == .waiting || state == .retryWait
                #expect(answer.refused == !allowed, "\(state) \(c)")
                #expect(next.held == (allowed || held), "\(state) \(c)")
                #expect(effects == (allowed && !held ? [.recordHeld(true)] : []), "\(state) \(c)")
            case .release:
                #expect(!answer.refused)
                #expect(next.held == false)
                #expect(effects == (held ? [.recordHeld(false)] : []))
                #expect(next.state == state)
            case .skip:
                #expect(answer.refused == (state == .running), "\(state) \(c)")
                if state == .running || state == .normal || state == .skipped {
                    #expect(next == s && effects.isEmpty, "\(state) \(c)")
                } else {
                    #expect(next.state == .skipped && !next.held && next.nextAt == nil)
                    #expect(jobStates(effects) == [.skipped])
                    #expect(effects.contains(.clearHold))
                }
            case .kill:
                #expect(answer.refused == (state != .running))
                #expect(effects == (state == .running ? [.kill] : []))
                #expect(next == s)
            }
        }
    }

    @Test func exitCodesAreJudgedByTheRanges() {
        let exit = ExitJudgement(normal: ExitCodeRanges("0")!, warning: ExitCodeRanges("1-3"), abnormal: ExitCodeRanges("3-"))
        let cases: [(Int, JobState)] = [(0, .normal), (1, .warning), (2, .warning), (3, .abnormal), (9, .abnormal)]
        for (code, expected) in cases {
            let (next, effects) = JobMachine.attemptEnded(JobMachine.State(state: .running, attempts: 1), job: job(exit: exit),
                                                         outcome: AttemptOutcome(exitCode: code), lost: false, at: 10)
            #expect(next.state == expected, "exit \(code)")
            #expect(effects.last == .forgetOutcome)
            #expect(effects.contains(.failurePolicy(.block)) == (expected == .abnormal))
        }
    }

    @Test func retriesFollowTheScheduleWithBackoffAndCap() {
        // 3 further attempts, 60 s doubling, capped at 100 s: waits 60, 100, 100; then abnormal.
        let j = job(retry: RetryRule(count: 3, delay: 60, backoff: 2, maxDelay: 100))
        var s = JobMachine.State(state: .running, attempts: 1)
        var now = 1000.0
        var waits: [Double] = []
        while true {
            let (ended, _) = JobMachine.attemptEnded(s, job: j, outcome: AttemptOutcome(exitCode: 1), lost: false, at: now)
            s = ended
            guard s.state == .retryWait, let at = s.nextAt else { break }
            waits.append(at - now)
            // Not due a moment early; due at its instant.
            #expect(JobMachine.tick(s, at: at - 0.001).0 == s)
            let (due, effects) = JobMachine.tick(s, at: at)
            #expect(due.state == .waiting && due.nextAt == nil)
            #expect(effects.count == 1)
            now = at
            s = due
            s.state = .running
            s.attempts += 1
        }
        #expect(waits == [60, 100, 100])
        #expect(s.state == .abnormal && s.attempts == 4)
    }

    @Test func someEndsAreNeverRetried() {
        let j = job(retry: RetryRule(count: 5, delay: 1, onCodes: ExitCodeRanges("75")))
        let s = JobMachine.State(state: .running, attempts: 1)
        let outcomes: [(AttemptOutcome, Bool, JobState)] = [
            (AttemptOutcome(exitCode: 75), false, .retryWait),                 // a listed code
            (AttemptOutcome(exitCode: 1), false, .abnormal),                   // not listed
            (AttemptOutcome(exitCode: 75), true, .abnormal),                   // lost: nobody saw it end
            (AttemptOutcome(exitCode: 75, killed: true), false, .abnormal),    // an operator's kill
            (AttemptOutcome(error: "cannot start"), false, .abnormal),
            (AttemptOutcome(exitCode: 0, logError: "disk full"), false, .abnormal),  // output not kept
        ]
        for (outcome, lost, expected) in outcomes {
            #expect(JobMachine.attemptEnded(s, job: j, outcome: outcome, lost: lost, at: 5).0.state == expected, "\(outcome) lost \(lost)")
        }
    }

    @Test func aTimeoutSaysHowLongItWaited() {
        let (next, effects) = JobMachine.attemptEnded(JobMachine.State(state: .running, attempts: 1), job: job(timeout: 1800),
                                                     outcome: AttemptOutcome(signal: 15, timedOut: true), lost: false, at: 5)
        #expect(next.state == .abnormal)
        #expect(effects.contains { if case let .recordAttempt(_, verdict, message, _) = $0 { verdict == .abnormal && message == "timed out after 30m" } else { false } })
    }
}

/// How a run ends, from every combination of two jobs' final states and failure policies.
@Suite struct RunMachineTests {
    @Test func everyPairOfFinalStatesUnderEveryPolicy() {
        let ended: [JobState] = [.normal, .warning, .abnormal, .skipped, .notRun]
        let policies: [FailurePolicy] = [.block, .stop, .kill, .continue]
        for a in ended { for b in ended { for p in policies {
            let jobs = [(Job(name: "a", kind: .command(["true"]), onFailure: p), a), (Job(name: "b", kind: .command(["true"])), b)]
            let expected: RunState
            if a == .notRun || b == .notRun || b == .abnormal || (a == .abnormal && p != .continue) { expected = .abnormal }
            else if a == .warning || b == .warning || a == .abnormal { expected = .warning }
            else { expected = .normal }
            #expect(RunMachine.end(jobs) == expected, "\(a) (\(p)) + \(b)")
        } } }
        #expect(RunMachine.summary([.normal, .notRun, .normal]) == "2 normal, 1 not-run")
    }
}

/// A file wait's decisions on virtual time: appear, grow, settle, or time out.
@Suite struct FileWaitMachineTests {
    @Test func aFileCountsOnceItsSizeHoldsForTheStableTime() {
        var w = JobMachine.FileWatch()
        func look(_ size: Int64?, _ t: Double) -> JobMachine.FileVerdict {
            let (next, v) = JobMachine.fileSeen(w, size: size, at: t, stable: 10, timeout: 100, startedAt: 0)
            w = next
            return v
        }
        #expect(look(nil, 1) == .waiting)
        #expect(look(5, 2) == .waiting)
        #expect(look(5, 11.9) == .waiting)
        #expect(look(9, 12) == .waiting)       // grew: the stable time starts again
        #expect(look(9, 21.9) == .waiting)
        #expect(look(9, 22) == .arrived(bytes: 9))
        w = JobMachine.FileWatch()
        #expect(look(3, 30) == .waiting)
        #expect(look(nil, 35) == .waiting)     // gone again: forgotten
        #expect(w == JobMachine.FileWatch())
        #expect(look(nil, 99.9) == .waiting)
        #expect(look(nil, 100) == .timedOut)
        // A file that settles exactly at the timeout has arrived.
        #expect(JobMachine.fileSeen(JobMachine.FileWatch(size: 1, stableSince: 90), size: 1, at: 100, stable: 10, timeout: 100, startedAt: 0).1 == .arrived(bytes: 1))
    }
}

/// Recovery's decision for every combination of what it can find.
@Suite struct RecoveryMachineTests {
    @Test func everyCombinationOfFacts() {
        for outcome in [false, true] { for fenced in [false, true] { for alive in [false, true] { for group in [false, true] {
          for byRecovery in [false, true] where fenced || !byRecovery {
            let d = RecoveryMachine.decide(.init(outcome: outcome, fenced: fenced, fencedByRecovery: byRecovery, supervisorAlive: alive, groupAlive: group))
            let expected: RecoveryMachine.Decision = outcome ? .settleFromOutcome : !fenced ? .claimFence
                : byRecovery ? .neverStarted : alive ? .watchSupervisor : group ? .watchJobGroup : .lost
            #expect(d == expected, "outcome \(outcome) fenced \(fenced) by recovery \(byRecovery) alive \(alive) group \(group)")
            // Never started again on its own once it may have run: only an unfenced attempt is claimed, and
            // only one a recovery fenced off is started afresh.
            #expect((d == .claimFence) == (!outcome && !fenced))
            #expect((d == .neverStarted) == (!outcome && fenced && byRecovery))
          }
        } } } }
    }
}

/// Which ready jobs start: file order, holds, the concurrency limit, a stopping run, a held net.
@Suite struct JobsToStartTests {
    let order = ["a": 0, "b": 1, "c": 2, "d": 3]

    @Test func startsInFileOrderUpToTheLimitSkippingHeldJobs() {
        let ready: Set<String> = ["d", "b", "a", "c"]
        #expect(RunMachine.jobsToStart(ready: ready, held: [], order: order, running: 0, concurrency: 4, stopping: false, netHeld: false) == ["a", "b", "c", "d"])
        #expect(RunMachine.jobsToStart(ready: ready, held: [], order: order, running: 2, concurrency: 4, stopping: false, netHeld: false) == ["a", "b"])
        #expect(RunMachine.jobsToStart(ready: ready, held: ["a"], order: order, running: 1, concurrency: 3, stopping: false, netHeld: false) == ["b", "c"])
        #expect(RunMachine.jobsToStart(ready: ready, held: [], order: order, running: 4, concurrency: 4, stopping: false, netHeld: false).isEmpty)
        #expect(RunMachine.jobsToStart(ready: ready, held: [], order: order, running: 0, concurrency: 4, stopping: true, netHeld: false).isEmpty)
        #expect(RunMachine.jobsToStart(ready: ready, held: [], order: order, running: 0, concurrency: 4, stopping: false, netHeld: true).isEmpty)
    }
}
