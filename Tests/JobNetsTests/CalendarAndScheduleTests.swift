import Calendars
import Foundation
import OperatorFiles
import Testing
@testable import JobNets

/// A throwaway site root with the given files (paths relative to the root).
private func site(_ files: [String: String]) throws -> Site {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-cal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs/calendars"), withIntermediateDirectories: true)
    for (path, text) in files {
        try text.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }
    return Site(root: root.path)
}

/// "file:line:column: message" of every problem, for compact expectations.
private func found(_ site: Site) -> [String] {
    site.validate(paths: []).problems.map { "\($0.file):\($0.line):\($0.column): \($0.message)" }
}

private func d(_ s: String) -> LocalDate { LocalDate(s)! }

private let oneJob = "jobs:\n  a: { run: [\"true\"] }\n"

@Suite struct CalendarFileTests {
    @Test func aCityCalendarWithReasonsAndAChild() throws {
        let s = try site([
            "Jobs/calendars/city.yaml": """
                name: city
                description: 夜鷹市役所
                closed:
                  - { date: 2026-08-13, reason: 夏季一斉休庁 }
                  - 2026-08-14
                  - { from: 2026-12-28, to: 2026-12-28, reason: 仕事納め前倒し }
                open:
                  - { date: 2026-03-14, reason: 確定申告の休日開庁 }
                """,
            "Jobs/calendars/tax-office.yaml": """
                extends: city
                weekends: [日]
                open: [2026-08-13]
                """,
        ])
        let set = s.loadCalendars()
        #expect(set.problems.isEmpty, "\(set.problems)")
        let city = try #require(set.calendar(named: "city"))
        #expect(city.name == "city")
        #expect(city.closedReason(d("2026-08-13")) == "夏季一斉休庁")
        #expect(city.closedReason(d("2026-08-14")) == "閉庁日")
        #expect(city.closedReason(d("2026-12-28")) == "仕事納め前倒し")
        #expect(city.isOperating(d("2026-03-14")))                  // a Saturday, opened
        #expect(!city.isOperating(d("2026-11-23")))                 // the standard rules still apply
        #expect(!city.isOperating(d("2027-01-02")))
        #expect(set.files["city"]?.description == "夜鷹市役所")
        let tax = try #require(set.calendar(named: "tax-office"))
        #expect(tax.isOperating(d("2026-08-13")))                   // the child opens the parent's closed day
        #expect(!tax.isOperating(d("2026-08-14")))
        #expect(tax.isOperating(d("2026-11-21")))                   // Saturdays open
        #expect(!tax.isOperating(d("2026-11-22")))
        #expect(tax.isOperating(d("2026-03-14")))
        // No name: the standard city office.
        #expect(set.calendar(named: nil) == OperatingCalendar.standard)
    }

    @Test func anExtendsCycleIsReportedAtEachExtends() throws {
        let s = try site([
            "Jobs/calendars/a.yaml": "name: a\nextends: b\n",
            "Jobs/calendars/b.yaml": "name: b\nextends: a\n",
            "Jobs/calendars/c.yaml": "extends: a\n",
            "Jobs/calendars/self.yaml": "extends: self\n",
        ])
        let problems = found(s)
        #expect(problems.contains("Jobs/calendars/a.yaml:2:10: the calendars extend each other in a cycle: a → b → a; remove one 'extends'"))
        #expect(problems.contains("Jobs/calendars/b.yaml:2:10: the calendars extend each other in a cycle: a → b → a; remove one 'extends'"))
        #expect(problems.contains("Jobs/calendars/c.yaml:1:10: this calendar extends 'a', which has errors; fix Jobs/calendars/a.yaml first"))
        #expect(problems.contains("Jobs/calendars/self.yaml:1:10: a calendar cannot extend itself"))
        #expect(s.loadCalendars().calendars.isEmpty)
    }

