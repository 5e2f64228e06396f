import ArgumentParser
import Forms
import Foundation
import OperatorFiles
import Records
import Render

struct FontsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fonts",
        abstract: "Font coverage of a form's data.",
        subcommands: [FontsCheck.self])
}

struct FontsCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List every character of the data that the form's fonts cannot draw, with the records holding it.",
        discussion: """
            Reads the data as render would (format, encoding, the form's 外字 mapping) and checks each printed column
            against the fonts of the fields that print it. An unmapped private-use character (外字) is listed too.
            Exit 0 when everything can be drawn, 1 when something cannot (those records would be rejected), 2 on bad input.
            """)

    @OptionGroup var site: SiteOptions
    @Option(help: "The form: a name in Forms/ or a .yaml path.") var form: String
    @Option(help: "The records.") var data: String
    @Option(help: "Text encoding: utf-8 or cp932; default: the form's input.") var encoding: String?
    @Option(help: "Input format: csv, tsv, fixed or jsonl; default: the form's input.") var format: String?
    @Option(help: "Records listed per character.") var examples = 10
    @Flag(help: "Print the findings as JSON.") var json = false

    struct Report: Encodable {
        var form: String
        var data: String
        var records: Int
        var missing: [FontCoverage.Finding]
    }

    func run() throws {
        let form = try loadForm(self.form, site: site)
        var chosen: Form.Input.Format?
        if let format {
            guard let f = Form.Input.Format(rawValue: format) else { throw Failure.badInput("--format \(format): use csv, tsv, fixed or jsonl") }
            chosen = f
        }
        if let why = RegularFile.problem(data) { throw Failure.badInput("\(data): the data file \(why)") }
        let reader: RecordReader
        do { reader = try InputOpener.open(path: data, form: form, format: chosen, encoding: encoding) } catch { throw Failure.badInput("\(error)") }
        let (records, findings) = try FontCoverage(form: form).check(reader, examplesPerCharacter: max(1, examples))
        if json {
            Output.json(Report(form: form.name, data: data, records: records, missing: findings))
        } else if findings.isEmpty {
            print("\(records) records: every printed character can be drawn by \(form.name)'s fonts")
        } else {
            for f in findings {
                let lines = f.examples.map { "line \($0.line)" + ($0.key.isEmpty ? "" : " (\($0.key))") }.joined(separator: ", ")
                let more = f.records > f.examples.count ? ", and \(f.records - f.examples.count) more" : ""
                print("\(f.codePoints) \(f.character)  \(f.reason); column \(f.columns.joined(separator: ", ")); \(f.records) record\(f.records == 1 ? "" : "s"): \(lines)\(more)")
            }
            print("\(findings.count) character\(findings.count == 1 ? "" : "s") cannot be drawn; \(records) records checked")
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }
}
