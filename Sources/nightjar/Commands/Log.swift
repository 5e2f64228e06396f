import ArgumentParser
import Foundation
import Operations
import Scheduler

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
        let a: LogView
        do { a = try site.operationsWithoutConfig().log(net: net, job: job, run: runID, attempt: attempt) } catch { throw operatorError(error) }
        let files = [(stdout || !stderr) ? a.stdoutPath : nil, (stderr || !stdout) ? a.stderrPath : nil].compactMap { $0 }
        // `nightjar gc` may have compressed the log (FILE.gz): --path names the file as it is now.
        if path { files.forEach { print(JobLogFile.existing($0) ?? $0) }; return }
        // Where it ran goes to stderr, so stdout stays the job's own output.
        if let placement = a.placement { FileHandle.standardError.write(Data("attempt \(a.attempt) ran on \(placement)\n".utf8)) }
        for f in files {
            // The supervisor creates a log on the job's first output: no file means no output.
            let data: Data?
            do { data = try JobLogFile.contents(f) } catch { throw Failure.failed("cannot read \(error)") }
            if let data { FileHandle.standardOutput.write(data) }
        }
    }
}
