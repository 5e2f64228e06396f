import Foundation

/// A parse error in a cron expression, naming the field and the offending text.
public struct CronError: Error, Hashable, Sendable, CustomStringConvertible, LocalizedError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// A standard five-field cron expression: `minute hour day-of-month month day-of-week`.
///
/// Each field takes `*`, a number, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (= `a-max/n`), and
/// comma-separated lists of these. Months may be written `JAN`…`DEC` and weekdays `SUN`…`SAT`
/// (any case); weekday 0 and 7 are both Sunday. The shorthands `@yearly` (`@annually`), `@monthly`,
/// `@weekly`, `@daily` (`@midnight`) and `@hourly` are accepted.
///
/// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted (neither
/// field starts with `*`), a day matches if EITHER matches; otherwise both must match. So
/// `0 0 1 * MON` fires on the 1st and on every Monday, while `0 0 */2 * MON` fires on Mondays with
/// an odd day of month.
public struct CronExpression: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The text as written (trimmed).
    public let text: String
    public let minutes: Set<Int>
    public let hours: Set<Int>
    public let daysOfMonth: Set<Int>
    public let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday (7 is folded into 0).
    public let daysOfWeek: Set<Int>
    /// The day-of-month field starts with `*` (Vixie's DOM_STAR).
    public let dayOfMonthIsStar: Bool
    /// The day-of-week field starts with `*` (Vixie's DOW_STAR).
    public let dayOfWeekIsStar: Bool

    private static let fieldNames = ["minute", "hour", "day-of-month", "month", "day-of-week"]
    private static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                     "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let weekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var source = trimmed
        switch trimmed.lowercased() {
        case "@yearly", "@annually": source = "0 0 1 1 *"
        case "@monthly": source = "0 0 1 * *"
        case "@weekly": source = "0 0 * * 0"
        case "@daily", "@midnight": source = "0 0 * * *"
        case "@hourly": source = "0 * * * *"
        default:
            if trimmed.hasPrefix("@") {
                throw CronError("cron expression '\(trimmed)': unknown shorthand (use @yearly, @monthly, @weekly, @daily or @hourly)")
            }
        }
        let fields = source.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError("cron expression '\(trimmed)': expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        self.text = trimmed
        minutes = try Self.parseField(fields[0], index: 0, range: 0...59, names: nil, expression: trimmed)
        hours = try Self.parseField(fields[1], index: 1, range: 0...23, names: nil, expression: trimmed)
        daysOfMonth = try Self.parseField(fields[2], index: 2, range: 1...31, names: nil, expression: trimmed)
        months = try Self.parseField(fields[3], index: 3, range: 1...12, names: (Self.monthNames, 1), expression: trimmed)
        let dow = try Self.parseField(fields[4], index: 4, range: 0...7, names: (Self.weekdayNames, 0), expression: trimmed)
        daysOfWeek = Set(dow.map { $0 == 7 ? 0 : $0 })
        dayOfMonthIsStar = fields[2].hasPrefix("*")
        dayOfWeekIsStar = fields[4].hasPrefix("*")
    }

    private static func parseField(_ field: String, index: Int, range: ClosedRange<Int>,
                                   names: ([String], Int)?, expression: String) throws -> Set<Int> {
        let fieldName = fieldNames[index]
        func fail(_ why: String) -> CronError {
            CronError("cron expression '\(expression)': \(fieldName) field '\(field)': \(why)")
        }
        func value(_ s: Substring) throws -> Int {
            if let n = Int(s) {
                guard range.contains(n) else {
                    throw fail("value \(n) is out of range \(range.lowerBound)-\(range.upperBound)")
                }
                return n
            }
            if let (list, base) = names, let i = list.firstIndex(of: s.uppercased()) { return i + base }
            if s.isEmpty { throw fail("empty value") }
            throw fail("'\(s)' is not a number\(names == nil ? "" : " or a name")")
        }

        var result = Set<Int>()
        for item in field.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw fail("more than one '/' in '\(item)'") }
            var step = 1
            if parts.count == 2 {
                guard let s = Int(parts[1]) else { throw fail("step '\(parts[1])' is not a number") }
                guard s > 0 else { throw fail("step must be at least 1") }
                step = s
            }
            let base = parts[0]
            let lo: Int, hi: Int
            if base == "*" {
                lo = range.lowerBound
                hi = index == 4 ? 6 : range.upperBound   // `*/n` over weekdays covers 0–6 once
            } else if let dash = base.firstIndex(of: "-") {
                lo = try value(base[base.startIndex..<dash])
                hi = try value(base[base.index(after: dash)...])
                guard lo <= hi else { throw fail("range \(lo)-\(hi) runs backwards") }
            } else {
                lo = try value(base)
                hi = parts.count == 2 ? (index == 4 ? 6 : range.upperBound) : lo
                if hi < lo { throw fail("'\(item)': start \(lo) is past the end of the field") }
            }
            result.formUnion(stride(from: lo, through: hi, by: step))
        }
        return result
    }

    public var description: String { text }

    /// Whether the day fields (day-of-month, month, day-of-week) select `date`.
    public func matchesDay(_ date: LocalDate) -> Bool {
        guard months.contains(date.month) else { return false }
        let domOK = daysOfMonth.contains(date.day)
        let dowOK = daysOfWeek.contains(date.weekday)
        if dayOfMonthIsStar || dayOfWeekIsStar { return domOK && dowOK }
        return domOK || dowOK
    }

    /// Whether the expression fires at `minuteOfDay` (0 … 1439) on `date`.
    public func matches(date: LocalDate, minuteOfDay: Int) -> Bool {
        guard (0..<1440).contains(minuteOfDay) else { return false }
        return hours.contains(minuteOfDay / 60) && minutes.contains(minuteOfDay % 60) && matchesDay(date)
    }

    /// The times of day the expression fires on `date`, in order (empty if the day does not match).
    public func times(on date: LocalDate) -> [TimeOfDay] {
        guard matchesDay(date) else { return [] }
        return timesOfDay
    }

    /// Every time of day the expression names, in order, ignoring the day fields.
    public var timesOfDay: [TimeOfDay] {
        hours.sorted().flatMap { h in minutes.sorted().map { TimeOfDay(hour: h, minute: $0) } }
    }

    /// Why the expression can never fire, or nil when it fires on some day. This happens when the
    /// days of month must all fall in months too short for them, e.g. `0 0 30 2 *` or `0 0 31 4,6 *`.
    /// (February 29 counts: it fires in leap years.)
    public var neverFiresReason: String? {
        // With OR semantics any weekday of any month matches; each field is non-empty after parsing.
        guard dayOfMonthIsStar || dayOfWeekIsStar else { return nil }
        let maxDay = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let possible = months.contains { m in daysOfMonth.contains { $0 <= maxDay[m] } }
        if possible { return nil }
        let ms = months.sorted().map { Self.monthNames[$0 - 1] }.joined(separator: ",")
        let ds = daysOfMonth.sorted().map(String.init).joined(separator: ",")
        return "cron expression '\(text)' can never fire: day \(ds) does not exist in \(ms)"
    }

    public var canFire: Bool { neverFiresReason == nil }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch let e as CronError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: e.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
