import Foundation
import OperatorFiles

/// A site root: the directory holding `Jobs/` and `Forms/`, plus optional `nightjar.yaml`.
public struct Site: Sendable {
    public let root: URL

    public init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL
    }

    public var jobsDirectory: URL { root.appendingPathComponent("Jobs") }

    public func netPath(_ name: String) -> String { jobsDirectory.appendingPathComponent("\(name).yaml").path }

    /// The names of every net file in `Jobs/`, sorted.
    public func netNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map(PathName.stem).sorted()
    }

    /// Loads one net by name, as `run NET` does.
    public func loadNet(_ name: String) throws -> JobNet {
        let path = netPath(name)
        guard FileManager.default.fileExists(atPath: path) else {
            let known = netNames()
            let hint = YAMLDocument.closest(name, in: known).map { "; did you mean '\($0)'?" }
                ?? (known.isEmpty ? "; Jobs/ has no nets" : "; known nets: \(known.joined(separator: ", "))")
            throw ValidationFailure([Diagnostic(file: "Jobs/\(name).yaml", line: 1, column: 1,
                                                message: "no such job net\(hint)")])
        }
        let net = try JobNetLoader.load(path: path, displayPath: "Jobs/\(name).yaml")
        let calendars = loadCalendars()
        let problems = crossCheck([net], known: Set(netNames()), calendars: calendars)
            + calendars.problems(concerning: Set([net.calendar].compactMap { $0 }))
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return net
    }

    /// What `validate` found: the nets and calendars that are usable and every problem.
    public struct Validation: Sendable {
        public var nets: [JobNet]
        public var calendars: CalendarSet
        public var problems: [Diagnostic]
    }

    /// Validates files or directories (default: all of `Jobs/`); returns the nets that loaded and
    /// every problem found, across files too (`after:` naming an unknown net, missing calendars).
    public func validate(paths: [String]) -> (nets: [JobNet], problems: [Diagnostic]) {
        let v = validation(paths: paths)
        return (v.nets, v.problems)
    }

    /// Validates nets and calendars. Without paths: every net in `Jobs/` and every calendar in
    /// `Jobs/calendars/`. With paths: those files and directories (a file or directory under
    /// `Jobs/calendars/` is read as calendars), plus the calendars the nets use.
    public func validation(paths: [String]) -> Validation {
        var files: [String] = []
        var calendarTargets = Set<String>()
        let targets = paths.isEmpty ? [jobsDirectory.path] : paths
        var problems: [Diagnostic] = []
        let calendarsPath = calendarsDirectory.standardizedFileURL.path
        func isCalendar(_ path: String) -> Bool {
            URL(fileURLWithPath: path).standardizedFileURL.path.hasPrefix(calendarsPath + "/")
                || URL(fileURLWithPath: path).standardizedFileURL.path == calendarsPath
        }
        for p in targets {
            let abs = p.hasPrefix("/") ? p : root.appendingPathComponent(p).path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: abs, isDirectory: &isDir) else {
                problems.append(Diagnostic(file: p, line: 1, column: 1, message: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: abs)) ?? []
                let yaml = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(abs)/\($0)" }
                if isCalendar(abs) {
                    calendarTargets.formUnion(yaml.map(calendarName))
                } else {
                    files += yaml
                    if paths.isEmpty { calendarTargets.formUnion(calendarNames()) }
                }
            } else if isCalendar(abs) {
                calendarTargets.insert(calendarName(abs))
            } else {
                files.append(abs)
            }
        }
        var nets: [JobNet] = []
        for f in files {
            do {
                nets.append(try JobNetLoader.load(path: f, displayPath: relative(f)))
            } catch let v as ValidationFailure {
                problems += v.diagnostics
            } catch {
                problems.append(Diagnostic(file: relative(f), line: 1, column: 1, message: "\(error)"))
            }
        }
        let calendars = loadCalendars()
        problems += calendars.problems(concerning: calendarTargets.union(nets.compactMap(\.calendar)))
        problems += crossCheck(nets, known: Set(netNames()), calendars: calendars)
        return Validation(nets: nets, calendars: calendars, problems: problems)
    }

    private func calendarName(_ path: String) -> String {
        PathName.stem(path)
    }

    /// Checks that span files: nets named in `after:` exist, calendars exist and are usable, and the
    /// schedule's rules can fire under the net's calendar.
    func crossCheck(_ nets: [JobNet], known: Set<String>, calendars: CalendarSet) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for net in nets {
            let text = (try? String(contentsOfFile: root.appendingPathComponent(net.file).path, encoding: .utf8)) ?? ""
            let lines = text.components(separatedBy: "\n")
            /// Where a top-level key's value starts (its line, and the column after "key: ").
            func position(ofKey key: String) -> (Int, Int) {
                for (i, l) in lines.enumerated() where l.hasPrefix("\(key):") {
                    let rest = l.dropFirst(key.count + 1)
                    let spaces = rest.prefix { $0 == " " }.count
                    return (i + 1, rest.count > spaces && rest.dropFirst(spaces).first != "#" ? key.count + 2 + spaces : 1)
                }
                return (1, 1)
            }
            for other in net.after where !known.contains(other) {
                let (l, c) = position(ofKey: "after")
                problems.append(Diagnostic(file: net.file, line: l, column: c,
                                           message: "'after' names the net '\(other)', but Jobs/\(other).yaml does not exist"))
            }
            if net.after.contains(net.name) {
                let (l, c) = position(ofKey: "after")
                problems.append(Diagnostic(file: net.file, line: l, column: c, message: "a net cannot wait for itself in 'after'"))
            }
            if let cal = net.calendar, calendars.calendar(named: cal) == nil {
                let (l, c) = position(ofKey: "calendar")
                if let file = calendars.file(named: cal) {
                    problems.append(Diagnostic(file: net.file, line: l, column: c,
                                               message: "calendar '\(cal)' has errors; fix \(file) first"))
                } else {
                    let known = calendars.names
                    let hint = YAMLDocument.closest(cal, in: known).map { "; did you mean '\($0)'?" }
                        ?? (known.isEmpty ? "" : "; known calendars: \(known.joined(separator: ", "))")
                    problems.append(Diagnostic(file: net.file, line: l, column: c,
                                               message: "unknown calendar '\(cal)': Jobs/calendars/\(cal).yaml does not exist\(hint)"))
                }
            }
            // Rules that the net's calendar makes impossible (the 24th operating day when only
            // weekdays open, the 22nd in February alone; Saturdays with 'skip' when Saturdays are closed).
            if let calendar = calendars.calendar(named: net.calendar) {
                var seen = Set<String>()
                for e in net.schedule {
                    guard let why = e.days.validate(calendar: calendar, shift: e.shift, months: e.months.map(Set.init)),
                          seen.insert("\(e.line):\(e.column):\(why)").inserted else { continue }
                    problems.append(Diagnostic(file: net.file, line: max(e.line, 1), column: max(e.column, 1),
                                               message: JobNetLoader.yamlWording(why)))
                }
            }
        }
        return problems
    }

    public func relative(_ path: String) -> String {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let std = URL(fileURLWithPath: path).standardizedFileURL.path
        return std.hasPrefix(base) ? String(std.dropFirst(base.count)) : path
    }
}
