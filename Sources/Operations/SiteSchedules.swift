import Calendars
import Foundation
import JobNets
import OperatorFiles

/// The read models of schedules and calendars: a net's next starts, the plan of a period, calendars
/// as month grids, Japanese holidays. They read only the site's files, never the state directory.
public struct SiteSchedules: Sendable {
    public let site: Site
    public let config: SiteConfig

    public init(site: Site, config: SiteConfig) {
        self.site = site
        self.config = config
    }

    /// A net's coming starts: the net, its schedule (nil when it has none) and the starts.
    public struct Next: Sendable {
        public var net: JobNet
        public var schedule: Schedule?
        public var starts: [Schedule.Start]
        public var views: [StartView] {
            guard let zone = schedule?.clock.zone else { return [] }
            return starts.map { StartView(net: net.name, start: $0, zone: zone) }
        }
    }

    /// A net's schedule under its calendar; a calendar that cannot be used is bad input with its problems.
    public func schedule(of net: JobNet, calendars: CalendarSet? = nil) throws -> Schedule {
        let calendars = calendars ?? site.loadCalendars()
        guard let s = site.schedule(of: net, calendars: calendars, defaultZone: config.timezone) else {
            let problems = calendars.problems(concerning: Set([net.calendar].compactMap { $0 }))
            throw OperationError(.badInput, problems.isEmpty ? "\(net.name): calendar '\(net.calendar ?? "")' cannot be used"
                                                             : ValidationFailure(problems).description)
        }
        return s
    }

    /// `YYYY-MM-DD` (midnight), `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`, local to `clock`'s zone.
    public static func instant(_ text: String, clock: ZonedClock) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " }).map(String.init)
        guard (1...2).contains(parts.count), let d = LocalDate(parts[0]) else { return nil }
        guard parts.count == 2 else { return clock.instant(on: d, at: TimeOfDay(hour: 0, minute: 0)) }
        guard let t = TimeOfDay(parts[1]), t.secondsFromMidnight < 86_400 else { return nil }
        return clock.instant(on: d, at: t)
    }

    /// A net's coming starts after `after` (`YYYY-MM-DD[THH:MM]` in its zone; default now), with the
    /// schedule they come from (nil for a net without a schedule).
    public func next(net name: String, count: Int, after: String? = nil, now: Date = Date()) throws -> Next {
        if let problem = site.netNameProblem(name) { throw OperationError(.badInput, "error: \(problem)") }
        guard (1...10_000).contains(count) else { throw OperationError(.badInput, "-n must be from 1 to 10000") }
        let net = try site.loadNet(name)
        guard !net.schedule.isEmpty else { return Next(net: net, schedule: nil, starts: []) }
        let schedule = try schedule(of: net)
        var from = now
        if let after {
            guard let t = Self.instant(after, clock: schedule.clock) else {
                throw OperationError(.badInput, "--after \(after): write YYYY-MM-DD or YYYY-MM-DDTHH:MM")
            }
            from = t
        }
        return Next(net: net, schedule: schedule, starts: schedule.next(after: from, count: count))
    }

    /// Every start of every net (or of `nets`) for the business dates `from` through `to`, in time order,
    /// each with its start and zone for tables.
    public func plan(from: String, to: String?, nets: [String] = []) throws -> [(view: StartView, start: Schedule.Start, zone: TimeZone)] {
        guard let first = LocalDate(from) else { throw OperationError(.badInput, "--from \(from): not a date; write YYYY-MM-DD") }
        let toText = to ?? from
        guard let last = LocalDate(toText) else { throw OperationError(.badInput, "--to \(toText): not a date; write YYYY-MM-DD") }
        guard first <= last else { throw OperationError(.badInput, "--to \(last) is before --from \(first)") }
        guard last.dayNumber - first.dayNumber < 3 * 366 else { throw OperationError(.badInput, "a plan may span at most three years") }
        let v = site.validation(paths: [])
        if !v.problems.isEmpty { throw OperationError(.badInput, ValidationFailure(v.problems).description) }
        let known = Set(v.nets.map(\.name))
        if let unknown = nets.first(where: { !known.contains($0) }) {
            throw OperationError(.badInput, "--net \(unknown): no such job net; known nets: \(known.sorted().joined(separator: ", "))")
        }
        var rows: [(view: StartView, start: Schedule.Start, zone: TimeZone)] = []
        for n in v.nets where nets.isEmpty || nets.contains(n.name) {
            let schedule = try schedule(of: n, calendars: v.calendars)
            for s in schedule.starts(businessDates: first, through: last) {
                rows.append((StartView(net: n.name, start: s, zone: schedule.clock.zone), s, schedule.clock.zone))
            }
        }
        rows.sort { ($0.start.instant, $0.view.net, $0.view.slot) < ($1.start.instant, $1.view.net, $1.view.slot) }
        return rows
    }

    /// The calendars of Jobs/calendars/.
    public func calendars() -> [CalendarSummary] {
        let set = site.loadCalendars()
        return set.names.map { n in
            CalendarSummary(name: n, extends: set.files[n]?.extends, description: set.files[n]?.description, valid: set.calendars[n] != nil)
        }
    }

    /// A calendar (nil: the standard city-office calendar) as month grids for a year (`2026`) or a month (`2026-08`).
    public func calendar(_ name: String?, period: String) throws -> (calendar: OperatingCalendar, description: String?, from: LocalDate, to: LocalDate) {
        guard let (from, to) = Self.parsePeriod(period) else {
            throw OperationError(.badInput, "calendar show \(period): write a year (2026) or a month (2026-08)")
        }
        let cal: OperatingCalendar
        do { cal = try site.calendar(named: name) } catch { throw OperationError(.notFound, "error: \(error)") }
        let description = name.flatMap { site.loadCalendars().files[$0]?.description }
        return (cal, description, from, to)
    }

    /// "2026" → the whole year; "2026-08" → that month.
    public static func parsePeriod(_ text: String) -> (LocalDate, LocalDate)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let y = Int(parts[0]), parts[0].count == 4 else { return nil }
        if parts.count == 1 {
            guard let a = LocalDate(year: y, month: 1, day: 1), let b = LocalDate(year: y, month: 12, day: 31) else { return nil }
            return (a, b)
        }
        guard parts.count == 2, parts[1].count == 2, let m = Int(parts[1]),
              let first = LocalDate(year: y, month: m, day: 1),
              let last = LocalDate(year: y, month: m, day: LocalDate.daysIn(year: y, month: m)) else { return nil }
        return (first, last)
    }

    /// Japanese public holidays of a year (1948–2099).
    public static func holidays(year: Int) throws -> [HolidayView] {
        guard JapaneseHolidays.supportedYears.contains(year) else {
            throw OperationError(.badInput, "calendar holidays \(year): holidays are known for \(JapaneseHolidays.supportedYears.lowerBound) through \(JapaneseHolidays.supportedYears.upperBound) (the Act on National Holidays took effect on 1948-07-20)")
        }
        return JapaneseHolidays.holidays(in: year).map { h in
            HolidayView(date: h.date.description, weekday: LocalDate.weekdayNamesEn[h.date.weekday], nameJa: h.nameJa, nameEn: h.nameEn,
                        kind: h.isSubstitute ? "substitute" : h.isCitizensHoliday ? "citizens" : "national")
        }
    }
}
