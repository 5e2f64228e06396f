import Calendars
import Foundation
import Hummingbird
import Operations

/// Calendars as month grids (the data of `nightjar calendar show`: closed days and their reasons, days
/// the calendar's list opens) and the plan of a period as a table of starts per day (`nightjar plan`).
extension Pages {
    func registerCalendarPages(on router: Router<WebContext>) {
        router.get("/calendars") { request, context in try await self.calendarsPage(request, context) }
        router.get("/calendars/{calendar}") { request, context in try await self.calendarPage(request, context) }
    }

    /// Every calendar with this month's grid, and the plan form (with its table when asked).
    func calendarsPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Console.toLogin }
        let labels = Language(request).consoleAll, language = Language(request)
        let schedules = ops.schedules, zone = ops.zone
        let today = ZonedClock(zone: zone).date(of: Date(timeIntervalSince1970: clock()))
        let month = String(format: "%04d-%02d", today.year, today.month)
        // The site's files are read off the request threads.
        let shown: [(name: String, description: String?, view: MonthGrid.View?)] = try await blocking {
            let summaries = schedules.calendars()
            return (["standard"] + summaries.map(\.name)).map { name in
                let view = (try? schedules.calendar(name == "standard" ? nil : name, period: month))
                    .map { MonthGrid.view(of: $0.calendar, description: $0.description, from: $0.from, to: $0.to) }
                return (name, summaries.first { $0.name == name }?.description, view)
            }
        }
        var values = console(request, identity, title: labels["calendars"] ?? "", section: .calendars)
        let cards: [[String: Any]] = shown.map { c in
            var card: [String: Any] = ["name": c.name, "label": c.name == "standard" ? "standard — \(labels["standard"] ?? "")" : c.name,
                                       "link": "/calendars/\(ConsoleLayout.percent(c.name))\(Self.query(request))"]
            if let d = c.description, !d.isEmpty { card["description"] = d }
            if let view = c.view {
                card["months"] = view.months.map { Self.monthGrid($0, language: language, labels: labels, today: today) }
            } else {
                card["invalid"] = true
            }
            return card
        }
        values["calendars"] = cards
        try await plan(request, labels: labels, into: &values)
        return consolePage("console-calendars", values, request: request, status: values["planProblem"] == nil ? .ok : .unprocessableContent)
    }

    /// One calendar, three months from `?month=YYYY-MM` (default this month), with every closed day's reason.
    func calendarPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Console.toLogin }
        let labels = Language(request).consoleAll, language = Language(request)
        let name = try HTTPIO.parameter(context, "calendar")
        let zone = ops.zone, schedules = ops.schedules
        let today = ZonedClock(zone: zone).date(of: Date(timeIntervalSince1970: clock()))
        let asked = request.uri.queryParameters.get("month").map { String($0) } ?? String(format: "%04d-%02d", today.year, today.month)
        guard let (first, _) = SiteSchedules.parsePeriod(asked), asked.count == 7 else {
            return messagePage(request, identity, status: .unprocessableContent, heading: labels["refused"] ?? "",
                               message: "?month=\(asked): write a month as YYYY-MM, such as 2026-08", back: "/calendars" + Self.query(request))
        }
        let lastMonth = first.adding(days: 62)
        let last = LocalDate(year: lastMonth.year, month: lastMonth.month, day: LocalDate.daysIn(year: lastMonth.year, month: lastMonth.month)) ?? lastMonth
        let view: MonthGrid.View
        do {
            let shown = try schedules.calendar(name == "standard" ? nil : name, period: asked)
            view = MonthGrid.view(of: shown.calendar, description: shown.description, from: first, to: last)
        } catch {
            return readFailure(request, identity, error)
        }
        var values = console(request, identity, title: "\(labels["calendar"] ?? "") \(name)", section: .calendars)
        values["name"] = name
        values["label"] = name == "standard" ? "standard — \(labels["standard"] ?? "")" : name
        if let d = view.description { values["description"] = d }
        values["months"] = view.months.map { Self.monthGrid($0, language: language, labels: labels, today: today) }
        let previous = first.adding(days: -1), following = first.adding(days: 32)
        let amp = Self.query(request).isEmpty ? "" : "&" + Self.query(request).dropFirst()
        values["prevLink"] = String(format: "?month=%04d-%02d", previous.year, previous.month) + amp
        values["nextLink"] = String(format: "?month=%04d-%02d", following.year, following.month) + amp
        var closed: [[String: Any]] = [], opened: [[String: Any]] = []
        for m in view.months {
            for d in m.days {
                let row: [String: Any] = ["date": d.date, "weekday": Self.weekday(d.date, language: language), "reason": d.reason ?? ""]
                switch d.kind {
                case "holiday"?, "year-end"?, "listed-closed"?: closed.append(row)
                case "listed-open"?: opened.append(row)
                default: break
                }
            }
        }
        values["closed"] = closed
        values["hasClosed"] = !closed.isEmpty
        values["opened"] = opened
        values["hasOpened"] = !opened.isEmpty
        values["closedWeekdays"] = view.closedWeekdays.joined(separator: ", ")
        return consolePage("console-calendar", values, request: request)
    }

    /// A month as weeks of seven cells (Sunday first, as `cal` and Japanese wall calendars).
    static func monthGrid(_ m: MonthGrid.Month, language: Language, labels: [String: String], today: LocalDate) -> [String: Any] {
        var weeks: [[[String: Any]]] = []
        var week: [[String: Any]] = []
        for d in m.days {
            guard let date = LocalDate(d.date) else { continue }
            if week.isEmpty && weeks.isEmpty { week = Array(repeating: ["blank": true], count: date.weekday) }
            var classes: [String] = []
            if date.weekday == 0 { classes.append("sun") }
            if date.weekday == 6 { classes.append("sat") }
            if !d.operating { classes.append("closed") }
            if d.kind == "listed-open" { classes.append("opened") }
            if date == today { classes.append("today") }
            var cell: [String: Any] = ["day": date.day, "class": classes.joined(separator: " ")]
            // Weekends need no words; a holiday, year-end or listed day says why.
            if let reason = d.reason, d.kind != "weekday" {
                cell["why"] = language == .ja ? reason.split(separator: " ").first.map { String($0) } ?? reason : reason
                cell["reasonFull"] = reason
            }
            week.append(cell)
            if week.count == 7 { weeks.append(week); week = [] }
        }
        if !week.isEmpty { weeks.append(week + Array(repeating: ["blank": true], count: 7 - week.count)) }
        let names = language == .ja ? LocalDate.weekdayNamesJa : LocalDate.weekdayNamesEn
        return ["month": m.month, "operatingDays": m.operatingDays, "weeks": weeks.map { ["days": $0] },
                "weekdays": names.enumerated().map { ["name": $0.element, "class": $0.offset == 0 ? "sun" : $0.offset == 6 ? "sat" : ""] }]
    }

    static func weekday(_ date: String, language: Language) -> String {
        guard let d = LocalDate(date) else { return "" }
        return (language == .ja ? LocalDate.weekdayNamesJa : LocalDate.weekdayNamesEn)[d.weekday]
    }

    /// The plan of `?from=…&to=…` (as `nightjar plan`), grouped by business date.
    func plan(_ request: Request, labels: [String: String], into values: inout [String: Any]) async throws {
        let q = request.uri.queryParameters
        let from = q.get("from").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let to = q.get("to").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        values["planFrom"] = from ?? ""
        values["planTo"] = to ?? ""
        values["langValue"] = Language(request) == .en && q.get("lang") != nil ? "en" : ""
        guard let from else { return }
        let schedules = ops.schedules
        let rows: [(view: StartView, start: Schedule.Start, zone: TimeZone)]
        do {
            rows = try await blocking { try schedules.plan(from: from, to: to) }
        } catch {
            values["planProblem"] = OperationError.classify(error).message
            return
        }
        var days: [[String: Any]] = []
        var current: String?
        var starts: [[String: Any]] = []
        func close() {
            if let current { days.append(["date": current, "weekday": Self.weekday(current, language: Language(request)), "count": starts.count, "starts": starts]) }
        }
        for r in rows {
            if r.view.businessDate != current { close(); current = r.view.businessDate; starts = [] }
            starts.append(["at": StartView.local(r.start, zone: r.zone), "net": r.view.net, "slot": r.view.slot])
        }
        close()
        values["planned"] = true
        values["planDays"] = days
        values["planCount"] = rows.count
        values["planEmpty"] = rows.isEmpty
    }
}
