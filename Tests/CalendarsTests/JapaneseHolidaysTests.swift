import Foundation
import Testing
@testable import Calendars

func date(_ text: String) -> LocalDate {
    guard let d = LocalDate(text) else { fatalError("bad date in test: \(text)") }
    return d
}

/// "MM-DD name" lines → (date, name) pairs for one year.
private func list(_ year: Int, _ text: String) -> [(String, String)] {
    text.split(separator: "\n").map { line in
        let parts = line.split(separator: " ", maxSplits: 1)
        return ("\(year)-\(parts[0])", String(parts[1]))
    }
}

private func actual(_ year: Int) -> [(String, String)] {
    JapaneseHolidays.holidays(in: year).map { ($0.date.description, $0.nameJa) }
}

private func expectYear(_ year: Int, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let want = list(year, text)
    let got = actual(year)
    #expect(got.map(\.0) == want.map(\.0), "dates of \(year)", sourceLocation: sourceLocation)
    #expect(got.map(\.1) == want.map(\.1), "names of \(year)", sourceLocation: sourceLocation)
}

private let nationalNames: Set<String> = [
    "元日", "成人の日", "建国記念の日", "天皇誕生日", "春分の日", "昭和の日", "みどりの日", "憲法記念日",
    "こどもの日", "海の日", "山の日", "敬老の日", "秋分の日", "体育の日", "スポーツの日", "文化の日", "勤労感謝の日",
    "皇太子明仁親王の結婚の儀", "昭和天皇の大喪の礼", "即位礼正殿の儀", "皇太子徳仁親王の結婚の儀", "天皇の即位の日",
]

@Suite struct KnownYears {
    @Test func year1948StartsAtTheAct() {
        expectYear(1948, """
        09-23 秋分の日
        11-03 文化の日
        11-23 勤労感謝の日
        """)
        #expect(JapaneseHolidays.holidays(in: 1947).isEmpty)
        #expect(JapaneseHolidays.holiday(on: date("1948-05-05")) == nil)
    }

    @Test func year1959Wedding() {
        #expect(JapaneseHolidays.holiday(on: date("1959-04-10"))?.nameJa == "皇太子明仁親王の結婚の儀")
    }

    @Test func year1973SubstituteRuleStartsInApril() {
        // 02-11 is a Sunday before the 1973-04-12 amendment: no substitute. 04-29 and 09-23 get one.
        expectYear(1973, """
        01-01 元日
        01-15 成人の日
        02-11 建国記念の日
        03-21 春分の日
        04-29 天皇誕生日
        04-30 振替休日
        05-03 憲法記念日
        05-05 こどもの日
        09-15 敬老の日
        09-23 秋分の日
        09-24 振替休日
        10-10 体育の日
        11-03 文化の日
        11-23 勤労感謝の日
        """)
    }

    @Test func year1985() {
        expectYear(1985, """
        01-01 元日
        01-15 成人の日
        02-11 建国記念の日
        03-21 春分の日
        04-29 天皇誕生日
        05-03 憲法記念日
        05-05 こどもの日
        05-06 振替休日
        09-15 敬老の日
        09-16 振替休日
        09-23 秋分の日
        10-10 体育の日
        11-03 文化の日
        11-04 振替休日
        11-23 勤労感謝の日
        """)
    }

    @Test func years1986And1987NoCitizensHoliday() {
        // 1986-05-04 is a Sunday; 1987-05-04 is a 振替休日 (05-03 Sunday), not a 国民の休日.
        #expect(JapaneseHolidays.holiday(on: date("1986-05-04")) == nil)
        #expect(JapaneseHolidays.holiday(on: date("1987-05-04"))?.nameJa == "振替休日")
    }

