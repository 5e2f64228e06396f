import Foundation

/// Which days a city office (and so its batch) operates.
///
/// A day is closed when any of these holds, unless it is listed in `openDays` (an explicit open day wins
/// over everything):
/// - it is in `closedDays` (the city's own closures: 閉庁日),
/// - `nationalHolidays` is on and it is a Japanese public holiday (祝日, 振替休日, 国民の休日),
/// - `yearEnd` is on and it is December 29 … January 3 (年末年始),
/// - its weekday (0 = Sunday … 6 = Saturday) is in `closedWeekdays`.
///
/// Calendars can be layered: a loader builds the parent, then applies a child's changes with
/// `extended(with:)` (see `OperatingCalendarOverrides`).
public struct OperatingCalendar: Hashable, Sendable {
    public var name: String
    /// Weekdays on which the office is closed, 0 = Sunday … 6 = Saturday.
    public var closedWeekdays: Set<Int>
    /// Closed on Japanese national holidays (see `JapaneseHolidays`).
    public var nationalHolidays: Bool
    /// Closed December 29 through January 3 (年末年始).
    public var yearEnd: Bool
    /// Extra closed days (閉庁日).
    public var closedDays: Set<LocalDate>
    /// Days that are open whatever else says (e.g. a Sunday opening for tax filing season).
    public var openDays: Set<LocalDate>
    /// Why a day in `closedDays` or `openDays` is listed ("夏季一斉休庁", "確定申告の休日開庁").
    public var notes: [LocalDate: String]

    public init(name: String = "default",
                closedWeekdays: Set<Int> = [0, 6],
                nationalHolidays: Bool = true,
                yearEnd: Bool = true,
                closedDays: Set<LocalDate> = [],
                openDays: Set<LocalDate> = [],
                notes: [LocalDate: String] = [:]) {
        self.name = name
        self.closedWeekdays = closedWeekdays
        self.nationalHolidays = nationalHolidays
        self.yearEnd = yearEnd
        self.closedDays = closedDays
        self.openDays = openDays
        self.notes = notes
    }

    /// The usual Japanese city office: closed Saturdays, Sundays, holidays and 12/29–1/3.
    public static let cityOffice = OperatingCalendar(name: "city")

    /// The calendar of a net that names none: the usual city office, under the name "standard".
    public static let standard = OperatingCalendar(name: "standard")

    /// Open every day of the year (for nets that ignore business days).
    public static let everyDay = OperatingCalendar(name: "every-day", closedWeekdays: [],
                                                   nationalHolidays: false, yearEnd: false)

    static let weekdayNamesJa = ["日曜日", "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日"]

    public static func isYearEnd(_ d: LocalDate) -> Bool {
        (d.month == 12 && d.day >= 29) || (d.month == 1 && d.day <= 3)
    }

    public func isOperating(_ d: LocalDate) -> Bool {
        closedReason(d) == nil
    }

    /// Why `d` is closed, or nil when it is an operating day. The first matching reason, in this order:
    /// "閉庁日" (closedDays), the holiday's Japanese name (e.g. "勤労感謝の日", "振替休日"),
    /// "年末年始", the weekday ("土曜日", "日曜日").
    /// A listed closed day gives its note when it has one ("夏季一斉休庁").
    public func closedReason(_ d: LocalDate) -> String? {
        switch closure(on: d) {
        case nil: return nil
        case .listed(let note)?: return note ?? "閉庁日"
        case .holiday(let h)?: return h.nameJa
        case .yearEnd?: return "年末年始"
        case .weekday(let w)?: return Self.weekdayNamesJa[w]
        }
    }

    /// Why a day is closed, as data: which of the calendar's rules closes it first.
    public enum Closure: Hashable, Sendable {
        /// Listed in `closedDays`, with its note if any.
        case listed(String?)
        /// A Japanese public holiday.
        case holiday(Holiday)
        /// December 29 … January 3.
        case yearEnd
        /// A closed weekday (0 = Sunday … 6 = Saturday).
        case weekday(Int)
    }

    /// Why `d` is closed, or nil when it is an operating day (see `closedReason`).
    public func closure(on d: LocalDate) -> Closure? {
        if openDays.contains(d) { return nil }
        if closedDays.contains(d) { return .listed(notes[d]) }
        if nationalHolidays, let h = JapaneseHolidays.holiday(on: d) { return .holiday(h) }
        if yearEnd, Self.isYearEnd(d) { return .yearEnd }
        let w = d.weekday
        if closedWeekdays.contains(w) || (w == 0 && closedWeekdays.contains(7)) { return .weekday(w) }
        return nil
    }

    /// Whether `d` is open only because it is listed in `openDays` (the calendar would close it otherwise).
    public func isExtraOpenDay(_ d: LocalDate) -> Bool {
        guard openDays.contains(d) else { return false }
        var without = self
        without.openDays.remove(d)
        return !without.isOperating(d)
    }

    /// The operating days of a month, in order. Empty for a month that does not exist.
    public func operatingDays(year: Int, month: Int) -> [LocalDate] {
        guard let first = LocalDate(year: year, month: month, day: 1) else { return [] }
        let n = LocalDate.daysIn(year: year, month: month)
        return (0..<n).map { first.adding(days: $0) }.filter(isOperating)
    }

