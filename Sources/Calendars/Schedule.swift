import Foundation

/// When a net starts: its schedule lines resolved against an operating calendar, a time zone and the
/// time at which its business day begins.
///
/// Each entry's day rule picks business dates (with its shift when the nominal day is closed); the
/// entry's time is a time *of that business day*. With `dayStarts` 05:00, "01:30" is 01:30 the next
/// calendar morning (the same as writing "25:30"), and a start at 01:30 on the 11th belongs to the
/// business date of the 10th. Times from `dayStarts` through 23:59 fall on the business date itself.
///
/// Pure: nothing here reads the clock or the machine's zone.
public struct Schedule: Sendable {
    /// One time of one schedule line.
    public struct Entry: Hashable, Sendable {
        /// As written: "22:30", "01:30", "25:30".
        public var time: TimeOfDay
        public var rule: ScheduleRule
        /// The key of the start within its business date (the time as written unless labelled).
        public var slot: String

        public init(time: TimeOfDay, rule: ScheduleRule = ScheduleRule(.everyOperatingDay), slot: String? = nil) {
            self.time = time
            self.rule = rule
            self.slot = slot ?? time.description
        }
    }

    /// One start: a moment, the business date it belongs to, and its slot.
    public struct Start: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var businessDate: LocalDate
        public var slot: String
        public var time: TimeOfDay
        public var instant: Date

        public init(businessDate: LocalDate, slot: String, time: TimeOfDay, instant: Date) {
            self.businessDate = businessDate
            self.slot = slot
            self.time = time
            self.instant = instant
        }

        public static func < (a: Start, b: Start) -> Bool {
            a.instant != b.instant ? a.instant < b.instant
                : a.businessDate != b.businessDate ? a.businessDate < b.businessDate : a.slot < b.slot
        }

        public var description: String { "\(businessDate) \(slot)" }
    }

    public var entries: [Entry]
    public var calendar: OperatingCalendar
    public var clock: ZonedClock
    /// When the business day changes (default 00:00).
    public var dayStarts: TimeOfDay

    public init(entries: [Entry], calendar: OperatingCalendar, clock: ZonedClock,
                dayStarts: TimeOfDay = TimeOfDay(hour: 0, minute: 0)) {
        self.entries = entries
        self.calendar = calendar
        self.clock = clock
        self.dayStarts = dayStarts
    }

    /// Seconds from the business date's midnight to `time`: times before `dayStarts` move to the
    /// next calendar day.
    public func offset(of time: TimeOfDay) -> Int { Self.offset(of: time, dayStarts: dayStarts) }

    /// The same for any business day starting at `dayStarts` (deadlines use it too, so "02:00" means
    /// the same night for a start time and for a deadline).
    public static func offset(of time: TimeOfDay, dayStarts: TimeOfDay) -> Int {
        time.secondsFromMidnight < dayStarts.secondsFromMidnight ? time.secondsFromMidnight + 86_400 : time.secondsFromMidnight
    }

    /// The moment of `time` on the business day `date`.
    public func instant(of date: LocalDate, at time: TimeOfDay) -> Date {
        let s = offset(of: time)
        return clock.instant(on: date, at: TimeOfDay(hour: s / 3600, minute: s / 60 % 60, second: s % 60))
    }

    /// The business date an instant belongs to.
    public func businessDate(of instant: Date) -> LocalDate {
        clock.businessDate(of: instant, dayStarts: dayStarts)
    }

    /// Why `time` cannot be a start time of a business day that begins at `dayStarts`, or nil.
    /// Times past 24:00 must end before the next business day begins.
    public static func problem(time: TimeOfDay, dayStarts: TimeOfDay) -> String? {
        if dayStarts.secondsFromMidnight >= 86_400 {
            return "the business day must start before 24:00 (not \(dayStarts))"
        }
        let end = 86_400 + dayStarts.secondsFromMidnight
        if time.secondsFromMidnight >= end {
            let endText = TimeOfDay(hour: end / 3600, minute: end / 60 % 60, second: end % 60)
            return "'\(time)' is after the business day ends (\(endText), when the next one starts)"
        }
        return nil
    }

    /// Every start whose business date is in `from...through`, in time order. A business date gives
    /// one start per slot: when two lines name the same slot on one date, the first line wins.
    public func starts(businessDates from: LocalDate, through: LocalDate) -> [Start] {
        guard from <= through else { return [] }
        var datesByRule: [ScheduleRule: [LocalDate]] = [:]
        var seen = Set<String>()
        var result: [Start] = []
        for entry in entries {
            let dates = datesByRule[entry.rule] ?? entry.rule.dates(from: from, to: through, calendar: calendar)
            datesByRule[entry.rule] = dates
            for d in dates where seen.insert("\(d.dayNumber) \(entry.slot)").inserted {
                result.append(Start(businessDate: d, slot: entry.slot, time: entry.time, instant: instant(of: d, at: entry.time)))
            }
        }
        return result.sorted()
    }

    /// Every start at an instant after `after` and up to `through` (inclusive), in time order.
    public func starts(after: Date, through: Date) -> [Start] {
        guard after < through else { return [] }
        // A start falls between its business date's day start and the next one's; a day each side
        // covers daylight-saving shifts.
        let first = businessDate(of: after).adding(days: -1)
        let last = businessDate(of: through).adding(days: 1)
        return starts(businessDates: first, through: last).filter { $0.instant > after && $0.instant <= through }
    }

    /// The next `count` starts after `after`, looking at most `horizonDays` ahead (a rule such as
    /// February 29th fires only every four years, sometimes eight).
    public func next(after: Date, count: Int, horizonDays: Int = 3_000) -> [Start] {
        guard count > 0, !entries.isEmpty else { return [] }
        var result: [Start] = []
        var from = businessDate(of: after).adding(days: -1)
        let limit = from.adding(days: horizonDays)
        var window = 31
        while result.count < count && from <= limit {
            let to = min(from.adding(days: window - 1), limit)
            result += starts(businessDates: from, through: to).filter { $0.instant > after }
            from = to.adding(days: 1)
            window = min(window * 2, 366)
        }
        return Array(result.prefix(count))
    }
}
