import Calendars
import Foundation
import OperatorFiles
import Yams

/// Loads one `Jobs/NAME.yaml` into a `JobNet`, collecting every problem with its position.
public enum JobNetLoader {
    static let netKeys = ["name", "description", "calendar", "schedule", "timezone", "start_deadline", "end_deadline",
                          "concurrency", "after", "env", "workdir", "jobs", "shift", "business_day_starts", "missed",
                          "executor"]
    static let jobKeys = ["run", "shell", "wait_for", "needs", "timeout", "kill_grace", "retry", "exit", "env",
                          "workdir", "on_failure", "description", "executor", "cpus", "memory"]

    /// - Parameters:
    ///   - path: the file to read.
    ///   - displayPath: how to name the file in messages (relative to the site root).
    public static func load(path: String, displayPath: String? = nil) throws -> JobNet {
        let shown = displayPath ?? path
        let (text, name) = try YAMLDocument.readText(path: path, displayPath: shown)
        return try parse(text, file: shown, expectedName: name)
    }

    public static func parse(_ text: String, file: String, expectedName: String? = nil) throws -> JobNet {
        let doc = YAMLDocument(file: file)
        guard let root = doc.parse(text), let f = doc.mapping(root, what: "a job net", allowed: netKeys) else {
            throw ValidationFailure(doc.diagnostics)
        }
        let name = f.string("name") ?? ""
        if f["name"] == nil {
            doc.report(root, "a job net needs 'name:'" + (expectedName.map { " (here: name: \($0))" } ?? ""))
        } else if let expectedName, name != expectedName {
            doc.report(f["name"], "the net is named '\(name)' but its file is \(expectedName).yaml; make them match")
        } else if !isName(name) {
            doc.report(f["name"], "'\(name)' is not a valid net name; use letters, digits, '-' and '_'")
        }

        let schedule = parseSchedule(f, doc: doc)

        if let tz = f.string("timezone"), TimeZone(identifier: tz) == nil {
            doc.report(f["timezone"], "unknown time zone '\(tz)'; use an IANA name such as Asia/Tokyo")
        }

        var jobs: [Job] = []
        if let jn = f["jobs"] {
            if case .mapping(let m) = jn {
                for (k, v) in m {
                    guard let jobName = k.scalar?.string else { continue }
                    if !isName(jobName) {
                        doc.report(k, "'\(jobName)' is not a valid job name; use letters, digits, '-' and '_'")
                    }
                    if let job = parseJob(name: jobName, keyNode: k, node: v, doc: doc) { jobs.append(job) }
                }
                if m.count == 0 { doc.report(jn, "a job net needs at least one job") }
            } else {
                doc.report(jn, "'jobs' must be a mapping of job names to jobs")
            }
        } else {
            doc.report(root, "a job net needs 'jobs:'")
        }

        var net = JobNet(
            name: name,
            description: f.string("description"),
            calendar: f.string("calendar"),
            schedule: schedule.entries,
            timezone: f.string("timezone"),
            startDeadline: deadline(f, "start_deadline", doc),
            endDeadline: deadline(f, "end_deadline", doc),
            concurrency: f.int("concurrency", range: 1...1024) ?? 4,
            after: f.stringList("after") ?? [],
            env: Self.env(f, doc: doc),
            workdir: Self.text(f, "workdir", doc: doc),
            jobs: jobs,
            file: file,
            businessDayStarts: schedule.dayStarts,
            shift: schedule.shift,
            missed: schedule.missed)
        net.executor = executorName(f, doc: doc)
        checkGraph(net, root: f, doc: doc)
        if !doc.diagnostics.isEmpty { throw ValidationFailure(doc.diagnostics) }
        return net
    }