    /// The operating days from `start` through `end`, inclusive, in order.
    public func operatingDays(from start: LocalDate, through end: LocalDate) -> [LocalDate] {
        guard start <= end else { return [] }
        return (start.dayNumber...end.dayNumber).map(LocalDate.init(dayNumber:)).filter(isOperating)
    }

    /// How far `nextOperatingDay` / `previousOperatingDay` look before giving up: a year and a bit,
    /// plus one day for every explicit closure (which may form one long closed stretch).
    var searchLimit: Int { 400 + closedDays.count }

    /// The first operating day on or after `d`; nil if there is none within `searchLimit` days
    /// (e.g. a calendar that closes every weekday and has no open days ahead).
    public func nextOperatingDay(onOrAfter d: LocalDate) -> LocalDate? {
        if everyWeekdayClosed { return openDays.filter { $0 >= d }.min() }
        var n = d.dayNumber
        for _ in 0...searchLimit {
            let day = LocalDate(dayNumber: n)
            if isOperating(day) { return day }
            n += 1
        }
        return nil
    }

    /// The last operating day on or before `d`; nil if there is none within `searchLimit` days.
    public func previousOperatingDay(onOrBefore d: LocalDate) -> LocalDate? {
        if everyWeekdayClosed { return openDays.filter { $0 <= d }.max() }
        var n = d.dayNumber
        for _ in 0...searchLimit {
            let day = LocalDate(dayNumber: n)
            if isOperating(day) { return day }
            n -= 1
        }
        return nil
    }

    /// When every weekday is closed, only `openDays` can operate.
    var everyWeekdayClosed: Bool {
        (0...6).allSatisfy { closedWeekdays.contains($0) || ($0 == 0 && closedWeekdays.contains(7)) }
    }

    /// The `n`th operating day of a month: 1 = first, -1 = last, -2 = second to last. Nil when the
    /// month has fewer operating days (or n is 0).
    public func nthOperatingDay(_ n: Int, year: Int, month: Int) -> LocalDate? {
        let days = operatingDays(year: year, month: month)
        if n > 0, n <= days.count { return days[n - 1] }
        if n < 0, -n <= days.count { return days[days.count + n] }
        return nil
    }

    /// The `n`th operating day counted from `d`: n > 0 moves forward, n < 0 backward, and `d` itself
    /// is not counted. n == 0 returns `d` unchanged.
    public func operatingDay(_ n: Int, from d: LocalDate) -> LocalDate? {
        var remaining = abs(n)
        var current = d
        let step = n >= 0 ? 1 : -1
        while remaining > 0 {
            let next = current.adding(days: step)
            guard let found = step > 0 ? nextOperatingDay(onOrAfter: next) : previousOperatingDay(onOrBefore: next)
            else { return nil }
            current = found
            remaining -= 1
        }
        return current
    }

    /// This calendar with a child's changes applied (see `OperatingCalendarOverrides`).
    public func extended(with child: OperatingCalendarOverrides) -> OperatingCalendar {
        var c = self
        if let name = child.name { c.name = name }
        if let w = child.closedWeekdays { c.closedWeekdays = w }
        if let h = child.nationalHolidays { c.nationalHolidays = h }
        if let y = child.yearEnd { c.yearEnd = y }
        // The child is more specific: its closures cancel the parent's explicit openings on the same
        // day and vice versa. A day the child lists both ways stays open (open wins).
        c.openDays = openDays.subtracting(child.closedDays).union(child.openDays)
        c.closedDays = closedDays.subtracting(child.openDays).union(child.closedDays)
        for d in child.openDays.union(child.closedDays) { c.notes[d] = nil }
        c.notes.merge(child.notes) { _, new in new }
        return c
    }
}

/// What a child calendar changes in its parent (e.g. `city.yaml` → `city-tax-office.yaml`).
/// Nil settings are inherited; `closedDays` and `openDays` are added to the parent's lists
/// (a child's closed day also removes that day from the parent's open days, and vice versa).
public struct OperatingCalendarOverrides: Hashable, Sendable {
    public var name: String?
    public var closedWeekdays: Set<Int>?
    public var nationalHolidays: Bool?
    public var yearEnd: Bool?
    public var closedDays: Set<LocalDate>
    public var openDays: Set<LocalDate>
    /// Notes for the child's listed days; they replace the parent's notes for those days.
    public var notes: [LocalDate: String]

    public init(name: String? = nil,
                closedWeekdays: Set<Int>? = nil,
                nationalHolidays: Bool? = nil,
                yearEnd: Bool? = nil,
                closedDays: Set<LocalDate> = [],
                openDays: Set<LocalDate> = [],
                notes: [LocalDate: String] = [:]) {
        self.name = name
        self.closedWeekdays = closedWeekdays
        self.nationalHolidays = nationalHolidays
        self.yearEnd = yearEnd
        self.closedDays = closedDays
        self.openDays = openDays
        self.notes = notes
    }
}
