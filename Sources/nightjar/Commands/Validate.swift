import ArgumentParser
import JobNets
import OperatorFiles

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check job nets, calendars and forms (default: every file in Jobs/, Jobs/calendars/ and Forms/) and report every problem with file:line:column.",
        discussion: "Exits 0 when every file is valid, 2 otherwise. Nothing runs from an invalid file.")

    @OptionGroup var site: SiteOptions
    @Argument(help: "Files or directories to check, relative to the site root.") var paths: [String] = []
    @Flag(help: "Print the result as JSON.") var json = false

    struct Report: Encodable {
        var valid: Bool
        var nets: [String]
        var calendars: [String]
        var forms: [String]
        var problems: [Problem]
    }
    struct Problem: Encodable { var file: String; var line: Int; var column: Int; var message: String; var severity: String }

    func run() throws {
        let split = Self.formPaths(paths, site: site.site)
        let (forms, formProblems) = Self.validateForms(split.forms, site: site.site)
        // Only forms named: no job-net pass (an empty list would mean all of Jobs/).
        let onlyForms = !paths.isEmpty && split.others.isEmpty
        let v = onlyForms ? nil : site.site.validation(paths: split.others)
        let nets = v?.nets ?? []
        let calendars = v?.calendars.calendars.keys.sorted() ?? []
        var all = (v?.problems ?? []) + split.problems + formProblems
        do {
            let config = try SiteConfig.load(site: site.site)
            all += site.site.notifyWarnings(config)
        } catch let v as ValidationFailure { all += v.diagnostics }
        // Warnings (a missing program, a deadline before its start) are printed; only errors fail.
        all += site.site.warnings(for: nets)
        let errors = all.filter { $0.severity == .error }
        if json {
            Output.json(Report(valid: errors.isEmpty, nets: nets.map(\.name), calendars: calendars, forms: forms,
                               problems: all.map { Problem(file: $0.file, line: $0.line, column: $0.column, message: $0.message,
                                                           severity: $0.severity.rawValue) }))
        } else {
            for p in all { print(p.description) }
            if errors.isEmpty {
                let formCount = "\(forms.count) form\(forms.count == 1 ? "" : "s")"
                if onlyForms {
                    print("\(formCount) valid: \(forms.joined(separator: ", "))")
                } else {
                    let named = [nets.map(\.name).joined(separator: ", "),
                                 calendars.isEmpty ? "" : "calendars: \(calendars.joined(separator: ", "))",
                                 forms.isEmpty ? "" : "forms: \(forms.joined(separator: ", "))"].filter { !$0.isEmpty }
                    print("\(nets.count) job net\(nets.count == 1 ? "" : "s")\(forms.isEmpty ? "" : " and \(formCount)") valid"
                          + (named.isEmpty ? "" : ": " + named.joined(separator: "; ")))
                }
            } else {
                print("\(errors.count) problem\(errors.count == 1 ? "" : "s") found; nothing was run")
            }
        }
        if !errors.isEmpty { throw ExitCode(2) }
    }
}
