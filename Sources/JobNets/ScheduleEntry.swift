import Calendars

/// One start time of a net's schedule with the days it applies to: a line of `schedule:` in the net's
/// file (a line with several times, or a cron expression, gives one entry per time).
public struct ScheduleEntry: Codable, Hashable, Sendable {
    /// A time of the business day, as written ("22:30", "01:30", "25:30").
    public var at: TimeOfDay
    /// Which business dates; every operating day unless the line says otherwise.
    public var days: DayRule
    /// What to do when the nominal day is closed (the line's, else the net's, else `skip`).
    public var shift: ShiftRule
    /// The months (1…12, ascending) whose nominal days count; nil for every month. The month is the
    /// one the rule counts in, before the shift: see `businessDates(from:to:rule:shift:months:calendar:)`.
    public var months: [Int]?
    /// Names the slot instead of the time, so two lines at one time can both start on one date.
    public var label: String?
    /// Where the line's day rule is written, for messages.
    public var line: Int
    public var column: Int

    public init(at: TimeOfDay, days: DayRule = .everyOperatingDay, shift: ShiftRule = .skip, months: [Int]? = nil,
                label: String? = nil, line: Int = 0, column: Int = 0) {
        self.at = at
        self.days = days
        self.shift = shift
        self.months = months
        self.label = label
        self.line = line
        self.column = column
    }

    /// The key of a start within its business date, recorded in the `fires` table.
    public var slot: String { label ?? at.description }

    public var rule: ScheduleRule { ScheduleRule(days, shift: shift, months: months.map(Set.init)) }

    enum CodingKeys: String, CodingKey { case at, days, shift, months, label, line, column }

    /// Runs stored before schedules had day rules hold only `at`; they decode as every operating day.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        at = try c.decode(TimeOfDay.self, forKey: .at)
        days = try c.decodeIfPresent(DayRule.self, forKey: .days) ?? .everyOperatingDay
        shift = try c.decodeIfPresent(ShiftRule.self, forKey: .shift) ?? .skip
        months = try c.decodeIfPresent([Int].self, forKey: .months)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        line = try c.decodeIfPresent(Int.self, forKey: .line) ?? 0
        column = try c.decodeIfPresent(Int.self, forKey: .column) ?? 0
    }
}
