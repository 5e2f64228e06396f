import ArgumentParser
import Executors
import Foundation
import Operations
import Printing
import Spool
import Store

/// Spool errors as operator messages: the operator's mistakes exit 2, failures of files or printers 1.
func spoolFailure(_ error: Error) -> Error {
    guard let e = error as? SpoolError else { return operatorError(error) }
    return e.isBadInput ? Failure.badInput(e.description) : Failure.failed(e.description)
}

struct SpoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spool",
        abstract: "Rendered batches: list, show, hand to a vendor (publish), acknowledge, purge; the custody ledger.",
        discussion: """
            A batch goes rendered → published → collected (vendor hand-off) or rendered → printing → printed
            (`nightjar print`), and any of them → purged; each change is recorded with who and when.
            Vendors and retention are declared in nightjar.yaml under spool:.
            """,
        subcommands: [List.self, Show.self, Publish.self, Ack.self, Purge.self, Ledger.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the batches (id, form, state, pages, …).")
        @OptionGroup var site: SiteOptions
        @Option(help: "Only batches in this state.") var only: String?
        @Flag(help: "Print a JSON array.") var json = false

        func run() throws {
            let zone = site.zone
            if let only, BatchState(rawValue: only) == nil {
                throw Failure.badInput("--only \(only): states are \(BatchState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let ops = try site.operationsWithoutConfig()
            if json { Output.json(try ops.batches(only: only)); return }
            let rows = try Spool(store: ops.store).batches().filter { only == nil || $0.state.rawValue == only }
            Output.table(["ID", "FORM", "STATE", "NOTICES", "PAGES", "VOLUMES", "REJECTED", Output.header("RENDERED", zone), "VENDOR"], rows.map {
                ["\($0.id)", $0.form, $0.state.rawValue, "\($0.notices)", "\($0.pages)", "\($0.volumes)", "\($0.rejected)",
                 Output.time($0.createdAt, zone), $0.vendor ?? ""]
            })
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a batch: counts, files, every state change, and its prints' IPP jobs.")
        @OptionGroup var site: SiteOptions
        @Argument(help: "The batch: its id, or the directory it was rendered into.") var batch: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let zone = site.zone
            do {
                let ops = try site.operationsWithoutConfig()
                if json { Output.json(try ops.batch(batch)); return }
                let store = ops.store
                let spool = Spool(store: store)
                let b = try spool.batch(try spool.resolve(batch))
                let events = try spool.events(b.id)
                let runs = try PrintRun.all(store: store, batch: b.id)
                let prints = try runs.map { try PrintRun(store: store, id: $0).outcome() }
                print("batch \(b.id): \(b.form), \(b.state.rawValue)" + (b.replacedBy.map { " (replaced by \($0))" } ?? ""))
                print("input \(b.input) (sha256 \(b.inputSHA256))")
                print("\(b.records) records, \(b.notices) notices, \(b.rejected) rejected; \(b.pages) pages in \(b.volumes) volumes in \(b.directory)")
                if let v = b.vendor { print("vendor \(v): \(b.publishedPath ?? "")") }
                print("")
                Output.table([Output.header("AT", zone), "STATE", "USER", "DETAIL"], events.map { [Output.time($0.at, zone), $0.state, $0.user, $0.detail ?? ""] })
                for p in prints {
                    print("\nprint \(p.run) on \(p.printer) (\(p.kind)): \(p.state), \(p.completed)/\(p.jobs.count) IPP jobs completed")
                    Output.table(["SEQ", "VOLUME", "PAGES", "RANGES", "IPP JOB", "STATE", "MESSAGE"], p.jobs.map {
                        ["\($0.seq)", $0.volume, "\($0.pages)", $0.ranges, $0.ippJobID.map(String.init) ?? "-", $0.state.rawValue, $0.message ?? ""]
                    })
                }
            } catch { throw spoolFailure(error) }
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hand a rendered batch to a vendor: volumes, manifests and SHA256SUMS into its outbox, READY last.",
            discussion: """
                Copies into OUTBOX/batch-N.partial (checked against SHA256SUMS, fsynced), renames it to OUTBOX/batch-N and
                writes OUTBOX/batch-N/READY last. Files and directories are readable by owner and group only (0640/0750).
                The vendor acknowledges with `nightjar spool ack N`, or by dropping OUTBOX/batch-N.ack (or batch-N/ACK),
                which the daemon picks up.
                """)
        @OptionGroup var site: SiteOptions
        @Argument(help: "The batch: its id, or the directory it was rendered into.") var batch: String
        @Option(help: "The vendor, as named under spool: vendors: in nightjar.yaml.") var vendor: String
        @Option(help: "Why; kept in the audit trail.") var reason: String?

        func run() throws {
            let config = try site.siteConfig()
            guard config.vendorOutboxes[vendor] != nil else {
                let known = config.vendorOutboxes.keys.sorted()
                throw Failure.badInput("no vendor \(vendor) in nightjar.yaml (spool: vendors:)" + (known.isEmpty ? "" : "; vendors: \(known.joined(separator: ", "))"))
            }
            do {
                let ops = Operations(store: try site.openStore(), site: site.site, config: config, zone: site.zone)
                let (id, path) = try ops.publish(batch: batch, vendor: vendor, reason: reason, by: .cli)
                print("batch \(id): published to \(vendor) in \(path)")
            } catch { throw spoolFailure(error) }
        }
    }

    struct Ack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that the vendor collected a published batch, after checking the published copy against SHA256SUMS.",
            discussion: "A mismatch is recorded, leaves the batch published, and exits 1.")
        @OptionGroup var site: SiteOptions
        @Argument(help: "The batch: its id, or the directory it was rendered into (omit with --receipts).") var batch: String?
        @Flag(help: "Acknowledge every published batch whose vendor dropped a receipt file (what the daemon does).") var receipts = false
        @Option(help: "Why; kept in the audit trail.") var reason: String?

        func run() throws {
            do {
                let ops = try site.operationsWithoutConfig()
                let spool = Spool(store: ops.store)
                if receipts {
                    let lines = try spool.collectReceipts()
                    lines.forEach { print($0) }
                    if lines.contains(where: { $0.contains("refused") }) { throw ExitCode(1) }
                    return
                }
                guard let batch else { throw Failure.badInput("give a batch id, or --receipts") }
                let id = try ops.acknowledge(batch: batch, reason: reason, by: .cli)
                print("batch \(id): collected; checksums of the published copy verified")
            } catch { throw spoolFailure(error) }
        }
    }

    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete batches' spool files (render output and published copy) and record them purged.",
            discussion: """
                With --expired: every batch rendered more than spool: retention_days ago (nightjar.yaml), except batches
                still published (awaiting the vendor) or printing. The daemon does the same once an hour.
                """)
        @OptionGroup var site: SiteOptions
        @Argument(help: "Batches: ids, or directories they were rendered into.") var batches: [String] = []
        @Flag(help: "Purge every batch past the site's retention.") var expired = false
        @Option(help: "Why; kept in the audit trail.") var reason: String?

        func run() throws {
            guard expired || !batches.isEmpty else { throw Failure.badInput("give batch ids, or --expired") }
            do {
                let ops = try site.operationsWithoutConfig()
                for ref in batches {
                    let b = try ops.purge(batch: ref, reason: reason, by: .cli)
                    print("batch \(b): purged")
                }
                if expired {
                    // Read again, strictly: a broken nightjar.yaml is reported, not taken as "no retention".
                    let strict = Operations(store: ops.store, site: site.site, config: try site.siteConfig(), zone: ops.zone)
                    let (days, lines) = try strict.purgeExpired(by: .cli)
                    if lines.isEmpty { print("no batch older than \(days) days to purge") }
                    lines.forEach { print($0) }
                }
            } catch { throw spoolFailure(error) }
        }
    }
}

