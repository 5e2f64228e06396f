import Foundation
import Printing
import Spool
import Store

/// Printing a batch on a CUPS queue: the checks, the plan of IPP jobs, the recorded and audited print,
/// its execution, and cancelling it. `nightjar print` and the web's `POST …/batches/{batch}/print` both
/// come here; the CLI executes in the foreground, the web in the background (`executeInBackground`),
/// because a print waits on CUPS far longer than an HTTP request may.
extension Operations {
    /// What to print: the CLI's `--printer`, `-o`, `--notices`, `--pages-per-job`, `--again`, `--reason`.
    public struct PrintOrder: Sendable {
        public var printer: String?
        public var options: [String]
        public var notices: [String]
        public var pagesPerJob: Int
        public var again: Bool
        public var reason: String?

        public init(printer: String?, options: [String] = [], notices: [String] = [], pagesPerJob: Int = 2000, again: Bool = false,
                    reason: String? = nil) {
            self.printer = printer
            self.options = options
            self.notices = notices
            self.pagesPerJob = pagesPerJob
            self.again = again
            self.reason = reason
        }
    }

    /// A print recorded (and audited) and ready to execute. It holds the batch's print lock until it is
    /// released (at the latest when it is freed), so no second print of the batch can start meanwhile.
    public final class StartedPrint: @unchecked Sendable {
        /// Set once, when the print is recorded (before the value leaves the operations layer).
        public internal(set) var id: Int64 = 0
        public let batch: Int64
        let verifier: VolumeVerifier
        let tempDirectory: String
        private let lock = NSLock()
        private var fd: Int32

        init(batch: Int64, verifier: VolumeVerifier, tempDirectory: String, fd: Int32) {
            self.batch = batch
            self.verifier = verifier
            self.tempDirectory = tempDirectory
            self.fd = fd
        }

        deinit { release() }

        /// Lets another print of the batch start.
        public func release() {
            lock.withLock {
                if fd >= 0 { close(fd); fd = -1 }
            }
        }
    }

    /// Checks and records a new print of a batch (the whole batch, or `order.notices`), planned as IPP
    /// jobs of at most `pagesPerJob` pages, audited with the actor in the same transaction.
    public func startPrint(batch reference: String, _ order: PrintOrder, by actor: Actor) throws -> StartedPrint {
        guard order.pagesPerJob > 0 else { throw OperationError(.badInput, Self.say(actor, cli: "--pages-per-job must be at least 1",
                                                                                        web: "pages_per_job must be at least 1")) }
        let (b, verifier) = try printable(reference)
        let batch = b.id
        let started = try locked(batch, verifier: verifier)
        // A reprint of notices goes, unless told otherwise, where and as the batch's last print went.
        let previous = order.notices.isEmpty ? nil : try PrintRun.latest(store: store, batch: batch).map { try PrintRun(store: store, id: $0) }
        let opts = order.options.isEmpty && order.printer == nil ? (previous?.options ?? PrintOptions.none) : try PrintOptions(arguments: order.options)
        try verifier.check("manifest.csv")
        let manifest = try Manifest(directory: b.directory)
        let chunks: [PrintChunk]
        if order.notices.isEmpty {
            if let open = try PrintRun.unfinished(store: store, batch: batch) {
                throw OperationError(.refused, Self.say(actor, cli: "batch \(batch) has an unfinished print (\(open)): `nightjar print \(batch) --resume` continues it",
                                                        web: "batch \(batch) has an unfinished print (\(open)): cancel it (POST /api/v1/prints/\(open)/cancel) or continue it with `nightjar print \(batch) --resume`"))
            }
            if !order.again, try PrintRun.printedBefore(store: store, batch: batch) {
                throw OperationError(.refused, Self.say(actor, cli: "batch \(batch) has been printed already; --again prints it once more",
                                                        web: "batch \(batch) has been printed already; \"again\": true prints it once more"))
            }
            chunks = PrintPlan.whole(manifest, pagesPerJob: order.pagesPerJob)
        } else {
            chunks = try PrintPlan.notices(order.notices, manifest, pagesPerJob: order.pagesPerJob)
        }
        guard let printer = order.printer ?? previous?.printer else {
            throw OperationError(.badInput, Self.say(actor, cli: "--printer QUEUE is required", web: "give the \"printer\": a CUPS queue"))
        }
        let connection = try IPPConnection()
        guard try connection.printerState(printer) != nil else {
            throw OperationError(.badInput, "CUPS at \(IPPConnection.serverName) has no queue \(printer)")
        }
        started.id = try PrintRun.create(store: store, batch: b, printer: printer, options: opts, kind: order.notices.isEmpty ? "batch" : "notices",
                                     notices: order.notices.isEmpty ? nil : order.notices, chunks: chunks, user: actor.name,
                                     reason: order.reason, address: actor.address)
        return started
    }

    /// Takes up the batch's unfinished print again (`print BATCH --resume`), audited.
    public func resumePrint(batch reference: String, printer: String?, reason: String?, by actor: Actor) throws -> StartedPrint {
        let (b, verifier) = try printable(reference)
        let batch = b.id
        let started = try locked(batch, verifier: verifier)
        guard let id = try PrintRun.unfinished(store: store, batch: batch) else {
            throw OperationError(.refused, "batch \(batch) has no unfinished print to resume")
        }
        let run = try PrintRun(store: store, id: id)
        if let printer, printer != run.printer { throw OperationError(.badInput, "print \(id) of batch \(batch) is on \(run.printer), not \(printer)") }
        try store.db.write {
            try Spool.audit($0, batch: batch, user: actor.name, action: "print.resume", reason: reason, result: "print \(id)", address: actor.address)
        }
        started.id = id
        return started
    }

