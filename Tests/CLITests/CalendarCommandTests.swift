import Foundation
import Testing

@Suite struct CalendarCommandTests {
    static let city = """
        name: city
        description: 夜鷹市役所の開庁日
        closed:
          - { date: 2026-08-13, reason: 夏季一斉休庁 }
        open:
          - { date: 2026-03-14, reason: 確定申告の休日開庁 }
        """

    func site(_ nets: [String: String] = [:]) throws -> CLI {
        let cli = try CLI(nets)
        try cli.write("Jobs/calendars/city.yaml", Self.city)
        return cli
    }

    @Test func holidaysAsJSON() throws {
        let cli = try site()
        let rows = try #require(try cli.json(["calendar", "holidays", "2026"]) as? [[String: String]])
        #expect(rows.count == 18)
        #expect(rows.first == ["date": "2026-01-01", "weekday": "Thu", "name_ja": "元日", "name_en": "New Year's Day", "kind": "national"])
        #expect(rows.first { $0["date"] == "2026-05-06" }?["kind"] == "substitute")
        #expect(rows.first { $0["date"] == "2026-09-22" }?["name_en"] == "Citizens' Holiday")
        #expect(rows.first { $0["date"] == "2026-11-23" }?["name_ja"] == "勤労感謝の日")
        let text = try cli.run(["calendar", "holidays", "2026"])
        #expect(text.status == 0)
        #expect(text.out.contains("2026-02-23  Mon  天皇誕生日"))
        let bad = try cli.run(["calendar", "holidays", "1900"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("1948 through 2099"))
    }

    @Test func showMarksClosedDaysAndExplainsThem() throws {
        let cli = try site()
        let r = try cli.run(["calendar", "show", "--calendar", "city", "2026-08"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("Calendar city: 夜鷹市役所の開庁日"))
        #expect(r.out.contains("August 2026"))
        #expect(r.out.contains(" Su  Mo  Tu  We  Th  Fr  Sa"))
        #expect(r.out.contains("  9* 10  11* 12  13* 14  15*"))
        #expect(r.out.contains("19 operating days"))
        #expect(r.out.contains("2026-08-11 Tue  山の日 Mountain Day"))
        #expect(r.out.contains("2026-08-13 Thu  夏季一斉休庁"))
        // The listed open Saturday is marked '+' and explained.
        let march = try cli.run(["calendar", "show", "--calendar", "city", "2026-03"]).out
        #expect(march.contains(" 14+"))
        #expect(march.contains("2026-03-14 Sat  確定申告の休日開庁"))

        let j = try #require(try cli.json(["calendar", "show", "--calendar", "city", "2026"]) as? [String: Any])
        #expect(j["calendar"] as? String == "city")
        let months = try #require(j["months"] as? [[String: Any]])
        #expect(months.count == 12)
        #expect(months[7]["operating_days"] as? Int == 19)
        let aug13 = (months[7]["days"] as? [[String: Any]])?[12]
        #expect(aug13?["date"] as? String == "2026-08-13")
        #expect(aug13?["operating"] as? Bool == false)
        #expect(aug13?["kind"] as? String == "listed-closed")
        #expect(aug13?["reason"] as? String == "夏季一斉休庁")

        // Without --calendar: the standard city office (no summer closing day).
        let standard = try #require(try cli.json(["calendar", "show", "2026-08"]) as? [String: Any])
        #expect(standard["calendar"] as? String == "standard")
        #expect((standard["months"] as? [[String: Any]])?.first?["operating_days"] as? Int == 20)
    }

    @Test func badInputExitsTwo() throws {
        let cli = try site()
        let unknown = try cli.run(["calendar", "show", "--calendar", "citty", "2026"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("unknown calendar 'citty'; did you mean 'city'?"))
        #expect(try cli.run(["calendar", "show", "2026-13"]).status == 2)
        #expect(try cli.run(["calendar", "show", "twenty"]).status == 2)
        #expect(try cli.run(["plan", "--from", "2026-02-30"]).status == 2)
        #expect(try cli.run(["next", "nosuch"]).status == 2)
    }

    @Test func validateRejectsCyclesAndRulesThatNeverFire() throws {
        let cli = try site(["n": """
            name: n
            calendar: city
            schedule:
              - { at: "06:00", weekdays: [mon], nth: 6 }
              - { cron: "0 22 30 2 *" }
            jobs:
              a: { run: ["true"] }
            """])
        try cli.write("Jobs/calendars/a.yaml", "extends: b\n")
        try cli.write("Jobs/calendars/b.yaml", "extends: a\n")
        try cli.write("Jobs/calendars/bad.yaml", "closed: [2026-02-30]\n")
        let r = try cli.run(["validate"])
        #expect(r.status == 2)
        #expect(r.out.contains("Jobs/n.yaml:4:42: error: 'nth': the 6th Mon can never fire: no month has more than five"))
        #expect(r.out.contains("Jobs/n.yaml:5:13: error: cron expression '0 22 30 2 *' can never fire: day 30 does not exist in FEB"))
        #expect(r.out.contains("Jobs/calendars/a.yaml:1:10: error: the calendars extend each other in a cycle: a → b → a"))
        #expect(r.out.contains("Jobs/calendars/bad.yaml:1:10: error: '2026-02-30' is not a date: that day does not exist"))
    }

    @Test func nextListsStartsWithTheirBusinessDates() throws {
        let cli = try site(["n": """
            name: n
            calendar: city
            business_day_starts: "05:00"
            schedule:
              - at: "01:30"
              - { at: "21:00", operating_day: last, label: month-end }
            jobs:
              a: { run: ["true"] }
            """])
        let starts = try #require(try cli.json(["next", "n", "-n", "4", "--after", "2026-12-25T12:00"]) as? [[String: String]])
        #expect(starts.map { "\($0["business_date"]!) \($0["slot"]!) \($0["at"]!)" } == [
            "2026-12-25 01:30 2026-12-26T01:30:00+09:00",     // Friday's business day runs into Saturday
            "2026-12-28 month-end 2026-12-28T21:00:00+09:00", // the last operating day of 2026
            "2026-12-28 01:30 2026-12-29T01:30:00+09:00",     // belongs to Monday although 12/29 is closed
            "2027-01-04 01:30 2027-01-05T01:30:00+09:00",
        ])
        let text = try cli.run(["next", "n", "-n", "2", "--after", "2026-12-25T12:00"])
        #expect(text.status == 0)
        #expect(text.out.contains("business day starts 05:00"))
        #expect(text.out.contains("2026-12-26 Sat 01:30  2026-12-25     01:30"))
    }

    @Test func planAndValidateFollowMonths() throws {
        let cli = try site(["tax": """
            name: tax
            calendar: city
            schedule:
              - { at: "21:00", day: 30, shift: next, months: [6], label: june-close }
              - { at: "21:00", operating_day: last, months: [3] }
              - { at: "20:00", day: 29, shift: previous, months: [2] }
            jobs:
              a: { run: ["true"] }
            """])
        // 2024-06-30 is a Sunday: June's run moves to Monday 07-01; 2032-02-29 a Sunday → Friday 02-27.
        let rows = try #require(try cli.json(["plan", "--from", "2024-01-01", "--to", "2026-12-31"]) as? [[String: String]])
        #expect(rows.map { "\($0["business_date"]!) \($0["slot"]!)" } == [
            "2024-02-29 20:00", "2024-03-29 21:00", "2024-07-01 june-close",
            "2025-03-31 21:00", "2025-06-30 june-close",
            "2026-03-31 21:00", "2026-06-30 june-close",
        ])
        let leap = try #require(try cli.json(["plan", "--from", "2032-02-01", "--to", "2032-02-29"]) as? [[String: String]])
        #expect(leap.map { $0["business_date"]! } == ["2032-02-27"])
        #expect(try cli.run(["validate"]).status == 0)

