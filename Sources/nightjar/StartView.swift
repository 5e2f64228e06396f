import Calendars
import Foundation
import JobNets
import OperatorFiles

/// One scheduled start as `next` and `plan` print it; JSON field names are stable for scripts.
struct StartView: Encodable {
    var net: String
    var businessDate: String
    var slot: String
    /// ISO 8601 with the net's UTC offset, e.g. 2026-06-10T22:30:00+09:00.
    var at: String
    var timezone: String

    enum CodingKeys: String, CodingKey { case net, slot, at, timezone, businessDate = "business_date" }

    init(net: String, start: Schedule.Start, zone: TimeZone) {
        self.net = net
        businessDate = start.businessDate.description
        slot = start.slot
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime]
        at = f.string(from: start.instant)
        timezone = zone.identifier
    }

    /// "2026-06-11 Thu 01:30" in the net's zone, for tables.
    static func local(_ start: Schedule.Start, zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd EEE HH:mm"
        return f.string(from: start.instant)
    }
}

extension SiteOptions {
    /// A net's schedule under its calendar, or exit 2 with the calendar's problems.
    func schedule(of net: JobNet, config: SiteConfig, calendars: CalendarSet? = nil) throws -> Schedule {
        let calendars = calendars ?? site.loadCalendars()
        guard let s = site.schedule(of: net, calendars: calendars, defaultZone: config.timezone) else {
            let problems = calendars.problems(concerning: Set([net.calendar].compactMap { $0 }))
            throw Failure.badInput(problems.isEmpty ? "\(net.name): calendar '\(net.calendar ?? "")' cannot be used"
                                                    : ValidationFailure(problems).description)
        }
        return s
    }

    /// `YYYY-MM-DD` (midnight), `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`, local to `clock`'s zone.
    static func instant(_ text: String, clock: ZonedClock) -> Date? {
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " }).map(String.init)
        guard (1...2).contains(parts.count), let d = LocalDate(parts[0]) else { return nil }
        guard parts.count == 2 else { return clock.instant(on: d, at: TimeOfDay(hour: 0, minute: 0)) }
        guard let t = TimeOfDay(parts[1]), t.secondsFromMidnight < 86_400 else { return nil }
        return clock.instant(on: d, at: t)
    }
}
