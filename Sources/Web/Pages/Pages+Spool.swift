import Foundation
import Hummingbird
import Operations
import Printing

/// The Spool pages: batches with their states and counts; a batch's history, custody ledger and prints
/// with every IPP job's state and CUPS's message, and the queue as CUPS says it is now when a print
/// waits on it (a stopped queue says why here, not by silence). Forms: print, cancel, publish, purge,
/// through the same operations as `nightjar print` and `nightjar spool`.
extension Pages {
    func registerSpoolPages(on router: Router<WebContext>) {
        router.get("/spool") { request, context in try await self.spoolPage(request, context) }
        router.get("/spool/batches/{batch}") { request, context in try await self.spoolBatchPage(request, context) }
        router.post("/spool/batches/{batch}/{verb}") { request, context in try await self.spoolAction(request, context) }
    }

    func spoolPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Console.toLogin }
        let labels = Language(request).consoleAll, ops = ops, query = Self.query(request)
        let batches = try await blocking { try ops.batches() }
        var values = console(request, identity, title: labels["spool"] ?? "", section: .spool)
        values["batches"] = batches.reversed().map { b -> [String: Any] in
            ["id": b.id, "form": b.form, "state": b.state, "stateLabel": Self.batchState(b.state, labels), "notices": b.notices, "pages": b.pages,
             "volumes": b.volumes, "records": b.records, "rejected": b.rejected, "rendered": Self.shortTime(b.created_at), "vendor": b.vendor ?? "",
             "user": b.user, "link": "/spool/batches/\(b.id)\(query)"]
        }
        values["hasBatches"] = !batches.isEmpty
        return consolePage("console-spool", values, request: request)
    }

    static func batchState(_ state: String, _ labels: [String: String]) -> String {
        labels[state == "rendered" ? "rendered-state" : state] ?? state
    }

    func spoolBatchPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Console.toLogin }
        let labels = Language(request).consoleAll, ops = ops
        let reference = try HTTPIO.parameter(context, "batch")
        let found: (detail: BatchDetailView, prints: [PrintView], ledger: [LedgerView])
        do {
            found = try await blocking { (try ops.batch(reference), try ops.prints(batch: reference), try ops.ledger(batch: reference)) }
        } catch { return readFailure(request, identity, error) }
        let b = found.detail.batch
        var values = console(request, identity, title: "\(labels["batch"] ?? "") \(b.id)", section: .spool)
        values["id"] = b.id
        values["form"] = b.form
        values["state"] = b.state
        values["stateLabel"] = Self.batchState(b.state, labels)
        values["facts"] = [("notices", "\(b.notices)"), ("pages", "\(b.pages)"), ("volumes", "\(b.volumes)"), ("records", "\(b.records)"),
                           ("rejected", "\(b.rejected)"), ("rendered", Self.shortTime(b.created_at)), ("user", b.user), ("vendor", b.vendor ?? "—")]
            .map { ["label": labels[$0.0] ?? $0.0, "value": $0.1] }
        values["history"] = found.detail.events.reversed().map { e -> [String: Any] in
            ["at": Self.shortTime(e.at), "state": e.state, "stateLabel": Self.batchState(e.state, labels), "user": e.user, "detail": e.detail ?? ""]
        }
        values["ledger"] = found.ledger.reversed().map { e -> [String: Any] in
            ["at": Self.shortTime(e.started_at), "kind": e.kind, "account": e.account, "file": e.file ?? "", "bytes": "\(e.bytes)",
             "client": e.client ?? "", "outcome": e.outcome, "detail": e.detail ?? ""]
        }
        values["hasLedger"] = !found.ledger.isEmpty
        // The queue of each print still waiting on CUPS, asked now: a stopped queue is the usual "why".
        var queues: [String: Operations.QueueState?] = [:]
        var cupsProblem: String?
        for p in found.prints where p.state == "printing" || p.state == "pending" || p.state == "failed" {
            let printer = p.outcome.printer
            guard queues[printer] == nil else { continue }
            do { queues[printer] = try await blocking { try ops.queueState(printer) } } catch { cupsProblem = OperationError.classify(error).message }
        }
        values["prints"] = found.prints.reversed().map { p -> [String: Any] in
            var row: [String: Any] = ["run": p.outcome.run, "printer": p.outcome.printer, "kind": p.outcome.kind, "pages": p.outcome.pages,
                                      "state": p.state, "stateLabel": labels[p.state] ?? p.state, "completed": p.outcome.completed,
                                      "jobCount": p.outcome.jobs.count, "executing": p.executing]
            if let error = p.error { row["error"] = error }
            if let known = queues[p.outcome.printer] {
                if let q = known {
                    if q.stopped { row["queueProblem"] = (labels["queueStopped"] ?? "") + (q.message.map { ": \($0)" } ?? "") }
                    else if !q.accepting { row["queueProblem"] = (labels["queueRejecting"] ?? "") + (q.message.map { ": \($0)" } ?? "") }
                    else if let m = q.message { row["queueNote"] = m }
                } else {
                    row["queueProblem"] = "CUPS has no queue \(p.outcome.printer)"
                }
            }
            row["jobs"] = p.outcome.jobs.map { j -> [String: Any] in
                ["seq": j.seq, "volume": j.volume, "ranges": j.ranges == "all" ? "" : j.ranges, "pages": j.pages,
                 "ipp": j.ippJobID.map(String.init) ?? "", "state": j.state.rawValue, "message": j.message ?? ""]
            }
            return row
        }
        if let cupsProblem { values["cupsProblem"] = cupsProblem }
        values["hasPrints"] = !found.prints.isEmpty
        let unfinished = found.prints.contains { ["printing", "pending", "failed"].contains($0.state) }
        values["canCancel"] = unfinished
        values["canPrint"] = !unfinished && !["purged", "replaced"].contains(b.state)
        values["canPublish"] = b.state == "rendered" && !ops.vendors.isEmpty
        values["canPurge"] = b.state != "purged"
        values["vendors"] = ops.vendors
        values["lastPrinter"] = found.prints.last?.outcome.printer ?? ""
        return consolePage("console-batch", values, request: request)
    }

    func spoolAction(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try HTTPIO.id(context, "batch", what: "batch"), verb = try HTTPIO.parameter(context, "verb")
        guard ["print", "cancel", "publish", "purge"].contains(verb) else {
            throw WebError(.notFound, "no action \(verb): print, cancel, publish, purge")
        }
        let ops = ops, query = Self.query(request), done = Language(request).consoleAll["done"] ?? ""
        let location = "/spool/batches/\(id)\(query)"
        return try await consoleAction(request, context, back: location) { form, actor in
            switch verb {
            case "print":
                let options = (form.options ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).map(String.init)
                var pagesPerJob = 2000
                if let text = form.pagesPerJob?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                    guard let n = Int(text), n > 0 else { throw OperationError(.badInput, "pages per IPP job: give a whole number of at least 1") }
                    pagesPerJob = n
                }
                let printer = form.printer?.trimmingCharacters(in: .whitespaces)
                let order = Operations.PrintOrder(printer: printer?.isEmpty == false ? printer : nil, options: options, pagesPerJob: pagesPerJob,
                                                  again: form.again != nil, reason: form.why)
                let started = try ops.startPrint(batch: String(id), order, by: actor)
                ops.executeInBackground(started, by: actor)
                return (location, "\(done): batch \(id) print \(started.id) sent to \(order.printer ?? "the last printer"); its IPP jobs are shown below")
            case "cancel":
                let o = try ops.cancelPrint(batch: String(id), reason: form.why, by: actor)
                let canceled = o.jobs.filter { $0.state == .canceled }.count
                return (location, "\(done): batch \(id) print \(o.run) cancelled: \(canceled) IPP jobs cancelled, \(o.completed) completed before")
            case "publish":
                guard let vendor = form.vendor, !vendor.isEmpty else { throw OperationError(.badInput, "choose the vendor to publish to") }
                let published = try ops.publish(batch: String(id), vendor: vendor, reason: form.why, by: actor)
                return (location, "\(done): batch \(published.id) published to \(vendor)")
            default:
                _ = try ops.purge(batch: String(id), reason: form.why, by: actor)
                return (location, "\(done): batch \(id) purged")
            }
        }
    }
}
