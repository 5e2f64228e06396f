import Calendars
import Foundation

extension JobNet {
    /// The net's starts: its schedule lines under `calendar`, in its time zone (else `defaultZone`),
    /// with its business-day change time.
    public func schedule(calendar: OperatingCalendar, defaultZone: String) -> Schedule {
        let zone = TimeZone(identifier: timezone ?? defaultZone) ?? TimeZone(identifier: Self.defaultTimeZone) ?? .current
        let entries = schedule.map { Schedule.Entry(time: $0.at, rule: $0.rule, slot: $0.slot) }
        return Schedule(entries: entries, calendar: calendar, clock: ZonedClock(zone: zone), dayStarts: dayStarts)
    }
}

extension Site {
    /// A net's schedule under its calendar (`calendar:`, else the standard city office); nil when that
    /// calendar does not exist or has problems (`validate` reports them).
    public func schedule(of net: JobNet, calendars: CalendarSet, defaultZone: String) -> Schedule? {
        guard let calendar = calendars.calendar(named: net.calendar) else { return nil }
        return net.schedule(calendar: calendar, defaultZone: defaultZone)
    }
}
