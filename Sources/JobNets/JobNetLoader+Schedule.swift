import Calendars
import Foundation
import OperatorFiles
import Yams

/// The net's `schedule:` list and the keys that govern it (`shift`, `business_day_starts`, `missed`).
extension JobNetLoader {
    static let entryKeys = ["at", "weekdays", "nth", "day", "operating_day", "operating_days_before", "cron", "months",
                            "shift", "label"]
    static let dayRuleKeys = ["weekdays", "day", "operating_day", "operating_days_before", "cron"]

    struct ScheduleSettings {
        var entries: [ScheduleEntry] = []
        var dayStarts: TimeOfDay?
        var shift: ShiftRule?
        var missed: MissedRunPolicy?
    }

    static func parseSchedule(_ f: YAMLDocument.Fields, doc: YAMLDocument) -> ScheduleSettings {
        var settings = ScheduleSettings()
        if let n = f["business_day_starts"], let text = doc.string(n, what: "'business_day_starts'") {
            if let t = TimeOfDay(text), t.secondsFromMidnight < 86_400 {
                settings.dayStarts = t
            } else {
                doc.report(n, "'business_day_starts' must be a time from 00:00 to 23:59, for example \"05:00\" (a start at 01:30 then belongs to the day before)")
            }
        }
        settings.shift = f["shift"].flatMap { shift($0, doc: doc) }
        if let n = f["missed"], let text = doc.string(n, what: "'missed'") {
            if let p = MissedRunPolicy(rawValue: text) {
                settings.missed = p
            } else {
                doc.report(n, "'missed' must be one of all (run every missed start), latest (only the most recent) or skip")
            }
        }
        guard let s = f["schedule"] else { return settings }
        guard case .sequence(let items) = s else {
            doc.report(s, "'schedule' must be a list, for example schedule: [{ at: \"22:30\" }]")
            return settings
        }
        let dayStarts = settings.dayStarts ?? TimeOfDay(hour: 0, minute: 0)
        for item in items {
            settings.entries += entry(item, netShift: settings.shift, dayStarts: dayStarts, doc: doc)
        }
        return settings
    }

    static func shift(_ node: Node, doc: YAMLDocument) -> ShiftRule? {
        guard let text = doc.string(node, what: "'shift'") else { return nil }
        guard let s = ShiftRule(rawValue: text) else {
            doc.report(node, "'shift' must be one of previous, next, skip or always (what to do when the day is closed)")
            return nil
        }
        return s
    }

    /// One `schedule:` item: a time (or several) and at most one day rule.
    static func entry(_ item: Node, netShift: ShiftRule?, dayStarts: TimeOfDay, doc: YAMLDocument) -> [ScheduleEntry] {
        // `- "22:30"` is short for `- at: "22:30"`.
        if case .scalar = item {
            return times(item, dayStarts: dayStarts, doc: doc).map {
                ScheduleEntry(at: $0, shift: netShift ?? .skip, line: item.mark?.line ?? 0, column: item.mark?.column ?? 0)
            }
        }
        guard let e = doc.mapping(item, what: "a schedule entry", allowed: entryKeys) else { return [] }
        let given = dayRuleKeys.filter { e[$0] != nil }
        if given.count > 1 {
            doc.report(e.keyNode(given[1]), "a schedule entry takes one day rule, but this one has \(given.joined(separator: " and ")); write one entry for each")
            return []
        }
        let shift = e["shift"].flatMap { Self.shift($0, doc: doc) } ?? netShift ?? .skip
        let label = e.string("label")
        if let n = e["nth"], e["weekdays"] == nil {
            doc.report(n, "'nth' goes with 'weekdays': the 2nd Monday is weekdays: [mon], nth: 2")
        }
        var months: [Int]?
        if let m = e["months"] {
            if let c = e["cron"] {
                // The months as the hint would write them, without reporting their problems twice.
                let written = Self.months(m, doc: YAMLDocument(file: doc.file)) ?? []
                doc.report(e.keyNode("months"), "'months' does not go with 'cron': cron has its own month field, the fourth"
                           + cronHint(c, months: written))
                return []
            }
            months = Self.months(m, doc: doc)
            if months == nil { return [] }
        }

        var times: [TimeOfDay] = []
        var rules: [DayRule] = [.everyOperatingDay]
        var ruleNode: Node = item
        if let c = e["cron"] {
            ruleNode = c
            if let a = e["at"] {
                doc.report(a, "a cron entry takes its times from the expression; remove 'at' or write a separate entry")
            }
            guard let text = doc.string(c, what: "'cron'") else { return [] }
            do {
                let expr = try CronExpression(text)
                rules = [.cron(expr)]
                times = expr.timesOfDay
            } catch let error as CronError {
                doc.report(c, error.message)
                return []
            } catch {
                doc.report(c, "\(error)")
                return []
            }
        } else {
            guard let atNode = e["at"] else {
                doc.report(item, "a schedule entry needs 'at: \"HH:MM\"' (or 'cron:')")
                return []
            }
            ruleNode = atNode
            times = Self.times(atNode, dayStarts: dayStarts, doc: doc)
            if let (node, r) = dayRules(e, doc: doc) {
                ruleNode = node
                rules = r
            } else if given.count == 1 {
                return []
            }
        }
        for rule in Set(rules) {
            if let why = rule.validate() {
                doc.report(ruleNode, yamlWording(why))
                return []
            }
            if let months, let why = rule.validate(months: Set(months)) {
                doc.report(e["months"], yamlWording(why))
                return []
            }
        }
        let line = ruleNode.mark?.line ?? 0, column = ruleNode.mark?.column ?? 0
        return rules.flatMap { rule in
            times.map { t in
                ScheduleEntry(at: t, days: rule, shift: shift, months: months,
                              label: label.map { times.count > 1 ? "\($0) \(t)" : $0 },
                              line: line, column: column)
            }
        }
    }

