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

    /// The names of every net file in `Jobs/`, sorted. Only `.yaml` files are nets (`.yml` ones are
    /// refused by `validate` with a hint to rename them), so every name listed can be run.
    public func netNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: jobsDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map(PathName.stem).sorted()
    }

    /// A NET argument is a name, never a path: `run ../../other-site/Jobs/x` must not reach outside
    /// this site's `Jobs/`. Returns the operator's message, or nil if the name is usable.
    public func netNameProblem(_ name: String) -> String? {
        let looksLikePath = name.contains("/") || name.hasPrefix(".") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
        if JobNetLoader.isName(name) && !looksLikePath { return nil }
        let shown = name.escapingControls
        let base = PathName.stem(name)
        let known = netNames()
        let hint = known.contains(base) && base != name ? "; did you mean `\(base)`?"
            : Self.knownNets(known)
        return looksLikePath
            ? "'\(shown)' is a path, but NET is the name of a net in this site's Jobs/ (Jobs/NAME.yaml), without directory or .yaml; for another site's nets use --root DIR\(hint)"
            : "'\(shown)' is not a net name; net names use letters, digits, '-', '_' and '.'\(hint)"
    }

    /// The tail of a message about a net that is not there: "; known nets: a, b" (or that there are none).
    public static func knownNets(_ known: [String]) -> String {
        known.isEmpty ? "; Jobs/ has no nets" : "; known nets: \(known.joined(separator: ", "))"
    }

    public struct NetNameError: Error, CustomStringConvertible {
        public var description: String
    }

    /// What a `run NET` that names no `.yaml` file gets told.
    func missingNetHint(_ name: String) -> String {
        if FileManager.default.fileExists(atPath: jobsDirectory.appendingPathComponent("\(name).yml").path) {
            return "; Jobs/\(name).yml exists, but nets are read from .yaml files: rename it to Jobs/\(name).yaml"
        }
        let known = netNames()
        return YAMLDocument.closest(name, in: known).map { "; did you mean '\($0)'?" }
            ?? Self.knownNets(known)
    }

    /// Loads one net by name, as `run NET` does.
    public func loadNet(_ name: String) throws -> JobNet {
        if let problem = netNameProblem(name) {
            throw NetNameError(description: problem)
        }
        let path = netPath(name)
        guard FileManager.default.fileExists(atPath: path) else {
            let hint = missingNetHint(name)
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
                for yml in names.filter({ $0.hasSuffix(".yml") }).sorted() {
                    problems.append(Self.ymlProblem(relative("\(abs)/\(yml)")))
                }
                let yaml = names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(abs)/\($0)" }
                if isCalendar(abs) {
                    calendarTargets.formUnion(yaml.map(calendarName))
                } else {
                    files += yaml
                    if paths.isEmpty { calendarTargets.formUnion(calendarNames()) }
                }
            } else if abs.hasSuffix(".yml") {
                problems.append(Self.ymlProblem(relative(abs)))
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

    /// One rule for the extension: nets and calendars are `.yaml` files, since `run NET` and
    /// `calendar: NAME` look for NAME.yaml. A `.yml` file is refused rather than half-accepted.
    static func ymlProblem(_ file: String) -> Diagnostic {
        let renamed = String(file.dropLast(4)) + ".yaml"
        return Diagnostic(file: file, line: 1, column: 1,
                          message: "Nightjar reads nets and calendars from .yaml files only; rename this file to \(renamed)")
    }

    private func calendarName(_ path: String) -> String {
        PathName.stem(path)
    }

    /// Checks that span files: nets named in `after:` exist, calendars exist and are usable, and the
    /// schedule's rules can fire under the net's calendar.
    func crossCheck(_ nets: [JobNet], known: Set<String>, calendars: CalendarSet) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let executors = try? SiteConfig.load(site: self).executors
        for net in nets {
            let text = (try? String(contentsOfFile: root.appendingPathComponent(net.file).path, encoding: .utf8)) ?? ""
            let lines = text.components(separatedBy: "\n")
            if let executors { problems += executorProblems(net, lines: lines, known: executors) }
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
