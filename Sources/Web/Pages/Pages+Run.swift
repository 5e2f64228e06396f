import Downloads
import Foundation
import HTTPTypes
import Hummingbird
import Operations
import Scheduler

/// The Run page (every job of a run: state, attempt, exit code, start, duration, message), a job's page
/// (its attempts, its log followed live while it runs, the whole log as a download) and the operator
/// actions, which call the same `Operations` functions as the CLI verbs and the API.
extension Pages {
    func registerRunPages(on router: Router<WebContext>) {
        router.get("/runs/{run}") { request, context in try await self.runPage(request, context) }
        router.get("/runs/{run}/jobs/{job}") { request, context in try await self.jobPage(request, context) }
        router.get("/runs/{run}/jobs/{job}/attempts/{attempt}/{stream}/tail") { request, context in try await self.logTail(request, context) }
        router.get("/runs/{run}/jobs/{job}/attempts/{attempt}/{stream}/download") { request, context in try await self.logDownload(request, context) }
        router.post("/runs/{run}/kill") { request, context in try await self.runAction(request, context, "kill") }
        router.post("/runs/{run}/rerun") { request, context in try await self.runAction(request, context, "rerun") }
        router.post("/runs/{run}/jobs/{job}/{verb}") { request, context in try await self.jobAction(request, context) }
    }

    /// The page of an id that does not exist, or some other refusal of a read, as a readable page.
    func readFailure(_ request: Request, _ identity: Identity, _ error: Error) -> Response {
        let web = (error as? WebError) ?? WebError.from(OperationError.classify(error))
        return messagePage(request, identity, status: web.status, heading: Language(request).consoleAll["refused"] ?? "", message: web.message,
                           back: "/" + Self.query(request))
    }

    /// Jobs a Run page lists at once; the rest are a page link away (the counts cover the whole run).
    static let runPageSize = 500