    /// `at: "22:30"`, `at: "06:00, 22:30"` or `at: ["06:00", "22:30"]`.
    static func times(_ node: Node, dayStarts: TimeOfDay, doc: YAMLDocument) -> [TimeOfDay] {
        let items: [Node]
        if case .sequence(let seq) = node { items = Array(seq) } else { items = [node] }
        var result: [TimeOfDay] = []
        for item in items {
            guard let text = doc.string(item, what: "'at'") else { continue }
            for one in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let t = TimeOfDay(one) else {
                    doc.report(item, "'\(one)' is not a time of day; write HH:MM, for example \"22:30\"")
                    continue
                }
                if let why = Schedule.problem(time: t, dayStarts: dayStarts) {
                    doc.report(item, why)
                    continue
                }
                result.append(t)
            }
        }
        if items.isEmpty { doc.report(node, "'at' needs at least one time, for example \"22:30\"") }
        return result
    }

    /// The entry's day rule (one key, checked above), with the node to report problems at.
    /// Nil when there is none or it could not be read (already reported).
    static func dayRules(_ e: YAMLDocument.Fields, doc: YAMLDocument) -> (Node, [DayRule])? {
        if let n = e["weekdays"] {
            guard let days = WeekdayNames.list(n, key: "weekdays", doc: doc) else { return nil }
            if let nthNode = e["nth"] {
                guard let nth = position(nthNode, key: "nth", doc: doc) else { return nil }
                if days.isEmpty { return (n, [.weekdays([])]) }
                return (nthNode, days.sorted().map { .nthWeekday(nth, weekday: $0) })
            }
            return (n, [.weekdays(days)])
        }
        if let n = e["day"] {
            guard let day = position(n, key: "day", doc: doc) else { return nil }
            return (n, [.dayOfMonth(day)])
        }
        if let n = e["operating_day"] {
            guard let day = position(n, key: "operating_day", doc: doc) else { return nil }
            return (n, [.nthOperatingDay(day)])
        }
        if let n = e["operating_days_before"] {
            guard let m = doc.mapping(n, what: "'operating_days_before'", allowed: ["days", "day"]) else { return nil }
            guard let daysNode = m["days"], let dayNode = m["day"] else {
                doc.report(n, "'operating_days_before' needs 'days' and 'day', for example { days: 3, day: 25 } (3 operating days before the 25th)")
                return nil
            }
            guard let days = daysNode.scalar.flatMap({ Int($0.string) }), days >= 0 else {
                doc.report(daysNode, "'days' must be a whole number of operating days, 0 or more")
                return nil
            }
            guard let day = position(dayNode, key: "day", doc: doc) else { return nil }
            return (n, [.operatingDaysBefore(days, day: day)])
        }
        return nil
    }

    /// `months: [6]`, `[4, 5, 6]`, `["4-6", 10]`, `6` or `"4-6, 10"`: months 1…12, ascending. Ranges do
    /// not wrap past December (`"10-3"` is refused, so a typo cannot silently select half a year).
    /// Nil when a problem was reported.
    static func months(_ node: Node, doc: YAMLDocument) -> [Int]? {
        let example = "for example [6] for June, [4, 5, 6] or [\"4-6\"]"
        let items: [Node]
        switch node {
        case .sequence(let seq): items = Array(seq)
        case .scalar(let s) where !s.string.trimmingCharacters(in: .whitespaces).isEmpty: items = [node]
        case .scalar:
            doc.report(node, "'months' is empty; list month numbers, \(example), or remove 'months' to run in every month")
            return nil
        default:
            doc.report(node, "'months' must be a list of month numbers, \(example)")
            return nil
        }
        if items.isEmpty {
            doc.report(node, "'months' lists no month; list month numbers, \(example), or remove 'months' to run in every month")
            return nil
        }
        let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let longNames: Set = ["january", "february", "march", "april", "june", "july", "august", "september",
                              "october", "november", "december"]
        var from: [Int: String] = [:]    // month → the item that listed it
        var ok = true
        for item in items {
            guard case .scalar(let s) = item else {
                doc.report(item, "items of 'months' must be month numbers or ranges such as \"4-6\", not a list or mapping")
                ok = false
                continue
            }
            for token in s.string.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                func month(_ text: String) -> Int? {
                    guard let n = Int(text.trimmingCharacters(in: .whitespaces)), (1...12).contains(n) else { return nil }
                    return n
                }
                var got: [Int]
                if let n = Int(token) {
                    guard (1...12).contains(n) else {
                        doc.report(item, "'months': \(n) is not a month; write 1 (January) to 12 (December)")
                        ok = false
                        continue
                    }
                    got = [n]
                } else if case let parts = token.split(separator: "-", omittingEmptySubsequences: false), parts.count == 2,
                          let a = month(String(parts[0])), let b = month(String(parts[1])) {
                    guard a <= b else {
                        doc.report(item, "'months': the range '\(token)' runs backwards and ranges do not wrap past December; "
                                   + "write [\"\(a)-12\", \"1-\(b)\"]" + (a == 12 && b == 1 ? " or [12, 1]" : ""))
                        ok = false
                        continue
                    }
                    got = Array(a...b)
                } else {
                    let lower = token.lowercased()
                    let number = names.firstIndex { lower == $0 || lower == "\($0)." || longNames.contains(lower) && lower.hasPrefix($0) }
                        .map { $0 + 1 } ?? (token.hasSuffix("月") ? month(String(token.dropLast())) : nil)
                    let named = number.map { " (write \($0) for \(token))" } ?? ""
                    doc.report(item, "'months': '\(token)' is not a month number\(named); write 1 to 12 or a range such as \"4-6\"")
                    ok = false
                    continue
                }
                if let twice = got.first(where: { from[$0] != nil }), let first = from[twice] {
                    let also = first == token ? "" : " (in '\(first)' and '\(token)')"
                    doc.report(item, "'months': \(twice) is listed twice\(also); list each month once")
                    ok = false
                    continue
                }
                for m in got { from[m] = token }
            }
        }
        return ok ? from.keys.sorted() : nil
    }

    /// The entry's cron expression with `months` in its month field, when that field is `*`.
    static func cronHint(_ node: Node, months: [Int]) -> String {
        let fields = (node.scalar?.string ?? "").split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5, fields[3] == "*", !months.isEmpty else {
            return ", for example cron: \"0 9 10 6 *\" (09:00 on June 10th)"
        }
        var with = fields.map(String.init)
        with[3] = months.map(String.init).joined(separator: ",")
        return "; write the months there: cron: \"\(with.joined(separator: " "))\""
    }

    /// A whole number, or `last` for -1.
    static func position(_ node: Node, key: String, doc: YAMLDocument) -> Int? {
        guard let text = doc.string(node, what: "'\(key)'") else { return nil }
        if text.lowercased() == "last" { return -1 }
        guard let n = Int(text) else {
            doc.report(node, "'\(key)' must be a whole number or 'last', not '\(text)'")
            return nil
        }
        return n
    }

    /// DayRule's messages name the rules as Swift does; operators know the YAML keys.
    static func yamlWording(_ message: String) -> String {
        let names = [("dayOfMonth:", "'day':"), ("nthOperatingDay:", "'operating_day':"),
                     ("operatingDaysBefore:", "'operating_days_before':"), ("nthWeekday:", "'nth':"),
                     ("weekdays:", "'weekdays':")]
        var m = message
        for (swift, yaml) in names where m.hasPrefix(swift) {
            m = yaml + m.dropFirst(swift.count)
            break
        }
        return m.replacingOccurrences(of: "-1 for the last", with: "last (or -1) for the last")
    }
}
