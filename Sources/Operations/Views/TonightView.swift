import Foundation

/// The night at a glance (issue 14's 今夜の運用): every run and every planned start of the current
/// business date, each with what the Gantt draws. Instants are seconds since 1970; the pages format
/// them in `zone`.
public struct TonightView: Sendable {
    /// The states the console colours. `planned`: a start the schedule will make, no run yet.
    public enum State: String, Sendable, CaseIterable {
        case planned, waiting, running, held, normal, warning, abnormal
    }

    public struct Row: Sendable {
        public var net: String
        public var runID: Int64?
        public var businessDate: String
        public var state: State
        /// The schedule's start, when the run came from (or will come from) one.
        public var planned: Double?
        public var start: Double?
        public var end: Double?
        /// The end deadline as an instant.
        public var deadline: Double?
        /// For what is still to run or running: the expected end (medians) and the end at worst (high percentiles).
        public var predictedEnd: Double?
        public var predictedHigh: Double?
        /// The end (actual, else predicted) comes after the end deadline.
        public var late: Bool
        public var jobs: Int
        public var jobsEnded: Int
        public var message: String?
    }

    public var now: Double
    /// The business dates shown (one per distinct day rule; usually one).
    public var dates: [String]
    public var rows: [Row]
    public var zone: TimeZone

    public var counts: [State: Int] {
        var c: [State: Int] = [:]
        for r in rows { c[r.state, default: 0] += 1 }
        return c
    }
}
