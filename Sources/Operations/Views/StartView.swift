import Calendars
import Foundation

/// One scheduled start as `next` and `plan` print it; JSON field names are stable for scripts.
public struct StartView: Codable, Sendable {
    public var net: String
    public var businessDate: String
    public var slot: String
    /// ISO 8601 with the net's UTC offset, e.g. 2026-06-10T22:30:00+09:00.
    public var at: String
    public var timezone: String

    enum CodingKeys: String, CodingKey { case net, slot, at, timezone, businessDate = "business_date" }

    public init(net: String, start: Schedule.Start, zone: TimeZone) {
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
    public static func local(_ start: Schedule.Start, zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd EEE HH:mm"
        return f.string(from: start.instant)
    }
}