    @Test func year1988FirstCitizensHoliday() {
        expectYear(1988, """
        01-01 元日
        01-15 成人の日
        02-11 建国記念の日
        03-20 春分の日
        03-21 振替休日
        04-29 天皇誕生日
        05-03 憲法記念日
        05-04 国民の休日
        05-05 こどもの日
        09-15 敬老の日
        09-23 秋分の日
        10-10 体育の日
        11-03 文化の日
        11-23 勤労感謝の日
        """)
    }

    @Test func year1989() {
        expectYear(1989, """
        01-01 元日
        01-02 振替休日
        01-15 成人の日
        01-16 振替休日
        02-11 建国記念の日
        02-24 昭和天皇の大喪の礼
        03-21 春分の日
        04-29 みどりの日
        05-03 憲法記念日
        05-04 国民の休日
        05-05 こどもの日
        09-15 敬老の日
        09-23 秋分の日
        10-10 体育の日
        11-03 文化の日
        11-23 勤労感謝の日
        12-23 天皇誕生日
        """)
    }

    @Test func oneOffDaysOf1990And1993() {
        #expect(JapaneseHolidays.holiday(on: date("1990-11-12"))?.nameJa == "即位礼正殿の儀")
        #expect(JapaneseHolidays.holiday(on: date("1993-06-09"))?.nameJa == "皇太子徳仁親王の結婚の儀")
    }

    @Test func saturdayCitizensHoliday() {
        // The law excludes only Sundays and 振替休日: 1991-05-04 is a Saturday 国民の休日.
        #expect(date("1991-05-04").weekday == 6)
        #expect(JapaneseHolidays.holiday(on: date("1991-05-04"))?.nameJa == "国民の休日")
    }

    @Test func happyMondayTransitions() {
        #expect(JapaneseHolidays.holiday(on: date("1999-01-15"))?.nameJa == "成人の日")
        #expect(JapaneseHolidays.holiday(on: date("2000-01-10"))?.nameJa == "成人の日")
        #expect(JapaneseHolidays.holiday(on: date("2000-01-15")) == nil)
        #expect(JapaneseHolidays.holiday(on: date("1995-07-20")) == nil)
        #expect(JapaneseHolidays.holiday(on: date("1996-07-20"))?.nameJa == "海の日")
        #expect(JapaneseHolidays.holiday(on: date("2003-07-21"))?.nameJa == "海の日")
        #expect(JapaneseHolidays.holiday(on: date("2002-09-15"))?.nameJa == "敬老の日")
        #expect(JapaneseHolidays.holiday(on: date("2003-09-15"))?.nameJa == "敬老の日")  // 3rd Monday = 15th
        #expect(JapaneseHolidays.holiday(on: date("2004-09-20"))?.nameJa == "敬老の日")
        #expect(JapaneseHolidays.holiday(on: date("1999-10-11"))?.nameJa == "振替休日")  // 10-10 Sunday
        #expect(JapaneseHolidays.holiday(on: date("2000-10-09"))?.nameJa == "体育の日")
        #expect(JapaneseHolidays.holiday(on: date("2015-08-11")) == nil)
        #expect(JapaneseHolidays.holiday(on: date("2016-08-11"))?.nameJa == "山の日")
        #expect(JapaneseHolidays.holiday(on: date("2006-04-29"))?.nameJa == "みどりの日")
        #expect(JapaneseHolidays.holiday(on: date("2006-05-04"))?.nameJa == "国民の休日")
    }

    @Test func year2007NewSubstituteRule() {
        expectYear(2007, """
        01-01 元日
        01-08 成人の日
        02-11 建国記念の日
        02-12 振替休日
        03-21 春分の日
        04-29 昭和の日
        04-30 振替休日
        05-03 憲法記念日
        05-04 みどりの日
        05-05 こどもの日
        07-16 海の日
        09-17 敬老の日
        09-23 秋分の日
        09-24 振替休日
        10-08 体育の日
        11-03 文化の日
        11-23 勤労感謝の日
        12-23 天皇誕生日
        12-24 振替休日
        """)
        // 2008-05-04 (Sunday, みどりの日) → 05-06, past the 05-05 祝日.
        #expect(JapaneseHolidays.holiday(on: date("2008-05-06"))?.nameJa == "振替休日")
        // Silver Week 2009 and 2015.
        #expect(JapaneseHolidays.holiday(on: date("2009-09-22"))?.nameJa == "国民の休日")
        #expect(JapaneseHolidays.holiday(on: date("2015-09-22"))?.nameJa == "国民の休日")
    }

