import ArgumentParser
import Foundation
import JobNets
import Executors
import Slurm
import Store

struct ExecutorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executors", abstract: "List the executors of nightjar.yaml, or check one.",
        subcommands: [List.self, Check.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the executors (local, and those of nightjar.yaml).")
        @OptionGroup var site: SiteOptions

        func run() throws {
            let config = try site.siteConfig()
            Output.table(["NAME", "TYPE", "PARTITION", "ACCOUNT", "QOS", "EXTRA"], config.executors.values.sorted { $0.name < $1.name }.map {
                [$0.name, $0.kind.rawValue, $0.partition ?? "-", $0.account ?? "-", $0.qos ?? "-", $0.extra.joined(separator: " ")]
            })
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a Slurm executor from this host: client commands, controller, options, completion records, and one test job.",
            discussion: "The test job writes a file in the site root from its node and must be visible here (the site root is shared). Exit 1 if anything fails.")
        @OptionGroup var site: SiteOptions
        @Argument(help: "The executor (default: every slurm executor).") var name: String?
        @Flag(help: "Skip the test job.") var noJob = false

        func run() throws {
            let config = try site.siteConfig()
            let slurm = config.executors.values.filter { $0.kind == .slurm }.sorted { $0.name < $1.name }
            let chosen = try name.map { n -> [ExecutorConfig] in
                guard let e = config.executors[n] else {
                    throw Failure.badInput("error: no executor '\(n)' in nightjar.yaml; executors: \(config.executors.keys.sorted().joined(separator: ", "))")
                }
                guard e.kind == .slurm else { throw Failure.badInput("error: '\(n)' is a local executor: there is nothing to check") }
                return [e]
            } ?? slurm
            if chosen.isEmpty { print("no slurm executor in nightjar.yaml"); return }
            var failed = false
            for e in chosen {
                print("\(e.name):")
                for f in SlurmClient().check(partition: e.partition, account: e.account, qos: e.qos, extra: e.extra, jobcomp: e.jobcomp,
                                             probeDirectory: noJob ? nil : site.site.root.path) {
                    print("  \(f.ok ? "ok  " : "FAIL") \(f.text)")
                    if !f.ok { failed = true }
                }
            }
            // A check submits a job to the cluster: it is an operator action like any other.
            let store = try site.openStore()
            try store.db.write { db in
                try Store.audit(db, user: ProcessIdentity.user, action: "executors-check", net: nil, runID: nil, job: nil, reason: nil,
                                result: "\(chosen.map(\.name).joined(separator: ", ")): \(failed ? "failed" : "ok")")
            }
            if failed { throw Failure.failed("executor check failed") }
        }
    }
}
