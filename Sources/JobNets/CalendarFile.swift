import Calendars
import Foundation
import OperatorFiles
import Yams

/// One `Jobs/calendars/NAME.yaml`: which days a city office is closed, as changes to the calendar it
/// extends (or to the standard city-office calendar: Saturdays, Sundays, national holidays, 12/29–1/3).
///
/// ```yaml
/// name: city
/// description: 夜鷹市役所の開庁日
/// extends: standard-office        # optional: another file in Jobs/calendars
/// weekends: [sat, sun]            # or closed_weekdays:
/// national_holidays: true
/// year_end: true                  # 12/29–1/3
/// closed:
///   - 2026-08-13
///   - { date: 2026-08-14, reason: 夏季一斉休庁 }
///   - { from: 2026-08-12, to: 2026-08-14, reason: 夏季一斉休庁 }
/// open:
///   - { date: 2026-03-14, reason: 確定申告の休日開庁 }
/// ```
public struct CalendarFile: Sendable {
    public var name: String
    public var description: String?
    /// The calendar this one changes, if any.
    public var extends: String?
    public var overrides: OperatingCalendarOverrides
    /// The file, relative to the site root.
    public var file: String
    /// Where `extends:`'s value is, for messages about it.
    public var extendsLine: Int
    public var extendsColumn: Int

    static let keys = ["name", "description", "extends", "weekends", "closed_weekdays", "national_holidays", "year_end",
                       "closed", "open"]

    public static func load(path: String, displayPath: String? = nil) throws -> CalendarFile {
        let shown = displayPath ?? path
        let (text, name) = try YAMLDocument.readText(path: path, displayPath: shown)
        return try parse(text, file: shown, expectedName: name)
    }

    public static func parse(_ text: String, file: String, expectedName: String) throws -> CalendarFile {
        let doc = YAMLDocument(file: file)
        guard let root = doc.parse(text), let f = doc.mapping(root, what: "a calendar", allowed: keys) else {
            throw ValidationFailure(doc.diagnostics)
        }
        if let n = f["name"], let name = doc.string(n, what: "'name'"), name != expectedName {
            doc.report(n, "the calendar is named '\(name)' but its file is \(expectedName).yaml; make them match")
        }
        if !JobNetLoader.isName(expectedName) {
            doc.report(root, "'\(expectedName)' is not a valid calendar name; use letters, digits, '-' and '_'")
        }
        var overrides = OperatingCalendarOverrides(name: expectedName)

        if f["weekends"] != nil && f["closed_weekdays"] != nil {
            doc.report(f.keyNode("closed_weekdays"), "give either 'weekends' or 'closed_weekdays' (they mean the same)")
        }
        for key in ["weekends", "closed_weekdays"] {
            if let n = f[key], let days = WeekdayNames.list(n, key: key, doc: doc) { overrides.closedWeekdays = days }
        }
        overrides.nationalHolidays = bool(f, "national_holidays", doc)
        overrides.yearEnd = bool(f, "year_end", doc)

        var notes: [LocalDate: String] = [:]
        var closedAt: [LocalDate: Node] = [:]
        if let n = f["closed"] {
            for (d, reason, node) in days(n, key: "closed", doc: doc) {
                overrides.closedDays.insert(d)
                closedAt[d] = node
                if let reason { notes[d] = reason }
            }
        }
        if let n = f["open"] {
            for (d, reason, node) in days(n, key: "open", doc: doc) {
                if closedAt[d] != nil {
                    doc.report(node, "\(d) is listed both as closed (line \(closedAt[d]?.mark?.line ?? 0)) and as open; keep one")
                }
                overrides.openDays.insert(d)
                if let reason { notes[d] = reason }
            }
        }
        overrides.notes = notes

        var extendsLine = 1, extendsColumn = 1
        let extends = f.string("extends")
        if let n = f["extends"] {
            extendsLine = n.mark?.line ?? 1
            extendsColumn = n.mark?.column ?? 1
            if extends == expectedName { doc.report(n, "a calendar cannot extend itself") }
        }
        if !doc.diagnostics.isEmpty { throw ValidationFailure(doc.diagnostics) }
        return CalendarFile(name: expectedName, description: f.string("description"), extends: extends,
                            overrides: overrides, file: file, extendsLine: extendsLine, extendsColumn: extendsColumn)
    }

    static func bool(_ f: YAMLDocument.Fields, _ key: String, _ doc: YAMLDocument) -> Bool? {
        guard let n = f[key], let text = doc.string(n, what: "'\(key)'") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            doc.report(n, "'\(key)' must be true or false")
            return nil
        }
    }

    /// `closed:` / `open:` items: a date, `{ date: D, reason: R }` or `{ from: D, to: D, reason: R }`.
    static func days(_ node: Node, key: String, doc: YAMLDocument) -> [(LocalDate, String?, Node)] {
        guard case .sequence(let items) = node else {
            doc.report(node, "'\(key)' must be a list of dates, for example [2026-08-13, 2026-08-14]")
            return []
        }
        var result: [(LocalDate, String?, Node)] = []
        for item in items {
            if case .scalar = item {
                if let d = date(item, doc: doc) { result.append((d, nil, item)) }
                continue
            }
            guard let m = doc.mapping(item, what: "an item of '\(key)'", allowed: ["date", "from", "to", "reason"]) else { continue }
            let reason = m.string("reason")
            if let dn = m["date"] {
                if m["from"] != nil || m["to"] != nil {
                    doc.report(dn, "give either 'date' or 'from' and 'to'")
                    continue
                }
                if let d = date(dn, doc: doc) { result.append((d, reason, dn)) }
            } else if let fromNode = m["from"], let toNode = m["to"] {
                guard let a = date(fromNode, doc: doc), let b = date(toNode, doc: doc) else { continue }
                guard a <= b else {
                    doc.report(toNode, "the range ends (\(b)) before it starts (\(a))")
                    continue
                }
                guard b.dayNumber - a.dayNumber < 366 else {
                    doc.report(toNode, "a range may span at most a year")
                    continue
                }
                for n in a.dayNumber...b.dayNumber { result.append((LocalDate(dayNumber: n), reason, fromNode)) }
            } else {
                doc.report(item, "an item of '\(key)' needs 'date' (or 'from' and 'to'), for example { date: 2026-08-13, reason: 夏季一斉休庁 }")
            }
        }
        return result
    }

    static func date(_ node: Node, doc: YAMLDocument) -> LocalDate? {
        guard let text = doc.string(node, what: "a date") else { return nil }
        if let d = LocalDate(text) { return d }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.map(\.count) == [4, 2, 2], parts.allSatisfy({ Int($0) != nil }) {
            doc.report(node, "'\(text)' is not a date: that day does not exist")
        } else {
            doc.report(node, "'\(text)' is not a date; write YYYY-MM-DD, for example 2026-08-13")
        }
        return nil
    }
}