        try cli.write("Jobs/tax.yaml", """
            name: tax
            schedule:
              - { at: "21:00", day: 30, months: [2, 13] }
              - { cron: "0 21 30 * *", months: [6] }
            jobs:
              a: { run: ["true"] }
            """)
        let r = try cli.run(["validate"])
        #expect(r.status == 2)
        #expect(r.out.contains("Jobs/tax.yaml:3:41: error: 'months': 13 is not a month; write 1 (January) to 12 (December)"))
        #expect(r.out.contains("Jobs/tax.yaml:4:28: error: 'months' does not go with 'cron': cron has its own month field, the fourth; write the months there: cron: \"0 21 30 6 *\""))
    }

    @Test func planListsEveryStartOfEveryNet() throws {
        let cli = try site([
            "sync": "name: sync\ncalendar: city\nschedule:\n  - at: \"22:00\"\njobs:\n  a: { run: [\"true\"] }\n",
            "tax": """
                name: tax
                calendar: city
                schedule:
                  - at: "22:30"
                  - { at: "20:00", day: 15, shift: previous }
                jobs:
                  a: { run: ["true"] }
                """,
            "manual": "name: manual\njobs:\n  a: { run: [\"true\"] }\n",
        ])
        // 08-13 is the city's summer closing day; 08-15 a Saturday, so 'day: 15' moves to Friday 08-14.
        let rows = try #require(try cli.json(["plan", "--from", "2026-08-12", "--to", "2026-08-16"]) as? [[String: String]])
        #expect(rows.map { "\($0["at"]!) \($0["net"]!) \($0["business_date"]!)" } == [
            "2026-08-12T22:00:00+09:00 sync 2026-08-12",
            "2026-08-12T22:30:00+09:00 tax 2026-08-12",
            "2026-08-14T20:00:00+09:00 tax 2026-08-14",
            "2026-08-14T22:00:00+09:00 sync 2026-08-14",
            "2026-08-14T22:30:00+09:00 tax 2026-08-14",
        ])
        let only = try #require(try cli.json(["plan", "--from", "2026-08-14", "--net", "sync"]) as? [[String: String]])
        #expect(only.count == 1)
        let text = try cli.run(["plan", "--from", "2026-08-14"])
        #expect(text.out.contains("2026-08-14 Fri 20:00  tax   2026-08-14     20:00"))
    }
}
