import Foundation
import Testing
@testable import Calendars

private func cron(_ text: String) -> CronExpression {
    do { return try CronExpression(text) } catch { fatalError("\(text): \(error)") }
}

private func parseError(_ text: String) -> String? {
    do {
        _ = try CronExpression(text)
        return nil
    } catch let e as CronError {
        return e.message
    } catch {
        return "unexpected \(error)"
    }
}

@Suite struct CronExpressionTests {
    @Test func fields() {
        let c = cron("*/15 9-17 1,15 JAN-MAR mon-fri")
        #expect(c.minutes == [0, 15, 30, 45])
        #expect(c.hours == Set(9...17))
        #expect(c.daysOfMonth == [1, 15])
        #expect(c.months == [1, 2, 3])
        #expect(c.daysOfWeek == [1, 2, 3, 4, 5])
        #expect(cron("1-10/2 * * * *").minutes == [1, 3, 5, 7, 9])
        #expect(cron("5/20 * * * *").minutes == [5, 25, 45])
        #expect(cron("0 0 * * */2").daysOfWeek == [0, 2, 4, 6])
        #expect(cron("0 0 * * 5-7").daysOfWeek == [5, 6, 0])
        #expect(cron("0 0 * * 7").daysOfWeek == [0])
        #expect(cron("0 0 * * 0,7").daysOfWeek == [0])
        #expect(cron("0 0 * * SUN").daysOfWeek == [0])
        #expect(cron("0 0 * dec *").months == [12])
        #expect(cron("  0\t0  *  * *  ").text == "0\t0  *  * *")
    }

    @Test func shorthands() {
        #expect(cron("@daily").timesOfDay == [TimeOfDay(hour: 0, minute: 0)])
        #expect(cron("@hourly").timesOfDay.count == 24)
        #expect(cron("@weekly").matchesDay(date("2026-06-07")))
        #expect(!cron("@weekly").matchesDay(date("2026-06-08")))
        #expect(cron("@monthly").matchesDay(date("2026-06-01")))
        #expect(cron("@yearly").matchesDay(date("2027-01-01")))
        #expect(!cron("@yearly").matchesDay(date("2027-02-01")))
        #expect(parseError("@sometimes")?.contains("shorthand") == true)
    }

    @Test func errorsNameTheField() {
        #expect(parseError("60 * * * *")?.contains("minute field") == true)
        #expect(parseError("0 24 * * *")?.contains("hour field") == true)
        #expect(parseError("0 0 32 * *")?.contains("day-of-month field '32'") == true)
        #expect(parseError("0 0 0 * *")?.contains("day-of-month") == true)
        #expect(parseError("0 0 * 13 *")?.contains("month field") == true)
        #expect(parseError("0 0 * FOO *")?.contains("month field 'FOO'") == true)
        #expect(parseError("0 0 * * 8")?.contains("day-of-week field") == true)
        #expect(parseError("0 0 * * MONDAY")?.contains("day-of-week") == true)
        #expect(parseError("*/0 * * * *")?.contains("step") == true)
        #expect(parseError("10-5 * * * *")?.contains("backwards") == true)
        #expect(parseError("1,,2 * * * *")?.contains("minute") == true)
        #expect(parseError("0 0 * *")?.contains("5 fields") == true)
        #expect(parseError("0 0 * * * *")?.contains("found 6") == true)
        #expect(parseError("") != nil)
        #expect(parseError("0 0 * JAN-3 *") == nil)   // names and numbers mix in a range
    }

    @Test func vixieDayOfMonthOrDayOfWeek() {
        // Both restricted: either matches.
        let c = cron("0 0 13 * FRI")
        #expect(c.matchesDay(date("2026-02-13")))    // Friday the 13th
        #expect(c.matchesDay(date("2026-06-13")))    // Saturday the 13th
        #expect(c.matchesDay(date("2026-06-05")))    // a Friday
        #expect(!c.matchesDay(date("2026-06-06")))
        // One field starting with '*' (even with a step): both must match.
        let and = cron("0 0 */2 * MON")
        #expect(and.matchesDay(date("2026-06-01")))   // Monday, odd day
        #expect(!and.matchesDay(date("2026-06-08")))  // Monday, even day
        #expect(!and.matchesDay(date("2026-06-03")))  // odd day, Wednesday
        let domOnly = cron("0 0 13 * *")
        #expect(!domOnly.matchesDay(date("2026-06-05")))
        #expect(domOnly.matchesDay(date("2026-06-13")))
        let dowOnly = cron("0 0 * * FRI")
        #expect(dowOnly.matchesDay(date("2026-06-05")))
        #expect(!dowOnly.matchesDay(date("2026-06-13")))
        // The month always restricts.
        #expect(!cron("0 0 13 JAN FRI").matchesDay(date("2026-06-05")))
    }

    @Test func matchesAndTimes() {
        let c = cron("*/30 9-10 * * 1-5")
        #expect(c.times(on: date("2026-06-08")).map(\.description) == ["09:00", "09:30", "10:00", "10:30"])
        #expect(c.times(on: date("2026-06-07")).isEmpty)
        #expect(c.matches(date: date("2026-06-08"), minuteOfDay: 9 * 60 + 30))
        #expect(!c.matches(date: date("2026-06-08"), minuteOfDay: 9 * 60 + 15))
        #expect(!c.matches(date: date("2026-06-08"), minuteOfDay: 11 * 60))
        #expect(!c.matches(date: date("2026-06-08"), minuteOfDay: 1440 + 9 * 60))
        #expect(cron("0,30 22 * * *").times(on: date("2026-06-08")).map(\.description) == ["22:00", "22:30"])
        #expect(cron("* * * * *").times(on: date("2026-06-08")).count == 1440)
    }

    @Test func leapDay() {
        let c = cron("0 0 29 2 *")
        #expect(c.canFire)
        #expect(c.matchesDay(date("2028-02-29")))
        #expect(!c.matchesDay(date("2027-03-01")))
    }

    @Test func neverFires() {
        #expect(cron("0 0 30 2 *").neverFiresReason?.contains("FEB") == true)
        #expect(cron("0 0 31 4 *").neverFiresReason != nil)
        #expect(cron("0 0 31 4,6,9,11 *").neverFiresReason != nil)
        #expect(cron("0 0 30,31 2 */2").neverFiresReason != nil)   // '*/2' is a star field: AND semantics
        #expect(cron("0 0 31 4,5 *").canFire)
        #expect(cron("0 0 31 * *").canFire)
        #expect(cron("0 0 30 2 MON").canFire)                       // OR: every Monday of February
        #expect(cron("0 0 * 2 *").canFire)
    }

    @Test func codableAsText() throws {
        let c = cron("30 22 * * MON-FRI")
        let data = try JSONEncoder().encode(c)
        #expect(String(decoding: data, as: UTF8.self) == "\"30 22 * * MON-FRI\"")
        #expect(try JSONDecoder().decode(CronExpression.self, from: data) == c)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CronExpression.self, from: Data("\"0 0 99 * *\"".utf8))
        }
    }
}
