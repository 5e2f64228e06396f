import ArgumentParser
import Foundation
import Scheduler

/// For bench/three-years and retention tests: years of nights copied from a real night's state.
struct GenerateHistory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-history",
        abstract: "Fill the state directory with N past nights copied from another state directory's ended runs (for benchmarks).",
        shouldDisplay: false)

    @OptionGroup var site: SiteOptions
    @Option(help: "The state directory whose ended runs are copied (e.g. one the sample night ran in).") var template: String
    @Option(help: "How many nights.") var nights: Int = 1000
    @Option(help: "An operator's hold and release every N nights, in the audit trail.") var auditEvery: Int = 7

    func run() throws {
        guard nights > 0, auditEvery > 0 else { throw Failure.badInput("error: --nights and --audit-every must be at least 1") }
        guard FileManager.default.fileExists(atPath: template + "/nightjar.db") else {
            throw Failure.badInput("error: \(template) holds no nightjar.db")
        }
        let store = try site.openStore()
        let config = try site.siteConfig()
        let logRoot = config.logDirectory.map { $0.hasPrefix("/") ? $0 : site.site.root.appendingPathComponent($0).path }
            ?? store.defaultLogDirectory.path
        let runs: Int
        do {
            runs = try HistoryGenerator(store: store, logRoot: logRoot).generate(templateState: template, nights: nights, auditEvery: auditEvery)
        } catch { throw Failure.failed("generate-history failed: \(error)") }
        print("\(runs) runs over \(nights) nights written to \(store.directory.path)")
    }
}
