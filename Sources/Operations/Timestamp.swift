import Foundation

/// Moments as every JSON view prints them.
public enum Timestamp {
    /// RFC 3339 with the site zone's offset (`2026-11-29T23:19:10.123+09:00`), the same form in every
    /// verb and endpoint, so one script reads all of their times.
    public static func iso(_ t: Double?, _ zone: TimeZone) -> String? {
        guard let t else { return nil }
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: t))
    }
}