    @Test func badDatesWeekdaysAndKeysHavePositions() throws {
        let s = try site(["Jobs/calendars/c.yaml": """
            name: c
            weekends: [sat, funday]
            national_holidays: sometimes
            closed:
              - 2026-02-30
              - { date: 2026-8-1 }
              - { from: 2026-08-14, to: 2026-08-12 }
              - 2026-05-01
            open: [2026-05-01]
            colour: blue
            """])
        let problems = found(s)
        #expect(problems.contains { $0.hasPrefix("Jobs/calendars/c.yaml:2:17: 'funday' is not a weekday") })
        #expect(problems.contains("Jobs/calendars/c.yaml:3:20: 'national_holidays' must be true or false"))
        #expect(problems.contains("Jobs/calendars/c.yaml:5:5: '2026-02-30' is not a date: that day does not exist"))
        #expect(problems.contains("Jobs/calendars/c.yaml:6:13: '2026-8-1' is not a date; write YYYY-MM-DD, for example 2026-08-13"))
        #expect(problems.contains("Jobs/calendars/c.yaml:7:29: the range ends (2026-08-12) before it starts (2026-08-14)"))
        #expect(problems.contains("Jobs/calendars/c.yaml:9:8: 2026-05-01 is listed both as closed (line 8) and as open; keep one"))
        #expect(problems.contains { $0.hasPrefix("Jobs/calendars/c.yaml:10:1: unknown key 'colour' in a calendar") })
    }

    @Test func unknownCalendarsFromNetsAndExtends() throws {
        let s = try site([
            "Jobs/calendars/city.yaml": "name: city\n",
            "Jobs/calendars/tax.yaml": "extends: cty\n",
            "Jobs/n.yaml": "name: n\ncalendar: citty\nschedule:\n  - at: \"22:30\"\n" + oneJob,
            "Jobs/m.yaml": "name: m\ncalendar: tax\n" + oneJob,
        ])
        let problems = found(s)
        #expect(problems.contains("Jobs/n.yaml:2:11: unknown calendar 'citty': Jobs/calendars/citty.yaml does not exist; did you mean 'city'?"))
        #expect(problems.contains("Jobs/calendars/tax.yaml:1:10: unknown calendar 'cty' in 'extends': Jobs/calendars/cty.yaml does not exist; did you mean 'city'?"))
        #expect(problems.contains("Jobs/m.yaml:2:11: calendar 'tax' has errors; fix Jobs/calendars/tax.yaml first"))
        // Loading one net reports its calendar's problems too.
        #expect(throws: ValidationFailure.self) { try s.loadNet("m") }
        // Validating one net file does not report an unrelated calendar.
        let one = s.validate(paths: ["Jobs/n.yaml"]).problems
        #expect(one.count == 1 && one.first?.line == 2)
    }

    @Test func theShippedCalendarsAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let s = Site(root: root.path)
        let set = s.loadCalendars()
        #expect(set.problems.isEmpty, "\(set.problems)")
        let city = try #require(set.calendar(named: "city"))
        #expect(!city.isOperating(d("2026-08-13")))            // summer closing day
        #expect(city.isOperating(d("2026-03-14")))             // a Saturday opened for the tax deadline
        #expect(set.calendar(named: "everyday")?.isOperating(d("2027-01-01")) == true)
        for net in ["registry-sync", "resident-tax-nightly", "nhi-billing"] {
            #expect(try s.loadNet(net).calendar == "city")
        }
    }
}

@Suite struct ScheduleEntryTests {
    func net(_ schedule: String, extra: String = "") throws -> JobNet {
        try JobNetLoader.parse("name: t\n\(extra)schedule:\n\(schedule)" + oneJob, file: "Jobs/t.yaml", expectedName: "t")
    }

