import Calendars
import Foundation
import OperatorFiles
import Yams

/// What `validate` warns about but does not refuse: things that are right in the file but will
/// probably go wrong at night (a program that is not there, a deadline that fires every time).
/// Warnings never stop a net from loading or running, since the machine running it may differ.
extension Site {
    public func warnings(for nets: [JobNet]) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for net in nets {
            let positions = Positions(path: root.appendingPathComponent(net.file).path)
            for job in net.jobs {
                guard case .command(let argv) = job.kind, let program = argv.first else { continue }
                let workdir = directory(job.workdir ?? net.workdir)
                if let why = programProblem(program, workdir: workdir) {
                    let (l, c) = positions.program(ofJob: job.name) ?? (max(job.line, 1), 1)
                    found.append(Diagnostic(file: net.file, line: l, column: c,
                                            message: "job '\(job.name)': \(why)", severity: .warning))
                }
            }
            found += deadlineWarnings(net, positions: positions)
        }
        return found
    }

    /// The `notify:` command of `nightjar.yaml`, looked up the way alerts run it.
    public func notifyWarnings(_ config: SiteConfig) -> [Diagnostic] {
        guard let program = config.notify?.first else { return [] }
        // Alerts run a relative command from the site root when it is there, else by PATH.
        let local = root.appendingPathComponent(program).path
        if !program.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: local) { return [] }
        guard let why = programProblem(program, workdir: root.path) else { return [] }
        let positions = Positions(path: root.appendingPathComponent("nightjar.yaml").path)
        let (l, c) = positions.topLevel("notify", first: true) ?? (1, 1)
        return [Diagnostic(file: "nightjar.yaml", line: l, column: c,
                           message: "'notify': \(why); alerts are still recorded, but nobody is told", severity: .warning)]
    }

    /// A job's working directory: the site root unless the net or job says otherwise (relative to the root).
    func directory(_ workdir: String?) -> String? {
        guard let workdir else { return root.path }
        if workdir.contains("${") { return nil }
        return workdir.hasPrefix("/") ? workdir : root.appendingPathComponent(workdir).path
    }

    /// Why `program` (argv[0]) cannot be started from `workdir`, or nil if it can (or cannot be known).
    func programProblem(_ program: String, workdir: String?) -> String? {
        // A program named through a variable is only known when the job starts.
        if program.contains("${") || program.isEmpty { return nil }
        let fm = FileManager.default
        if program.contains("/") {
            let path: String
            if program.hasPrefix("/") { path = program } else {
                guard let workdir else { return nil }
                path = URL(fileURLWithPath: workdir).appendingPathComponent(program).path
            }
            var isDir: ObjCBool = false
            if !fm.fileExists(atPath: path, isDirectory: &isDir) {
                let base = workdir.map { URL(fileURLWithPath: $0).standardizedFileURL.path == root.path ? "the site root" : relative($0) } ?? "the site root"
                return "the program \(program) does not exist" + (program.hasPrefix("/") ? "" : " (relative to \(base))")
            }
            if isDir.boolValue || !fm.isExecutableFile(atPath: path) { return "the program \(program) is not executable (chmod +x?)" }
            return nil
        }
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        if dirs.contains(where: { fm.isExecutableFile(atPath: "\($0)/\(program)") }) { return nil }
        return "the program \(program) is not on PATH here; give its path, or check the scheduler's PATH"
    }

    /// Deadlines (as times of the business day) that come before a start they guard: they would
    /// alert on every run.
    func deadlineWarnings(_ net: JobNet, positions: Positions) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let dayStarts = net.dayStarts
        for (key, deadline) in [("start_deadline", net.startDeadline), ("end_deadline", net.endDeadline)] {
            guard case .at(let t)? = deadline else { continue }
            let d = Schedule.offset(of: t, dayStarts: dayStarts)
            let early = net.schedule.filter { key == "end_deadline" ? Schedule.offset(of: $0.at, dayStarts: dayStarts) >= d
                                                                     : Schedule.offset(of: $0.at, dayStarts: dayStarts) > d }
            guard let start = early.max(by: { Schedule.offset(of: $0.at, dayStarts: dayStarts) < Schedule.offset(of: $1.at, dayStarts: dayStarts) }) else { continue }
            let (l, c) = positions.topLevel(key) ?? (1, 1)
            let day = net.businessDayStarts.map { "business_day_starts \($0)" } ?? "the business day starting at midnight"
            found.append(Diagnostic(file: net.file, line: l, column: c, message:
                "'\(key)' \(t) comes before the \(start.at) start it guards (with \(day)), so every run would raise an alert; "
                + "write a later time (one before the business day starts means the next morning) or a duration such as \"4h\"",
                severity: .warning))
        }
        return found
    }

    /// Positions of keys in a file, read again only for warnings (the model keeps job lines only).
    struct Positions {
        let root: Node?

        init(path: String) {
            let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            root = try? Yams.compose(yaml: text)
        }

        func value(_ node: Node?, _ key: String) -> Node? {
            guard case .mapping(let m)? = node else { return nil }
            return m.first { $0.key.scalar?.string == key }?.value
        }

        func mark(_ node: Node?) -> (Int, Int)? { node?.mark.map { ($0.line, $0.column) } }

        func topLevel(_ key: String, first: Bool = false) -> (Int, Int)? {
            let v = value(root, key)
            if first, case .sequence(let s)? = v, let item = s.first { return mark(item) }
            return mark(v)
        }

        func program(ofJob name: String) -> (Int, Int)? {
            guard case .sequence(let argv)? = value(value(value(root, "jobs"), name), "run"), let first = argv.first else { return nil }
            return mark(first)
        }
    }
}
