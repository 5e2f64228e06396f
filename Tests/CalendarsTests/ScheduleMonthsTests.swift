import Foundation
import Testing
@testable import Calendars

/// The business dates of `rule` in the whole of the given years, under the standard city office.
private func year(_ years: ClosedRange<Int>, _ rule: DayRule, _ shift: ShiftRule = .skip, months: Set<Int>?,
                  calendar: OperatingCalendar = .standard) -> [String] {
    ScheduleRule(rule, shift: shift, months: months)
        .dates(from: date("\(years.lowerBound)-01-01"), to: date("\(years.upperBound)-12-31"), calendar: calendar)
        .map(\.description)
}

/// The months filter counts the month of the nominal day (before the shift), so a run moved into
/// another month by its shift still runs, and a day of an unselected month moved into a selected one
/// does not.
@Suite struct ScheduleMonthsTests {
    let city = OperatingCalendar.standard

    @Test func lastOperatingDayOfMarch() {
        // 2024-03-29 Fri (30/31 weekend), 2025-03-31 Mon, 2026-03-31 Tue, 2027-03-31 Wed.
        #expect(year(2024...2027, .nthOperatingDay(-1), months: [3])
                == ["2024-03-29", "2025-03-31", "2026-03-31", "2027-03-31"])
        // The same as the unfiltered rule's dates that fall in March, year after year.
        let all = year(2000...2060, .nthOperatingDay(-1), months: nil)
        #expect(year(2000...2060, .nthOperatingDay(-1), months: [3]) == all.filter { $0.dropFirst(5).hasPrefix("03-") })
    }

    @Test func aDayInJuneShiftedForwardStaysJunes() {
        // 2023-06-10 is a Saturday → Monday 06-12; other years the 10th is open.
        #expect(year(2023...2027, .dayOfMonth(10), .next, months: [6])
                == ["2023-06-12", "2024-06-10", "2025-06-10", "2026-06-10", "2027-06-10"])
        // 2024-06-30 is a Sunday: 'next' moves it into July, and it still runs — as June's run.
        #expect(year(2024...2024, .dayOfMonth(30), .next, months: [6]) == ["2024-07-01"])
        // Also when only July is asked for (the nominal day lies outside the range).
        #expect(ScheduleRule(.dayOfMonth(30), shift: .next, months: [6])
                .dates(from: date("2024-07-01"), to: date("2024-07-31"), calendar: city).map(\.description) == ["2024-07-01"])
        // July's own 30th is a Tuesday; June's moved run is not July's.
        #expect(year(2024...2024, .dayOfMonth(30), .next, months: [7]) == ["2024-07-30"])
        // With 'skip' the closed June 30th simply does not run.
        #expect(year(2024...2024, .dayOfMonth(30), .skip, months: [6]) == [])
    }

    @Test func aDayInAprilShiftedBackStaysAprils() {
        // Fixed-asset tax on April 1st: 2023-04-01 is a Saturday → Friday 03-31.
        #expect(year(2023...2025, .dayOfMonth(1), .previous, months: [4]) == ["2023-03-31", "2024-04-01", "2025-04-01"])
        // March's own 1st: 2023-03-01 a Wednesday; 2025-03-01 a Saturday → Friday 02-28.
        // April 1st moved back into March 2023 is not March's run.
        #expect(year(2023...2025, .dayOfMonth(1), .previous, months: [3]) == ["2023-03-01", "2024-03-01", "2025-02-28"])
    }

    @Test func weekdaysAndNthWithMonths() {
        // The 2nd Monday of January is 成人の日 (2026-01-12), moved to Tuesday; of July, 2026-07-13.
        #expect(year(2026...2026, .nthWeekday(2, weekday: 1), .next, months: [1, 7]) == ["2026-01-13", "2026-07-13"])
        #expect(year(2026...2026, .nthWeekday(2, weekday: 1), .skip, months: [1, 7]) == ["2026-07-13"])
        // The last Friday of December 2026 is the 25th.
        #expect(year(2026...2026, .nthWeekday(-1, weekday: 5), .skip, months: [12]) == ["2026-12-25"])
        // Saturdays of August moved back: Saturday 08-01 gives Friday 07-31; Saturday 09-05 is September's.
        #expect(year(2026...2026, .weekdays([6]), .previous, months: [8])
                == ["2026-07-31", "2026-08-07", "2026-08-14", "2026-08-21", "2026-08-28"])
    }

    @Test func leapDayInFebruaryOnly() {
        // 2024-02-29 Thu, 2028-02-29 Tue, 2032-02-29 Sun.
        #expect(year(2024...2032, .dayOfMonth(29), .skip, months: [2]) == ["2024-02-29", "2028-02-29"])
        #expect(year(2024...2032, .dayOfMonth(29), .previous, months: [2]) == ["2024-02-29", "2028-02-29", "2032-02-27"])
        #expect(year(2024...2032, .dayOfMonth(29), .always, months: [2]) == ["2024-02-29", "2028-02-29", "2032-02-29"])
        // The rule is valid (it fires in leap years) and is found years ahead.
        #expect(DayRule.dayOfMonth(29).validate(months: [2]) == nil)
        let rule = ScheduleRule(.dayOfMonth(29), shift: .skip, months: [2])
        #expect(rule.next(onOrAfter: date("2024-03-01"), calendar: city) == date("2028-02-29"))
    }

    @Test func everyOperatingDayOfSomeMonths() {
        let both = year(2026...2026, .everyOperatingDay, months: [4, 5])
        let all = year(2026...2026, .everyOperatingDay, months: nil)
        #expect(both == all.filter { $0.hasPrefix("2026-04") || $0.hasPrefix("2026-05") })
        #expect(both.first == "2026-04-01" && both.last == "2026-05-29")
        #expect(!both.contains("2026-04-29") && !both.contains("2026-05-06"))   // 昭和の日, 振替休日
    }

    @Test func operatingDaysBeforeCountsTheMonthOfItsDay() {
        // 3 operating days before April 1st 2026 (a Wednesday): 03-31, 03-30, 03-27.
        #expect(year(2026...2026, .operatingDaysBefore(3, day: 1), months: [4]) == ["2026-03-27"])
        // March's is 3 operating days before March 1st (a Sunday): 02-27, 02-26, 02-25.
        #expect(year(2026...2026, .operatingDaysBefore(3, day: 1), months: [3]) == ["2026-02-25"])
    }

    @Test func everyMonthIsTheSameAsNone() {
        for rule in [DayRule.dayOfMonth(15), .nthOperatingDay(2), .weekdays([0, 6]), .nthWeekday(-1, weekday: 3)] {
            for shift in [ShiftRule.previous, .next, .skip] {
                #expect(year(2025...2027, rule, shift, months: Set(1...12)) == year(2025...2027, rule, shift, months: nil))
            }
        }
        #expect(year(2026...2026, .everyOperatingDay, months: []) == [])
        #expect(year(2026...2026, .everyOperatingDay, months: [13]) == [])
    }

    @Test func monthsThatCanNeverFire() {
        #expect(DayRule.dayOfMonth(31).validate(months: [4, 6, 9, 11])
                == "dayOfMonth: day 31 can never fire in months [4, 6, 9, 11]: none of them has a 31st")
        #expect(DayRule.dayOfMonth(30).validate(months: [2]) == "dayOfMonth: day 30 can never fire in months [2]: that month has no 30th")
        #expect(DayRule.operatingDaysBefore(2, day: 31).validate(months: [2])
                == "operatingDaysBefore: day 31 can never fire in months [2]: that month has no 31st")
        #expect(DayRule.dayOfMonth(31).validate(months: [4, 5]) == nil)
        #expect(DayRule.dayOfMonth(-1).validate(months: [2]) == nil)
        #expect(DayRule.nthWeekday(5, weekday: 1).validate(months: [2]) == nil)          // leap years
        #expect(DayRule.everyOperatingDay.validate(months: []) != nil)
        #expect(DayRule.everyOperatingDay.validate(months: [0]) != nil)
        #expect(ScheduleRule(.dayOfMonth(31), months: [6]).validate() != nil)
        #expect(ScheduleRule(.dayOfMonth(31), months: nil).validate() == nil)
    }

    @Test func codableWithAndWithoutMonths() throws {
        let rules = [ScheduleRule(.dayOfMonth(10), shift: .next, months: [6]), ScheduleRule(.everyOperatingDay)]
        #expect(try JSONDecoder().decode([ScheduleRule].self, from: JSONEncoder().encode(rules)) == rules)
        // A rule stored before months existed decodes as every month.
        let old = #"{"rule":{"everyOperatingDay":{}},"shift":"skip"}"#
        #expect(try JSONDecoder().decode(ScheduleRule.self, from: Data(old.utf8)).months == nil)
    }

    @Test func aScheduleWithSeasonalEntries() {
        let s = Schedule(entries: [
            Schedule.Entry(time: TimeOfDay("21:00")!, rule: ScheduleRule(.dayOfMonth(10), shift: .next, months: [6]), slot: "assessment"),
            Schedule.Entry(time: TimeOfDay("21:00")!, rule: ScheduleRule(.nthOperatingDay(-1), months: [12, 1]), slot: "year-end"),
        ], calendar: city, clock: ZonedClock(zoneIdentifier: "Asia/Tokyo")!)
        #expect(s.starts(businessDates: date("2026-01-01"), through: date("2026-12-31")).map(\.description)
                == ["2026-01-30 year-end", "2026-06-10 assessment", "2026-12-28 year-end"])
    }
}
