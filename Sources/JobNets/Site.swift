import Foundation

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
            .map { ($0 as NSString).deletingPathExtension }.sorted()
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
        let problems = crossCheck([net], known: Set(netNames()))
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return net
    }

    /// Validates files or directories (default: all of `Jobs/`); returns the nets that loaded and
    /// every problem found, across files too (`after:` naming an unknown net, missing calendars).
    public func validate(paths: [String]) -> (nets: [JobNet], problems: [Diagnostic]) {
        var files: [String] = []
        let targets = paths.isEmpty ? [jobsDirectory.path] : paths
        var problems: [Diagnostic] = []
        for p in targets {
            let abs = p.hasPrefix("/") ? p : root.appendingPathComponent(p).path
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: abs, isDirectory: &isDir) else {
                problems.append(Diagnostic(file: p, line: 1, column: 1, message: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: abs)) ?? []
                files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(abs)/\($0)" }
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
        problems += crossCheck(nets, known: Set(netNames()))
        return (nets, problems)
    }

    /// Checks that span files: nets named in `after:` exist, calendars exist, `after:` has no cycle.
    func crossCheck(_ nets: [JobNet], known: Set<String>) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for net in nets {
            let text = (try? String(contentsOfFile: root.appendingPathComponent(net.file).path, encoding: .utf8)) ?? ""
            let lines = text.components(separatedBy: "\n")
            func position(ofKey key: String) -> (Int, Int) {
                for (i, l) in lines.enumerated() where l.hasPrefix("\(key):") { return (i + 1, 1) }
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
            if let cal = net.calendar {
                let path = jobsDirectory.appendingPathComponent("calendars/\(cal).yaml").path
                if !FileManager.default.fileExists(atPath: path) {
                    let (l, c) = position(ofKey: "calendar")
                    problems.append(Diagnostic(file: net.file, line: l, column: c,
                                               message: "unknown calendar '\(cal)': Jobs/calendars/\(cal).yaml does not exist"))
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