    func runPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Console.toLogin }
        let id = try HTTPIO.id(context, "run", what: "run")
        let only = request.uri.queryParameters.get("state").map { String($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let page = max(1, request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1)
        let ops = ops, size = Self.runPageSize
        let detail: Operations.RunDetail
        let token: String
        do {
            // The state's change token first: a change after it is announced to the page's stream.
            (token, detail) = try await blocking {
                (try ChangeFeed.readToken(ops.store), try ops.runDetail(id, state: only, offset: (page - 1) * size, limit: size))
            }
        } catch {
            return readFailure(request, identity, error)
        }
        let labels = Language(request).consoleAll
        let run = detail.run, zone = ops.zone, now = clock()
        // Live: the console script swaps the state, counts and jobs in on each change (an ended run too,
        // which a rerun reopens).
        var values = console(request, identity, title: "\(run.net) \(labels["run"] ?? "") \(id)", section: .nets, live: true)
        values["token"] = token
        values["id"] = id
        values["net"] = run.net
        values["netPath"] = ConsoleLayout.percent(run.net)
        values["businessDate"] = run.businessDate
        values["colour"] = ConsoleLayout.colours[run.state.rawValue] ?? ""
        values["stateLabel"] = labels[run.state.rawValue] ?? run.state.rawValue
        values["trigger"] = run.trigger
        values["created"] = ConsoleLayout.dateTime(run.createdAt, zone)
        values["started"] = ConsoleLayout.dateTime(run.startedAt, zone)
        values["ended"] = ConsoleLayout.dateTime(run.endedAt, zone)
        values["duration"] = ConsoleLayout.duration(from: run.startedAt, to: run.endedAt, now: now)
        if let message = run.message { values["message"] = message }
        values["active"] = !run.isEnded
        if let hold = detail.netHold {
            values["netHeld"] = true
            values["netHeldBy"] = hold.user
            if let reason = hold.reason { values["netHeldReason"] = reason }
        }
        // Counts by state of the whole run, in the states' own order, each a link to its jobs.
        values["counts"] = (JobState.allCases.map(\.rawValue) + ["held"]).compactMap { s -> [String: Any]? in
            guard let n = detail.counts[s] else { return nil }
            return ["state": s, "label": labels[s] ?? s, "count": n, "colour": ConsoleLayout.colours[s] ?? "", "current": s == only]
        }
        values["jobCount"] = detail.jobCount
        values["filtered"] = only != nil
        values["matching"] = detail.matching
        values["attentionFirst"] = only == nil && detail.matching > detail.jobs.count
        if !detail.jobs.isEmpty {
            values["shownFrom"] = detail.offset + 1
            values["shownTo"] = detail.offset + detail.jobs.count
        }
        // Page links keep the state asked for and the language.
        func pageLink(_ n: Int) -> String {
            var items: [String] = []
            if let only { items.append("state=" + ConsoleLayout.percent(only)) }
            if n > 1 { items.append("page=\(n)") }
            if let lang = request.uri.queryParameters.get("lang") { items.append("lang=" + (lang == "en" ? "en" : "ja")) }
            return items.isEmpty ? "/runs/\(id)" : "/runs/\(id)?" + items.joined(separator: "&")
        }
        let pages = max(1, (detail.matching + size - 1) / size)
        if pages > 1 {
            var links: [String: Any] = ["number": page, "of": pages]
            if page > 1 { links["prev"] = pageLink(page - 1) }
            if page < pages { links["next"] = pageLink(page + 1) }
            values["pages"] = links
        }
        values["jobRows"] = Self.jobRows(detail.jobs, run: run, labels: labels, query: Self.query(request), zone: zone, now: now)
        return consolePage("console-run", values, request: request)
    }

    /// The rows of the jobs table, written by hand: one pass, one string, every value escaped.
    static func jobRows(_ jobs: [Operations.JobLine], run: RunRecord, labels: [String: String], query: String, zone: TimeZone, now: Double) -> String {
        var out = ""
        out.reserveCapacity(jobs.count * 420)
        let base = "/runs/\(run.id)/jobs/"
        let logsWord = ConsoleLayout.escape(labels["logs"] ?? "logs")
        let sep = query.isEmpty ? "?" : query + "&"
        // Each state's pill, written once: the same colours as Tonight's.
        func pill(_ state: String) -> String {
            "<span class=\"state\" style=\"--c:\(ConsoleLayout.colours[state] ?? "")\">\(ConsoleLayout.escape(labels[state] ?? state))</span>"
        }
        var pills: [JobState: String] = [:]
        for s in JobState.allCases { pills[s] = pill(s.rawValue) }
        let heldPill = " " + pill("held")
        let day = run.startedAt ?? run.createdAt
        let offsets = ZoneOffsets(zone)
        for j in jobs {
            let name = ConsoleLayout.escape(j.name), link = base + ConsoleLayout.escape(ConsoleLayout.percent(j.name))
            out += "<tr id=\"job-"; out += name; out += "\"><td class=\"name\"><a href=\""; out += link; out += query; out += "\">"
            out += name; out += "</a></td><td>"; out += pills[j.state] ?? ""
            if j.held { out += heldPill }
            out += "</td><td class=\"n\">"
            if j.attempts > 0 { out += String(j.attempts) }
            out += "</td><td class=\"n\">"
            if let code = j.exitCode { out += String(code) }
            out += "</td><td>"; out += ConsoleLayout.time(j.startedAt, zone, sameDayAs: day, offsets: offsets)
            out += "</td><td class=\"n\">"; out += ConsoleLayout.duration(from: j.startedAt, to: j.endedAt, now: now)
            out += "</td><td class=\"msg\">"
            if let m = j.message { out += ConsoleLayout.escape(m) }
            out += "</td><td>"
            if let n = j.attempt, j.hasOutput {
                out += "<a href=\""; out += link; out += sep; out += "attempt="; out += String(n); out += "#log\">"; out += logsWord; out += "</a>"
            }
            out += "</td></tr>\n"
        }
        return out
    }

    /// How many bytes of a log the job page shows (its end); the download has it all.
    static let tailBytes = 64 << 10

    func jobPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Console.toLogin }
        let id = try HTTPIO.id(context, "run", what: "run"), job = try HTTPIO.parameter(context, "job")
        let ops = ops
        let found: (run: RunRecord, job: JobRecord, attempts: [AttemptRecord])
        do { found = try await blocking { try ops.attemptRecords(run: id, job: job) } } catch { return readFailure(request, identity, error) }
        let labels = Language(request).consoleAll
        let (run, record) = (found.run, found.job)
        let zone = ops.zone, now = clock(), query = Self.query(request)
        let sep = query.isEmpty ? "?" : query + "&"
        let jobPath = "/runs/\(id)/jobs/\(ConsoleLayout.percent(job))"
        var values = console(request, identity, title: "\(job) — \(run.net) \(labels["run"] ?? "") \(id)", section: .nets)
        values["run"] = id
        values["net"] = run.net
        values["netPath"] = ConsoleLayout.percent(run.net)
        values["job"] = job
        values["businessDate"] = run.businessDate
        values["colour"] = ConsoleLayout.colours[record.state.rawValue] ?? ""
        values["heldColour"] = ConsoleLayout.colours["held"] ?? ""
        values["stateLabel"] = labels[record.state.rawValue] ?? record.state.rawValue
        values["held"] = record.held
        values["attempts"] = record.attempts
        values["exitCode"] = record.exitCode.map { String($0) } ?? "—"
        values["started"] = ConsoleLayout.dateTime(record.startedAt, zone)
        values["ended"] = ConsoleLayout.dateTime(record.endedAt, zone)
        values["duration"] = ConsoleLayout.duration(from: record.startedAt, to: record.endedAt, now: now)
        if let message = record.message { values["message"] = message }

        // Only the actions the job's state allows: the operations layer would refuse the others.
        var actions: [[String: Any]] = []
        func action(_ verb: String, _ kind: String) {
            actions.append(["path": "\(jobPath)/\(verb)", "label": labels[Self.actionLabel(verb)] ?? verb, "kind": kind, "id": verb])
        }
        if !run.isEnded {
            if record.held { action("release", "go") } else if record.state == .waiting || record.state == .retryWait { action("hold", "") }
            if record.state == .running { action("kill", "danger") }
            if !record.state.isEnded && record.state != .running { action("skip", "") }
        } else {
            if record.state != .normal && record.state != .skipped { action("skip", "") }
            action("rerun-from", "go")
            action("rerun-only", "go")
        }
        values["actions"] = actions

        values["hasAttempts"] = !found.attempts.isEmpty
        values["attemptRows"] = found.attempts.map { a -> [String: Any] in
            let state = a.state == .ended ? (a.verdict ?? "ended-attempt") : a.state.rawValue
            return ["number": a.number, "stateClass": state, "stateLabel": labels[state] ?? state,
                    "exitCode": a.exitCode.map { String($0) } ?? a.signal.map { "signal \($0)" } ?? "",
                    "verdict": [a.timedOut ? "timed out" : nil, a.killed ? "killed" : nil].compactMap { $0 }.joined(separator: ", "),
                    "start": ConsoleLayout.dateTime(a.startedAt, zone), "duration": ConsoleLayout.duration(from: a.startedAt, to: a.endedAt, now: now),
                    "message": a.message ?? "", "placement": a.placement ?? "", "view": "\(jobPath)\(sep)attempt=\(a.number)"]
        }
        // The log of the attempt asked for, else the latest.
        let asked = request.uri.queryParameters.get("attempt").flatMap { Int($0) }
        if let attempt = asked.flatMap({ n in found.attempts.first { $0.number == n } }) ?? found.attempts.last {
            let stream = request.uri.queryParameters.get("stream") == "stderr" ? "stderr" : "stdout"
            let path = stream == "stdout" ? attempt.stdoutPath : attempt.stderrPath
            let tail = try await blocking { LogTail.read(path, from: nil, limit: Self.tailBytes) }
            let other = stream == "stdout" ? "stderr" : "stdout"
            let following = attempt.state == .running && !run.isEnded
            values["live"] = following   // the console script follows the log
            let attemptPath = "/runs/\(id)/jobs/\(ConsoleLayout.percent(job))/attempts/\(attempt.number)/\(stream)"
            values["log"] = [
                "number": attempt.number, "hasText": !tail.bytes.isEmpty, "streamLabel": labels[stream] ?? stream, "text": tail.text, "offset": tail.next,
                "truncated": tail.start > 0, "size": Self.size(tail.size),
                "follow": following, "followFlag": following ? "1" : "0",
                "tail": "\(attemptPath)/tail", "download": "\(attemptPath)/download",
                "otherStream": "\(jobPath)\(sep)attempt=\(attempt.number)&stream=\(other)#log", "otherStreamLabel": labels[other] ?? other,
            ] as [String: Any]
        }
        return consolePage("console-job", values, request: request)
    }

    static func actionLabel(_ verb: String) -> String {
        switch verb {
        case "rerun-from": return "rerunFrom"
        case "rerun-only": return "rerunOnly"
        default: return verb
        }
    }

    /// The attempt's log file for the tail and the download routes.
    func logPath(_ context: WebContext) async throws -> (path: String?, name: String, running: Bool) {
        let id = try HTTPIO.id(context, "run", what: "run"), job = try HTTPIO.parameter(context, "job")
        let stream = try HTTPIO.parameter(context, "stream")
        guard stream == "stdout" || stream == "stderr" else { throw WebError(.notFound, "a log is stdout or stderr, not \(stream)") }
        guard let number = context.parameters.get("attempt").flatMap({ Int($0) }) else { throw WebError(.notFound, "attempts are numbered from 1") }
        let ops = ops
        let found = try await blocking { try ops.attemptRecords(run: id, job: job) }
        guard let attempt = found.attempts.first(where: { $0.number == number }) else {
            throw WebError(.notFound, "job \(job) of run \(id) has no attempt \(number)")
        }
        let name = "\(found.run.net)-run\(id)-\(job)-attempt\(number).\(stream).log"
        return (stream == "stdout" ? attempt.stdoutPath : attempt.stderrPath, name, attempt.state == .running && !found.run.isEnded)
    }

    /// The log's bytes from `?from=OFFSET` (at most 1 MiB), for the job page's live log: `X-Log-Next`
    /// is the offset to ask for next, `X-Log-Running` whether more may come.
    func logTail(_ request: Request, _ context: WebContext) async throws -> Response {
        _ = try await Access.read.check(request, context, store: ops.store)
        let (path, _, running) = try await logPath(context)
        let from = request.uri.queryParameters.get("from").flatMap { Int64($0) }.map { max(0, $0) } ?? 0
        let tail = try await blocking { LogTail.read(path, from: from, limit: 1 << 20) }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store",
                                               HTTPField.Name("X-Log-Next")!: String(tail.next),
                                               HTTPField.Name("X-Log-Running")!: running ? "true" : "false"],
                        body: .init(byteBuffer: ByteBuffer(bytes: tail.bytes)))
    }

    /// The whole log, streamed from disk in chunks, with HTTP Range to resume.
    func logDownload(_ request: Request, _ context: WebContext) async throws -> Response {
        _ = try await Access.read.check(request, context, store: ops.store)
        var (path, name, _) = try await logPath(context)
        var type = "text/plain; charset=utf-8"
        if let gz = path.flatMap(JobLogFile.compressed) {
            // Compressed by `nightjar gc`: the compressed file as it is (zcat reads it; Range still works).
            (path, name, type) = (gz, name + JobLogFile.compressedSuffix, "application/gzip")
        }
        let headers: HTTPFields = [.contentType: type, .cacheControl: "private, no-store", .acceptRanges: "bytes",
                                   .contentDisposition: Download.attachment(name), HTTPField.Name("X-Content-Type-Options")!: "nosniff"]
        guard let path, let handle = FileHandle(forReadingAtPath: path) else {
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer()))   // no output yet
        }
        let length = Int64((try? handle.seekToEnd()) ?? 0)
        let range = RangeRequest(header: request.headers[.range], length: length)
        guard let (offset, count) = range.bytes(length: length) else {
            try? handle.close()
            throw WebError(.rangeNotSatisfiable, "the log has \(length) bytes", headers: [.contentRange: "bytes */\(length)"])
        }
        var fields = headers
        if let contentRange = range.contentRange(length: length) { fields[.contentRange] = contentRange }
        let file = LogFileReader(handle: handle, offset: offset, count: count)
        let body = ResponseBody(contentLength: Int(count)) { writer in
            defer { file.close() }
            while let chunk = try await blocking({ try file.next() }) { try await writer.write(ByteBuffer(bytes: chunk)) }
            try await writer.finish(nil)
        }
        return Response(status: range.status == 206 ? .partialContent : .ok, headers: fields, body: body)
    }

    // MARK: Actions

    func runAction(_ request: Request, _ context: WebContext, _ verb: String) async throws -> Response {
        let id = try HTTPIO.id(context, "run", what: "run")
        let ops = ops, query = Self.query(request), labels = Language(request).consoleAll
        let done = labels["done"] ?? ""
        return try await consoleAction(request, context, back: "/runs/\(id)\(query)") { form, actor in
            let location = "/runs/\(id)\(query)"
            if verb == "kill" {
                return (location, "\(done): " + (try ops.kill(net: try ops.run(id).net, job: nil, run: id, reason: form.why, by: actor)))
            }
            let job = form.job?.trimmingCharacters(in: .whitespaces) ?? ""
            let scope: Operations.RerunScope
            switch form.scope ?? "failed" {
            case "failed": scope = .failed
            case "from" where !job.isEmpty: scope = .from(job)
            case "only" where !job.isEmpty: scope = .only(job)
            default: throw OperationError(.badInput, "give the job to rerun from, or only, by its name")
            }
            let jobs = try ops.rerun(id, scope: scope, reason: form.why, by: actor)
            return (location, "\(done): run \(id): rerunning \(jobs.joined(separator: ", ")); left for the daemon")
        }
    }

    func jobAction(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try HTTPIO.id(context, "run", what: "run"), job = try HTTPIO.parameter(context, "job"), verb = try HTTPIO.parameter(context, "verb")
        let ops = ops, query = Self.query(request), labels = Language(request).consoleAll
        let done = labels["done"] ?? ""
        let back = "/runs/\(id)/jobs/\(ConsoleLayout.percent(job))\(query)"
        guard ["hold", "release", "skip", "kill", "rerun-from", "rerun-only"].contains(verb) else {
            throw WebError(.notFound, "no action \(verb): hold, release, skip, kill, rerun-from, rerun-only")
        }
        return try await consoleAction(request, context, back: back) { form, actor in
            let net = try ops.run(id).net
            // Back to the run page, at the job's row: on the page where its new state puts it.
            func location() -> String {
                let page = ((try? ops.runPosition(id, job: job)) ?? nil).map { $0 / Self.runPageSize + 1 } ?? 1
                let at = page > 1 ? (query.isEmpty ? "?page=\(page)" : query + "&page=\(page)") : query
                return "/runs/\(id)\(at)#job-\(ConsoleLayout.percent(job))"
            }
            let notice: String
            switch verb {
            case "hold", "release":
                notice = "\(done): " + (try ops.hold(verb == "hold", net: net, job: job, run: id, reason: form.why, by: actor))
            case "kill":
                notice = "\(done): " + (try ops.kill(net: net, job: job, run: id, reason: form.why, by: actor))
            case "skip":
                switch try ops.skip(net: net, job: job, run: id, reason: form.why, by: actor) {
                case .applied(let result): notice = "\(done): \(result)"
                case let .reopened(run, _): notice = "\(done): \(job) marked ended normally; run \(run) reopened and left for the daemon"
                }
            default:
                let jobs = try ops.rerun(id, scope: verb == "rerun-from" ? .from(job) : .only(job), reason: form.why, by: actor)
                notice = "\(done): run \(id): rerunning \(jobs.joined(separator: ", ")); left for the daemon"
            }
            return (location(), notice)
        }
    }
}

