import Calendars
import OperatorFiles

/// A dependency-ordered set of jobs, loaded from `Jobs/NAME.yaml`.
public struct JobNet: Codable, Hashable, Sendable {
    public var name: String
    public var description: String?
    public var calendar: String?
    public var schedule: [ScheduleEntry]
    public var timezone: String?
    /// When the business day changes, e.g. 05:00: a start at 01:30 belongs to the day before.
    /// Nil means midnight. (Nets stored before calendars existed decode with nil.)
    public var businessDayStarts: TimeOfDay?
    /// The net-wide shift rule as written (each schedule entry already carries its resolved shift).
    public var shift: ShiftRule?
    /// What the daemon does with starts missed while it was down; nil means `MissedRunPolicy.default`.
    public var missed: MissedRunPolicy?
    /// Alert when a run has not started by then.
    public var startDeadline: Deadline?
    /// Alert when a run has not ended by then.
    public var endDeadline: Deadline?
    /// At most this many jobs of one run at once.
    public var concurrency: Int
    /// Nets whose run for the same business date must end normally (or with a warning) first.
    public var after: [String]
    public var env: [String: String]
    public var workdir: String?
    /// The executor of the net's jobs that name none (`executor:`); nil: local.
    public var executor: String?
    /// Jobs in file order.
    public var jobs: [Job]
    /// The file the net was loaded from, relative to the site root.
    public var file: String

    public init(name: String, description: String? = nil, calendar: String? = nil, schedule: [ScheduleEntry] = [],
                timezone: String? = nil, startDeadline: Deadline? = nil, endDeadline: Deadline? = nil,
                concurrency: Int = 4, after: [String] = [], env: [String: String] = [:], workdir: String? = nil,
                jobs: [Job], file: String = "", businessDayStarts: TimeOfDay? = nil, shift: ShiftRule? = nil,
                missed: MissedRunPolicy? = nil) {
        self.businessDayStarts = businessDayStarts
        self.shift = shift
        self.missed = missed
        self.name = name
        self.description = description
        self.calendar = calendar
        self.schedule = schedule
        self.timezone = timezone
        self.startDeadline = startDeadline
        self.endDeadline = endDeadline
        self.concurrency = concurrency
        self.after = after
        self.env = env
        self.workdir = workdir
        self.jobs = jobs
        self.file = file
    }

    public func job(named name: String) -> Job? { jobs.first { $0.name == name } }

    /// The executor a job's attempts run on.
    public func executorName(of job: Job) -> String { job.executor ?? executor ?? ExecutorConfig.localName }

    /// The jobs that need `name`, directly or through others.
    public func descendants(of name: String) -> Set<String> {
        // An index of who needs whom first: scanning every job per step was quadratic on large nets.
        var dependents: [String: [String]] = [:]
        for j in jobs { for n in j.needs { dependents[n, default: []].append(j.name) } }
        var result: Set<String> = []
        var frontier = [name]
        while let n = frontier.popLast() {
            for d in dependents[n] ?? [] where result.insert(d).inserted { frontier.append(d) }
        }
        return result
    }

    public static let defaultTimeZone = "Asia/Tokyo"

    /// The time the business day starts (midnight unless `business_day_starts` says otherwise).
    public var dayStarts: TimeOfDay { businessDayStarts ?? TimeOfDay(hour: 0, minute: 0) }

    public var missedPolicy: MissedRunPolicy { missed ?? .default }
}

/// A deadline as a time of the business day (`"05:00"`, `"29:00"`) or as a duration from the
/// scheduled (or actual, for manual runs) start (`"4h"`).
public enum Deadline: Codable, Hashable, Sendable, CustomStringConvertible {
    case at(TimeOfDay)
    case after(Double)

    public var description: String {
        switch self {
        case .at(let t): return t.description
        case .after(let s): return JobDuration.format(s)
        }
    }
}
