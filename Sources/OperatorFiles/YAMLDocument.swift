import Foundation
import Yams

/// Reads a Yams node tree while collecting diagnostics with positions, so one pass reports
/// every problem in a file rather than only the first.
public final class YAMLDocument {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    /// Reads an operator's file as UTF-8 text; returns the text and the name its file gives
    /// (`Jobs/nightly.yaml` → `nightly`), or throws a positioned diagnostic.
    public static func readText(path: String, displayPath: String) throws -> (text: String, name: String) {
        if let why = RegularFile.problem(path) {
            throw ValidationFailure([Diagnostic(file: displayPath, line: 1, column: 1, message: "cannot read the file: it \(why)")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationFailure([Diagnostic(file: displayPath, line: 1, column: 1, message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationFailure([Diagnostic(file: displayPath, line: 1, column: 1, message: "the file is not UTF-8 text; save it as UTF-8")])
        }
        return (text, PathName.stem(path))
    }

    /// Parses text; a syntax error becomes a diagnostic and the result is nil.
    public func parse(_ text: String) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                report(line: 1, column: 1, "the file is empty; write a YAML mapping")
                return nil
            }
            return root
        } catch let error as YamlError {
            switch error {
            case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
                report(line: mark.line, column: mark.column, "YAML syntax: \(problem)")
            case let .duplicatedKeysInMapping(duplicates, context):
                report(line: context.mark.line, column: context.mark.column,
                       "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in this mapping; each name may appear once")
            default:
                report(line: 1, column: 1, "cannot read YAML: \(error)")
            }
            return nil
        } catch {
            report(line: 1, column: 1, "cannot read YAML: \(error)")
            return nil
        }
    }

    public func report(_ node: Node?, _ message: String) {
        report(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message)
    }

    public func report(line: Int, column: Int, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: line, column: column, message: message))
    }

    /// A problem in another file the document names (a mapping table), at that file's own position.
    public func report(file other: String, line: Int, column: Int, _ message: String) {
        diagnostics.append(Diagnostic(file: other, line: line, column: column, message: message))
    }

    /// A mapping's entries, checking that every key is one of `allowed`.
    public func mapping(_ node: Node, what: String, allowed: [String]) -> Fields? {
        guard case .mapping(let m) = node else {
            report(node, "\(what) must be a mapping (key: value lines)")
            return nil
        }
        var fields = Fields(document: self, node: node)
        for (k, v) in m {
            guard let key = k.scalar?.string else {
                report(k, "keys in \(what) must be plain names")
                continue
            }
            if !allowed.contains(key) {
                let hint = Self.closest(key, in: allowed).map { "; did you mean '\($0)'?" } ?? "; allowed: \(allowed.joined(separator: ", "))"
                report(k, "unknown key '\(key)' in \(what)\(hint)")
                continue
            }
            fields.entries.append((key, k, v))
        }
        return fields
    }

    /// Suggests a known key for a misspelt one.
    public static func closest(_ word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var prev = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var cur = [i + 1]
                for (j, cb) in b.enumerated() {
                    cur.append(min(prev[j + 1] + 1, cur[j] + 1, prev[j] + (ca == cb ? 0 : 1)))
                }
                prev = cur
            }
            return prev[b.count]
        }
        let w = Array(word)
        let best = candidates.map { ($0, distance(w, Array($0))) }.min { $0.1 < $1.1 }
        // Short names are too close to everything for a suggestion to help.
        guard let best, word.count > 2, best.1 <= min(2, word.count / 3) else { return nil }
        return best.0
    }

    public struct Fields {
        let document: YAMLDocument
        public let node: Node
        var entries: [(String, Node, Node)] = []

        init(document: YAMLDocument, node: Node) {
            self.document = document
            self.node = node
        }

        public subscript(key: String) -> Node? { entries.first { $0.0 == key }?.2 }
        public func keyNode(_ key: String) -> Node? { entries.first { $0.0 == key }?.1 }
        public var pairs: [(key: String, keyNode: Node, value: Node)] { entries.map { ($0.0, $0.1, $0.2) } }

        public func string(_ key: String) -> String? {
            guard let n = self[key] else { return nil }
            return document.string(n, what: "'\(key)'")
        }

        public func int(_ key: String, range: ClosedRange<Int>) -> Int? {
            guard let n = self[key] else { return nil }
            guard let v = n.scalar.flatMap({ Int($0.string) }), range.contains(v) else {
                document.report(n, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return v
        }

        public func duration(_ key: String) -> Double? {
            guard let n = self[key] else { return nil }
            return document.duration(n, what: "'\(key)'")
        }

        public func stringList(_ key: String) -> [String]? {
            guard let n = self[key] else { return nil }
            return document.stringList(n, what: "'\(key)'")
        }

        public func stringMap(_ key: String) -> [String: String]? {
            guard let n = self[key] else { return nil }
            guard case .mapping(let m) = n else {
                document.report(n, "'\(key)' must be a mapping of names to values")
                return nil
            }
            var out: [String: String] = [:]
            for (k, v) in m {
                guard let name = k.scalar?.string, let value = v.scalar?.string else {
                    document.report(k, "'\(key)' entries must be NAME: value")
                    continue
                }
                out[name] = value
            }
            return out
        }
    }

    public func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let s) = node else {
            report(node, "\(what) must be a single value, not a list or mapping")
            return nil
        }
        return s.string
    }

    public func duration(_ node: Node, what: String) -> Double? {
        guard let text = string(node, what: what) else { return nil }
        guard let s = JobDuration.seconds(text) else {
            report(node, "\(what) is not a duration: '\(text)'; write for example 90s, 30m, 1h30m")
            return nil
        }
        if let problem = JobDuration.rangeProblem(s) {
            report(node, "\(what) '\(text)' \(problem)")
            return nil
        }
        return s
    }

    public func stringList(_ node: Node, what: String) -> [String]? {
        switch node {
        case .sequence(let seq):
            var out: [String] = []
            for item in seq {
                guard let s = item.scalar?.string else {
                    report(item, "items of \(what) must be single values")
                    return nil
                }
                out.append(s)
            }
            return out
        case .scalar(let s) where !s.string.isEmpty:
            return [s.string]
        default:
            report(node, "\(what) must be a list, for example [a, b]")
            return nil
        }
    }
}