/// A piece of a log file: where it starts, its bytes and text, and where the next piece starts.
struct LogTail {
    var start: Int64
    var bytes: [UInt8]
    var next: Int64
    var size: Int64
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// From `from` (nil: the last `limit` bytes, starting after a line break), at most `limit` bytes.
    /// A missing file is an empty log: the supervisor creates it on the first output.
    static func read(_ path: String?, from: Int64?, limit: Int) -> LogTail {
        var start: Int64, bytes: [UInt8], size: Int64
        if let gz = path.flatMap(JobLogFile.compressed) {
            // Compressed by `nightjar gc`, so long ended: its tail once, and nothing more to follow.
            guard from == nil, let (data, length) = try? JobLogFile.compressedTail(gz, limit: limit) else {
                return LogTail(start: from ?? 0, bytes: [], next: from ?? 0, size: 0)
            }
            (bytes, size) = ([UInt8](data), length)
            start = length - Int64(bytes.count)
        } else {
            guard let path, let handle = FileHandle(forReadingAtPath: path) else { return LogTail(start: 0, bytes: [], next: from ?? 0, size: 0) }
            defer { try? handle.close() }
            size = Int64((try? handle.seekToEnd()) ?? 0)
            start = min(from ?? max(0, size - Int64(limit)), size)
            try? handle.seek(toOffset: UInt64(start))
            bytes = [UInt8]((try? handle.read(upToCount: limit)) ?? Data())
        }
        if from == nil, start > 0, let newline = bytes.firstIndex(of: 0x0A) {
            bytes.removeSubrange(...newline)
            start += Int64(newline + 1)
        } else if from != nil {
            // Stop at the last complete UTF-8 character: the rest comes with the next piece.
            var end = bytes.count
            var back = 0
            while end > 0, back < 4, bytes[end - 1] & 0xC0 == 0x80 { end -= 1; back += 1 }
            if end > 0, bytes[end - 1] >= 0xC0 {
                let lead = bytes[end - 1], need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                if bytes.count - (end - 1) < need { bytes.removeSubrange((end - 1)...) }
            }
        }
        return LogTail(start: start, bytes: bytes, next: start + Int64(bytes.count), size: size)
    }
}

/// Reads a byte range of an open file one chunk at a time for a streamed answer. The body writer
/// awaits each `next()` before asking for another, so the handle is never used by two threads at once.
final class LogFileReader: @unchecked Sendable {
    private let handle: FileHandle
    private var left: Int64

    init(handle: FileHandle, offset: Int64, count: Int64) {
        self.handle = handle
        left = count
        try? handle.seek(toOffset: UInt64(offset))
    }

    func next() throws -> [UInt8]? {
        guard left > 0 else { return nil }
        let data = try handle.read(upToCount: Int(min(left, 256 << 10))) ?? Data()
        guard !data.isEmpty else { return nil }
        left -= Int64(data.count)
        return [UInt8](data)
    }

    func close() { try? handle.close() }
}
