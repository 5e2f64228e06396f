import Foundation
import LiveHTTP
import Testing

/// The Calendar, plan, Alerts and Audit pages on the real `nightjar serve`: month grids with closed
/// days and their reasons (the data of `calendar show`), the plan of a period per day (as `plan`), and
/// alerts and audit rows filtered on the server.
@Suite(.serialized)
final class CalendarAndRecordPagesTests {
    let site: ConsoleSite

    init() throws {
        site = try ConsoleSite(nets: [
            "nightly": """
                name: nightly
                schedule:
                  - at: "22:30"
                jobs:
                  extract: { shell: "echo extract" }
                """,
            "broken": """
                name: broken
                jobs:
                  fail: { shell: "exit 5" }
                """,
        ])
        try site.addUser("victor", role: "viewer")
        try site.addUser("olivia", role: "operator")
    }

    @Test func calendarsShowClosedDaysWithReasonsAndThePlanPerDay() throws {
        let server = try site.serve()
        let b = Browser(server)
        try b.login("victor", password: ConsoleSite.password)
        let list = try b.get("/calendars")
        #expect(list.status == 200 && list.text.contains("table class=\"month\"") && list.text.contains("href=\"/calendars/standard\""))
        let january = try b.get("/calendars/standard?month=2026-01")
        #expect(january.status == 200)
        // As `calendar show`: New Year's days closed with 年末年始, 成人の日 on 2026-01-12 a holiday.
        let shown = try site.run(["calendar", "show", "2026-01", "--json"]).out
        #expect(shown.contains("成人の日"))
        let closed = january.text.components(separatedBy: "id=\"closed-days\"").dropFirst().first ?? ""
        #expect(closed.contains("2026-01-12") && closed.contains("成人の日"), "\(closed.prefix(600))")
        #expect(closed.contains("2026-01-01") && closed.contains("年末年始"))
        #expect(january.text.contains("2026-02") && january.text.contains("2026-03"))   // three months
        #expect(january.text.contains("href=\"?month=2025-12\"") && january.text.contains("href=\"?month=2026-02\""))
        #expect(try b.get("/calendars/standard?month=2026-13").status == 422)
        #expect(try b.get("/calendars/no-such?month=2026-01").status == 404)

        // The plan of a week: nightly starts on the five operating days, as `nightjar plan`.
        let plan = try b.get("/calendars?from=2026-06-08&to=2026-06-14")
        let table = plan.text.components(separatedBy: "id=\"plan-table\"").dropFirst().first?.components(separatedBy: "</table>").first ?? ""
        let cli = try site.json(["plan", "--from", "2026-06-08", "--to", "2026-06-14"]) as? [[String: Any]] ?? []
        #expect(cli.count == 5)
        #expect(table.components(separatedBy: "<tr><td class=\"name\">").count - 1 == cli.count, "\(table)")
        for start in cli { #expect(table.contains(start["business_date"] as? String ?? "?")) }
        #expect(!table.contains("2026-06-13"))
        let bad = try b.get("/calendars?from=2026-06-40")
        #expect(bad.status == 422 && bad.text.contains("not a date"))
    }

    @Test func alertsAndAuditAreFilteredOnTheServerAndAnAlertLinksToItsRun() throws {
        #expect(try site.run(["run", "broken"]).status == 1)   // an abnormal end raises an alert
        let run = try site.queue("nightly")
        let server = try site.serve()
        let ops = Browser(server)
        try ops.login("olivia", password: ConsoleSite.password)
        _ = try ops.get("/runs/\(run)")
        #expect(try ops.post("/runs/\(run)/jobs/extract/hold", ["reason": "監査テスト"]).status == 303)
        let released = try site.run(["release", "nightly", "extract", "--reason", "from the shell"])   // a CLI row beside it
        #expect(released.status == 0, "\(released.err)")

        let b = Browser(server)
        try b.login("victor", password: ConsoleSite.password)
        let alerts = try b.get("/alerts")
        let brokenRun = ((try site.json(["history", "--net", "broken"]) as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value ?? 0
        #expect(alerts.text.contains("href=\"/runs/\(brokenRun)\""), "\(alerts.text)")
        #expect(try b.get("/alerts?net=nightly").text.contains("条件に合うアラートはありません"))
        #expect(try b.get("/alerts?net=broken").text.contains("href=\"/runs/\(brokenRun)\""))
        #expect(try b.get("/alerts?from=2000-01-01&to=2000-01-31").text.contains("条件に合うアラートはありません"))

        let held = try b.get("/audit?action=hold&user=olivia")
        let rows = held.text.components(separatedBy: "id=\"audit\"").dropFirst().first ?? ""
        #expect(rows.contains("監査テスト") && rows.contains("127.0.0.1"))
        #expect(!rows.contains("<td>login</td>") && !rows.contains("test-operator"))
        #expect(try b.get("/audit?user=test-operator&action=release").text.contains("from the shell"))
        #expect(try b.get("/audit?user=nobody").text.contains("条件に合う記録はありません"))
        let today = try b.get("/audit?action=hold&from=2000-01-01")
        #expect(today.text.contains("監査テスト"))
        #expect(try b.get("/audit?action=hold&to=2000-01-01").text.contains("条件に合う記録はありません"))
        let bad = try b.get("/audit?from=yesterday")
        #expect(bad.status == 422 && bad.text.contains("YYYY-MM-DD"))
        #expect(try b.get("/audit?lang=en").text.contains("Audit trail"))
    }
}
