import Foundation
import Testing
@testable import Calendars

private let tokyo = ZonedClock(zoneIdentifier: "Asia/Tokyo")!

private func utc(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)!
}

private func time(_ text: String) -> TimeOfDay { TimeOfDay(text)! }

private func schedule(_ entries: [Schedule.Entry], calendar: OperatingCalendar = .standard,
                      dayStarts: String = "00:00", clock: ZonedClock = tokyo) -> Schedule {
    Schedule(entries: entries, calendar: calendar, clock: clock, dayStarts: time(dayStarts))
}

private func entry(_ t: String, _ rule: DayRule = .everyOperatingDay, _ shift: ShiftRule = .skip,
                   slot: String? = nil) -> Schedule.Entry {
    Schedule.Entry(time: time(t), rule: ScheduleRule(rule, shift: shift), slot: slot)
}

/// "business-date slot @ instant-in-UTC" for compact expectations.
private func show(_ starts: [Schedule.Start]) -> [String] {
    let f = ISO8601DateFormatter()
    return starts.map { "\($0.businessDate) \($0.slot) @\(f.string(from: $0.instant))" }
}

@Suite struct ScheduleTests {
    @Test func everyOperatingDayOverTheYearEnd() {
        let s = schedule([entry("22:30")])
        #expect(show(s.starts(businessDates: date("2026-12-24"), through: date("2027-01-05"))) == [
            "2026-12-24 22:30 @2026-12-24T13:30:00Z",
            "2026-12-25 22:30 @2026-12-25T13:30:00Z",
            "2026-12-28 22:30 @2026-12-28T13:30:00Z",
            "2027-01-04 22:30 @2027-01-04T13:30:00Z",
            "2027-01-05 22:30 @2027-01-05T13:30:00Z",
        ])
    }

    @Test func aTimeBeforeTheChangeTimeBelongsToTheBusinessDateBefore() {
        // The business day starts at 05:00: "01:30" is 01:30 the next morning, the same as "25:30".
        let early = schedule([entry("01:30")], dayStarts: "05:00")
        let late = schedule([entry("25:30")], dayStarts: "05:00")
        let a = early.starts(businessDates: date("2026-12-28"), through: date("2026-12-28"))
        #expect(show(a) == ["2026-12-28 01:30 @2026-12-28T16:30:00Z"])   // 2026-12-29 01:30 JST
        #expect(a.map(\.instant) == late.starts(businessDates: date("2026-12-28"), through: date("2026-12-28")).map(\.instant))
        // 12/29 is closed, but the start at 01:30 on 12/29 belongs to 12/28 and so runs.
        #expect(early.businessDate(of: a[0].instant) == date("2026-12-28"))
        // From 05:00 on, a time is on the business date itself.
        let five = schedule([entry("05:00")], dayStarts: "05:00")
        #expect(show(five.starts(businessDates: date("2026-12-28"), through: date("2026-12-28")))
                == ["2026-12-28 05:00 @2026-12-27T20:00:00Z"])
        // Without a change time, 01:30 is on the business date's own calendar day.
        let midnight = schedule([entry("01:30")])
        #expect(show(midnight.starts(businessDates: date("2026-12-28"), through: date("2026-12-28")))
                == ["2026-12-28 01:30 @2026-12-27T16:30:00Z"])
    }

    @Test func startsInAnIntervalCrossMidnightByBusinessDate() {
        let s = schedule([entry("01:30")], dayStarts: "05:00")
        // From noon on Monday 12/28 to noon on Tuesday 12/29 (JST): the start of Monday's business day.
        let got = s.starts(after: utc("2026-12-28T03:00:00Z"), through: utc("2026-12-29T03:00:00Z"))
        #expect(show(got) == ["2026-12-28 01:30 @2026-12-28T16:30:00Z"])
        // The business date of an instant follows the change time.
        #expect(s.businessDate(of: utc("2026-12-28T19:59:59Z")) == date("2026-12-28"))   // 04:59:59 JST on 12/29
        #expect(s.businessDate(of: utc("2026-12-28T20:00:00Z")) == date("2026-12-29"))   // 05:00 JST
        // The end of the interval is inclusive, the start exclusive.
        let at = utc("2026-12-28T16:30:00Z")
        #expect(s.starts(after: at.addingTimeInterval(-1), through: at).count == 1)
        #expect(s.starts(after: at, through: at.addingTimeInterval(3600)).isEmpty)
    }

    @Test func lastOperatingDayAtYearEndWithALateTime() {
        // The last operating day of December 2026 is Monday 12/28; 25:00 is 01:00 on the closed 12/29.
        let s = schedule([entry("25:00", .nthOperatingDay(-1))], dayStarts: "05:00")
        #expect(show(s.starts(businessDates: date("2026-12-01"), through: date("2027-01-31")))
                == ["2026-12-28 25:00 @2026-12-28T16:00:00Z", "2027-01-29 25:00 @2027-01-29T16:00:00Z"])
    }

    @Test func monthEndsAndLeapYears() {
        let last = schedule([entry("23:00", .dayOfMonth(-1), .previous)])
        let feb = { (y: Int) in
            last.starts(businessDates: LocalDate(year: y, month: 2, day: 1)!,
                        through: LocalDate(year: y, month: 2, day: LocalDate.daysIn(year: y, month: 2))!)
                .map(\.businessDate.description)
        }
        #expect(feb(2028) == ["2028-02-29"])          // a Tuesday
        #expect(feb(2027) == ["2027-02-26"])          // the 28th is a Sunday
        #expect(feb(2100) == ["2100-02-26"])          // 2100 is not a leap year; the 28th is a Sunday
        let the29th = schedule([entry("23:00", .dayOfMonth(29), .skip)], calendar: .everyDay)
        #expect(the29th.starts(businessDates: date("2027-02-01"), through: date("2027-02-28")).isEmpty)
        #expect(the29th.starts(businessDates: date("2028-02-01"), through: date("2028-02-29")).map(\.businessDate)
                == [date("2028-02-29")])
        // The leap day by cron: the next one after 2026 is 2028-02-29, then 2032-02-29 (a Sunday, shifted to Monday).
        let leap = schedule([entry("22:00", .cron(try! CronExpression("0 22 29 2 *")), .next)])
        #expect(show(leap.next(after: utc("2026-01-01T00:00:00Z"), count: 2))
                == ["2028-02-29 22:00 @2028-02-29T13:00:00Z", "2032-03-01 22:00 @2032-03-01T13:00:00Z"])
        // The 31st skips short months; a year boundary is crossed like any other.
        let the31st = schedule([entry("20:00", .dayOfMonth(31), .always)])
        #expect(the31st.starts(businessDates: date("2026-11-01"), through: date("2027-01-31")).map(\.businessDate.description)
                == ["2026-12-31", "2027-01-31"])
    }

    @Test func shiftRulesForAClosedNominalDay() {
        // Saturday 2026-01-10; Monday 01-12 is 成人の日.
        let rule = { (shift: ShiftRule) in
            schedule([entry("23:00", .dayOfMonth(10), shift)])
                .starts(businessDates: date("2026-01-01"), through: date("2026-01-31")).map(\.businessDate.description)
        }
        #expect(rule(.previous) == ["2026-01-09"])
        #expect(rule(.next) == ["2026-01-13"])
        #expect(rule(.skip) == [])
        #expect(rule(.always) == ["2026-01-10"])
    }

    @Test func nthWeekday() {
        #expect(LocalDate.nthWeekday(2, weekday: 1, year: 2026, month: 1) == date("2026-01-12"))
        #expect(LocalDate.nthWeekday(-1, weekday: 5, year: 2026, month: 2) == date("2026-02-27"))
        #expect(LocalDate.nthWeekday(5, weekday: 1, year: 2026, month: 6) == date("2026-06-29"))
        #expect(LocalDate.nthWeekday(5, weekday: 1, year: 2026, month: 7) == nil)
        #expect(LocalDate.nthWeekday(1, weekday: 7, year: 2026, month: 3) == date("2026-03-01"))
        // The 2nd Monday of January 2026 is 成人の日: shifted to Tuesday.
        let s = schedule([entry("06:00", .nthWeekday(2, weekday: 1), .next)])
        #expect(s.starts(businessDates: date("2026-01-01"), through: date("2026-02-28")).map(\.businessDate.description)
                == ["2026-01-13", "2026-02-09"])
        #expect(DayRule.nthWeekday(6, weekday: 1).validate()?.contains("6th Mon") == true)
        #expect(DayRule.nthWeekday(0, weekday: 1).validate() != nil)
        #expect(DayRule.nthWeekday(1, weekday: 9).validate() != nil)
        #expect(DayRule.nthWeekday(-5, weekday: 3).validate() == nil)
        #expect(DayRule.nthWeekday(1, weekday: 6).validate(calendar: .standard, shift: .skip) != nil)
    }

    @Test func nextStartsInTimeOrder() {
        // After Friday 2026-11-20 23:00 JST; Monday 11-23 is 勤労感謝の日.
        let s = schedule([entry("22:30"), entry("06:00", .weekdays([1, 4]))])
        #expect(show(s.next(after: utc("2026-11-20T14:00:00Z"), count: 4)) == [
            "2026-11-24 22:30 @2026-11-24T13:30:00Z",
            "2026-11-25 22:30 @2026-11-25T13:30:00Z",
            "2026-11-26 06:00 @2026-11-25T21:00:00Z",
            "2026-11-26 22:30 @2026-11-26T13:30:00Z",
        ])
        // A rule that never fires gives nothing, without looping forever.
        let never = schedule([entry("22:00", .dayOfMonth(40))])
        #expect(never.next(after: utc("2026-01-01T00:00:00Z"), count: 3).isEmpty)
    }

    @Test func oneStartPerSlotAndBusinessDate() {
        // Two lines at the same time on the same day make one start; a label makes a second slot.
        let same = schedule([entry("22:30"), entry("22:30", .nthOperatingDay(-1))])
        #expect(same.starts(businessDates: date("2026-06-30"), through: date("2026-06-30")).count == 1)
        let labelled = schedule([entry("22:30"), entry("22:30", .nthOperatingDay(-1), slot: "month-end")])
        #expect(labelled.starts(businessDates: date("2026-06-30"), through: date("2026-06-30")).map(\.slot)
                == ["22:30", "month-end"])
        #expect(labelled.starts(businessDates: date("2026-06-29"), through: date("2026-06-29")).map(\.slot) == ["22:30"])
    }

    @Test func timesPastTheBusinessDay() {
        #expect(Schedule.problem(time: time("28:59"), dayStarts: time("05:00")) == nil)
        #expect(Schedule.problem(time: time("29:00"), dayStarts: time("05:00")) != nil)
        #expect(Schedule.problem(time: time("23:59"), dayStarts: time("00:00")) == nil)
        #expect(Schedule.problem(time: time("24:30"), dayStarts: time("00:00")) != nil)
        #expect(Schedule.problem(time: time("05:00"), dayStarts: time("24:00")) != nil)
    }

    @Test func wallClockTimesAcrossDaylightSaving() {
        // The zone is the net's, not Tokyo's: New York moves to EDT on 2026-03-08.
        let ny = ZonedClock(zoneIdentifier: "America/New_York")!
        let s = schedule([entry("22:30")], calendar: .everyDay, clock: ny)
        #expect(show(s.starts(businessDates: date("2026-03-07"), through: date("2026-03-08")))
                == ["2026-03-07 22:30 @2026-03-08T03:30:00Z", "2026-03-08 22:30 @2026-03-09T02:30:00Z"])
    }

    @Test func missedRunPolicies() {
        let now = utc("2026-06-10T13:30:30Z")
        let starts = [3, 2, 1].map { days in
            Schedule.Start(businessDate: date("2026-06-10").adding(days: -days), slot: "22:30", time: time("22:30"),
                           instant: utc("2026-06-10T13:30:00Z").addingTimeInterval(Double(-days) * 86_400))
        }
        let onTime = Schedule.Start(businessDate: date("2026-06-10"), slot: "22:30", time: time("22:30"),
                                    instant: utc("2026-06-10T13:30:00Z"))
        func decisions(_ p: MissedRunPolicy, _ due: [Schedule.Start]) -> [String] {
            p.decide(due, now: now).map { "\($0.start.businessDate) \($0.decision.rawValue)" }
        }
        #expect(decisions(.all, starts) == ["2026-06-07 late", "2026-06-08 late", "2026-06-09 late"])
        #expect(decisions(.latest, starts) == ["2026-06-07 missed", "2026-06-08 missed", "2026-06-09 late"])
        #expect(decisions(.skip, starts) == ["2026-06-07 missed", "2026-06-08 missed", "2026-06-09 missed"])
        // A start within the grace period is on time whatever the policy; under `latest` it is the
        // latest, so every overdue start is missed.
        #expect(decisions(.latest, starts.reversed() + [onTime])
                == ["2026-06-07 missed", "2026-06-08 missed", "2026-06-09 missed", "2026-06-10 on-time"])
        #expect(decisions(.skip, [onTime]) == ["2026-06-10 on-time"])
        #expect(decisions(.all, starts + [onTime]).last == "2026-06-10 on-time")
        #expect(MissedRunPolicy.default == .latest)
    }

    @Test func listedDaysCarryTheirNotes() {
        var c = OperatingCalendar.standard
        c.closedDays = [date("2026-08-13")]
        c.openDays = [date("2026-03-14")]
        c.notes = [date("2026-08-13"): "夏季一斉休庁", date("2026-03-14"): "確定申告の休日開庁"]
        #expect(c.closedReason(date("2026-08-13")) == "夏季一斉休庁")
        #expect(c.closure(on: date("2026-11-23")) == .holiday(JapaneseHolidays.holiday(on: date("2026-11-23"))!))
        #expect(c.closure(on: date("2026-11-21")) == .weekday(6))
        #expect(c.closure(on: date("2027-01-02")) == .yearEnd)
        #expect(c.isExtraOpenDay(date("2026-03-14")))
        #expect(!c.isExtraOpenDay(date("2026-03-16")))
        let child = c.extended(with: OperatingCalendarOverrides(openDays: [date("2026-08-13")],
                                                                 notes: [date("2026-08-13"): "窓口のみ開庁"]))
        #expect(child.isOperating(date("2026-08-13")))
        #expect(child.notes[date("2026-08-13")] == "窓口のみ開庁")
        #expect(child.notes[date("2026-03-14")] == "確定申告の休日開庁")
    }
}
