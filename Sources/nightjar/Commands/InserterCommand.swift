import ArgumentParser
import Forms
import Foundation
import Render

struct InserterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inserter",
        abstract: "Inserter control marks.",
        subcommands: [InserterCheckCommand.self])
}

struct InserterCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Read the OMR marks and the Data Matrix back from rendered volumes and report every break in the sequence.",
        discussion: "Exit 0 when every sheet reads in order, 1 when there is a break, 2 on bad input.")

    @OptionGroup var site: SiteOptions
    @Option(help: "The form the volumes were rendered with.") var form: String
    @Argument(help: "Volumes (vol-NNNN.pdf).") var volumes: [String]
    @Flag(help: "Print the reports as JSON.") var json = false

    func run() throws {
        let form = try loadForm(self.form, site: site)
        guard !volumes.isEmpty else { throw Failure.badInput("name at least one volume") }
        var reports: [InserterCheck.Report] = []
        for v in volumes {
            guard FileManager.default.isReadableFile(atPath: v) else { throw Failure.badInput("\(v): no such file, or not readable") }
            do { reports.append(try InserterCheck.check(volume: v, form: form)) } catch { throw Failure.badInput("\(error)") }
        }
        if json {
            Output.json(reports)
        } else {
            for r in reports {
                print("\(r.volume): \(r.sheets) sheets, \(r.notices) notices, \(r.breaks.isEmpty ? "in order" : "\(r.breaks.count) break\(r.breaks.count == 1 ? "" : "s")")")
                for b in r.breaks { print("  page \(b.page): \(b.problem)") }
            }
        }
        if reports.contains(where: { !$0.breaks.isEmpty }) { throw ExitCode(1) }
    }
}