    @Test func year2019GoldenWeekAndEnthronement() {
        expectYear(2019, """
        01-01 元日
        01-14 成人の日
        02-11 建国記念の日
        03-21 春分の日
        04-29 昭和の日
        04-30 国民の休日
        05-01 天皇の即位の日
        05-02 国民の休日
        05-03 憲法記念日
        05-04 みどりの日
        05-05 こどもの日
        05-06 振替休日
        07-15 海の日
        08-11 山の日
        08-12 振替休日
        09-16 敬老の日
        09-23 秋分の日
        10-14 体育の日
        10-22 即位礼正殿の儀
        11-03 文化の日
        11-04 振替休日
        11-23 勤労感謝の日
        """)
        // Ten days off in a row, 04-27 … 05-06, for a Saturday/Sunday-closed office.
        let cal = OperatingCalendar()
        let days = (0..<10).map { date("2019-04-27").adding(days: $0) }
        #expect(days.allSatisfy { !cal.isOperating($0) })
        #expect(cal.isOperating(date("2019-05-07")))
        #expect(JapaneseHolidays.holiday(on: date("2018-12-23"))?.nameJa == "天皇誕生日")
        #expect(JapaneseHolidays.holiday(on: date("2019-12-23")) == nil)
        #expect(JapaneseHolidays.holiday(on: date("2019-02-23")) == nil)
    }

    @Test func year2020Olympics() {
        expectYear(2020, """
        01-01 元日
        01-13 成人の日
        02-11 建国記念の日
        02-23 天皇誕生日
        02-24 振替休日
        03-20 春分の日
        04-29 昭和の日
        05-03 憲法記念日
        05-04 みどりの日
        05-05 こどもの日
        05-06 振替休日
        07-23 海の日
        07-24 スポーツの日
        08-10 山の日
        09-21 敬老の日
        09-22 秋分の日
        11-03 文化の日
        11-23 勤労感謝の日
        """)
    }

    @Test func year2021Olympics() {
        expectYear(2021, """
        01-01 元日
        01-11 成人の日
        02-11 建国記念の日
        02-23 天皇誕生日
        03-20 春分の日
        04-29 昭和の日
        05-03 憲法記念日
        05-04 みどりの日
        05-05 こどもの日
        07-22 海の日
        07-23 スポーツの日
        08-08 山の日
        08-09 振替休日
        09-20 敬老の日
        09-23 秋分の日
        11-03 文化の日
        11-23 勤労感謝の日
        """)
    }

    @Test func year2026() {
        expectYear(2026, """
        01-01 元日
        01-12 成人の日
        02-11 建国記念の日
        02-23 天皇誕生日
        03-20 春分の日
        04-29 昭和の日
        05-03 憲法記念日
        05-04 みどりの日
        05-05 こどもの日
        05-06 振替休日
        07-20 海の日
        08-11 山の日
        09-21 敬老の日
        09-22 国民の休日
        09-23 秋分の日
        10-12 スポーツの日
        11-03 文化の日
        11-23 勤労感謝の日
        """)
        let h = JapaneseHolidays.holiday(on: date("2026-09-22"))
        #expect(h?.nameEn == "Citizens' Holiday")
        #expect(h?.isCitizensHoliday == true)
        #expect(JapaneseHolidays.holiday(on: date("2026-05-06"))?.nameEn == "Substitute Holiday")
        #expect(JapaneseHolidays.holiday(on: date("2026-05-06"))?.isSubstitute == true)
    }

