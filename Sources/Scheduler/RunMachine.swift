import JobNets
import Store

/// A run's life as a pure machine, beside `JobMachine` for its jobs: the run's state and an event in
/// (its `after:` nets looked at, a deadline instant reached, a job's failure policy, an operator's kill,
/// its jobs settling), its new state and the effects to perform out. No I/O and no clock: instants and
/// what the engine saw come with the events. The engine commits the record effects in one transaction
/// and performs the others (signals, notify commands) only after that commit.
public enum RunMachine {
    /// What the machine knows of a run.
    public struct State: Equatable, Sendable {
        public var state: RunState
        /// No further job starts (on_failure stop/kill, or `kill NET`), and why.
        public var stopping = false
        public var stopReason: String?
        /// What a waiting run waits for, as last recorded.
        public var waitingFor: String?
        public var startedAt: Double?
        /// Alert kinds already raised: a deadline that has passed stays passed, and must raise once.
        public var alerted: Set<String> = []

        public init(state: RunState, stopping: Bool = false, stopReason: String? = nil, waitingFor: String? = nil,
                    startedAt: Double? = nil, alerted: Set<String> = []) {
            self.state = state; self.stopping = stopping; self.stopReason = stopReason
            self.waitingFor = waitingFor; self.startedAt = startedAt; self.alerted = alerted
        }
    }

    public enum Effect: Equatable, Sendable {
        /// Record what the waiting run waits for (the run's message, with an event).
        case recordWaiting(String)
        /// Record that the run started running.
        case recordRunning(at: Double)
        /// Record that no further job of the run starts, and why.
        case recordStopping(String)
        /// After the commit: kill these running jobs (each through its own `JobMachine` kill).
        case killJobs([String])
        /// Record a waiting job that will never start in this run.
        case recordNotRun(job: String, why: String)
        /// Record the run's end; the run leaves the engine.
        case recordEnd(RunState, summary: String, at: Double)
        /// Record an alert; after the commit, notify it.
        case alert(kind: String, message: String)
        /// A line for the person watching.
        case progress(String)
    }

    /// What identifies a run in messages.
    public struct Name: Equatable, Sendable {
        public var net: String
        public var date: String
        public init(net: String, date: String) { self.net = net; self.date = date }
    }

    // MARK: - Events

    /// A waiting run's `after:` nets were looked at: `missing` are those without a normal end for the
    /// same business date. None missing: the run starts running.
    public static func afterNetsChecked(_ s: State, missing: [String], name: Name, at now: Double) -> (State, [Effect]) {
        guard s.state == .waiting, !s.stopping else { return (s, []) }
        var next = s
        guard missing.isEmpty else {
            let text = "waiting for \(missing.joined(separator: ", ")) to end normally for \(name.date)"
            guard text != s.waitingFor else { return (s, []) }
            next.waitingFor = text
            return (next, [.recordWaiting(text), .progress(text)])
        }
        next.state = .running
        next.startedAt = now
        next.waitingFor = nil
        return (next, [.recordRunning(at: now)])
    }

    /// The net's deadlines, as instants, looked at `now`: the start deadline concerns a run that has
    /// not started; the end deadline, one that has not ended. Each alert is raised once per run.
    public static func deadlines(_ s: State, start: (at: Double, text: String)?, end: (at: Double, text: String)?,
                                 name: Name, at now: Double) -> (State, [Effect]) {
        var next = s
        var effects: [Effect] = []
        func raise(_ kind: String, _ message: String) {
            if next.alerted.insert(kind).inserted { effects.append(.alert(kind: kind, message: message)) }
        }
        if s.state == .waiting, let d = start, now >= d.at {
            raise("start-deadline", "\(name.net) for \(name.date) has not started by its start deadline \(d.text)")
        }
        if s.state == .waiting || s.state == .running, let d = end, now >= d.at {
            raise("end-delay", "\(name.net) for \(name.date) has not ended by its end deadline \(d.text)")
        }
        return (next, effects)
    }

    /// A job ended abnormally: its failure policy may stop the run (`stop`) and kill what runs (`kill`).
    public static func jobFailed(_ s: State, job: String, policy: FailurePolicy, running: [String]) -> (State, [Effect]) {
        switch policy {
        case .block, .continue: return (s, [])
        case .stop: return stop(s, reason: "\(job) ended abnormally and its on_failure is stop")
        case .kill:
            let (next, effects) = stop(s, reason: "\(job) ended abnormally and its on_failure is kill")
            return (next, effects + (running.isEmpty ? [] : [.killJobs(running)]))
        }
    }

