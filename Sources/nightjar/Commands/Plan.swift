import ArgumentParser
import Calendars
import Foundation
import JobNets
import Operations
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
        let config = try site.siteConfig()
        let rows: [(view: StartView, start: Schedule.Start, zone: TimeZone)]
        do { rows = try SiteSchedules(site: site.site, config: config).plan(from: from, to: to, nets: net) } catch { throw operatorError(error) }
        if json { Output.json(rows.map(\.view)); return }
        if rows.isEmpty {
            // Both parsed: plan() checked them.
            print("no scheduled start for business dates \(LocalDate(from).map(\.description) ?? from) to \(LocalDate(to ?? from).map(\.description) ?? to ?? from)")
            return
        }
        Output.table(["STARTS AT", "NET", "BUSINESS DATE", "SLOT"],
                     rows.map { [StartView.local($0.start, zone: $0.zone), $0.view.net, $0.view.businessDate, $0.view.slot] })
    }
}
