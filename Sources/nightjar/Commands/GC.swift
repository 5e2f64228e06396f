import ArgumentParser
import Foundation
import OperatorFiles
import Operations

struct GC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Apply the retention settings: compress and delete old job logs, prune old run history and audit rows.",
        discussion: """
            Reads `retention:` in nightjar.yaml (job_logs_compress_after_days, job_logs_delete_after_days,
            history_days, audit_years — default 5 — and gc_at for the daemon's daily gc). Runs that have not
            ended, and runs named by an audit row inside the audit period, are never pruned; audit rows are
            removed only once older than audit_years, and every gc's audit row says what went.
            Safe while the daemon runs. Exit 1 if the state directory cannot be written.
            """)

    @OptionGroup var site: SiteOptions
    @Flag(help: "Show what would be removed; change nothing (the dry run is audited too).") var dryRun = false
    @Option(help: "Kept in the audit trail.") var reason: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let ops = try site.operations()
        let report: GCReport
        do {
            report = try ops.gc(actor: .cli, now: Date().timeIntervalSince1970, dryRun: dryRun, reason: reason)
        } catch {
            // The retention settings were valid (site.operations read them): what fails here is the machine.
            throw Failure.failed("gc failed: \(error)")
        }
        if json {
            // snake_case like every other verb's JSON (history_before, kept_for_audit, bytes_deleted).
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            enc.keyEncodingStrategy = .convertToSnakeCase
            if let data = try? enc.encode(report) { print(String(decoding: data, as: UTF8.self)) }
            return
        }
        report.lines.forEach { print($0.escapingControls) }
    }
}
