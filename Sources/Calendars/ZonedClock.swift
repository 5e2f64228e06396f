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
    public func instant(on date: LocalDate, at time: TimeOfDay) -> Date {
        let comps = DateComponents(year: date.year, month: date.month, day: date.day)
        let midnight = calendar.date(from: comps) ?? Date(timeIntervalSince1970: 0)
        return midnight.addingTimeInterval(TimeInterval(time.secondsFromMidnight))
    }

    public func date(of instant: Date) -> LocalDate {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? LocalDate(dayNumber: 0)
    }
}
