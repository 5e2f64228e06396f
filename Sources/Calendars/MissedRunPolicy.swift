import Foundation

/// What the scheduler does with starts whose time passed while it could not fire them (the daemon
/// was stopped, the machine was down).
public enum MissedRunPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Run every missed start, oldest first: one run for each missed business date and slot.
    case all
    /// Run only the most recent start; the older ones are recorded as missed.
    case latest
    /// Run none of them; each is recorded as missed.
    case skip

    public static let `default` = MissedRunPolicy.latest

    /// How long after its time a start still counts as on time.
    public static let grace: TimeInterval = 60

    /// Decides, for starts that are due and not yet fired, which to run and how to record them.
    ///
    /// A start due at most `grace` seconds ago is on time and always runs. Older ones were missed:
    /// the policy says which of them run (recorded `late`) and which do not (`missed`). Under
    /// `latest`, an overdue start runs only if no later start is due: when the newest due start is
    /// on time, every overdue one is missed.
    ///
    /// - Returns: every start of `due`, in time order, with its decision.
    public func decide(_ due: [Schedule.Start], now: Date, grace: TimeInterval = MissedRunPolicy.grace)
        -> [(start: Schedule.Start, decision: FireDecision)] {
        let sorted = due.sorted()
        let newest = sorted.last
        return sorted.map { start in
            if now.timeIntervalSince(start.instant) <= grace { return (start, .onTime) }
            switch self {
            case .all: return (start, .late)
            case .latest: return (start, start == newest ? .late : .missed)
            case .skip: return (start, .missed)
            }
        }
    }
}

/// How a start was handled, as recorded in the `fires` table.
public enum FireDecision: String, Hashable, Sendable, Codable {
    /// Started at its time (within the grace period).
    case onTime = "on-time"
    /// Started after its time, because the missed-run policy said so.
    case late
    /// Not started: its time passed while the scheduler was down and the policy said not to run it.
    case missed
}