    /// Sends the print's IPP jobs and follows them until CUPS has ended them all, or `waitTimeout`
    /// seconds have passed (nil: no limit). When CUPS or a file fails midway the print is recorded
    /// interrupted and the error says how to go on; nothing is sent twice by a later resume.
    public func executePrint(_ started: StartedPrint, waitTimeout: Double?, by actor: Actor,
                             progress: ((String) -> Void)? = nil) throws -> PrintRun.Outcome {
        let run = try PrintRun(store: store, id: started.id)
        if let progress { run.progress = progress }
        do {
            return try run.execute(connection: try IPPConnection(), waitTimeout: waitTimeout, user: actor.name,
                                   tempDirectory: started.tempDirectory, verify: started.verifier.check)
        } catch let e as SpoolError where !e.isBadInput {
            let batch = started.batch, id = started.id
            try? store.db.write { db in
                try Spool.record(db, batch: batch, state: "print-interrupted", user: actor.name, detail: "print \(id): \(e)")
            }
            throw OperationError(.failed, "\(e)\nbatch \(batch) print \(id) interrupted; `nightjar print \(batch) --resume` continues from the first job not confirmed completed")
        }
    }

    /// Executes the print on a thread of its own and returns at once; `printView` shows how it goes.
    /// The batch's print lock is released when it ends. A server stopped meanwhile leaves the print
    /// recorded as far as it got: `nightjar print BATCH --resume` continues it without printing twice.
    public func executeInBackground(_ started: StartedPrint, by actor: Actor) {
        let ops = self
        printExecutions.begin(started.id)
        let thread = Thread {
            var failure: String?
            do {
                _ = try ops.executePrint(started, waitTimeout: nil, by: actor)
            } catch {
                failure = OperationError.classify(error).message
            }
            started.release()
            ops.printExecutions.end(started.id, error: failure)
        }
        thread.name = "print \(started.id)"
        thread.start()
    }

    /// Cancels the batch's unfinished print (`print BATCH --cancel`).
    public func cancelPrint(batch reference: String, reason: String?, by actor: Actor) throws -> PrintRun.Outcome {
        let batch = try spool.resolve(reference)
        _ = try spool.batch(batch)
        guard let id = try PrintRun.unfinished(store: store, batch: batch) else {
            throw OperationError(.refused, "batch \(batch) has no unfinished print to cancel")
        }
        // No batch lock: the print it stops may be holding it, waiting on CUPS.
        return try PrintRun(store: store, id: id).cancel(connection: try IPPConnection(), user: actor.name, reason: reason, address: actor.address)
    }

    /// Cancels one print by its id; a print that completed or was cancelled already is refused.
    public func cancelPrint(_ id: Int64, reason: String?, by actor: Actor) throws -> PrintRun.Outcome {
        let run = try printRun(id)
        let state = try run.state()
        guard !state.isFinished else { throw OperationError(.refused, "print \(id) has ended (\(state)); there is nothing to cancel") }
        return try run.cancel(connection: try IPPConnection(), user: actor.name, reason: reason, address: actor.address)
    }

    /// One print as it stands: its IPP jobs, and whether this process is still carrying it out.
    public func printView(_ id: Int64) throws -> PrintView {
        let run = try printRun(id)
        let status = printExecutions.status(id)
        return PrintView(outcome: try run.outcome(), executing: status.executing, error: status.error)
    }

    /// Every print of a batch, oldest first.
    public func prints(batch reference: String) throws -> [PrintView] {
        let batch = try spool.resolve(reference)
        return try PrintRun.all(store: store, batch: batch).map(printView)
    }

    // MARK: Helpers

    func printRun(_ id: Int64) throws -> PrintRun {
        let exists = try store.db.read { try Bool.fetchOne($0, sql: "SELECT EXISTS (SELECT 1 FROM print_runs WHERE id = ?)", arguments: [id]) } ?? false
        guard exists else { throw OperationError(.notFound, "no print \(id)") }
        return try PrintRun(store: store, id: id)
    }

    /// The batch, if its files are there to print, and a check of them against its SHA256SUMS as
    /// recorded (the sums file now, each volume in the background before it is sent).
    func printable(_ reference: String) throws -> (Batch, VolumeVerifier) {
        let b = try spool.batch(try spool.resolve(reference))
        guard b.state != .purged && b.state != .replaced else {
            if let later = b.replacedBy { throw SpoolError.replaced(batch: b.id, by: later, directory: b.directory) }
            throw SpoolError.notAllowed(batch: b.id, state: b.state, action: "printed (its files are gone)")
        }
        return (b, try spool.verifier(for: b))
    }

    /// The batch's print lock (one print at a time per batch) and the spool's scratch directory, in a
    /// `StartedPrint` whose id is set once the print is recorded; a refusal before that frees it and
    /// with it the lock.
    func locked(_ batch: Int64, verifier: VolumeVerifier) throws -> StartedPrint {
        let path = store.directory.appendingPathComponent("print-\(batch).lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            if fd >= 0 { close(fd) }
            throw OperationError(.refused, "another `nightjar print` is working on batch \(batch)")
        }
        let tmp = store.directory.appendingPathComponent("spool-tmp").path
        let started = StartedPrint(batch: batch, verifier: verifier, tempDirectory: tmp, fd: fd)
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        return started
    }

    /// The CLI's sentence, or the web's where the CLI's names a flag.
    static func say(_ actor: Actor, cli: String, web: String) -> String { actor.via == .cli ? cli : web }
}

