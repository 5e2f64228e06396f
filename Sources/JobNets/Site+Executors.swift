import OperatorFiles

extension Site {
    /// `executor:` names that nightjar.yaml does not define, at the line and column of the name.
    func executorProblems(_ net: JobNet, lines: [String], known: [String: ExecutorConfig]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func problem(_ name: String, searchFrom start: Int, indent: Int?) {
            var line = 1, column = 1
            for i in max(0, start)..<lines.count {
                let l = lines[i]
                let spaces = l.prefix { $0 == " " }.count
                if let indent, i > start, spaces < indent, !l.trimmingCharacters(in: .whitespaces).isEmpty { break }
                // Block style (`executor: x` on its own line) or flow style (`a: { run: [x], executor: x }`).
                guard let r = l.range(of: "executor:") else { continue }
                line = i + 1
                let rest = l[r.upperBound...]
                column = l.distance(from: l.startIndex, to: r.upperBound) + rest.prefix { $0 == " " }.count + 1
                break
            }
            let names = known.keys.sorted()
            let hint = YAMLDocument.closest(name, in: names).map { "; did you mean '\($0)'?" } ?? "; known executors: \(names.joined(separator: ", "))"
            problems.append(Diagnostic(file: net.file, line: line, column: column,
                                       message: "unknown executor '\(name)': nightjar.yaml has no 'executors: { \(name): … }'\(hint)"))
        }
        if let name = net.executor, known[name] == nil {
            // The net's own key is at the top level (no indent).
            let start = lines.firstIndex { $0.hasPrefix("executor:") } ?? 0
            problem(name, searchFrom: start, indent: nil)
        }
        for job in net.jobs {
            guard let name = job.executor, known[name] == nil else { continue }
            // From the job's own line, within its block.
            let first = max(0, job.line - 1)
            let indent = first < lines.count ? lines[first].prefix { $0 == " " }.count + 1 : nil
            problem(name, searchFrom: first, indent: indent)
        }
        return problems
    }
}