    @Test func outsideSupportedYears() {
        #expect(JapaneseHolidays.holidays(in: 1900).isEmpty)
        #expect(JapaneseHolidays.holidays(in: 2100).isEmpty)
        #expect(JapaneseHolidays.holiday(on: date("2100-01-01")) == nil)
        #expect(JapaneseHolidays.vernalEquinoxDay(2100) == nil)
    }

    @Test func equinoxFormulaKnownValues() {
        // Spot values of the published formula / the Cabinet Office announcements.
        #expect(JapaneseHolidays.vernalEquinoxDay(1960) == 20)
        #expect(JapaneseHolidays.vernalEquinoxDay(1979) == 21)
        #expect(JapaneseHolidays.vernalEquinoxDay(2023) == 21)
        #expect(JapaneseHolidays.vernalEquinoxDay(2024) == 20)
        #expect(JapaneseHolidays.vernalEquinoxDay(2092) == 19)
        #expect(JapaneseHolidays.autumnalEquinoxDay(1979) == 24)
        #expect(JapaneseHolidays.autumnalEquinoxDay(2011) == 23)
        #expect(JapaneseHolidays.autumnalEquinoxDay(2012) == 22)
        #expect(JapaneseHolidays.autumnalEquinoxDay(2025) == 23)
        #expect(JapaneseHolidays.autumnalEquinoxDay(2044) == 22)
    }

    @Test func codableRoundTrip() throws {
        let h = JapaneseHolidays.holiday(on: date("2026-11-23"))!
        let data = try JSONEncoder().encode(h)
        let back = try JSONDecoder().decode(Holiday.self, from: data)
        #expect(back == h)
        #expect(String(decoding: data, as: UTF8.self).contains("\"2026-11-23\""))
    }
}

@Suite struct EveryYear {
    static let years = Array(JapaneseHolidays.supportedYears)

    @Test func matchesGoldenList() {
        for year in 1949...2099 {
            let want = goldenHolidayDays[year]!.split(separator: " ").map { "\(year)-\($0.prefix(2))-\($0.suffix(2))" }
            let got = JapaneseHolidays.holidays(in: year).map(\.date.description)
            #expect(got == want, "year \(year)")
        }
    }

