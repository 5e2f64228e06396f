import Calendars
import Foundation
import OperatorFiles

/// Every calendar of a site (`Jobs/calendars/*.yaml`), resolved through `extends:`, with every problem
/// found. A calendar with a problem, or extending one, is not resolved: nothing runs by it.
public struct CalendarSet: Sendable {
    /// The files that parsed, by name.
    public private(set) var files: [String: CalendarFile] = [:]
    /// Calendars that are usable, by name.
    public private(set) var calendars: [String: OperatingCalendar] = [:]
    /// Names of every calendar file, usable or not, sorted.
    public private(set) var names: [String] = []
    public private(set) var problems: [Diagnostic] = []
    /// The file each name was read from, relative to the site root.
    private var paths: [String: String] = [:]

    public init() {}

    /// Reads and resolves calendar files (absolute path, path shown in messages).
    init(reading entries: [(path: String, shown: String)]) {
        for (path, shown) in entries {
            let name = PathName.stem(path)
            names.append(name)
            paths[name] = shown
            do {
                files[name] = try CalendarFile.load(path: path, displayPath: shown)
            } catch let v as ValidationFailure {
                problems += v.diagnostics
            } catch {
                problems.append(Diagnostic(file: shown, line: 1, column: 1, message: "\(error)"))
            }
        }
        names.sort()
        resolveAll()
    }

    /// The calendar a net runs by: the named one, or the standard city office when `name` is nil.
    /// Nil when the named calendar does not exist or has problems.
    public func calendar(named name: String?) -> OperatingCalendar? {
        guard let name else { return OperatingCalendar.standard }
        return calendars[name]
    }

    public func file(named name: String) -> String? { paths[name] }

    /// The problems in the named calendars' files and the files they extend.
    public func problems(concerning wanted: Set<String>) -> [Diagnostic] {
        var files = Set<String>()
        for name in wanted {
            var current: String? = name
            var seen = Set<String>()
            while let n = current, seen.insert(n).inserted {
                if let p = paths[n] { files.insert(p) }
                current = self.files[n]?.extends
            }
        }
        return problems.filter { files.contains($0.file) }
    }

    private mutating func resolveAll() {
        var state: [String: Bool] = [:]          // false while being resolved, true when done
        var inCycle = Set<String>()
        var resolved: [String: OperatingCalendar] = [:]
        var found: [Diagnostic] = []

        func resolve(_ name: String, path: [String]) -> OperatingCalendar? {
            if let c = resolved[name] { return c }
            guard let file = files[name] else { return nil }
            if state[name] == true { return nil }
            if state[name] == false {
                let cycle = Array(path[(path.firstIndex(of: name) ?? 0)...]) + [name]
                for member in Set(cycle) where inCycle.insert(member).inserted {
                    if let f = files[member] {
                        found.append(Diagnostic(file: f.file, line: f.extendsLine, column: f.extendsColumn,
                                                message: "the calendars extend each other in a cycle: \(cycle.joined(separator: " → ")); remove one 'extends'"))
                    }
                }
                return nil
            }
            state[name] = false
            var result: OperatingCalendar?
            if let parent = file.extends {
                if paths[parent] == nil {
                    let hint = YAMLDocument.closest(parent, in: names).map { "; did you mean '\($0)'?" }
                        ?? (names.isEmpty ? "" : "; known calendars: \(names.joined(separator: ", "))")
                    found.append(Diagnostic(file: file.file, line: file.extendsLine, column: file.extendsColumn,
                                            message: "unknown calendar '\(parent)' in 'extends': Jobs/calendars/\(parent).yaml does not exist\(hint)"))
                } else if let p = resolve(parent, path: path + [name]) {
                    result = p.extended(with: file.overrides)
                } else if !inCycle.contains(name) {
                    found.append(Diagnostic(file: file.file, line: file.extendsLine, column: file.extendsColumn,
                                            message: "this calendar extends '\(parent)', which has errors; fix \(paths[parent] ?? parent) first"))
                }
            } else {
                result = OperatingCalendar.standard.extended(with: file.overrides)
            }
            state[name] = true
            resolved[name] = result
            return result
        }

        for name in names { _ = resolve(name, path: []) }
        calendars = resolved
        problems += found.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
    }
}

extension Site {
    public var calendarsDirectory: URL { jobsDirectory.appendingPathComponent("calendars") }

    /// The names of every calendar file in `Jobs/calendars/`, sorted.
    public func calendarNames() -> [String] {
        calendarFiles().map(PathName.stem).sorted()
    }

    func calendarFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: calendarsDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
            .map { calendarsDirectory.appendingPathComponent($0).path }
    }

    /// Reads every calendar of the site.
    public func loadCalendars() -> CalendarSet {
        CalendarSet(reading: calendarFiles().map { ($0, relative($0)) })
    }

    /// One calendar by name (nil: the standard city-office calendar), or the problems that stop it.
    public func calendar(named name: String?) throws -> OperatingCalendar {
        let set = loadCalendars()
        if let c = set.calendar(named: name) { return c }
        let name = name ?? ""
        if set.file(named: name) == nil {
            let known = set.names
            let hint = YAMLDocument.closest(name, in: known).map { "; did you mean '\($0)'?" }
                ?? (known.isEmpty ? "; Jobs/calendars/ has no calendars" : "; known calendars: \(known.joined(separator: ", "))")
            throw ValidationFailure([Diagnostic(file: "Jobs/calendars/\(name).yaml", line: 1, column: 1,
                                                message: "unknown calendar '\(name)'\(hint)")])
        }
        throw ValidationFailure(set.problems(concerning: [name]))
    }
}
