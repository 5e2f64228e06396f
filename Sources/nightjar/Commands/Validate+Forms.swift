import Forms
import Foundation
import JobNets
import OperatorFiles

/// Forms are validated beside job nets: `Forms/*.yaml` by default, and any path inside `Forms/` as a
/// form (a form given by path is not a job net).
extension Validate {
    struct FormPaths {
        /// Arguments that are not forms, for the job-net validation.
        var others: [String] = []
        /// Form files to load (absolute), and arguments that name nothing.
        var forms: [String] = []
        var problems: [Diagnostic] = []
    }

    static func formPaths(_ paths: [String], site: Site) -> FormPaths {
        let formsDir = site.root.appendingPathComponent("Forms").standardizedFileURL.path
        func yamlIn(_ dir: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(dir)/\($0)" }
        }
        var out = FormPaths()
        if paths.isEmpty {
            out.forms = yamlIn(formsDir)
            return out
        }
        for p in paths {
            let abs = URL(fileURLWithPath: p.hasPrefix("/") ? p : site.root.appendingPathComponent(p).path).standardizedFileURL.path
            if abs == formsDir { out.forms += yamlIn(formsDir) }
            else if abs.hasPrefix(formsDir + "/") {
                if FileManager.default.fileExists(atPath: abs) { out.forms.append(abs) }
                else { out.problems.append(Diagnostic(file: p, line: 1, column: 1, message: "no such file or directory")) }
            } else { out.others.append(p) }
        }
        return out
    }

    /// Loads each form; returns the names of the valid ones and every problem of the others.
    static func validateForms(_ files: [String], site: Site) -> (names: [String], problems: [Diagnostic]) {
        var names: [String] = [], problems: [Diagnostic] = []
        for f in files {
            do { names.append(try FormLoader.load(path: f, displayPath: site.relative(f)).name) }
            catch let v as ValidationFailure { problems += v.diagnostics }
            catch { problems.append(Diagnostic(file: site.relative(f), line: 1, column: 1, message: "\(error)")) }
        }
        return (names, problems)
    }
}
