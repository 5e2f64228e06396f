import Executors
import JobNets
import OperatorFiles
import Store

/// One job's life within a run, as a pure machine: its state and an event in, its new state and the
/// effects to perform out. No I/O and no clock of its own (instants come with the events), so every
/// transition is tested on virtual time; the engine commits the record effects in one transaction and
/// performs the others after the commit.
public enum JobMachine {
    /// What the machine knows of a job.
    public struct State: Equatable, Sendable {
        public var state: JobState
        public var held = false
        /// Attempts started so far.
        public var attempts = 0
        /// When a job in retry-wait may start again.
        public var nextAt: Double?

        public init(state: JobState, held: Bool = false, attempts: Int = 0, nextAt: Double? = nil) {
            self.state = state; self.held = held; self.attempts = attempts; self.nextAt = nextAt
        }
    }

    /// What an event makes happen.
    public enum Effect: Equatable, Sendable {
        /// Record how the attempt ended (`lost`: nobody saw it end).
        case recordAttempt(lost: Bool, verdict: ExitJudgement.Verdict, message: String?, endedAt: Double)
        /// Record the job's new state, with an event.
        case recordJob(JobState, exitCode: Int?, message: String?, nextAt: Double?, endedAt: Double?, event: String, detail: String?)
        /// Record a hold or a release (with its event).
        case recordHeld(Bool)
        /// Clear a hold without an event of its own (the job ended by other means).
        case clearHold
        /// After the commit: drop the attempt's outcome files.
        case forgetOutcome
        /// After the commit: stop the running attempt (the engine knows how: a signal, or the end of a file wait).
        case kill
        /// The job ended abnormally: its net's failure policy applies.
        case failurePolicy(FailurePolicy)
        /// A line for the person watching.
        case progress(String)
    }

    public enum Command: String, Sendable, CaseIterable { case hold, release, skip, kill }

    /// The result of an operator command: the sentence the verb prints; `refused` ones change nothing.
    public struct Answer: Equatable, Sendable {
        public var text: String
        public var refused: Bool
    }

    /// An attempt ended (as its supervisor recorded, or `lost` when nobody saw it end).
    public static func attemptEnded(_ s: State, job: Job, outcome: AttemptOutcome, lost: Bool, at now: Double) -> (State, [Effect]) {
        var verdict: ExitJudgement.Verdict
        var message = outcome.summary
        if outcome.error != nil || outcome.killed || outcome.timedOut || outcome.signal != nil {
            verdict = .abnormal
            if outcome.timedOut, let t = job.timeout { message = "timed out after \(JobDuration.format(t))" + (outcome.logError.map { "; \($0)" } ?? "") }
        } else if let code = outcome.exitCode {
            verdict = job.exit.judge(code)
            if verdict != .normal { message = (message.map { $0 + "; " } ?? "") + "exit code \(code) judged \(verdict.rawValue)" }
        } else {
            verdict = .abnormal
        }
        // A job whose output could not be kept did not end well, whatever its exit code says.
        if outcome.logError != nil { verdict = .abnormal }

        var next = s
        var effects: [Effect] = [.recordAttempt(lost: lost, verdict: verdict, message: message, endedAt: outcome.endedAt ?? now)]
        // Retried: an abnormal end that was seen (not lost), not an operator's kill, not a failure to
        // start or to log, within the count and the exit codes the rule names.
        let retryable = verdict == .abnormal && !lost && !outcome.killed && outcome.logError == nil && outcome.error == nil
            && job.retry.map { r in s.attempts <= r.count && (r.onCodes.map { c in outcome.exitCode.map { c.contains($0) } ?? false } ?? true) } ?? false
        if retryable, let retry = job.retry {
            let delay = retry.delay(afterAttempt: s.attempts)
            next.state = .retryWait
            next.nextAt = now + delay
            let text = "attempt \(s.attempts) ended abnormally (\(message ?? "")); retrying in \(JobDuration.format(delay))"
            effects.append(.recordJob(.retryWait, exitCode: outcome.exitCode, message: text, nextAt: now + delay, endedAt: nil,
                                      event: "job.retry-wait", detail: text))
            effects.append(.progress("\(job.name): \(text)"))
        } else {
            let state: JobState = verdict == .normal ? .normal : verdict == .warning ? .warning : .abnormal
            let (ended, more) = Self.ended(next, job: job, state: state, exitCode: outcome.exitCode, message: message, at: now)
            next = ended
            effects += more
        }
        // The outcome is in the database once this commits; only then are its files dropped.
        effects.append(.forgetOutcome)
        return (next, effects)
    }

