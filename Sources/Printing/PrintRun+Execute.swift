import Foundation
import GRDB
import Spool
import Store

extension PrintRun {
    /// Brings every IPP job of the run to completion as far as CUPS allows: reconciles jobs CUPS
    /// already knows, submits the rest, then follows them until all have ended or `waitTimeout`
    /// seconds have passed (nil: no limit; 0: do not wait). Throws `.printer` when CUPS cannot be
    /// reached or refuses a job; what was done is recorded either way.
    @discardableResult
    /// `verify` is asked about each volume before it is sent and throws if it is not the rendered one.
    public func execute(connection: IPPConnection, waitTimeout: Double?, user: String, tempDirectory: String,
                        verify: ((String) throws -> Void)? = nil) throws -> Outcome {
        guard try connection.printerState(printer) != nil else {
            throw SpoolError.badInput("CUPS at \(IPPConnection.serverName) has no queue \(printer)")
        }
        // 1. Jobs CUPS was given before (an earlier, interrupted execution): ask it how they are.
        for job in try jobs() where job.ippJobID != nil && (job.isWaiting || job.state == .created) {
            let ipp = job.ippJobID!
            guard let s = try connection.jobState(ipp, printer: printer) else {
                try update(job, state: .lost, message: "CUPS no longer knows IPP job \(ipp); submitting again")
                continue
            }
            if job.state == .created && !s.state.isTerminal {
                // Create-Job was accepted but the document may not have arrived whole: cancel, send again.
                connection.cancel(ipp, printer: printer)
                try update(job, state: .canceled, message: "document of IPP job \(ipp) not confirmed complete; cancelled, submitting again")
                continue
            }
            try update(job, state: PrintJobState(s.state), message: s.message)
        }
        // 2. Submit what CUPS never accepted, or ended without printing.
        for job in try jobs() where job.state.needsSending {
            // An operator's `print --cancel` stops the submitting, even from another process.
            if try isCanceled() { return try outcome() }
            try verify?(job.volume)
            try submit(job, connection: connection, tempDirectory: tempDirectory)
        }
        // 3. Follow them.
        try wait(connection: connection, timeout: waitTimeout)
        let result = try outcome()
        try finish(result, user: user)
        return result
    }

    func submit(_ job: Job, connection: IPPConnection, tempDirectory: String) throws {
        try update(job, state: .submitting)
        var file = "\(batch.directory)/\(job.volume)"
        var extracted: String?
        defer { if let extracted { try? FileManager.default.removeItem(atPath: extracted) } }
        if job.ranges != "all" {
            let out = "\(tempDirectory)/print-\(id)-\(job.seq).pdf"
            try Self.extract(file, ranges: job.ranges, to: out)
            extracted = out
            file = out
        }
        let title = "nightjar batch \(batch.id) print \(id) job \(job.seq)"
        let ipp = try connection.createJob(printer: printer, title: title, options: options.pairs)
        try update(job, state: .created, ipp: ipp)
        try connection.sendDocument(printer: printer, job: ipp, path: file, name: "batch-\(batch.id)-\(job.volume)")
        try update(job, state: .pending, ipp: ipp, submitted: true)
        progress("job \(job.seq): \(job.volume) \(job.ranges == "all" ? "" : "pages \(job.ranges) ")(\(job.pages) pages) → \(printer) IPP job \(ipp)")
    }

    /// Pages of a volume into a new PDF (`qpdf --empty --pages VOL RANGES --`).
    static func extract(_ volume: String, ranges: String, to out: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["qpdf", "--empty", "--pages", volume, ranges, "--", out]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw SpoolError.io("cannot run qpdf: \(error)") }
        let msg = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        // qpdf exits 3 for warnings with a usable output.
        guard p.terminationStatus == 0 || p.terminationStatus == 3 else {
            throw SpoolError.io("qpdf could not extract pages \(ranges) of \(volume): \(String(decoding: msg, as: UTF8.self))")
        }
        _ = chmod(out, 0o640)
    }

    /// Polls CUPS until every job has ended. A queue prints its jobs in order, so each poll asks about
    /// the jobs in sequence only up to the first one still open (one request per poll, not one per
    /// job: polling must not compete with the printing it waits for); a full pass confirms the end.
    func wait(connection: IPPConnection, timeout: Double?) throws {
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var interval = 0.02
        var lastPrinterNote: String?
        var lastPrinterCheck = Date.distantPast
        while true {
            var open = 0
            var full = true
            for job in try jobs() where job.isWaiting {
                guard let ipp = job.ippJobID else { continue }
                guard let s = try connection.jobState(ipp, printer: printer) else {
                    try update(job, state: .lost, message: "CUPS no longer knows IPP job \(ipp)")
                    continue
                }
                // A job CUPS says nothing about keeps the queue's note it was given (below).
                if PrintJobState(s.state) != job.state || (s.message != nil && s.message != job.message) {
                    try update(job, state: PrintJobState(s.state), message: s.message)
                    // An end, and a wait with a reason (held, stopped, "could not be sent"), are said at once.
                    if s.state.isTerminal || s.message != nil {
                        progress("job \(job.seq): IPP job \(ipp) \(s.state.name)\(s.message.map { " (\($0))" } ?? "")")
                    }
                }
                if !s.state.isTerminal {
                    open += 1
                    if s.state != .held { full = false; break }
                }
            }
            if open == 0 && full { return }
            if try isCanceled() { return }
            if Date().timeIntervalSince(lastPrinterCheck) >= 2, let p = try connection.printerState(printer) {
                lastPrinterCheck = Date()
                if p.stopped {
                    let waiting = try jobs().filter(\.isWaiting).count
                    let note = "queue \(printer) is stopped\(p.message.map { " (\($0))" } ?? ""); \(waiting) job\(waiting == 1 ? "" : "s") waiting"
                    if note != lastPrinterNote { progress(note); lastPrinterNote = note }
                    // Recorded with each job that waits without a word from CUPS, so `spool show`, the
                    // API and the console say why the print does not move.
                    let why = "queue \(printer) is stopped\(p.message.map { " (\($0))" } ?? "")"
                    for job in try jobs() where job.isWaiting && job.message == nil { try update(job, state: job.state, message: why) }
                }
            }
            if let deadline, Date() >= deadline { return }
            usleep(useconds_t(interval * 1_000_000))
            interval = min(interval * 1.5, pollInterval)
        }
    }

    func finish(_ o: Outcome, user: String) throws {
        // A cancelled print keeps that state; `print --cancel` has recorded the rest.
        if try isCanceled() { return }
        guard o.state == .completed else {
            try store.db.write { db in
                try db.execute(sql: "UPDATE print_runs SET state = ? WHERE id = ? AND state != ?",
                               arguments: [PrintRunState(o.state).rawValue, id, PrintRunState.canceled.rawValue])
            }
            return
        }
        try store.db.write { db in
            try db.execute(sql: "UPDATE print_runs SET state = ?, ended_at = ? WHERE id = ?",
                           arguments: [PrintRunState.completed.rawValue, Date().timeIntervalSince1970, id])
            let what = "print \(id) on \(printer): \(o.pages) pages in \(o.jobs.count) IPP jobs completed"
            if kind == "batch" {
                try Spool.move(db, batch: batch.id, to: .printed, user: user, detail: what, action: "printed")
            } else {
                try Spool.record(db, batch: batch.id, state: "reprinted", user: user, detail: what)
            }
        }
    }
}
