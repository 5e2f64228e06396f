/// Run states, as operators of JP1/AJS know them.
public enum RunState: String, Codable, Sendable, CaseIterable {
    /// Created, waiting for `after:` nets or for an executor to take it.
    case waiting
    case running
    case normal
    case warning
    case abnormal

    public var isEnded: Bool { self == .normal || self == .warning || self == .abnormal }
}

/// What became of one attempt of a job.
public enum AttemptState: String, Codable, Sendable, CaseIterable {
    case running
    /// Its supervisor recorded how it ended.
    case ended
    /// Nobody saw it end (its supervisor died without a record); it is abnormal, never retried.
    case lost
    /// The scheduler stopped before the job started, and recovery fenced it off: it did not run.
    case neverStarted = "never-started"
}

/// Job states within a run.
public enum JobState: String, Codable, Sendable, CaseIterable {
    case waiting
    case running
    /// Ended abnormally; waiting for its next attempt.
    case retryWait = "retry-wait"
    case normal
    case warning
    case abnormal
    /// Marked ended normally by an operator.
    case skipped
    /// Never ran because something it needs did not end normally, or the net was stopped.
    case notRun = "not-run"

    public var isEnded: Bool {
        switch self {
        case .normal, .warning, .abnormal, .skipped, .notRun: return true
        case .waiting, .running, .retryWait: return false
        }
    }
}

// Interpolated into messages and tables as the words operators see ("not-run", not "notRun").
extension RunState: CustomStringConvertible { public var description: String { rawValue } }
extension JobState: CustomStringConvertible { public var description: String { rawValue } }
extension AttemptState: CustomStringConvertible { public var description: String { rawValue } }
