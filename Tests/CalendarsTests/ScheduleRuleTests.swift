import Foundation
import Testing
@testable import Calendars

private func dates(_ from: String, _ to: String, _ rule: DayRule, _ shift: ShiftRule,
                   _ calendar: OperatingCalendar = OperatingCalendar()) -> [String] {
    businessDates(from: date(from), to: date(to), rule: rule, shift: shift, calendar: calendar).map(\.description)
}

@Suite struct ScheduleRuleTests {
    let city = OperatingCalendar()

    @Test func everyOperatingDayAcrossGoldenWeek() {
        #expect(dates("2026-04-28", "2026-05-08", .everyOperatingDay, .skip)
                == ["2026-04-28", "2026-04-30", "2026-05-01", "2026-05-07", "2026-05-08"])
        // The shift never applies to operating-day rules.
        #expect(dates("2026-04-28", "2026-05-08", .everyOperatingDay, .always)
                == dates("2026-04-28", "2026-05-08", .everyOperatingDay, .next))
    }

    @Test func everyOperatingDayAtYearEnd() {
        #expect(dates("2026-12-24", "2027-01-06", .everyOperatingDay, .skip)
                == ["2026-12-24", "2026-12-25", "2026-12-28", "2027-01-04", "2027-01-05", "2027-01-06"])
    }

    @Test func weekdaysWithShifts() {
        // Saturday 2026-09-19; the next operating day is past 敬老の日, 国民の休日 and 秋分の日.
        #expect(dates("2026-09-14", "2026-09-25", .weekdays([6]), .next) == ["2026-09-14", "2026-09-24"])
        // 09-26 (Saturday) shifts back into the range too.
        #expect(dates("2026-09-14", "2026-09-25", .weekdays([6]), .previous) == ["2026-09-18", "2026-09-25"])
        #expect(dates("2026-09-14", "2026-09-25", .weekdays([6]), .skip) == [])
        #expect(dates("2026-09-14", "2026-09-25", .weekdays([6]), .always) == ["2026-09-19"])
        // Saturday and Sunday both shifted to the same Monday appear once.
        #expect(dates("2026-06-06", "2026-06-08", .weekdays([0, 6]), .next) == ["2026-06-08"])
        // 7 is Sunday too.
        #expect(dates("2026-06-01", "2026-06-14", .weekdays([7]), .always) == ["2026-06-07", "2026-06-14"])
        // Mondays in 2026-09: 9/21 is 敬老の日.
        #expect(dates("2026-09-01", "2026-09-30", .weekdays([1]), .skip) == ["2026-09-07", "2026-09-14", "2026-09-28"])
    }

    @Test func dayOfMonthAcrossYearEnd() {
        // 2026-01-01 is closed → previous operating day 2025-12-26; 2026-02-01 is a Sunday → 01-30.
        #expect(dates("2025-12-01", "2026-01-31", .dayOfMonth(1), .previous)
                == ["2025-12-01", "2025-12-26", "2026-01-30"])
        #expect(dates("2026-01-01", "2026-01-31", .dayOfMonth(1), .next) == ["2026-01-05"])
        #expect(dates("2026-01-01", "2026-02-28", .dayOfMonth(1), .skip) == [])
        #expect(dates("2026-01-01", "2026-02-28", .dayOfMonth(1), .always) == ["2026-01-01", "2026-02-01"])
        // A shifted date outside the range is not reported; a nominal day outside it can shift in.
        #expect(dates("2026-01-02", "2026-01-31", .dayOfMonth(1), .previous) == ["2026-01-30"])
    }

    @Test func dayOfMonth31SkipsShortMonths() {
        let all = dates("2026-01-01", "2026-12-31", .dayOfMonth(31), .always)
        #expect(all == ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31", "2026-10-31", "2026-12-31"])
        // With `previous`: Sat 01-31 → 01-30, Sun 05-31 → 05-29, Sat 10-31 → 10-30, 12-31 (年末年始) → 12-28.
        #expect(dates("2026-01-01", "2026-12-31", .dayOfMonth(31), .previous)
                == ["2026-01-30", "2026-03-31", "2026-05-29", "2026-07-31", "2026-08-31", "2026-10-30", "2026-12-28"])
    }

    @Test func leapYears() {
        #expect(dates("2028-02-01", "2028-03-31", .dayOfMonth(29), .always) == ["2028-02-29", "2028-03-29"])
        #expect(dates("2027-02-01", "2027-03-31", .dayOfMonth(29), .always) == ["2027-03-29"])
        #expect(dates("2028-02-01", "2028-02-29", .dayOfMonth(-1), .previous) == ["2028-02-29"])
        #expect(dates("2027-02-01", "2027-02-28", .dayOfMonth(-1), .previous) == ["2027-02-26"])
        #expect(dates("2028-02-01", "2028-02-29", .nthOperatingDay(-1), .skip) == ["2028-02-29"])
        #expect(dates("2100-02-01", "2100-03-01", .dayOfMonth(-1), .always) == ["2100-02-28"])  // not leap
    }

    @Test func lastOperatingDayOfDecember() {
        for year in 1990...2060 {
            let d = businessDates(from: date("\(year)-12-01"), to: date("\(year)-12-31"),
                                  rule: .nthOperatingDay(-1), shift: .skip, calendar: city)
            #expect(d.count == 1)
            if let last = d.first {
                #expect(last.day <= 28 && last.day >= 26, "\(last)")
                #expect(city.isOperating(last))
                #expect(city.nextOperatingDay(onOrAfter: last.adding(days: 1))?.year == year + 1)
            }
        }
        #expect(dates("2025-12-01", "2025-12-31", .nthOperatingDay(-1), .skip) == ["2025-12-26"])
        #expect(dates("2026-12-01", "2026-12-31", .nthOperatingDay(-1), .skip) == ["2026-12-28"])
    }

    @Test func nthOperatingDay() {
        #expect(dates("2026-01-01", "2026-03-31", .nthOperatingDay(1), .skip)
                == ["2026-01-05", "2026-02-02", "2026-03-02"])
        // 5th operating day of 2026-05: 05-01, 05-07, 05-08, 05-11, 05-12.
        #expect(dates("2026-05-01", "2026-05-31", .nthOperatingDay(5), .skip) == ["2026-05-12"])
        #expect(dates("2026-05-01", "2026-05-31", .nthOperatingDay(-2), .skip) == ["2026-05-28"])
        // May 2026 has 18 operating days.
        #expect(dates("2026-05-01", "2026-05-31", .nthOperatingDay(18), .skip) == ["2026-05-29"])
        #expect(dates("2026-05-01", "2026-05-31", .nthOperatingDay(19), .skip) == [])
        #expect(dates("2026-05-01", "2026-05-31", .nthOperatingDay(0), .skip) == [])
        // The range cuts months: only dates inside count.
        #expect(dates("2026-01-06", "2026-02-28", .nthOperatingDay(1), .skip) == ["2026-02-02"])
    }

    @Test func operatingDaysBefore() {
        // 3 operating days before 12/25 (Fri): 12/24, 12/23, 12/22.
        #expect(dates("2026-12-01", "2026-12-31", .operatingDaysBefore(3, day: 25), .skip) == ["2026-12-22"])
        // 1 operating day before May 1st is April 30th; April's own falls on March 31st, outside the range.
        #expect(dates("2026-04-01", "2026-04-30", .operatingDaysBefore(1, day: 1), .skip) == ["2026-04-30"])
        // 2 operating days before the last day of December 2026 (12/31): 12/28, then 12/25.
        #expect(dates("2026-12-01", "2026-12-31", .operatingDaysBefore(2, day: -1), .skip) == ["2026-12-25"])
        // 5 operating days before January 10th 2027 (Sunday): 1/8, 1/7, 1/6, 1/5, 1/4.
        #expect(dates("2026-12-01", "2027-01-31", .operatingDaysBefore(5, day: 10), .skip) == ["2026-12-03", "2027-01-04"])
        // N = 0 is the day itself, shifted.
        #expect(dates("2026-01-01", "2026-01-31", .operatingDaysBefore(0, day: 10), .next) == ["2026-01-13"])
        // Reaching back into an earlier month. May 25th: 13 operating days in May before it, then 7 in
        // April → 04-21. June 25th: 18 in June, then 2 in May → 05-28.
        #expect(dates("2026-05-01", "2026-05-31", .operatingDaysBefore(20, day: 25), .skip) == ["2026-05-28"])
        #expect(dates("2026-04-01", "2026-04-30", .operatingDaysBefore(20, day: 25), .skip) == ["2026-04-21"])
    }

    @Test func cronDays() throws {
        // OR semantics: the 1st and every Monday.
        let or = try CronExpression("0 9 1 * MON")
        #expect(dates("2026-06-01", "2026-07-06", .cron(or), .always)
                == ["2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29", "2026-07-01", "2026-07-06"])
        // Closed nominal days shift: Sunday 2026-11-01 → 11-02; Monday 11-23 (勤労感謝の日) → 11-24.
        let first = try CronExpression("30 22 1 * 1")
        #expect(dates("2026-11-01", "2026-11-30", .cron(first), .next)
                == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-24", "2026-11-30"])
    }

    @Test func validation() throws {
        #expect(DayRule.dayOfMonth(31).validate() == nil)
        #expect(DayRule.dayOfMonth(-1).validate() == nil)
        #expect(DayRule.dayOfMonth(32).validate() != nil)
        #expect(DayRule.dayOfMonth(0).validate() != nil)
        #expect(DayRule.dayOfMonth(-2).validate() != nil)
        #expect(DayRule.nthOperatingDay(0).validate() != nil)
        #expect(DayRule.nthOperatingDay(25).validate() == nil)            // an every-day calendar could have it
        #expect(DayRule.nthOperatingDay(32).validate() != nil)
        #expect(DayRule.nthOperatingDay(25).validate(calendar: city)?.contains("23") == true)
        #expect(DayRule.nthOperatingDay(23).validate(calendar: city) == nil)
        #expect(DayRule.nthOperatingDay(-24).validate(calendar: city) != nil)
        #expect(DayRule.nthOperatingDay(-1).validate(calendar: city) == nil)
        var sundays = city
        sundays.openDays = Set((1...31).map { date("2026-08-01").adding(days: $0 - 1) })
        #expect(DayRule.nthOperatingDay(31).validate(calendar: sundays) == nil)
        #expect(DayRule.operatingDaysBefore(-1, day: 5).validate() != nil)
        #expect(DayRule.operatingDaysBefore(3, day: 40).validate() != nil)
        #expect(DayRule.operatingDaysBefore(3, day: -1).validate() == nil)
        #expect(DayRule.weekdays([]).validate() != nil)
        #expect(DayRule.weekdays([8]).validate() != nil)
        #expect(DayRule.weekdays([0, 6]).validate(calendar: city, shift: .skip) != nil)
        #expect(DayRule.weekdays([0, 6]).validate(calendar: city, shift: .next) == nil)
        #expect(DayRule.weekdays([1, 6]).validate(calendar: city, shift: .skip) == nil)
        #expect(DayRule.cron(try CronExpression("0 0 30 2 *")).validate() != nil)
        #expect(DayRule.cron(try CronExpression("0 0 29 2 *")).validate() == nil)
        #expect(ScheduleRule(.nthOperatingDay(24)).validate(calendar: city) != nil)
    }

    @Test func scheduleRuleNext() {
        let rule = ScheduleRule(.nthOperatingDay(1), shift: .skip)
        #expect(rule.next(onOrAfter: date("2026-12-02"), calendar: city) == date("2027-01-04"))
        #expect(rule.next(onOrAfter: date("2027-01-04"), calendar: city) == date("2027-01-04"))
        let never = ScheduleRule(.dayOfMonth(40), shift: .skip)
        #expect(never.next(onOrAfter: date("2026-01-01"), calendar: city) == nil)
        let leap = ScheduleRule(.cron(try! CronExpression("0 0 29 2 *")), shift: .always)
        #expect(leap.next(onOrAfter: date("2026-01-01"), calendar: city) == date("2028-02-29"))
    }

    @Test func codable() throws {
        let rules: [ScheduleRule] = [
            ScheduleRule(.everyOperatingDay), ScheduleRule(.weekdays([1, 3]), shift: .next),
            ScheduleRule(.dayOfMonth(-1), shift: .previous), ScheduleRule(.nthOperatingDay(-1)),
            ScheduleRule(.operatingDaysBefore(3, day: 25), shift: .always),
            ScheduleRule(.cron(try CronExpression("*/15 9-17 * * MON-FRI"))),
        ]
        let data = try JSONEncoder().encode(rules)
        #expect(try JSONDecoder().decode([ScheduleRule].self, from: data) == rules)
        #expect(ShiftRule(rawValue: "previous") == .previous)
    }

    @Test func emptyOrReversedRange() {
        #expect(dates("2026-02-01", "2026-01-01", .everyOperatingDay, .skip) == [])
        #expect(dates("2026-06-10", "2026-06-10", .dayOfMonth(10), .skip) == ["2026-06-10"])
    }
}