    /// The job has ended for good (its last attempt, or its file wait): record it, say so, and let the
    /// net's failure policy act on an abnormal end.
    public static func ended(_ s: State, job: Job, state: JobState, exitCode: Int? = nil, message: String?,
                             at now: Double) -> (State, [Effect]) {
        var next = s
        next.state = state
        next.nextAt = nil
        var effects: [Effect] = [
            .recordJob(state, exitCode: exitCode, message: message, nextAt: nil, endedAt: now, event: "job.\(state.rawValue)", detail: message),
            .progress("\(job.name): ended \(state.rawValue)" + (message.map { " — \($0)" } ?? "")),
        ]
        if state == .abnormal { effects.append(.failurePolicy(job.onFailure)) }
        return (next, effects)
    }

    /// Time passes: a job in retry-wait whose delay is over may start again.
    public static func tick(_ s: State, at now: Double) -> (State, [Effect]) {
        guard s.state == .retryWait, let at = s.nextAt, at <= now else { return (s, []) }
        var next = s
        next.state = .waiting
        next.nextAt = nil
        return (next, [.recordJob(.waiting, exitCode: nil, message: nil, nextAt: nil, endedAt: nil,
                                  event: "job.retry-due", detail: "attempt \(s.attempts + 1) may start")])
    }

    /// An operator's hold, release, skip or kill of the job, in a run that has not ended.
    public static func command(_ c: Command, _ s: State, job name: String, at now: Double) -> (State, [Effect], Answer) {
        var next = s
        switch c {
        case .hold:
            guard s.state == .waiting || s.state == .retryWait else {
                return (s, [], Answer(text: "error: \(name) is \(s.state.rawValue); only a waiting job can be held", refused: true))
            }
            guard !s.held else { return (s, [], Answer(text: "\(name) was already held", refused: false)) }
            next.held = true
            return (next, [.recordHeld(true)], Answer(text: "\(name) held", refused: false))
        case .release:
            guard s.held else { return (s, [], Answer(text: "\(name) was not held", refused: false)) }
            next.held = false
            return (next, [.recordHeld(false)], Answer(text: "\(name) released", refused: false))
        case .skip:
            guard s.state != .running else {
                return (s, [], Answer(text: "error: \(name) is running; kill it first, then skip it", refused: true))
            }
            guard s.state != .normal && s.state != .skipped else {
                return (s, [], Answer(text: "\(name) had already ended normally", refused: false))
            }
            next.state = .skipped
            next.held = false
            next.nextAt = nil
            return (next, [.clearHold, .recordJob(.skipped, exitCode: nil, message: "marked ended normally by an operator", nextAt: nil,
                                      endedAt: now, event: "job.skipped", detail: nil)],
                    Answer(text: "\(name) marked ended normally", refused: false))
        case .kill:
            guard s.state == .running else {
                return (s, [], Answer(text: "error: \(name) is \(s.state.rawValue), not running", refused: true))
            }
            return (s, [.kill], Answer(text: "\(name): kill sent", refused: false))
        }
    }
}

extension JobMachine {
    /// What a file wait has seen of its file.
    public struct FileWatch: Equatable, Sendable {
        public var size: Int64?
        public var stableSince: Double?
        public init(size: Int64? = nil, stableSince: Double? = nil) { self.size = size; self.stableSince = stableSince }
    }

    public enum FileVerdict: Equatable, Sendable {
        case waiting
        /// There, and unchanged in size for the wait's `stable` time.
        case arrived(bytes: Int64)
        /// Not there and settled within the job's timeout.
        case timedOut
    }

    /// One look at a waited-for file: its size now (nil: not there) at `now`. A file counts once its size
    /// has not changed for `stable` seconds; a change starts that time again.
    public static func fileSeen(_ w: FileWatch, size: Int64?, at now: Double, stable: Double, timeout: Double?,
                                startedAt: Double?) -> (FileWatch, FileVerdict) {
        var next = w
        if let size {
            if size != w.size { next.size = size; next.stableSince = now }
            if let since = next.stableSince, now - since >= stable { return (next, .arrived(bytes: size)) }
        } else {
            next = FileWatch()
        }
        if let timeout, let startedAt, now - startedAt >= timeout { return (next, .timedOut) }
        return (next, .waiting)
    }
}