    @Test func everyFormOfEntry() throws {
        let n = try net("""
              - at: "22:30"
              - "21:00, 21:30"
              - { at: ["06:00", "07:00"], weekdays: [mon, thu] }
              - { at: "06:00", weekdays: mon-fri }
              - { at: "23:00", day: 10, shift: next }
              - { at: "23:00", day: last }
              - { at: "21:00", operating_day: 5 }
              - { at: "21:00", operating_day: last }
              - { at: "20:00", operating_days_before: { days: 3, day: 25 } }
              - { at: "20:00", weekdays: [mon], nth: 2 }
              - { cron: "30 22,23 * * 1-5", label: cron }
              - { at: "22:30", operating_day: -1, label: month-end }

            """, extra: "shift: previous\nbusiness_day_starts: \"05:00\"\nmissed: all\n")
        let e = n.schedule
        #expect(e.map(\.at.description) == ["22:30", "21:00", "21:30", "06:00", "07:00", "06:00", "23:00", "23:00", "21:00",
                                            "21:00", "20:00", "20:00", "22:30", "23:30", "22:30"])
        #expect(e[0].days == .everyOperatingDay)
        #expect(e[3].days == .weekdays([1, 4]) && e[4].days == .weekdays([1, 4]))
        #expect(e[5].days == .weekdays([1, 2, 3, 4, 5]))
        #expect(e[6].days == .dayOfMonth(10) && e[6].shift == .next)
        #expect(e[7].days == .dayOfMonth(-1) && e[7].shift == .previous)     // the net's shift
        #expect(e[8].days == .nthOperatingDay(5))
        #expect(e[9].days == .nthOperatingDay(-1))
        #expect(e[10].days == .operatingDaysBefore(3, day: 25))
        #expect(e[11].days == .nthWeekday(2, weekday: 1))
        #expect(e[12].days == .cron(try CronExpression("30 22,23 * * 1-5")))
        #expect(e[12].slot == "cron 22:30" && e[13].slot == "cron 23:30")
        #expect(e[14].slot == "month-end")
        #expect(e[6].line == 10 && e[6].column == 25)                        // the day rule's value
        #expect(n.businessDayStarts == TimeOfDay("05:00"))
        #expect(n.missedPolicy == .all)
        #expect(n.shift == .previous)
    }

    @Test func oldSnapshotsStillDecode() throws {
        // A run's definition stored before calendars: schedule entries hold only `at`.
        let old = #"{"name":"t","schedule":[{"at":"22:30"}],"concurrency":4,"after":[],"env":{},"jobs":[],"file":"Jobs/t.yaml"}"#
        let n = try JSONDecoder().decode(JobNet.self, from: Data(old.utf8))
        #expect(n.schedule == [ScheduleEntry(at: TimeOfDay("22:30")!)])
        #expect(n.businessDayStarts == nil && n.missedPolicy == .latest && n.dayStarts == TimeOfDay("00:00"))
        // And the new fields survive a round trip.
        let new = try net("  - { at: \"06:00\", weekdays: [mon], nth: -1, shift: next }\n", extra: "business_day_starts: \"04:00\"\n")
        let back = try JSONDecoder().decode(JobNet.self, from: JSONEncoder().encode(new))
        #expect(back == new)
    }

    @Test func rulesThatCanNeverFireAreRejectedWithPositions() {
        let found = problems("""
            name: t
            business_day_starts: "05:00"
            schedule:
              - { at: "06:00", weekdays: [mon], nth: 6 }
              - { cron: "0 22 30 2 *" }
              - { at: "20:00", day: 32 }
              - { at: "20:00", operating_day: 0 }
              - { at: "29:30" }
              - { at: "06:00", day: 30, weekdays: [mon] }
              - { cron: "0 22 * * *", at: "22:00" }
              - { at: "20:00", nth: 2 }
              - { at: "20:00", shift: sideways }
            missed: sometimes
            jobs:
              a: { run: ["true"] }
            """)
        let text = found.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(text.contains("4:42: 'nth': the 6th Mon can never fire: no month has more than five"))
        #expect(text.contains("5:13: cron expression '0 22 30 2 *' can never fire: day 30 does not exist in FEB"))
        #expect(text.contains("6:25: 'day': day 32 can never fire (use 1…31, or last (or -1) for the last day of the month)"))
        #expect(text.contains { $0.hasPrefix("7:35: 'operating_day': 0 is not a position") })
        #expect(text.contains("8:11: '29:30' is after the business day ends (29:00, when the next one starts)"))
        #expect(text.contains("9:20: a schedule entry takes one day rule, but this one has weekdays and day; write one entry for each"))
        #expect(text.contains("10:31: a cron entry takes its times from the expression; remove 'at' or write a separate entry"))
        #expect(text.contains { $0.hasPrefix("11:25: 'nth' goes with 'weekdays'") })
        #expect(text.contains { $0.hasPrefix("12:27: 'shift' must be one of previous, next, skip or always") })
        #expect(text.contains { $0.hasPrefix("13:9: 'missed' must be one of all") })
        #expect(found.count == 10, "\(text)")
    }

    @Test func monthsOnEveryKindOfEntry() throws {
        let n = try net("""
              - { at: "22:30", months: [6] }
              - { at: "21:00", operating_day: last, months: [3] }
              - { at: ["06:00", "07:00"], weekdays: [mon, fri], nth: 2, months: ["10-12", 1, "2-3"] }
              - { at: "23:00", day: 10, shift: next, months: 6 }
              - { at: "20:00", operating_days_before: { days: 3, day: 1 }, months: "4-6, 9" }
              - { at: "20:00", day: 29, months: [2] }
              - { at: "20:00", day: 15 }

            """)
        let e = n.schedule
        #expect(e.map(\.months) == [[6], [3], Array(1...3) + Array(10...12), Array(1...3) + Array(10...12),
                                    Array(1...3) + Array(10...12), Array(1...3) + Array(10...12), [6], [4, 5, 6, 9], [2], nil])
        #expect(e[2].days == .nthWeekday(2, weekday: 1) && e[4].days == .nthWeekday(2, weekday: 5))
        #expect(e[6].rule == ScheduleRule(.dayOfMonth(10), shift: .next, months: [6]))
        #expect(e[9].rule == ScheduleRule(.dayOfMonth(15)))
        #expect(e[1].line == 4 && e[1].column == 35)                        // still the day rule's value
        // Months survive the run's snapshot; a snapshot without them is every month.
        let back = try JSONDecoder().decode(JobNet.self, from: JSONEncoder().encode(n))
        #expect(back == n)
    }

    @Test func badMonthsAreRejectedWithPositions() {
        let found = problems("""
            name: t
            schedule:
              - { at: "20:00", day: 10, months: [0] }
              - { at: "20:00", day: 10, months: [6, 13] }
              - { at: "20:00", day: 10, months: [june] }
              - { at: "20:00", day: 10, months: [] }
              - { at: "20:00", day: 10, months: [6, 7, 6] }
              - { at: "20:00", day: 10, months: [4, "4-6"] }
              - { at: "20:00", day: 10, months: "10-3" }
              - { cron: "30 22 10 * *", months: [6] }
              - { at: "20:00", day: 31, months: [4, 6, 9, 11] }
              - { at: "20:00", months: { june: true } }
              - { at: "20:00", day: 10, months: [6月] }
              - { at: "20:00", day: 10, months: [[6]] }
              - { cron: "@daily", months: [13] }
            jobs:
              a: { run: ["true"] }
            """)
        let text = found.map { "\($0.line):\($0.column): \($0.message)" }
        #expect(text == [
            "3:38: 'months': 0 is not a month; write 1 (January) to 12 (December)",
            "4:41: 'months': 13 is not a month; write 1 (January) to 12 (December)",
            "5:38: 'months': 'june' is not a month number (write 6 for june); write 1 to 12 or a range such as \"4-6\"",
            "6:37: 'months' lists no month; list month numbers, for example [6] for June, [4, 5, 6] or [\"4-6\"], or remove 'months' to run in every month",
            "7:44: 'months': 6 is listed twice; list each month once",
            "8:41: 'months': 4 is listed twice (in '4' and '4-6'); list each month once",
            "9:37: 'months': the range '10-3' runs backwards and ranges do not wrap past December; write [\"10-12\", \"1-3\"]",
            "10:29: 'months' does not go with 'cron': cron has its own month field, the fourth; write the months there: cron: \"30 22 10 6 *\"",
            "11:37: 'day': day 31 can never fire in months [4, 6, 9, 11]: none of them has a 31st",
            "12:28: 'months' must be a list of month numbers, for example [6] for June, [4, 5, 6] or [\"4-6\"]",
            "13:38: 'months': '6月' is not a month number (write 6 for 6月); write 1 to 12 or a range such as \"4-6\"",
            "14:38: items of 'months' must be month numbers or ranges such as \"4-6\", not a list or mapping",
            "15:23: 'months' does not go with 'cron': cron has its own month field, the fourth, for example cron: \"0 9 10 6 *\" (09:00 on June 10th)",
        ])
        // The misspelt key is caught by the usual check.
        #expect(problems("name: t\nschedule:\n  - { at: \"20:00\", month: [6] }\njobs:\n  a: { run: [\"true\"] }\n")
            .map(\.message).contains { $0.hasPrefix("unknown key 'month' in a schedule entry; did you mean 'months'?") })
    }

    @Test func rulesTheCalendarMakesImpossible() throws {
        let s = try site([
            "Jobs/calendars/weekdays.yaml": "weekends: [sat, sun]\nnational_holidays: false\nyear_end: false\n",
            "Jobs/n.yaml": """
                name: n
                calendar: weekdays
                schedule:
                  - { at: "06:00", operating_day: 24 }
                  - { at: "06:00", operating_day: 23 }
                  - { at: "06:00", weekdays: [sat, sun] }
                  - { at: "06:00", weekdays: [sat, sun], shift: next }
                  - { at: "06:00", operating_day: 22, months: [2] }
                  - { at: "06:00", operating_day: 22, months: [2, 3] }
                  - { at: "06:00", operating_day: 21, months: [2] }
                """ + "\n" + oneJob,
        ])
        #expect(found(s) == [
            "Jobs/n.yaml:4:35: 'operating_day': 24 can never fire: no month has more than 23 operating days under calendar 'weekdays'",
            "Jobs/n.yaml:6:30: 'weekdays': calendar 'weekdays' closes every one of these weekdays and the shift is 'skip'",
            // February has at most 29 days, so at most 21 weekdays.
            "Jobs/n.yaml:8:35: 'operating_day': 22 can never fire: no month of months [2] has more than 21 operating days under calendar 'weekdays'",
        ])
    }

    @Test func aNetsScheduleUsesItsCalendarZoneAndChangeTime() throws {
        let s = try site([
            "Jobs/calendars/city.yaml": "closed: [{ date: 2026-08-13, reason: 夏季一斉休庁 }]\n",
            "Jobs/n.yaml": """
                name: n
                calendar: city
                timezone: Asia/Tokyo
                business_day_starts: "05:00"
                schedule:
                  - "01:30"
                """ + "\n" + oneJob,
        ])
        let v = s.validation(paths: [])
        #expect(v.problems.isEmpty, "\(v.problems)")
        let n = try #require(v.nets.first)
        let schedule = try #require(s.schedule(of: n, calendars: v.calendars, defaultZone: "UTC"))
        let starts = schedule.starts(businessDates: d("2026-08-12"), through: d("2026-08-14"))
        #expect(starts.map(\.businessDate) == [d("2026-08-12"), d("2026-08-14")])
        // 01:30 after the business day of the 12th: 2026-08-13T01:30+09:00.
        #expect(starts.first?.instant == ISO8601DateFormatter().date(from: "2026-08-12T16:30:00Z"))
    }
}
