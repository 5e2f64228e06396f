import Foundation

/// Converts between instants and (business date, time of day) in one time zone.
/// Pure: the zone comes from the net or site, never from the machine.
public struct ZonedClock: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public init?(zoneIdentifier: String) {
        guard let zone = TimeZone(identifier: zoneIdentifier) else { return nil }
        self.init(zone: zone)
    }

    public init(zone: TimeZone) {
        self.zone = zone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        calendar = c
    }

    /// The instant at `time` on `date` in this zone; times past 24:00 fall on the following day.
    /// The wall-clock time is looked up in the zone, so a day with a daylight-saving change still
    /// gives "02:30" as 02:30 local time (a time the change skips moves forward with it).
    public func instant(on date: LocalDate, at time: TimeOfDay) -> Date {
        let seconds = time.secondsFromMidnight
        let day = date.adding(days: seconds / 86_400)
        let rest = seconds % 86_400
        let comps = DateComponents(year: day.year, month: day.month, day: day.day,
                                   hour: rest / 3600, minute: rest / 60 % 60, second: rest % 60)
        if let d = calendar.date(from: comps) { return d }
        let midnight = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        return (midnight ?? Date(timeIntervalSince1970: 0)).addingTimeInterval(TimeInterval(rest))
    }

    public func date(of instant: Date) -> LocalDate {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? LocalDate(dayNumber: 0)
    }

    /// The wall-clock time of `instant` in this zone (00:00:00 … 23:59:59).
    public func timeOfDay(of instant: Date) -> TimeOfDay {
        let c = calendar.dateComponents([.hour, .minute, .second], from: instant)
        return TimeOfDay(hour: c.hour ?? 0, minute: c.minute ?? 0, second: c.second ?? 0)
    }

    /// The business date `instant` belongs to when each business day starts at `dayStarts`
    /// (for example 05:00: 01:30 on the 11th still belongs to the 10th).
    public func businessDate(of instant: Date, dayStarts: TimeOfDay = TimeOfDay(hour: 0, minute: 0)) -> LocalDate {
        let d = date(of: instant)
        return timeOfDay(of: instant) < dayStarts ? d.adding(days: -1) : d
    }
}
