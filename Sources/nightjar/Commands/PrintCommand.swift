import ArgumentParser
import Foundation
import Operations
import Printing
import Spool

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
        let actor = Actor.cli
        do {
            let ops = try site.operationsWithoutConfig()
            if cancel {
                let outcome = try ops.cancelPrint(batch: batchReference, reason: reason, by: actor)
                if json { Output.json(outcome) } else {
                    let done = outcome.completed, canceled = outcome.jobs.filter { $0.state == .canceled }.count
                    print("batch \(outcome.batch) print \(outcome.run) on \(outcome.printer) cancelled: \(canceled) IPP job\(canceled == 1 ? "" : "s") cancelled, \(done) completed before the cancel; batch \(outcome.batch) is \(try Spool(store: ops.store).batch(outcome.batch).state.rawValue)")
                }
                return
            }
            let started = resume
                ? try ops.resumePrint(batch: batchReference, printer: printer, reason: reason, by: actor)
                : try ops.startPrint(batch: batchReference, .init(printer: printer, options: options, notices: notices, pagesPerJob: pagesPerJob,
                                                                  again: again, reason: reason), by: actor)
            defer { started.release() }
            let batch = started.batch, runID = started.id
            let outcome = try ops.executePrint(started, waitTimeout: waitTimeout, by: actor,
                                               progress: json ? nil : { FileHandle.standardError.write(Data("print: \($0)\n".utf8)) })
            if json { Output.json(outcome) } else {
                print("batch \(batch) print \(runID) on \(outcome.printer): \(outcome.completed)/\(outcome.jobs.count) IPP jobs completed (\(outcome.pages) pages)")
            }
            switch outcome.state {
            case .completed: return
            case .canceled:
                FileHandle.standardError.write(Data("print \(runID) was cancelled (`nightjar spool show \(batch)` has who and why)\n".utf8))
                throw ExitCode(1)
            case .pending:
                // Why CUPS keeps them: each distinct reason once (a stopped queue, a hold).
                var said = Set<String>()
                for j in outcome.unfinished { if let m = j.message, said.insert("\(j.state): \(m)").inserted {
                    FileHandle.standardError.write(Data("IPP job \(j.ippJobID.map(String.init) ?? "-") \(j.state): \(m)\n".utf8))
                } }
                FileHandle.standardError.write(Data("\(outcome.unfinished.count) IPP jobs still queued in CUPS; `nightjar print \(batch) --resume` waits for them (nothing is sent twice)\n".utf8))
                throw ExitCode(1)
            case .failed:
                for j in outcome.unfinished where !j.isWaitingForCUPS {
                    FileHandle.standardError.write(Data("job \(j.seq) (IPP \(j.ippJobID.map(String.init) ?? "-")) \(j.state): \(j.message ?? "")\n".utf8))
                }
                FileHandle.standardError.write(Data("fix the printer, then `nightjar print \(batch) --resume` sends those jobs again\n".utf8))
                throw ExitCode(1)
            }
        } catch let e as OperationError where e.kind == .failed {
            // CUPS or a file failed midway: exit 1, as a job that failed.
            throw Failure.failed(e.message)
        } catch { throw spoolFailure(error) }
    }
}

extension PrintRun.Job {
    var isWaitingForCUPS: Bool { state.isWaitingForCUPS }
}
