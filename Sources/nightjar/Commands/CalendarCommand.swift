import ArgumentParser
import Calendars
import Foundation
import JobNets

/// `nightjar calendar …`: Japanese holidays and the site's operating calendars.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Show Japanese public holidays and the operating calendars in Jobs/calendars/.",
        subcommands: [Holidays.self, Show.self, List.self])

    struct Holidays: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the Japanese public holidays of a year (1948–2099), with Japanese and English names.",
            discussion: "Holidays follow the Act on National Holidays: 国民の祝日, 振替休日 and 国民の休日.")

        @Argument(help: "The year, e.g. 2026.") var year: Int
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            var date: String
            var weekday: String
            var nameJa: String
            var nameEn: String
            var kind: String
            enum CodingKeys: String, CodingKey { case date, weekday, kind, nameJa = "name_ja", nameEn = "name_en" }
        }

        func run() throws {
            guard JapaneseHolidays.supportedYears.contains(year) else {
                throw Failure.badInput("calendar holidays \(year): holidays are known for \(JapaneseHolidays.supportedYears.lowerBound) through \(JapaneseHolidays.supportedYears.upperBound) (the Act on National Holidays took effect on 1948-07-20)")
            }
            let rows = JapaneseHolidays.holidays(in: year).map { h in
                Row(date: h.date.description, weekday: LocalDate.weekdayNamesEn[h.date.weekday], nameJa: h.nameJa, nameEn: h.nameEn,
                    kind: h.isSubstitute ? "substitute" : h.isCitizensHoliday ? "citizens" : "national")
            }
            if json { Output.json(rows); return }
            Output.table(["DATE", "DAY", "名称", "NAME"], rows.map { [$0.date, $0.weekday, $0.nameJa, $0.nameEn] })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print month grids of an operating calendar with its closed days marked.",
            discussion: """
                Closed days are marked '*', days opened by the calendar's 'open:' list '+'. A legend lists
                every closed day that is not a closed weekday, and every listed open day, with its reason.
                Without --calendar: the standard city-office calendar (Saturdays, Sundays, national holidays
                and 12/29–1/3 closed), which nets without 'calendar:' run by.
                """)

        @OptionGroup var site: SiteOptions
        @Option(help: "A calendar in Jobs/calendars/ (default: the standard city-office calendar).") var calendar: String?
        @Argument(help: "A year (2026) or a month (2026-08).") var period: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let (from, to) = Self.parsePeriod(period) else {
                throw Failure.badInput("calendar show \(period): write a year (2026) or a month (2026-08)")
            }
            let cal: OperatingCalendar
            do { cal = try site.site.calendar(named: calendar) } catch { throw operatorError(error) }
            let description = calendar.flatMap { site.site.loadCalendars().files[$0]?.description }
            if json {
                Output.json(MonthGrid.view(of: cal, description: description, from: from, to: to))
            } else {
                print(MonthGrid.text(of: cal, description: description, from: from, to: to), terminator: "")
            }
        }

        /// "2026" → the whole year; "2026-08" → that month.
        static func parsePeriod(_ text: String) -> (LocalDate, LocalDate)? {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard let y = Int(parts[0]), parts[0].count == 4 else { return nil }
            if parts.count == 1 { return (LocalDate(year: y, month: 1, day: 1)!, LocalDate(year: y, month: 12, day: 31)!) }
            guard parts.count == 2, parts[1].count == 2, let m = Int(parts[1]),
                  let first = LocalDate(year: y, month: m, day: 1) else { return nil }
            return (first, LocalDate(year: y, month: m, day: LocalDate.daysIn(year: y, month: m))!)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the calendars in Jobs/calendars/.")

        @OptionGroup var site: SiteOptions
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            var name: String
            var extends: String?
            var description: String?
            var valid: Bool
        }

        func run() throws {
            let set = site.site.loadCalendars()
            let rows = set.names.map { n in
                Row(name: n, extends: set.files[n]?.extends, description: set.files[n]?.description, valid: set.calendars[n] != nil)
            }
            if json { Output.json(rows); return }
            Output.table(["CALENDAR", "EXTENDS", "VALID", "DESCRIPTION"],
                         rows.map { [$0.name, $0.extends ?? "-", $0.valid ? "yes" : "no (see nightjar validate)", $0.description ?? ""] })
        }
    }
}
