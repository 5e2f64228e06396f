import ArgumentParser
import Calendars
import Foundation
import JobNets
import OperatorFiles

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every scheduled start of every net for the business dates of a period.",
        discussion: "Starts are listed in time order. Exits 2 when a net or calendar has problems (see `nightjar validate`).")

    @OptionGroup var site: SiteOptions
    @Option(help: "First business date, YYYY-MM-DD.") var from: String
    @Option(help: "Last business date, YYYY-MM-DD (default: --from).") var to: String?
    @Option(help: "Only these nets (repeatable).") var net: [String] = []
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        guard let first = LocalDate(from) else { throw Failure.badInput("--from \(from): not a date; write YYYY-MM-DD") }
        let toText = to ?? from
        guard let last = LocalDate(toText) else { throw Failure.badInput("--to \(toText): not a date; write YYYY-MM-DD") }
        guard first <= last else { throw Failure.badInput("--to \(last) is before --from \(first)") }
        guard last.dayNumber - first.dayNumber < 3 * 366 else { throw Failure.badInput("a plan may span at most three years") }
        let config = try site.siteConfig()
        let v = site.site.validation(paths: [])
        if !v.problems.isEmpty { throw Failure.badInput(ValidationFailure(v.problems).description) }
        let known = Set(v.nets.map(\.name))
        if let unknown = net.first(where: { !known.contains($0) }) {
            throw Failure.badInput("--net \(unknown): no such job net; known nets: \(known.sorted().joined(separator: ", "))")
        }
        var rows: [(StartView, Schedule.Start, TimeZone)] = []
        for n in v.nets where net.isEmpty || net.contains(n.name) {
            let schedule = try site.schedule(of: n, config: config, calendars: v.calendars)
            for s in schedule.starts(businessDates: first, through: last) {
                rows.append((StartView(net: n.name, start: s, zone: schedule.clock.zone), s, schedule.clock.zone))
            }
        }
        rows.sort { ($0.1.instant, $0.0.net, $0.0.slot) < ($1.1.instant, $1.0.net, $1.0.slot) }
        if json { Output.json(rows.map(\.0)); return }
        if rows.isEmpty {
            print("no scheduled start for business dates \(first) to \(last)")
            return
        }
        Output.table(["STARTS AT", "NET", "BUSINESS DATE", "SLOT"],
                     rows.map { [StartView.local($0.1, zone: $0.2), $0.0.net, $0.0.businessDate, $0.0.slot] })
    }
}
