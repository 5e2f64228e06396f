import ArgumentParser
import Calendars
import Foundation
import Operations
import JobNets
import Scheduler
import Store

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a job net now, in the foreground, and wait for it to end.",
        discussion: """
            Exits 0 when the run ends normally or with a warning, 1 when it ends abnormally.
            Jobs run under their own supervisors: if this command is interrupted, the jobs carry on and a
            daemon (`nightjar daemon`) takes the run over and records how they end.
            """)

    @OptionGroup var site: SiteOptions
    @Argument(help: "The net to run (Jobs/NET.yaml).") var net: String
    @Option(help: "Business date YYYY-MM-DD (default: the current business date in the net's time zone).") var date: String?
    @Option(help: "Start from this job: only it and the jobs that need it run; the others count as skipped.") var from: String?
    @Flag(help: "Create the run and leave it for the daemon instead of executing it here.") var queue = false
    @Flag(help: "Print the final state as JSON.") var json = false
    @Flag(name: .shortAndLong, help: "Print nothing but the final line.") var quiet = false

    func run() throws {
        let zone = site.zone
        try site.checkNet(net)
        let config = try site.siteConfig()
        let jobNet: JobNet
        do { jobNet = try site.site.loadNet(net) } catch { throw operatorError(error) }
        let clock = ZonedClock(zoneIdentifier: jobNet.timezone ?? config.timezone) ?? ZonedClock(zone: .current)
        // Before the net's business day starts (business_day_starts), it is still yesterday's business date.
        var businessDate = clock.businessDate(of: Date(), dayStarts: jobNet.dayStarts)
        if let date {
            guard let d = LocalDate(date) else { throw Failure.badInput("--date \(date): not a date; write YYYY-MM-DD") }
            businessDate = d
        }
        if let from, jobNet.job(named: from) == nil {
            throw Failure.badInput("--from \(from): \(net) has no such job; its jobs are \(jobNet.jobs.map(\.name).joined(separator: ", "))")
        }
        let store = try site.openStore()
        let engine = Engine(store: store, site: site.site, config: config)
        if !quiet && !json { engine.onProgress = { print("\(Output.time(Date().timeIntervalSince1970, zone))  \($0)") } }
        let id = try engine.startRun(net: jobNet, date: businessDate, trigger: "manual", from: from, user: ProcessIdentity.user)
        if queue {
            try engine.releaseAll()
            if json { Output.json(RunView(try store.run(id)!, zone: zone)) } else { print("run \(id): \(net) for \(businessDate), left for the daemon") }
            return
        }
        if !quiet && !json { print("run \(id): \(net) for \(businessDate) (times \(Output.zoneName(zone)))") }
        let state = try engine.runToEnd(id)
        let record = try store.run(id)
        if json {
            if let record { Output.json(RunView(record, jobs: try store.jobs(ofRun: id), zone: zone)) }
        } else {
            print("run \(id) ended \(state.rawValue): \(record?.message ?? "")")
        }
        if state == .abnormal { throw ExitCode(1) }
    }
}

import Executors
