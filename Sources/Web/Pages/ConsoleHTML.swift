import Calendars
import Foundation
import HTTPTypes
import Hummingbird

/// What the console's pages share beyond templates: escaping for the rows written by hand (a run page
/// of 10,000 jobs is built with string appends, not a template walk per cell), times and durations
/// in the site's zone, links, and the answer with the page's Content-Security-Policy.
enum ConsoleHTML {
    /// Text for HTML element content and quoted attribute values.
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A path segment (a job name in a link): everything but unreserved characters percent-encoded.
    static func segment(_ s: String) -> String {
        // Job names are letters, digits, '-' and '_': no Foundation call for them (10,000 a page).
        let plain = s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x7E }
        return plain ? s : s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `23:19:10` in the zone, or `11-29 23:19` when it is not on `day` (the run's day), so a night's
    /// times read short and a time of another day is never mistaken for tonight's.
    static func time(_ t: Double?, zone: TimeZone, sameDayAs day: Double? = nil, offsets: ZoneOffsets? = nil) -> String {
        guard let t else { return "" }
        let offset = offsets?.offset(t) ?? Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
        let local = Int((t + offset).rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let inDay = local - days * 86_400
        var s = two(inDay / 3600) + ":" + two(inDay / 60 % 60) + ":" + two(inDay % 60)
        if let day {
            let dayOffset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: day)))
            let dayLocal = Int((day + dayOffset).rounded(.down))
            let otherDays = dayLocal >= 0 ? dayLocal / 86_400 : (dayLocal - 86_399) / 86_400
            if otherDays != days {
                let date = LocalDateText.of(dayNumber: days)
                s = date + " " + s
            }
        }
        return s
    }

    /// `2026-11-29 23:19` in the zone.
    static func dateTime(_ t: Double?, zone: TimeZone) -> String {
        guard let t else { return "" }
        let offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
        let local = Int((t + offset).rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let inDay = local - days * 86_400
        return LocalDateText.of(dayNumber: days, year: true) + " " + two(inDay / 3600) + ":" + two(inDay / 60 % 60)
    }

    /// `4.2 s`, `12 min 5 s`, `2 h 03 min`; empty without a start.
    static func duration(from start: Double?, to end: Double?, now: Double) -> String {
        guard let start else { return "" }
        let seconds = max(0, (end ?? now) - start)
        if seconds < 10 {
            let tenths = Int((seconds * 10).rounded())
            return tenths >= 100 ? "10 s" : "\(tenths / 10).\(tenths % 10) s"
        }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h " + two(s / 60 % 60) + " min"
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// The page's answer. `script`: the page loads /console/console.js (the live log) from this server.
    static func response(_ text: String, status: HTTPResponse.Status = .ok, script: Bool = false, cookie: Cookie? = nil) -> Response {
        let policy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; img-src 'self'"
            + (script ? "; script-src 'self'; connect-src 'self'" : "")
        var response = HTTPIO.text(text, contentType: "text/html; charset=utf-8", status: status,
                                   headers: [.cacheControl: "no-store", .contentSecurityPolicy: policy, HTTPField.Name("X-Frame-Options")!: "DENY"])
        if let cookie { response.setCookie(cookie) }
        return response
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
        let md = ConsoleHTML.two(d.month) + "-" + ConsoleHTML.two(d.day)
        return year ? "\(d.year)-" + md : md
    }
}
