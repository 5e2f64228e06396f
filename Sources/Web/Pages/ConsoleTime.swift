import Calendars
import Foundation

/// Times and durations as the console's pages write them, in the site's zone, by arithmetic on the
/// instant and the zone's offset (no formatter per call: a Run page writes 10,000 of them).
extension ConsoleLayout {
    /// The instant's local day number and second of the day in `zone`.
    static func local(_ t: Double, _ zone: TimeZone, offsets: ZoneOffsets? = nil) -> (day: Int, second: Int) {
        let offset = offsets?.offset(t) ?? Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
        let local = Int((t + offset).rounded(.down))
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (day, local - day * 86_400)
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func hhmm(_ second: Int) -> String { two(second / 3600) + ":" + two(second / 60 % 60) }

    /// `HH:MM` of an instant in `zone`.
    static func clock(_ t: Double?, _ zone: TimeZone) -> String {
        guard let t else { return "" }
        return hhmm(local(t, zone).second)
    }

    /// `MM-DD HH:MM` of an instant in `zone`.
    static func dayClock(_ t: Double?, _ zone: TimeZone) -> String {
        guard let t else { return "" }
        let (day, second) = local(t, zone)
        return LocalDateText.of(dayNumber: day) + " " + hhmm(second)
    }

    /// `2026-11-29 23:19` in `zone`.
    static func dateTime(_ t: Double?, _ zone: TimeZone) -> String {
        guard let t else { return "" }
        let (day, second) = local(t, zone)
        return LocalDateText.of(dayNumber: day, year: true) + " " + hhmm(second)
    }

    /// `23:19:10` in `zone`, or `11-29 23:19:10` when it is not on `day`'s date (the run's day), so a
    /// night's times read short and a time of another day is never mistaken for tonight's.
    static func time(_ t: Double?, _ zone: TimeZone, sameDayAs day: Double? = nil, offsets: ZoneOffsets? = nil) -> String {
        guard let t else { return "" }
        let (d, second) = local(t, zone, offsets: offsets)
        let s = hhmm(second) + ":" + two(second % 60)
        if let day, local(day, zone, offsets: offsets).day != d { return LocalDateText.of(dayNumber: d) + " " + s }
        return s
    }

    /// `4.2s`, `12s`, `12m 05s`, `1h 05m`.
    static func duration(_ seconds: Double) -> String {
        let seconds = max(0, seconds)
        if seconds < 9.95 {
            let tenths = Int((seconds * 10).rounded())
            return "\(tenths / 10).\(tenths % 10)s"
        }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h \(two(s / 60 % 60))m" }
        if s >= 60 { return "\(s / 60)m \(two(s % 60))s" }
        return "\(s)s"
    }

    /// From `start` to `end`, or to `now` while it runs; empty without a start.
    static func duration(from start: Double?, to end: Double?, now: Double) -> String {
        guard let start else { return "" }
        return duration((end ?? now) - start)
    }

    /// A short zone name: Linux's Foundation abbreviates Asia/Tokyo as "GMT+9", operators know it as JST.
    static func zoneName(_ zone: TimeZone) -> String {
        switch zone.identifier {
        case "Asia/Tokyo", "Japan": return "JST"
        case "UTC", "GMT", "Etc/UTC": return "UTC"
        default: return zone.abbreviation() ?? zone.identifier
        }
    }
}

/// A zone's UTC offset by the hour, asked of the zone once per hour of the night: a page of 10,000
/// times asks it a few times, not 10,000.
final class ZoneOffsets {
    let zone: TimeZone
    private var cache: [Int: Double] = [:]
    init(_ zone: TimeZone) { self.zone = zone }
    func offset(_ t: Double) -> Double {
        let hour = Int((t / 3600).rounded(.down))
        if let known = cache[hour] { return known }
        // The offset at the hour's start and end agree except across a change, which is then asked exactly.
        let a = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour) * 3600))
        let b = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour + 1) * 3600 - 1))
        if a != b { return Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))) }
        cache[hour] = Double(a)
        return Double(a)
    }
}

/// Dates of day numbers as text, without a formatter per call.
enum LocalDateText {
    /// `11-29`, or `2026-11-29` with `year`.
    static func of(dayNumber: Int, year: Bool = false) -> String {
        let d = LocalDate(dayNumber: dayNumber)
        let md = ConsoleLayout.two(d.month) + "-" + ConsoleLayout.two(d.day)
        return year ? "\(d.year)-" + md : md
    }
}
