import Calendars
import Foundation

/// Month grids of an operating calendar, like `cal`, with closed days marked, and the same as JSON.
public enum MonthGrid {
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
    static let cellWidth = 4
    static let monthWidth = 7 * cellWidth

    public struct Day: Codable, Sendable {
        public var date: String
        public var weekday: String
        public var operating: Bool
        /// Why it is closed, or the note of a listed open day.
        public var reason: String?
        /// weekday, holiday, year-end, listed-closed, listed-open; nil for an ordinary open day.
        public var kind: String?
    }

    public struct Month: Codable, Sendable {
        public var month: String
        public var operatingDays: Int
        public var days: [Day]
        enum CodingKeys: String, CodingKey { case month, days, operatingDays = "operating_days" }
    }

    public struct View: Codable, Sendable {
        public var calendar: String
        public var description: String?
        public var from: String
        public var to: String
        public var closedWeekdays: [String]
        public var nationalHolidays: Bool
        public var yearEnd: Bool
        public var months: [Month]
        enum CodingKeys: String, CodingKey {
            case calendar, description, from, to, months
            case closedWeekdays = "closed_weekdays", nationalHolidays = "national_holidays", yearEnd = "year_end"
        }
    }

    static func day(_ d: LocalDate, in cal: OperatingCalendar) -> Day {
        var reason: String?, kind: String?
        switch cal.closure(on: d) {
        case .listed(let note)?: reason = note ?? "閉庁日"; kind = "listed-closed"
        case .holiday(let h)?: reason = "\(h.nameJa) \(h.nameEn)"; kind = "holiday"
        case .yearEnd?: reason = "年末年始"; kind = "year-end"
        case .weekday(let w)?: reason = cal.closedReason(d) ?? LocalDate.weekdayNamesEn[w]; kind = "weekday"
        case nil:
            if cal.isExtraOpenDay(d) { reason = cal.notes[d] ?? "開庁日"; kind = "listed-open" }
        }
        return Day(date: d.description, weekday: LocalDate.weekdayNamesEn[d.weekday], operating: cal.isOperating(d),
                   reason: reason, kind: kind)
    }

    static func months(from: LocalDate, to: LocalDate) -> [(Int, Int)] {
        let a = from.year * 12 + from.month - 1, b = to.year * 12 + to.month - 1
        return (a...b).map { ($0 / 12, $0 % 12 + 1) }
    }

    public static func view(of cal: OperatingCalendar, description: String?, from: LocalDate, to: LocalDate) -> View {
        View(calendar: cal.name, description: description, from: from.description, to: to.description,
             closedWeekdays: cal.closedWeekdays.map { $0 % 7 }.sorted().map { LocalDate.weekdayNamesEn[$0] },
             nationalHolidays: cal.nationalHolidays, yearEnd: cal.yearEnd,
             months: months(from: from, to: to).map { y, m in
                 let first = LocalDate(year: y, month: m, day: 1)!
                 let days = (0..<LocalDate.daysIn(year: y, month: m)).map { day(first.adding(days: $0), in: cal) }
                 return Month(month: String(format: "%04d-%02d", y, m), operatingDays: days.filter(\.operating).count, days: days)
             })
    }

    /// The lines of one month: title, weekday header, six week rows, operating-day count.
    static func lines(year: Int, month: Int, cal: OperatingCalendar) -> [String] {
        let title = "\(monthNames[month - 1]) \(year)"
        let pad = (monthWidth - title.count) / 2
        var lines = [String(repeating: " ", count: pad) + title,
                     LocalDate.weekdayNamesEn.map { " " + $0.prefix(2) + " " }.joined()]
        let first = LocalDate(year: year, month: month, day: 1)!
        var row = String(repeating: " ", count: first.weekday * cellWidth)
        var open = 0
        for i in 0..<LocalDate.daysIn(year: year, month: month) {
            let d = first.adding(days: i)
            let operating = cal.isOperating(d)
            if operating { open += 1 }
            let mark = !operating ? "*" : cal.isExtraOpenDay(d) ? "+" : " "
            row += String(format: "%3d", d.day) + mark
            if d.weekday == 6 {
                lines.append(row)
                row = ""
            }
        }
        if !row.isEmpty { lines.append(row) }
        while lines.count < 8 { lines.append("") }
        lines.append("\(open) operating days")
        return lines.map { $0 + String(repeating: " ", count: max(0, monthWidth - $0.count)) }
    }

    public static func text(of cal: OperatingCalendar, description: String?, from: LocalDate, to: LocalDate) -> String {
        var out = "Calendar \(cal.name)" + (description.map { ": \($0)" } ?? "") + "\n"
        var rules: [String] = []
        // Monday first, Sunday last: "Saturdays and Sundays".
        let plural = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"]
        let closedDays: [Int] = Set(cal.closedWeekdays.map { $0 % 7 }).sorted { ($0 + 6) % 7 < ($1 + 6) % 7 }
        let weekdayList: [String] = closedDays.map { plural[$0] }
        var weekdays = weekdayList.last ?? ""
        if weekdayList.count > 1 { weekdays = weekdayList.dropLast().joined(separator: ", ") + " and " + weekdays }
        if !weekdays.isEmpty { rules.append(weekdays) }
        if cal.nationalHolidays { rules.append("national holidays") }
        if cal.yearEnd { rules.append("12/29–1/3 (年末年始)") }
        out += "Closed: " + (rules.isEmpty ? "only listed days" : rules.joined(separator: ", ") + ", and listed days") + "\n"
        out += "* closed   + opened by the calendar's list\n\n"

        let all = months(from: from, to: to)
        for start in stride(from: 0, to: all.count, by: 3) {
            let blocks = all[start..<min(start + 3, all.count)].map { lines(year: $0.0, month: $0.1, cal: cal) }
            for i in 0..<blocks[0].count {
                out += blocks.map { $0[i] }.joined(separator: "   ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
            }
            out += "\n"
        }

        var closed: [String] = [], opened: [String] = []
        for n in from.dayNumber...to.dayNumber {
            let d = LocalDate(dayNumber: n)
            let info = day(d, in: cal)
            let stamp = "  \(d) \(LocalDate.weekdayNamesEn[d.weekday])  \(info.reason ?? "")"
            switch info.kind {
            case "holiday"?, "year-end"?, "listed-closed"?: closed.append(stamp)
            case "listed-open"?: opened.append(stamp)
            default: break
            }
        }
        let besides = weekdays.isEmpty ? "" : " (besides \(weekdays))"
        out += closed.isEmpty ? "No closed days\(besides).\n" : "Closed\(besides):\n" + closed.joined(separator: "\n") + "\n"
        if !opened.isEmpty { out += "Open by the calendar's list:\n" + opened.joined(separator: "\n") + "\n" }
        return out
    }
}
