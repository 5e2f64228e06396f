import ArgumentParser
import Executors
import Foundation
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
            let rows = try Spool(store: try site.openStore()).batches().filter { only == nil || $0.state.rawValue == only }
            if json { Output.json(rows.map { BatchView($0, zone: zone) }); return }
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

        struct View: Encodable {
            var batch: BatchView
            var events: [EventView]
            var prints: [PrintRun.Outcome]
        }
        struct EventView: Encodable { var at: String?; var state: String; var user: String; var detail: String? }

        func run() throws {
            let zone = site.zone
            do {
                let store = try site.openStore()
                let spool = Spool(store: store)
                let b = try spool.batch(try spool.resolve(batch))
                let events = try spool.events(b.id)
                let runs = try PrintRun.all(store: store, batch: b.id)
                let prints = try runs.map { try PrintRun(store: store, id: $0).outcome() }
                if json {
                    Output.json(View(batch: BatchView(b, zone: zone), events: events.map { EventView(at: Output.iso($0.at, zone), state: $0.state, user: $0.user, detail: $0.detail) },
                                     prints: prints))
                    return
                }
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
            guard let outbox = config.vendorOutboxes[vendor] else {
                let known = config.vendorOutboxes.keys.sorted()
                throw Failure.badInput("no vendor \(vendor) in nightjar.yaml (spool: vendors:)" + (known.isEmpty ? "" : "; vendors: \(known.joined(separator: ", "))"))
            }
            do {
                let spool = Spool(store: try site.openStore())
                let id = try spool.resolve(batch)
                let path = try spool.publish(id, vendor: vendor, outbox: outbox, user: ProcessIdentity.user, reason: reason)
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
                let spool = Spool(store: try site.openStore())
                if receipts {
                    let lines = try spool.collectReceipts()
                    lines.forEach { print($0) }
                    if lines.contains(where: { $0.contains("refused") }) { throw ExitCode(1) }
                    return
                }
                guard let batch else { throw Failure.badInput("give a batch id, or --receipts") }
                let id = try spool.resolve(batch)
                try spool.acknowledge(id, user: ProcessIdentity.user, reason: reason)
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
                let spool = Spool(store: try site.openStore())
                for ref in batches {
                    let b = try spool.resolve(ref)
                    try spool.purge(b, user: ProcessIdentity.user, reason: reason)
                    print("batch \(b): purged")
                }
                if expired {
                    guard let days = try site.siteConfig().retentionDays else {
                        throw Failure.badInput("nightjar.yaml sets no spool: retention_days")
                    }
                    let lines = try spool.purgeExpired(days: days, user: ProcessIdentity.user)
                    if lines.isEmpty { print("no batch older than \(days) days to purge") }
                    lines.forEach { print($0) }
                }
            } catch { throw spoolFailure(error) }
        }
    }
}

/// A batch as `spool list --json` and `spool show --json` print it.
struct BatchView: Encodable {
    var id: Int64, form: String, state: String, pages: Int, notices: Int, records: Int, rejected: Int, volumes: Int
    var input: String, input_sha256: String, directory: String, created_at: String?, user: String
    var vendor: String?, published_path: String?, sums_sha256: String?, replaced_by: Int64?

    init(_ b: Batch, zone: TimeZone) {
        id = b.id; form = b.form; state = b.state.rawValue; pages = b.pages; notices = b.notices; records = b.records
        rejected = b.rejected; volumes = b.volumes; input = b.input; input_sha256 = b.inputSHA256; directory = b.directory
        created_at = Output.iso(b.createdAt, zone); user = b.user; vendor = b.vendor; published_path = b.publishedPath
        sums_sha256 = b.sumsSHA256; replaced_by = b.replacedBy
    }
}
