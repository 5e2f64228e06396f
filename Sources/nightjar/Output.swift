import Foundation
import Operations
import OperatorFiles

/// Plain-text tables and JSON for the read verbs.
enum Output {
    static func json<T: Encodable>(_ value: T) {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? enc.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }

    /// Left-aligned columns sized to their widest cell (East Asian wide characters count double).
    static func table(_ header: [String], _ rows: [[String]]) {
        // Cells hold names and messages from files and jobs: escape control characters, one row a line.
        let all = [header] + rows.map { $0.map(\.escapingControls) }
        var widths = [Int](repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], width(c)) } }
        for r in all {
            let line = r.enumerated().map { i, c in
                i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - width(c))
            }.joined(separator: "  ")
            print(line.trimmingCharacters(in: .whitespaces))
        }
    }

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xFFDC).contains($1.value) || $1.value >= 0x20000) ? 2 : 1) }
    }

    /// A moment in a table cell, in the site's time zone, which the column header names (`header`).
    static func time(_ t: Double?, _ zone: TimeZone) -> String {
        guard let t else { return "-" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "MM-dd HH:mm:ss"
        f.timeZone = zone
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    /// A time column's header with its zone, e.g. `STARTED (JST)`: table cells carry no zone.
    static func header(_ name: String, _ zone: TimeZone) -> String { "\(name) (\(zoneName(zone)))" }

    /// A short zone name. Linux's Foundation abbreviates Asia/Tokyo as "GMT+9", so the zones
    /// operators know by name are spelt out.
    static func zoneName(_ zone: TimeZone) -> String {
        switch zone.identifier {
        case "Asia/Tokyo", "Japan": return "JST"
        case "UTC", "GMT", "Etc/UTC": return "UTC"
        default: return zone.abbreviation() ?? zone.identifier
        }
    }

    /// A moment in JSON: RFC 3339 with the site zone's offset (`2026-11-29T23:19:10.123+09:00`),
    /// the same form `next --json` uses, so one script reads every verb's times.
    static func iso(_ t: Double?, _ zone: TimeZone) -> String? { Timestamp.iso(t, zone) }

    /// A CSV field (RFC 4180), quoted when it holds a comma, a quote or a line break.
    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func duration(_ a: Double?, _ b: Double?) -> String {
        guard let a else { return "-" }
        let s = (b ?? Date().timeIntervalSince1970) - a
        if s < 1 { return "\(Int((s * 1000).rounded()))ms" }
        if s < 60 { return String(format: "%.1fs", s) }
        if s < 3600 { return "\(Int(s) / 60)m\(Int(s) % 60)s" }
        return "\(Int(s) / 3600)h\(Int(s) % 3600 / 60)m"
    }
}