    /// Letters, digits, '-', '_' and '.', not starting with '.': a name that is never a path.
    public static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." } && s.first != "."
    }

    static func deadline(_ f: YAMLDocument.Fields, _ key: String, _ doc: YAMLDocument) -> Deadline? {
        guard let n = f[key], let text = doc.string(n, what: "'\(key)'") else { return nil }
        if let t = TimeOfDay(text) { return .at(t) }
        if let d = JobDuration.seconds(text) {
            if let problem = JobDuration.rangeProblem(d) {
                doc.report(n, "'\(key)' '\(text)' \(problem)")
                return nil
            }
            return .after(d)
        }
        doc.report(n, "'\(key)' must be a time of the business day (\"05:00\", \"29:00\" for 5 a.m. next day) or a duration from the start (\"4h\")")
        return nil
    }

    static func parseJob(name: String, keyNode: Node, node: Node, doc: YAMLDocument) -> Job? {
        guard let f = doc.mapping(node, what: "job '\(name)'", allowed: jobKeys) else { return nil }
        let kinds = ["run", "shell", "wait_for"].filter { f[$0] != nil }
        var kind: Job.Kind?
        if kinds.count != 1 {
            doc.report(keyNode, kinds.isEmpty
                ? "job '\(name)' needs one of 'run:' (an argv list), 'shell:' (a shell script) or 'wait_for:' (a file)"
                : "job '\(name)' has \(kinds.joined(separator: " and ")); give exactly one")
        } else if let r = f["run"] {
            if case .sequence(let items) = r, let argv = doc.stringList(r, what: "'run'"), !argv.isEmpty {
                for (item, arg) in zip(items, argv) { refuseNUL(arg, at: item, what: "this 'run' argument", doc: doc) }
                kind = .command(argv)
            } else if case .scalar(let s) = r {
                doc.report(r, "'run' must be an argv list such as [prog, arg1, arg2]; to use a shell say 'shell: \(s.string)'")
            } else {
                doc.report(r, "'run' must be a non-empty argv list such as [prog, arg1, arg2]")
            }
        } else if let s = f["shell"] {
            if let script = doc.string(s, what: "'shell'"), !script.isEmpty {
                refuseNUL(script, at: s, what: "'shell'", doc: doc)
                kind = .shell(script)
            }
        } else if let w = f["wait_for"] {
            kind = parseFileWait(w, doc: doc)
        }

        var retry: RetryRule?
        if let rn = f["retry"], let r = doc.mapping(rn, what: "'retry'", allowed: ["count", "delay", "backoff", "max_delay", "on_exit"]) {
            var backoff = 1.0
            if let b = r["backoff"] {
                if let v = b.scalar.flatMap({ Double($0.string) }), v >= 1, v <= 10 { backoff = v }
                else { doc.report(b, "'backoff' must be a factor from 1 to 10, for example 2 to double each delay") }
            }
            var codes: ExitCodeRanges?
            if let c = r["on_exit"], let t = doc.string(c, what: "'on_exit'") {
                codes = ExitCodeRanges(t)
                if codes == nil { doc.report(c, "'on_exit' must be exit codes such as \"1-3\" or \"75\"") }
            }
            if r["count"] == nil { doc.report(rn, "'retry' needs 'count:', the number of further attempts") }
            retry = RetryRule(count: r.int("count", range: 0...100) ?? 0, delay: r.duration("delay") ?? 0,
                              backoff: backoff, maxDelay: r.duration("max_delay"), onCodes: codes)
        }

        var judgement = ExitJudgement()
        if let en = f["exit"], let e = doc.mapping(en, what: "'exit'", allowed: ["normal", "warning", "abnormal"]) {
            func ranges(_ key: String) -> ExitCodeRanges? {
                guard let n = e[key], let t = doc.string(n, what: "'\(key)'") else { return nil }
                guard let r = ExitCodeRanges(t) else {
                    doc.report(n, "'\(key)' must be exit codes such as \"0\", \"1-3\" or \"4-\"")
                    return nil
                }
                return r
            }
            judgement = ExitJudgement(normal: ranges("normal") ?? ExitCodeRanges("0")!, warning: ranges("warning"), abnormal: ranges("abnormal"))
        }

        var policy = FailurePolicy.block
        if let p = f["on_failure"], let t = doc.string(p, what: "'on_failure'") {
            if let v = FailurePolicy(rawValue: t) { policy = v }
            else { doc.report(p, "'on_failure' must be one of \(FailurePolicy.allCases.map(\.rawValue).joined(separator: ", "))") }
        }
        if case .waitFile = kind, f["timeout"] == nil {
            doc.report(keyNode, "job '\(name)' waits for a file and needs 'timeout:' so the net cannot wait forever")
        }
        // Read every field before giving up on a job, so one pass reports all of its problems.
        let needs = f.stringList("needs") ?? [], timeout = f.duration("timeout"), grace = f.duration("kill_grace") ?? 10
        let env = Self.env(f, doc: doc), workdir = Self.text(f, "workdir", doc: doc)
        if timeout == 0 {
            doc.report(f["timeout"], "'timeout' is zero, which would stop the job at once; for no time limit leave 'timeout:' out")
        }
        let placement = parsePlacement(f, doc: doc)
        guard let kind else { return nil }
        if case .waitFile = kind, placement.executor != nil {
            doc.report(f["executor"], "job '\(name)' waits for a file, which the scheduler itself does; 'executor' is for jobs that run a command")
        }
        return Job(name: name, kind: kind, needs: needs, timeout: timeout, killGrace: grace, retry: retry, exit: judgement,
                   env: env, workdir: workdir, onFailure: policy, line: keyNode.mark?.line ?? 0,
                   executor: placement.executor, cpus: placement.cpus, memoryMB: placement.memoryMB)
    }

    static func parseFileWait(_ node: Node, doc: YAMLDocument) -> Job.Kind? {
        if case .scalar(let s) = node {
            refuseNUL(s.string, at: node, what: "the 'wait_for' path", doc: doc)
            return .waitFile(.init(path: s.string, stable: 5, interval: 1))
        }
        guard let w = doc.mapping(node, what: "'wait_for'", allowed: ["path", "stable", "interval"]) else { return nil }
        guard let path = w.string("path"), !path.isEmpty else {
            doc.report(node, "'wait_for' needs 'path:', the file to wait for")
            return nil
        }
        refuseNUL(path, at: w["path"], what: "the 'wait_for' path", doc: doc)
        let interval = w.duration("interval") ?? 1
        if interval < 0.01 {
            // A zero interval would poll the file system in a busy loop.
            doc.report(w["interval"], "'interval' must be at least 10ms, for example 1s")
        }
        return .waitFile(.init(path: path, stable: w.duration("stable") ?? 5, interval: max(interval, 0.01)))
    }

    /// A NUL in text that reaches exec(2), the environment or a path would end the C string there,
    /// silently cutting the value short; refuse it with where it is.
    static func refuseNUL(_ value: String, at node: Node?, what: String, doc: YAMLDocument) {
        guard let i = value.unicodeScalars.firstIndex(of: "\0") else { return }
        let n = value.unicodeScalars.distance(from: value.unicodeScalars.startIndex, to: i) + 1
        doc.report(node, "\(what) contains a NUL character (\\0) at character \(n), which would cut it short when the job starts; remove it")
    }

    /// A single-value key that becomes a path (`workdir`), checked for NUL.
    static func text(_ f: YAMLDocument.Fields, _ key: String, doc: YAMLDocument) -> String? {
        guard let value = f.string(key) else { return nil }
        refuseNUL(value, at: f[key], what: "'\(key)'", doc: doc)
        return value
    }

    /// `env:`: names must be shell variable names (a '=' or an empty name would corrupt the
    /// environment block), values must not hold NUL.
    static func env(_ f: YAMLDocument.Fields, doc: YAMLDocument) -> [String: String] {
        guard let n = f["env"] else { return [:] }
        guard case .mapping(let m) = n else {
            doc.report(n, "'env' must be a mapping of names to values")
            return [:]
        }
        var out: [String: String] = [:]
        for (k, v) in m {
            guard let name = k.scalar?.string, let value = v.scalar?.string else {
                doc.report(k, "'env' entries must be NAME: value")
                continue
            }
            guard isVariableName(name) else {
                doc.report(k, "'\(name)' is not a valid environment variable name; use letters, digits and '_', not starting with a digit (for example FISCAL_YEAR)")
                continue
            }
            refuseNUL(value, at: v, what: "the value of \(name)", doc: doc)
            out[name] = value
        }
        return out
    }

    static func isVariableName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Unknown `needs`, self-dependencies and cycles, reported at the offending item.
    static func checkGraph(_ net: JobNet, root: YAMLDocument.Fields, doc: YAMLDocument) {
        let names = Set(net.jobs.map(\.name))
        guard case .mapping(let jobsMap)? = root["jobs"] else { return }
        for (k, v) in jobsMap {
            guard let jobName = k.scalar?.string, case .mapping(let jm) = v,
                  let needsNode = jm.first(where: { $0.key.scalar?.string == "needs" })?.value else { continue }
            let items: [Node]
            if case .sequence(let seq) = needsNode { items = Array(seq) } else { items = [needsNode] }
            for item in items {
                guard let need = item.scalar?.string else { continue }
                if need == jobName {
                    doc.report(item, "job '\(jobName)' needs itself")
                } else if !names.contains(need) {
                    let hint = YAMLDocument.closest(need, in: Array(names)).map { "; did you mean '\($0)'?" } ?? ""
                    doc.report(item, "job '\(jobName)' needs '\(need)', which is not a job of this net\(hint)")
                }
            }
        }
        if let cycle = findCycle(net) {
            let first = cycle[0]
            let line = net.job(named: first)?.line ?? 1
            doc.report(line: line, column: 3, "the jobs depend on each other in a cycle: \(cycle.joined(separator: " → ")); remove one of these needs")
        }
    }

    /// A dependency cycle as a path that returns to its start, or nil.
    ///
    /// Iterative depth-first search with an explicit stack: a recursive walk overflowed the thread's
    /// stack on a chain of a few thousand jobs (SIGSEGV in `validate`).
    public static func findCycle(_ net: JobNet) -> [String]? {
        let byName = Dictionary(net.jobs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:]   // 1 = on the path, 2 = done
        var path: [String] = []
        // Each frame is a job on the path and the index of the next of its needs to look at.
        var stack: [(name: String, next: Int)] = []
        for j in net.jobs where state[j.name] == nil {
            state[j.name] = 1
            path.append(j.name)
            stack.append((j.name, 0))
            while let top = stack.last {
                let needs = byName[top.name]?.needs ?? []
                guard top.next < needs.count else {
                    stack.removeLast()
                    path.removeLast()
                    state[top.name] = 2
                    continue
                }
                stack[stack.count - 1].next += 1
                let m = needs[top.next]
                guard byName[m] != nil, m != top.name else { continue }
                if state[m] == 1, let i = path.lastIndex(of: m) { return (Array(path[i...]) + [m]).reversed() }
                if state[m] == nil {
                    state[m] = 1
                    path.append(m)
                    stack.append((m, 0))
                }
            }
        }
        return nil
    }
}
