import ArgumentParser
import Foundation
import Scheduler
import Store

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a job's output (stdout, then stderr) from one attempt.")

    @OptionGroup var site: SiteOptions
    @Argument(help: "The net.") var net: String
    @Argument(help: "The job.") var job: String
    @Option(name: .customLong("run"), help: "The run (default: the net's current or latest run).") var runID: Int64?
    @Option(help: "The attempt number (default: the latest).") var attempt: Int?
    @Flag(help: "Only stdout.") var stdout = false
    @Flag(help: "Only stderr.") var stderr = false
    @Flag(help: "Print the log file paths instead of their contents.") var path = false

    func run() throws {
        try site.checkNet(net)
        let store = try site.openStore()
        let record: RunRecord?
        if let runID { record = try store.run(runID) } else { record = try store.currentRun(net: net) }
        guard let record, record.net == net else { throw Failure.badInput("no run of \(net)" + (runID.map { " with id \($0)" } ?? "")) }
        let attempts = try store.attempts(ofRun: record.id, job: job)
        guard !attempts.isEmpty else {
            let names = try store.jobs(ofRun: record.id).map(\.name)
            if !names.contains(job) { throw Failure.badInput("\(net) has no job \(job); its jobs are \(names.joined(separator: ", "))") }
            throw Failure.badInput("\(job) has not run in run \(record.id)")
        }
        guard let a = attempt.map({ n in attempts.first { $0.number == n } }) ?? attempts.last else {
            throw Failure.badInput("\(job) has no attempt \(attempt ?? 0) in run \(record.id); it has \(attempts.count)")
        }
        let files = [(stdout || !stderr) ? a.stdoutPath : nil, (stderr || !stdout) ? a.stderrPath : nil].compactMap { $0 }
        if path { files.forEach { print($0) }; return }
        for f in files {
            // The supervisor creates a log on the job's first output: no file means no output.
            guard FileManager.default.fileExists(atPath: f) else { continue }
            guard let data = FileManager.default.contents(atPath: f) else {
                throw Failure.badInput("cannot read \(f)")
            }
            FileHandle.standardOutput.write(data)
        }
    }
}
