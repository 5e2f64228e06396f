/// Where one IPP job of a print stands, as Nightjar records it: its own steps before CUPS has it
/// (planned, submitting, created), then CUPS's job-state, or `lost` when CUPS no longer knows it.
public enum PrintJobState: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
    case planned, submitting, created
    case pending, held, processing, stopped
    case completed, aborted, canceled
    case lost

    /// CUPS's word for a job, recorded as it is.
    public init(_ s: IPPJobState) {
        switch s {
        case .pending: self = .pending
        case .held: self = .held
        case .processing: self = .processing
        case .stopped: self = .stopped
        case .canceled: self = .canceled
        case .aborted: self = .aborted
        case .completed: self = .completed
        }
    }

    /// CUPS holds the job and will print it: wait, never resubmit.
    public var isWaitingForCUPS: Bool { [.pending, .held, .processing, .stopped].contains(self) }
    /// Nothing more will happen to it (a later print may send it again).
    public var isEnded: Bool { [.completed, .aborted, .canceled, .lost].contains(self) }
    /// Sent (again) by `execute`: never accepted by CUPS, or ended without printing.
    public var needsSending: Bool { [.planned, .submitting, .created, .aborted, .canceled, .lost].contains(self) }
    public var description: String { rawValue }
}
