import ArgumentParser
import Calendars
import Foundation
import JobNets
import Operations

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

        func run() throws {
            let rows: [HolidayView]
            do { rows = try SiteSchedules.holidays(year: year) } catch { throw operatorError(error) }
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
            let shown: (calendar: OperatingCalendar, description: String?, from: LocalDate, to: LocalDate)
            do {
                shown = try SiteSchedules(site: site.site, config: SiteConfig()).calendar(calendar, period: period)
            } catch { throw operatorError(error) }
            if json {
                Output.json(MonthGrid.view(of: shown.calendar, description: shown.description, from: shown.from, to: shown.to))
            } else {
                print(MonthGrid.text(of: shown.calendar, description: shown.description, from: shown.from, to: shown.to), terminator: "")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the calendars in Jobs/calendars/.")

        @OptionGroup var site: SiteOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let rows = SiteSchedules(site: site.site, config: SiteConfig()).calendars()
            if json { Output.json(rows); return }
            Output.table(["CALENDAR", "EXTENDS", "VALID", "DESCRIPTION"],
                         rows.map { [$0.name, $0.extends ?? "-", $0.valid ? "yes" : "no (see nightjar validate)", $0.description ?? ""] })
        }
    }
}
