/// Where a print (a `print_runs` row) stands as recorded: the row's own state, beside its IPP jobs'
/// `PrintJobState`s. `Outcome.State` is what a finished `execute` reports; a print it leaves pending
/// stays `printing` here.
public enum PrintRunState: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    /// Created, or some of its IPP jobs are still queued in CUPS.
    case printing
    /// Every IPP job completed.
    case completed
    /// An operator cancelled it (`print --cancel`).
    case canceled
    /// An IPP job was aborted, cancelled in CUPS or lost: `--resume` sends it again.
    case failed

    /// The recorded state once `execute` has returned with an outcome.
    public init(_ outcome: PrintRun.Outcome.State) {
        switch outcome {
        case .completed: self = .completed
        case .canceled: self = .canceled
        case .failed: self = .failed
        case .pending: self = .printing
        }
    }

    /// Nothing more happens to it unless an operator resumes it.
    public var isFinished: Bool { self == .completed || self == .canceled }
    public var description: String { rawValue }
}
