import Testing
@testable import Calendars

@Suite struct OperatingCalendarTests {
    let city = OperatingCalendar()

    @Test func defaults() {
        #expect(city.closedWeekdays == [0, 6])
        #expect(city.nationalHolidays)
        #expect(city.yearEnd)
        #expect(city.closedDays.isEmpty && city.openDays.isEmpty)
    }

    @Test func closedReasons() {
        #expect(city.closedReason(date("2026-11-23")) == "勤労感謝の日")
        #expect(city.closedReason(date("2026-11-21")) == "土曜日")
        #expect(city.closedReason(date("2026-11-22")) == "日曜日")
        #expect(city.closedReason(date("2026-12-29")) == "年末年始")
        #expect(city.closedReason(date("2027-01-03")) == "年末年始")
        #expect(city.closedReason(date("2026-01-01")) == "元日")
        #expect(city.closedReason(date("2026-05-06")) == "振替休日")
        #expect(city.closedReason(date("2026-09-22")) == "国民の休日")
        #expect(city.closedReason(date("2026-11-24")) == nil)
        #expect(city.isOperating(date("2026-12-28")))
        #expect(!city.isOperating(date("2026-12-29")))
        #expect(city.isOperating(date("2027-01-04")))
    }

    @Test func explicitDays() {
        var c = city
        c.closedDays = [date("2026-06-10"), date("2026-11-23")]
        c.openDays = [date("2026-03-15"), date("2026-11-23"), date("2026-12-29")]
        #expect(c.closedReason(date("2026-06-10")) == "閉庁日")
        #expect(c.isOperating(date("2026-03-15")))    // a Sunday opening (tax filing)
        #expect(c.isOperating(date("2026-11-23")))    // open wins over both closed list and holiday
        #expect(c.isOperating(date("2026-12-29")))    // open wins over 年末年始
    }

    @Test func switches() {
        let c = OperatingCalendar(name: "plant", closedWeekdays: [0], nationalHolidays: false, yearEnd: false)
        #expect(c.isOperating(date("2026-11-21")))    // Saturday
        #expect(c.isOperating(date("2026-11-23")))    // holiday ignored
        #expect(c.isOperating(date("2026-12-31")))
        #expect(c.closedReason(date("2026-11-22")) == "日曜日")
        #expect(OperatingCalendar.everyDay.operatingDays(year: 2028, month: 2).count == 29)
    }

    @Test func operatingDaysOfMonths() {
        let may = city.operatingDays(year: 2026, month: 5).map(\.description)
        #expect(may.first == "2026-05-01")
        #expect(!may.contains("2026-05-06"))
        #expect(may.count == 18)
        let jan = city.operatingDays(year: 2026, month: 1)
        #expect(jan.first == date("2026-01-05"))
        #expect(city.operatingDays(year: 2026, month: 13).isEmpty)
        #expect(city.operatingDays(year: 2028, month: 2).last == date("2028-02-29"))
    }

    @Test func nextAndPrevious() {
        #expect(city.nextOperatingDay(onOrAfter: date("2026-12-29")) == date("2027-01-04"))
        #expect(city.nextOperatingDay(onOrAfter: date("2026-12-28")) == date("2026-12-28"))
        #expect(city.previousOperatingDay(onOrBefore: date("2027-01-03")) == date("2026-12-28"))
        #expect(city.nextOperatingDay(onOrAfter: date("2019-04-27")) == date("2019-05-07"))
        #expect(city.previousOperatingDay(onOrBefore: date("2019-05-06")) == date("2019-04-26"))
        #expect(city.operatingDay(3, from: date("2026-12-25")) == date("2027-01-05"))
        #expect(city.operatingDay(-1, from: date("2027-01-04")) == date("2026-12-28"))
        #expect(city.operatingDay(0, from: date("2027-01-01")) == date("2027-01-01"))
    }

    @Test func neverOpenCalendar() {
        let closed = OperatingCalendar(name: "closed", closedWeekdays: Set(0...6))
        #expect(closed.nextOperatingDay(onOrAfter: date("2026-01-01")) == nil)
        #expect(closed.previousOperatingDay(onOrBefore: date("2026-01-01")) == nil)
        var some = closed
        some.openDays = [date("2030-05-01"), date("2020-05-01")]
        #expect(some.nextOperatingDay(onOrAfter: date("2026-01-01")) == date("2030-05-01"))
        #expect(some.previousOperatingDay(onOrBefore: date("2026-01-01")) == date("2020-05-01"))
        #expect(DayRule.everyOperatingDay.validate(calendar: closed) != nil)
    }

    @Test func longClosureIsCrossed() {
        var c = city
        c.closedDays = Set((0..<500).map { date("2026-01-01").adding(days: $0) })
        #expect(c.nextOperatingDay(onOrAfter: date("2026-01-01")) == date("2027-05-17"))
    }

    @Test func extendingAParent() {
        let parent = OperatingCalendar(name: "city", closedDays: [date("2026-06-10")], openDays: [date("2026-03-15")])
        let child = parent.extended(with: OperatingCalendarOverrides(
            name: "tax-office",
            closedDays: [date("2026-03-15"), date("2026-07-01")],
            openDays: [date("2026-06-10"), date("2026-03-22")]))
        #expect(child.name == "tax-office")
        #expect(child.closedWeekdays == [0, 6])
        #expect(child.closedDays == [date("2026-07-01"), date("2026-03-15")])
        #expect(child.openDays == [date("2026-06-10"), date("2026-03-22")])
        #expect(!child.isOperating(date("2026-03-15")))
        #expect(child.isOperating(date("2026-06-10")))
        #expect(child.isOperating(date("2026-03-22")))
        #expect(!child.isOperating(date("2026-07-01")))

        let sixDays = parent.extended(with: OperatingCalendarOverrides(closedWeekdays: [0], yearEnd: false))
        #expect(sixDays.name == "city")
        #expect(sixDays.isOperating(date("2026-11-21")))
        #expect(sixDays.isOperating(date("2026-12-30")))
        #expect(!sixDays.isOperating(date("2026-06-10")))   // inherited closure

        let both = parent.extended(with: OperatingCalendarOverrides(closedDays: [date("2026-08-03")],
                                                                      openDays: [date("2026-08-03")]))
        #expect(both.isOperating(date("2026-08-03")))       // listed both ways: open wins
    }
}
