import ArgumentParser
import Executors
import Foundation
import Printing
import Spool
import Store

struct PrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print a batch on a CUPS queue through libcups, as tracked IPP jobs; resume or reprint notices.",
        discussion: """
            The batch goes as IPP jobs of at most --pages-per-job pages (split on volume boundaries, and on notice
            boundaries inside larger volumes), each recorded before it is submitted and followed until CUPS reports it
            completed, aborted or canceled. Options are IPP job options as for lp: -o media=jpn_hagaki_100x148mm
            -o sides=two-sided-long-edge -o copies=2 -o output-bin=face-down -o finishings=4 (finishings as numbers).
            The CUPS server is the one CUPS_SERVER (or client.conf) names.
            If the queue is paused or cupsd stops midway, `print BATCH --resume` continues: jobs CUPS completed are
            left alone, jobs it still holds are waited for, and only jobs never accepted (or aborted/canceled) are sent
            again. A batch already printed is printed again only with --again. --notices KEY… prints exactly those
            notices' pages (from the manifest).
            `print BATCH --cancel` cancels the batch's unfinished print: a `print` still running on it stops
            submitting, CUPS cancels every job it holds, and a whole-batch print returns the batch to the state it
            had before printing (a later print starts afresh; jobs already completed stay printed).
            Exit 0 when every IPP job completed; 1 when one failed, CUPS could not be reached, or jobs were still
            waiting when --wait-timeout passed; 2 for bad input.
            """)

    @OptionGroup var site: SiteOptions
    @Argument(help: "The batch: its id (see `nightjar spool list`), or the directory it was rendered into.") var batchReference: String
    @Option(help: "The CUPS queue (with --resume: the one of the print being resumed).") var printer: String?
    @Option(name: .customShort("o"), help: ArgumentHelp("An IPP job option name=value (repeatable).", valueName: "name=value")) var options: [String] = []
    @Option(help: "Pages per IPP job at most.") var pagesPerJob = 2000
    @Flag(help: "Continue the batch's unfinished print from the first job not confirmed completed.") var resume = false
    @Flag(help: "Print a batch that has been printed already once more.") var again = false
    @Flag(help: "Cancel the batch's unfinished print: CUPS cancels the jobs it holds, nothing more is sent.") var cancel = false
    @Option(parsing: .upToNextOption, help: "Print only these notices (keys from the manifest).") var notices: [String] = []
    @Option(help: "Stop waiting for CUPS after this many seconds (jobs stay queued; --resume later). Default: wait until done.") var waitTimeout: Double?
    @Option(help: "Why; kept in the audit trail.") var reason: String?
    @Flag(help: "Print the outcome as JSON.") var json = false

    func run() throws {
        guard pagesPerJob > 0 else { throw Failure.badInput("--pages-per-job must be at least 1") }
        if resume && (again || !notices.isEmpty) { throw Failure.badInput("--resume continues a print as it was: no --again or --notices with it") }
        if cancel && (resume || again || !notices.isEmpty || !options.isEmpty || printer != nil || waitTimeout != nil) {
            throw Failure.badInput("--cancel takes only --reason and --json: it cancels the print as it was")
        }
        let user = ProcessIdentity.user
        do {
            let store = try site.openStore()
            let spool = Spool(store: store)
            let batch = try spool.resolve(batchReference)
            let b = try spool.batch(batch)
            if cancel {
                // No batch lock: the `print` it stops may be holding it, waiting on CUPS.
                guard let id = try PrintRun.unfinished(store: store, batch: batch) else {
                    throw Failure.badInput("batch \(batch) has no unfinished print to cancel")
                }
                let outcome = try PrintRun(store: store, id: id).cancel(connection: try IPPConnection(), user: user, reason: reason)
                if json { Output.json(outcome) } else {
                    let done = outcome.completed, canceled = outcome.jobs.filter { $0.state == .canceled }.count
                    print("batch \(batch) print \(id) on \(outcome.printer) cancelled: \(canceled) IPP job\(canceled == 1 ? "" : "s") cancelled, \(done) completed before the cancel; batch \(batch) is \(try spool.batch(batch).state.rawValue)")
                }
                return
            }
            guard b.state != .purged && b.state != .replaced else {
                if let later = b.replacedBy { throw SpoolError.replaced(batch: batch, by: later, directory: b.directory) }
                throw SpoolError.notAllowed(batch: batch, state: b.state, action: "printed (its files are gone)")
            }
            // Only the files this batch rendered are printed: its SHA256SUMS as recorded (checked now), and
            // each file against it (in the background, each volume before it is sent).
            let verifier = try spool.verifier(for: b)
            let lock = try Self.lock(store: store, batch: batch)
            defer { close(lock) }
            let tmp = store.directory.appendingPathComponent("spool-tmp").path
            try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            let runID: Int64
            if resume {
                guard let id = try PrintRun.unfinished(store: store, batch: batch) else {
                    throw Failure.badInput("batch \(batch) has no unfinished print to resume")
                }
                runID = id
                let run = try PrintRun(store: store, id: id)
                if let printer, printer != run.printer { throw Failure.badInput("print \(id) of batch \(batch) is on \(run.printer), not \(printer)") }
                try store.db.write { try Spool.audit($0, batch: batch, user: user, action: "print.resume", reason: reason, result: "print \(id)") }
            } else {
                // A reprint of notices goes, unless told otherwise, where and as the batch's last print went.
                let previous = notices.isEmpty ? nil : try PrintRun.latest(store: store, batch: batch).map { try PrintRun(store: store, id: $0) }
                let opts = options.isEmpty && printer == nil ? (previous?.options ?? PrintOptions.none) : try PrintOptions(arguments: options)
                try verifier.check("manifest.csv")
                let manifest = try Manifest(directory: b.directory)
                let chunks: [PrintChunk]
                if notices.isEmpty {
                    if let open = try PrintRun.unfinished(store: store, batch: batch) {
                        throw Failure.badInput("batch \(batch) has an unfinished print (\(open)): `nightjar print \(batch) --resume` continues it")
                    }
                    if !again, try PrintRun.printedBefore(store: store, batch: batch) {
                        throw Failure.badInput("batch \(batch) has been printed already; --again prints it once more")
                    }
                    chunks = PrintPlan.whole(manifest, pagesPerJob: pagesPerJob)
                } else {
                    chunks = try PrintPlan.notices(notices, manifest, pagesPerJob: pagesPerJob)
                }
                guard let printer = printer ?? previous?.printer else { throw Failure.badInput("--printer QUEUE is required") }
                let connection = try IPPConnection()
                guard try connection.printerState(printer) != nil else {
                    throw Failure.badInput("CUPS at \(IPPConnection.serverName) has no queue \(printer)")
                }
                runID = try PrintRun.create(store: store, batch: b, printer: printer, options: opts, kind: notices.isEmpty ? "batch" : "notices",
                                            notices: notices.isEmpty ? nil : notices, chunks: chunks, user: user, reason: reason)
            }
            let run = try PrintRun(store: store, id: runID)
            if !json { run.progress = { FileHandle.standardError.write(Data("print: \($0)\n".utf8)) } }
            let outcome: PrintRun.Outcome
            do {
                outcome = try run.execute(connection: try IPPConnection(), waitTimeout: waitTimeout, user: user, tempDirectory: tmp,
                                          verify: verifier.check)
            } catch let e as SpoolError where !e.isBadInput {
                try? store.db.write { db in
                    try Spool.record(db, batch: batch, state: "print-interrupted", user: user, detail: "print \(runID): \(e)")
                }
                throw Failure.failed("\(e)\nbatch \(batch) print \(runID) interrupted; `nightjar print \(batch) --resume` continues from the first job not confirmed completed")
            }
            if json { Output.json(outcome) } else {
                print("batch \(batch) print \(runID) on \(outcome.printer): \(outcome.completed)/\(outcome.jobs.count) IPP jobs completed (\(outcome.pages) pages)")
            }
            switch outcome.state {
            case .completed: return
            case .canceled:
                FileHandle.standardError.write(Data("print \(runID) was cancelled (`nightjar spool show \(batch)` has who and why)\n".utf8))
                throw ExitCode(1)
            case .pending:
                FileHandle.standardError.write(Data("\(outcome.unfinished.count) IPP jobs still queued in CUPS; `nightjar print \(batch) --resume` waits for them (nothing is sent twice)\n".utf8))
                throw ExitCode(1)
            case .failed:
                for j in outcome.unfinished where !j.isWaitingForCUPS {
                    FileHandle.standardError.write(Data("job \(j.seq) (IPP \(j.ippJobID.map(String.init) ?? "-")) \(j.state): \(j.message ?? "")\n".utf8))
                }
                FileHandle.standardError.write(Data("fix the printer, then `nightjar print \(batch) --resume` sends those jobs again\n".utf8))
                throw ExitCode(1)
            }
        } catch { throw spoolFailure(error) }
    }

    /// One print at a time per batch.
    static func lock(store: Store, batch: Int64) throws -> Int32 {
        let path = store.directory.appendingPathComponent("print-\(batch).lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            throw Failure.badInput("another `nightjar print` is working on batch \(batch)")
        }
        return fd
    }
}

extension PrintRun.Job {
    var isWaitingForCUPS: Bool { state.isWaitingForCUPS }
}
