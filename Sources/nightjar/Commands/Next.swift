import ArgumentParser
import Calendars
import Foundation
import JobNets
import Operations

struct Next: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a net's coming scheduled starts with their business dates.",
        discussion: """
            Starts follow the net's schedule under its calendar (shifted when the nominal day is closed),
            in its time zone. With 'business_day_starts', a start after midnight can belong to the day before.
            """)

    @OptionGroup var site: SiteOptions
    @Argument(help: "The net.") var net: String
    @Option(name: .short, help: "How many starts.") var n = 10
    @Option(help: "List starts after this moment, YYYY-MM-DD or YYYY-MM-DDTHH:MM in the net's time zone (default: now).")
    var after: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard n >= 1 && n <= 10_000 else { throw ValidationError("-n must be from 1 to 10000") }
    }

    func run() throws {
        try site.checkNet(net)
        let config = try site.siteConfig()
        let found: SiteSchedules.Next
        do { found = try SiteSchedules(site: site.site, config: config).next(net: net, count: n, after: after) } catch { throw operatorError(error) }
        let jobNet = found.net
        guard let schedule = found.schedule else {
            if json { print("[]") } else { print("\(net) has no schedule; it runs only when started by hand or after another net") }
            return
        }
        let starts = found.starts
        let zone = schedule.clock.zone
        if json { Output.json(found.views); return }
        print("\(jobNet.name): calendar \(schedule.calendar.name), \(zone.identifier), business day starts \(schedule.dayStarts), missed: \(jobNet.missedPolicy.rawValue)")
        if starts.isEmpty {
            print("no start in the coming \(3000) days")
            return
        }
        Output.table(["STARTS AT", "BUSINESS DATE", "SLOT"],
                     starts.map { [StartView.local($0, zone: zone), $0.businessDate.description, $0.slot] })
    }
}
