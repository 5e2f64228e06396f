import Foundation

/// Which business dates a net runs on, before the shift rule is applied.
public enum DayRule: Hashable, Sendable, Codable {
    /// Every operating day of the calendar.
    case everyOperatingDay
    /// Days whose weekday is in the set (0 = Sunday … 6 = Saturday; 7 also means Sunday).
    case weekdays(Set<Int>)
    /// A calendar day of each month, 1…31, or -1 for the last calendar day. A month without that day
    /// (the 31st in April) has no nominal day; the rule does not clamp to the month's end.
    case dayOfMonth(Int)
    /// The Nth operating day of each month: 1 = first, 2 = second …; -1 = last, -2 = second to last.
    case nthOperatingDay(Int)
    /// N operating days before calendar day D of each month (D as in `dayOfMonth`, so -1 = last day).
    /// D itself does not count, whether open or not: N = 1 is the last operating day before D.
    /// N = 0 means D itself, shifted if D is closed.
    case operatingDaysBefore(Int, day: Int)
    /// The days a cron expression selects (its day-of-month, month and day-of-week fields).
    case cron(CronExpression)
    /// The Nth given weekday of each month (0 = Sunday … 6 = Saturday; 7 also means Sunday):
    /// 1 = first … 5 = fifth, -1 = last, -2 = second to last. A month without it has no nominal day.
    case nthWeekday(Int, weekday: Int)

    /// Whether the rule only ever yields operating days (so the shift rule never applies).
    public var alwaysOperating: Bool {
        switch self {
        case .everyOperatingDay, .nthOperatingDay: return true
        case .operatingDaysBefore(let n, _): return n > 0
        default: return false
        }
    }
}

/// What to do when a rule's nominal day is closed.
public enum ShiftRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// Move to the previous operating day.
    case previous
    /// Move to the next operating day.
    case next
    /// Do not run for that day.
    case skip
    /// Run on the nominal day anyway.
    case always
}

/// A day rule with its shift and months: one line of a net's schedule.
public struct ScheduleRule: Hashable, Sendable, Codable {
    public var rule: DayRule
    public var shift: ShiftRule
    /// The months (1…12) whose nominal days count; nil for every month. See `businessDates`.
    public var months: Set<Int>?

    public init(_ rule: DayRule, shift: ShiftRule = .skip, months: Set<Int>? = nil) {
        self.rule = rule
        self.shift = shift
        self.months = months
    }

    public func dates(from start: LocalDate, to end: LocalDate, calendar: OperatingCalendar) -> [LocalDate] {
        businessDates(from: start, to: end, rule: rule, shift: shift, months: months, calendar: calendar)
    }

    /// The first business date on or after `date`, looking at most `withinDays` ahead (as far as
    /// `Schedule.next`: February 29th with `months: [2]` fires every four years, sometimes eight).
    public func next(onOrAfter date: LocalDate, calendar: OperatingCalendar, withinDays: Int = 3_000) -> LocalDate? {
        var start = date
        let limit = date.adding(days: withinDays)
        while start <= limit {
            let end = min(start.adding(days: 92), limit)
            if let first = dates(from: start, to: end, calendar: calendar).first { return first }
            start = end.adding(days: 1)
        }
        return nil
    }

    public func validate(calendar: OperatingCalendar? = nil) -> String? {
        rule.validate(calendar: calendar, shift: shift, months: months) ?? months.flatMap { rule.validate(months: $0) }
    }
}

