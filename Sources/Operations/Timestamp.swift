import Foundation

/// Moments as every JSON view prints them.
public enum Timestamp {
    /// RFC 3339 with the site zone's offset (`2026-11-29T23:19:10.123+09:00`), the same form in every
    /// verb and endpoint, so one script reads all of their times.
    public static func iso(_ t: Double?, _ zone: TimeZone) -> String? {
        guard let t else { return nil }
        return formatter(zone).string(from: Date(timeIntervalSince1970: t))
    }

    /// One formatter per thread and zone: making one costs far more than using it (a run list of 50
    /// runs has 150 times), and a formatter is not safe to share between threads.
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
