import ArgumentParser
import Calendars
import Foundation
import JobNets

struct Next: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a net's coming scheduled starts with their business dates.")

    @OptionGroup var site: SiteOptions
    @Argument(help: "The net.") var net: String
    @Option(name: .short, help: "How many starts.") var n = 10
    @Flag(help: "Print JSON.") var json = false

    struct Start: Encodable { var businessDate: String; var at: String
        enum CodingKeys: String, CodingKey { case businessDate = "business_date", at } }

    func run() throws {
        let config = try site.siteConfig()
        let jobNet: JobNet
        do { jobNet = try site.site.loadNet(net) } catch { throw operatorError(error) }
        guard !jobNet.schedule.isEmpty else {
            if json { print("[]") } else { print("\(net) has no schedule; it runs only when started by hand or after another net") }
            return
        }
        let clock = ZonedClock(zoneIdentifier: jobNet.timezone ?? config.timezone) ?? ZonedClock(zone: .current)
        let now = Date()
        var date = clock.date(of: now)
        var starts: [(LocalDate, Date)] = []
        while starts.count < n {
            for e in jobNet.schedule.sorted(by: { $0.at < $1.at }) {
                let t = clock.instant(on: date, at: e.at)
                if t > now && starts.count < n { starts.append((date, t)) }
            }
            date = date.adding(days: 1)
        }
        let f = ISO8601DateFormatter()
        f.timeZone = clock.zone
        f.formatOptions = [.withInternetDateTime]
        if json { Output.json(starts.map { Start(businessDate: $0.0.description, at: f.string(from: $0.1)) }); return }
        Output.table(["BUSINESS DATE", "STARTS AT"], starts.map { [$0.0.description, f.string(from: $0.1)] })
    }
}