/// The business dates in `from...to` (inclusive) on which `rule` runs, sorted and without repeats.
///
/// A nominal day (from `weekdays`, `dayOfMonth`, `cron`, or `operatingDaysBefore` with N = 0) that the
/// calendar closes is handled by `shift`: moved to the previous or next operating day, skipped, or
/// kept (`always`). A shifted date is reported when it falls within the range, even when its nominal
/// day lies outside (a Saturday 1st shifted back to Friday the 31st of the previous month).
///
/// `months` (1…12, nil for all) selects by the month the rule counts in, before the shift: the month
/// of the nominal day, of the Nth operating day, or of day D for `operatingDaysBefore`. A date moved
/// into another month by the shift (June 30th a Sunday, `next` → July 1st) still runs, as the run of
/// the selected month; a day of an unselected month moved into a selected one does not.
public func businessDates(from: LocalDate, to: LocalDate, rule: DayRule, shift: ShiftRule,
                          months selected: Set<Int>? = nil, calendar: OperatingCalendar) -> [LocalDate] {
    guard from <= to else { return [] }
    if let selected, selected.isDisjoint(with: 1...12) { return [] }
    var result = Set<LocalDate>()

    /// Whether the rule counts in month `m` (1…12).
    func counts(_ m: Int) -> Bool { selected?.contains(m) ?? true }

    func accept(_ d: LocalDate?) {
        if let d, d >= from, d <= to { result.insert(d) }
    }
    func shifted(_ d: LocalDate) -> LocalDate? {
        if calendar.isOperating(d) { return d }
        switch shift {
        case .previous: return calendar.previousOperatingDay(onOrBefore: d)
        case .next: return calendar.nextOperatingDay(onOrAfter: d)
        case .skip: return nil
        case .always: return d
        }
    }
    /// Calendar day `day` (1…31 or -1) of a month, nil if that month has no such day.
    func monthDay(_ y: Int, _ m: Int, _ day: Int) -> LocalDate? {
        day == -1 ? LocalDate(year: y, month: m, day: LocalDate.daysIn(year: y, month: m))
                  : LocalDate(year: y, month: m, day: day)
    }
    /// Months (year, month) from `before` months before `from` through `after` months after `to`.
    func months(before: Int, after: Int) -> [(Int, Int)] {
        let a = from.year * 12 + (from.month - 1) - before
        let b = to.year * 12 + (to.month - 1) + after
        guard a <= b else { return [] }
        return (a...b).map { ($0 / 12, $0 % 12 + 1) }
    }
    /// Every day around the range that a shift could carry into it.
    func nominalDays(_ include: (LocalDate) -> Bool) {
        let pad = 45
        for n in (from.dayNumber - pad)...(to.dayNumber + pad) {
            let d = LocalDate(dayNumber: n)
            if counts(d.month), include(d) { accept(shifted(d)) }
        }
    }

    switch rule {
    case .everyOperatingDay:
        for d in calendar.operatingDays(from: from, through: to) where counts(d.month) { result.insert(d) }

    case .weekdays(let set):
        let days = Set(set.map { $0 == 7 ? 0 : $0 })
        nominalDays { days.contains($0.weekday) }

    case .cron(let expr):
        nominalDays { expr.matchesDay($0) }

    case .nthWeekday(let n, let weekday):
        guard n != 0 else { break }
        for (y, m) in months(before: 2, after: 2) where counts(m) {
            if let d = LocalDate.nthWeekday(n, weekday: weekday, year: y, month: m) { accept(shifted(d)) }
        }

    case .dayOfMonth(let day):
        for (y, m) in months(before: 2, after: 2) where counts(m) {
            if let d = monthDay(y, m, day) { accept(shifted(d)) }
        }

    case .nthOperatingDay(let n):
        guard n != 0 else { break }
        for (y, m) in months(before: 0, after: 0) where counts(m) {
            accept(calendar.nthOperatingDay(n, year: y, month: m))
        }

    case .operatingDaysBefore(let n, let day):
        guard n >= 0 else { break }
        // N operating days can reach back about N/15 months (at least 15 operating days in a month
        // for any usual calendar); take a generous margin.
        for (y, m) in months(before: 1, after: 2 + n / 10) where counts(m) {
            guard let d = monthDay(y, m, day) else { continue }
            accept(n == 0 ? shifted(d) : calendar.operatingDay(-n, from: d))
        }
    }
    return result.sorted()
}