    /// An operator killed the whole run. A waiting run is cancelled (it ends once `settle` sees it);
    /// a running one stops starting jobs and its running jobs are killed. Returns the verb's sentence.
    public static func kill(_ s: State, running: [String]) -> (State, [Effect], answer: String) {
        if s.state == .waiting {
            let what = s.waitingFor ?? "waiting to start"
            let (next, effects) = stop(s, reason: "cancelled by an operator while \(what)")
            return (next, effects, "cancelled; it was \(what)")
        }
        let (next, effects) = stop(s, reason: "the net was killed by an operator")
        return (next, effects + (running.isEmpty ? [] : [.killJobs(running)]), running.isEmpty ? "stopped; no job was running" : "stopped; killing \(running.joined(separator: ", "))")
    }

    /// What the engine sees of a run's jobs when it asks whether the run has ended.
    public struct Jobs: Sendable {
        /// Every job with its state, in the net's order.
        public var states: [(job: Job, state: JobState)]
        /// Some job runs or waits to retry.
        public var busy: Bool
        /// Some job could start now and is not held.
        public var startable: Bool
        /// Waiting jobs that can never start (something they need failed).
        public var blocked: Set<String>

        public init(states: [(job: Job, state: JobState)], busy: Bool, startable: Bool, blocked: Set<String>) {
            self.states = states; self.busy = busy; self.startable = startable; self.blocked = blocked
        }
    }

    /// The run ends when nothing of it runs or can still start: waiting jobs that never will are
    /// recorded not-run (with why), then the run's end from its jobs' states, with an alert when it is
    /// abnormal. A held job that could start keeps the run open, awaiting its release.
    public static func settle(_ s: State, jobs: Jobs, name: Name, at now: Double) -> (State, [Effect]) {
        guard s.state == .running || (s.state == .waiting && s.stopping) else { return (s, []) }
        if jobs.busy { return (s, []) }
        if !s.stopping && jobs.startable { return (s, []) }
        var notRun: [String] = []
        for (job, state) in jobs.states where state == .waiting {
            if !jobs.blocked.contains(job.name) && !s.stopping { return (s, []) }
            notRun.append(job.name)
        }
        let why = s.stopping ? (s.stopReason ?? "the net was stopped") : "a job it needs did not end normally"
        var effects: [Effect] = notRun.map { .recordNotRun(job: $0, why: why) }
        let finalStates = jobs.states.map { (job: $0.job, state: notRun.contains($0.job.name) ? JobState.notRun : $0.state) }
        let final = end(finalStates)
        let text = summary(finalStates.map(\.state))
        var next = s
        next.state = final
        next.waitingFor = nil
        effects.append(.recordEnd(final, summary: text, at: now))
        if final == .abnormal, next.alerted.insert("run-abnormal").inserted {
            effects.append(.alert(kind: "run-abnormal", message: "\(name.net) for \(name.date) ended abnormally: \(text)"))
        }
        return (next, effects)
    }

    static func stop(_ s: State, reason: String) -> (State, [Effect]) {
        guard !s.stopping else { return (s, []) }
        var next = s
        next.stopping = true
        next.stopReason = reason
        return (next, [.recordStopping(reason)])
    }

    // MARK: - Decisions

    /// The end of a run from its jobs' final states: abnormal when a job did not run, or ended abnormal
    /// with a failure policy other than `continue`; warning when a job ended with a warning or abnormal
    /// under `continue`; normal otherwise.
    public static func end(_ jobs: [(job: Job, state: JobState)]) -> RunState {
        if jobs.contains(where: { $0.state == .notRun || ($0.state == .abnormal && $0.job.onFailure != .continue) }) {
            return .abnormal
        }
        if jobs.contains(where: { $0.state == .warning || $0.state == .abnormal }) { return .warning }
        return .normal
    }

    /// "2 normal, 1 not-run": each job state present, in the states' order.
    public static func summary(_ states: [JobState]) -> String {
        var counts: [JobState: Int] = [:]
        for s in states { counts[s, default: 0] += 1 }
        return JobState.allCases.compactMap { st in counts[st].map { "\($0) \(st.rawValue)" } }.joined(separator: ", ")
    }

    /// Which ready jobs start now: none while the run is stopping or its net is held; otherwise, in the
    /// order the net lists them, the ones not held, as many as the concurrency leaves room for.
    public static func jobsToStart(ready: Set<String>, held: Set<String>, order: [String: Int], running: Int, concurrency: Int,
                                   stopping: Bool, netHeld: Bool) -> [String] {
        guard !stopping, !netHeld else { return [] }
        let free = concurrency - running
        guard free > 0 else { return [] }
        return Array(ready.subtracting(held).sorted { (order[$0] ?? 0, $0) < (order[$1] ?? 0, $1) }.prefix(free))
    }
}
