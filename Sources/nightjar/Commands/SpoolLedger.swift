import ArgumentParser
import Foundation
import Operations
import Spool

extension SpoolCommand {
    /// `spool ledger`: the custody ledger (情報管理台帳), oldest first.
    struct Ledger: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The custody ledger (情報管理台帳): every download and acknowledgement by a vendor account.",
            discussion: """
                Oldest first. Each entry: the batch, the vendor and account, the file (batch-N.tar for the whole batch),
                its size, the bytes asked for (offset and length) and sent, the client's address, when it started and
                ended, and its outcome: completed, broken-off, refused, or in-progress. A download whose server process
                died is shown broken-off. File names, sizes, accounts and addresses only: no personal data.
                """)
        @OptionGroup var site: SiteOptions
        @Argument(help: "Only this batch: its id, or the directory it was rendered into.") var batch: String?
        @Flag(help: "Print CSV with a header row (times RFC 3339 in the site's zone).") var csv = false
        @Flag(help: "Print a JSON array.") var json = false

        func validate() throws {
            if csv && json { throw ValidationError("give --csv or --json, not both") }
        }

        func run() throws {
            let zone = site.zone
            let entries: [LedgerEntry]
            do {
                let spool = Spool(store: try site.openStore())
                entries = try spool.ledger(batch: try batch.map { try spool.resolve($0) })
            } catch { throw spoolFailure(error) }
            let views = entries.map { LedgerView($0, zone: zone) }
            if json { Output.json(views); return }
            if csv {
                print(LedgerView.csv(views), terminator: "")
                return
            }
            Output.table(["ID", "BATCH", "KIND", "VENDOR", "ACCOUNT", "FILE", "RANGE", "SENT", "CLIENT", Output.header("STARTED", zone),
                          Output.header("ENDED", zone), "OUTCOME"], zip(entries, views).map { e, v in
                [v.id.description, v.batch.description, v.kind, v.vendor, v.account, v.file ?? "-", v.range ?? "-",
                 v.kind == "download" ? v.bytes.description : "-", v.client ?? "-", Output.time(e.startedAt, zone),
                 Output.time(e.endedAt, zone), v.outcome]
            })
        }
    }
}
