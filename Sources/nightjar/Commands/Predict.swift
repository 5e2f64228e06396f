import ArgumentParser
import Foundation
import Operations

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict when a net's run ends: its run in progress, else its next scheduled start.",
        discussion: """
            Each job's duration is the median (expected) and the 90th percentile (at worst) of its latest 20
            normal attempts, preferring the same weekday when there are five or more; the run is walked along
            its needs and its concurrency from what has happened so far. A job with no history counts as taking
            no time and is named. With an end deadline, says whether the expected end comes after it.
            """)
    @OptionGroup var site: SiteOptions
    @Argument(help: "The net.") var net: String?
    @Option(name: .customLong("run"), help: "Predict this run instead.") var runID: Int64?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if (net == nil) == (runID == nil) { throw ValidationError("give a NET or --run ID") }
    }

    func run() throws {
        try site.checkNet(net)
        let ops = try site.operations()
        let view: ForecastView
        do {
            view = try runID.map { try ops.forecast(run: $0) } ?? ops.forecast(net: net ?? "")
        } catch { throw operatorError(error) }
        if json { Output.json(view); return }
        let zone = site.zone
        let what = view.run.map { "run \($0)" } ?? "next run"
        // The view's times are RFC 3339 strings (as in --json); one parser reads them back for the table.
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func local(_ iso: String?) -> String {
            guard let iso, let d = parser.date(from: iso) else { return "-" }
            return Output.time(d.timeIntervalSince1970, zone)
        }
        var line = "\(what)  \(view.net)  \(view.businessDate): predicted end \(local(view.end)) (at worst \(local(view.highEnd)))"
        if let deadline = view.deadline {
            line += view.late ? "; LATE for its end deadline \(local(deadline))" : "; end deadline \(local(deadline))"
        }
        print(line)
        if !view.unknown.isEmpty { print("no history yet for \(view.unknown.joined(separator: ", ")): counted as taking no time") }
        Output.table(["JOB", Output.header("START", zone), "END", "AT WORST"], view.jobs.map { [$0.name, local($0.start), local($0.end), local($0.highEnd)] })
    }
}