extension DayRule {
    /// Why the rule can never fire, or nil when it is fine. With a calendar, rules that the calendar
    /// makes impossible are also reported (e.g. the 24th operating day when only Monday–Friday open,
    /// or Saturdays with `skip` when Saturdays are closed). A rule that fires only in some months
    /// (`dayOfMonth(31)`, `dayOfMonth(29)` in February) is fine.
    /// `months`: the entry's `months:` (nil for all), which bounds how many operating days a month can have.
    public func validate(calendar: OperatingCalendar? = nil, shift: ShiftRule = .always, months: Set<Int>? = nil) -> String? {
        switch self {
        case .everyOperatingDay:
            if let calendar, calendar.everyWeekdayClosed, calendar.openDays.isEmpty {
                return "calendar '\(calendar.name)' closes every weekday and has no open days: no operating day ever"
            }
            return nil

        case .weekdays(let set):
            if set.isEmpty { return "weekdays: the set of weekdays is empty" }
            if let bad = set.sorted().first(where: { !(0...7).contains($0) }) {
                return "weekdays: \(bad) is not a weekday (0 = Sunday … 6 = Saturday)"
            }
            let days = Set(set.map { $0 == 7 ? 0 : $0 })
            if shift == .skip, let calendar, calendar.openDays.isEmpty,
               days.isSubset(of: Set(calendar.closedWeekdays.map { $0 == 7 ? 0 : $0 })) {
                return "weekdays: calendar '\(calendar.name)' closes every one of these weekdays and the shift is 'skip'"
            }
            return nil

        case .dayOfMonth(let day):
            return Self.validateDay(day, rule: "dayOfMonth")

        case .nthOperatingDay(let n):
            if n == 0 { return "nthOperatingDay: 0 is not a position (use 1 for the first, -1 for the last)" }
            let limit = calendar.map { Self.maxOperatingDaysInMonth($0, months: months) } ?? 31
            if abs(n) > limit {
                let whose = calendar.map { " under calendar '\($0.name)'" } ?? ""
                let which = months.map { m in " of months [\(m.sorted().map(String.init).joined(separator: ", "))]" } ?? ""
                return "nthOperatingDay: \(n) can never fire: no month\(which) has more than \(limit) operating days\(whose)"
            }
            return nil

        case .operatingDaysBefore(let n, let day):
            if n < 0 { return "operatingDaysBefore: \(n) must not be negative" }
            return Self.validateDay(day, rule: "operatingDaysBefore")

        case .cron(let expr):
            return expr.neverFiresReason

        case .nthWeekday(let n, let weekday):
            guard (0...7).contains(weekday) else {
                return "nthWeekday: \(weekday) is not a weekday (0 = Sunday … 6 = Saturday)"
            }
            let name = LocalDate.weekdayNamesEn[weekday % 7]
            if n == 0 { return "nthWeekday: 0 is not a position (use 1 for the first \(name), -1 for the last)" }
            if abs(n) > 5 {
                return "nthWeekday: the \(Self.ordinal(abs(n)))\(n < 0 ? " to last" : "") \(name) can never fire: no month has more than five"
            }
            if shift == .skip, let calendar, calendar.openDays.isEmpty,
               calendar.closedWeekdays.map({ $0 % 7 }).contains(weekday % 7) {
                return "nthWeekday: calendar '\(calendar.name)' closes every \(name) and the shift is 'skip'"
            }
            return nil
        }
    }

    /// Why the rule can never fire in `months` (1…12), or nil: no month given, a month that is not
    /// one, or a day of the month that none of them has (`dayOfMonth(31)` in April, June, September and
    /// November; the 30th in February). February has a 29th in leap years, so `dayOfMonth(29)` in
    /// February alone is fine.
    public func validate(months: Set<Int>) -> String? {
        if months.isEmpty { return "months: no month is given" }
        if let bad = months.sorted().first(where: { !(1...12).contains($0) }) {
            return "months: \(bad) is not a month (1 = January … 12 = December)"
        }
        let day: Int, rule: String
        switch self {
        case .dayOfMonth(let d): (day, rule) = (d, "dayOfMonth")
        case .operatingDaysBefore(_, let d): (day, rule) = (d, "operatingDaysBefore")
        default: return nil
        }
        // The most days each month can have (a leap year's February).
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day > 0, months.allSatisfy({ longest[$0 - 1] < day }) else { return nil }
        let list = months.sorted().map(String.init).joined(separator: ", ")
        return "\(rule): day \(day) can never fire in months [\(list)]: \(months.count == 1 ? "that month has no" : "none of them has a") \(Self.ordinal(day))"
    }

    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th"
        return "\(n)\(suffix)"
    }

    private static func validateDay(_ day: Int, rule: String) -> String? {
        if day == -1 || (1...31).contains(day) { return nil }
        return "\(rule): day \(day) can never fire (use 1…31, or -1 for the last day of the month)"
    }

    /// An upper bound of the operating days any month can have under `calendar`: the most days with an
    /// open weekday in 31 consecutive days, raised where explicit open days add more.
    /// The most operating days a month (of `months`, if given) can have under the calendar: by its
    /// weekly closures over the longest such month, or more where open days are listed.
    static func maxOperatingDaysInMonth(_ calendar: OperatingCalendar, months: Set<Int>? = nil) -> Int {
        let closed = Set(calendar.closedWeekdays.map { $0 == 7 ? 0 : $0 })
        let longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let length = months.map { $0.filter { (1...12).contains($0) }.map { longest[$0 - 1] }.max() ?? 31 } ?? 31
        var bound = (0..<7).map { start in (0..<length).filter { !closed.contains((start + $0) % 7) }.count }.max() ?? 0
        var seen = Set<Int>()
        for d in calendar.openDays where (months?.contains(d.month) ?? true) && seen.insert(d.year * 12 + d.month).inserted {
            bound = max(bound, calendar.operatingDays(year: d.year, month: d.month).count)
        }
        return bound
    }
}