    @Test(arguments: years)
    func invariants(year: Int) {
        let list = JapaneseHolidays.holidays(in: year)
        let byDay = Dictionary(uniqueKeysWithValues: list.map { ($0.date, $0) })
        #expect(byDay.count == list.count, "one holiday per day")
        #expect(list.map(\.date) == list.map(\.date).sorted(), "sorted")
        func isNational(_ d: LocalDate) -> Bool { byDay[d].map { nationalNames.contains($0.nameJa) } ?? false }

        for h in list {
            #expect(h.date.year == year)
            #expect(h.date >= JapaneseHolidays.actInForce)
            #expect(JapaneseHolidays.holiday(on: h.date) == h)
            #expect(!h.nameEn.isEmpty)
            if h.isSubstitute {
                // The nearest earlier day that is not a 祝日 must be h.date itself: walk back over 祝日 to a Sunday.
                var d = h.date.adding(days: -1)
                var steps = 0
                while isNational(d), d.weekday != 0 { d = d.adding(days: -1); steps += 1 }
                #expect(isNational(d) && d.weekday == 0, "\(h.date): a 振替休日 follows a Sunday 祝日")
                #expect(d >= JapaneseHolidays.substituteRuleStart)
                if h.date.year < 2007 {
                    #expect(steps == 0 && h.date.weekday == 1, "\(h.date): before 2007 only the Monday")
                }
            } else if h.isCitizensHoliday {
                #expect(h.date >= JapaneseHolidays.citizensHolidayStart)
                #expect(h.date.weekday != 0)
                #expect(isNational(h.date.adding(days: -1)) && isNational(h.date.adding(days: 1)))
            } else {
                #expect(nationalNames.contains(h.nameJa), "\(h.date) \(h.nameJa)")
            }
        }

        // Completeness: every Sunday 祝日 (after 1973-04-12) has its substitute, every sandwiched day is off.
        for h in list where isNational(h.date) && h.date.weekday == 0 && h.date >= JapaneseHolidays.substituteRuleStart {
            var d = h.date.adding(days: 1)
            while isNational(d) { d = d.adding(days: 1) }
            #expect(byDay[d]?.isSubstitute == true, "\(h.date) on Sunday has a 振替休日")
        }
        if let first = LocalDate(year: year, month: 1, day: 2) {
            for n in 0..<364 {
                let d = first.adding(days: n)
                guard d.year == year, d >= JapaneseHolidays.citizensHolidayStart, d.weekday != 0,
                      byDay[d] == nil else { continue }
                #expect(!(isNational(d.adding(days: -1)) && isNational(d.adding(days: 1))), "\(d) sandwiched but not off")
            }
        }

        // Equinoxes.
        if year >= 1949 {
            let spring = list.filter { $0.nameJa == "春分の日" }
            #expect(spring.count == 1)
            if let s = spring.first { #expect(s.date.month == 3 && (19...22).contains(s.date.day)) }
        }
        let autumn = list.filter { $0.nameJa == "秋分の日" }
        #expect(autumn.count == 1)
        if let a = autumn.first { #expect(a.date.month == 9 && (21...24).contains(a.date.day)) }

        // Happy-Monday days are Mondays in the right week.
        func check(_ name: String, month: Int, days: ClosedRange<Int>, from: Int, except: Set<Int> = []) {
            guard year >= from, !except.contains(year) else { return }
            let hs = list.filter { $0.nameJa == name }
            #expect(hs.count == 1, "\(year) \(name)")
            if let h = hs.first {
                #expect(h.date.weekday == 1 && h.date.month == month && days.contains(h.date.day), "\(h.date) \(name)")
            }
        }
        check("成人の日", month: 1, days: 8...14, from: 2000)
        check("海の日", month: 7, days: 15...21, from: 2003, except: [2020, 2021])
        check("敬老の日", month: 9, days: 15...21, from: 2003)
        check("体育の日", month: 10, days: 8...14, from: 2000, except: Set(2020...2099))
        check("スポーツの日", month: 10, days: 8...14, from: 2022)

        // Counts of 国民の祝日 per year, from the amendment history alone.
        var expected = 0
        if year == 1948 { expected = 3 } else {
            expected = 9
            if year >= 1966 { expected += 2 }           // 敬老の日, 体育の日
            if year >= 1967 { expected += 1 }           // 建国記念の日
            if year >= 1989 { expected += 1 }           // 4/29 stays (みどりの日, 昭和の日); 天皇誕生日 moves
            if year >= 1996 { expected += 1 }           // 海の日
            if year >= 2007 { expected += 1 }           // 5/4 みどりの日
            if year >= 2016 { expected += 1 }           // 山の日
            if year == 2019 { expected -= 1 }           // no 天皇誕生日
            if [1959, 1989, 1990, 1993].contains(year) { expected += 1 }
            if year == 2019 { expected += 2 }
        }
        #expect(list.filter { nationalNames.contains($0.nameJa) }.count == expected, "祝日 in \(year)")
    }

    @Test func holidayLookupAgreesWithYearLists() {
        var count = 0
        var d = date("1948-01-01")
        let end = date("2100-01-01")
        while d < end {
            if let h = JapaneseHolidays.holiday(on: d) {
                count += 1
                #expect(JapaneseHolidays.holidays(in: d.year).contains(h))
            }
            d = d.adding(days: 1)
        }
        #expect(count == JapaneseHolidays.supportedYears.reduce(0) { $0 + JapaneseHolidays.holidays(in: $1).count })
    }
}
