import Calendars
import Foundation

/// Moments as every JSON view prints them.
public enum Timestamp {
    /// RFC 3339 with the site zone's offset and milliseconds (`2026-11-29T23:19:10.123+09:00`, or `…Z`
    /// in UTC), the same form in every verb and endpoint, so one script reads all of their times.
    ///
    /// Written by hand: a run list of 50 runs has 150 times, and ISO8601DateFormatter was a tenth of the
    /// API's time. The output is ISO8601DateFormatter's with `.withInternetDateTime,
    /// .withFractionalSeconds` (a test compares them over many instants and zones).
    public static func iso(_ t: Double?, _ zone: TimeZone) -> String? {
        guard let t, t.isFinite, abs(t) < 1e12 else { return t.map { formatter(zone).string(from: Date(timeIntervalSince1970: $0)) } }
        // Milliseconds, rounded to the nearest as Foundation does.
        let ms = Int64((t * 1000).rounded())
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))
        let local = ms + Int64(offset) * 1000
        let days = Int(local.floorDiv(86_400_000))
        let inDay = Int(local - Int64(days) * 86_400_000)
        let date = LocalDate(dayNumber: days)
        let (y, m, d) = (date.year, date.month, date.day)
        var s = ""
        s.reserveCapacity(29)
        pad(&s, y, 4); s += "-"; pad(&s, m, 2); s += "-"; pad(&s, d, 2); s += "T"
        pad(&s, inDay / 3_600_000, 2); s += ":"; pad(&s, inDay / 60_000 % 60, 2); s += ":"; pad(&s, inDay / 1000 % 60, 2)
        s += "."; pad(&s, inDay % 1000, 3)
        if offset == 0 { s += "Z" } else {
            s += offset < 0 ? "-" : "+"
            pad(&s, abs(offset) / 3600, 2); s += ":"; pad(&s, abs(offset) / 60 % 60, 2)
        }
        return s
    }

    static func pad(_ s: inout String, _ n: Int, _ width: Int) {
        let digits = String(n)
        if digits.count < width { s += String(repeating: "0", count: width - digits.count) }
        s += digits
    }

    /// Foundation's formatter, for instants outside the hand-written range; one per thread and zone.
    static func formatter(_ zone: TimeZone) -> ISO8601DateFormatter {
        let key = "nightjar.iso8601." + zone.identifier
        if let f = Thread.current.threadDictionary[key] as? ISO8601DateFormatter { return f }
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        Thread.current.threadDictionary[key] = f
        return f
    }
}

private extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { let q = self / d; return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q }
}
