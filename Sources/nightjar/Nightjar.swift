import ArgumentParser

struct Nightjar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightjar",
        abstract: "Nightly batch scheduler and bulk-print spooler for municipal systems.",
        discussion: """
            The site root is the directory holding Jobs/ and Forms/ (the current directory, or --root).
            State (SQLite database, job logs, spool) lives in --state, else $NIGHTJAR_STATE, else ./.nightjar.
            Exit codes: 0 success, 1 a job or render failed, 2 bad input or usage.
            """,
        version: "0.1.0",
        subcommands: [
            Validate.self, Run.self, Daemon.self, Status.self, History.self, Log.self, Rerun.self,
            Hold.self, Release.self, Skip.self, Kill.self, Audit.self, Alerts.self, CalendarCommand.self, Next.self,
            Plan.self, RenderCommand.self, SampleDataCommand.self, FontsCommand.self, InserterCommand.self,
            SpoolCommand.self, PrintCommand.self, UserCommand.self, TokenCommand.self, ServeCommand.self, Predict.self,
            ExecutorsCommand.self,
            GC.self, Doctor.self, GenerateHistory.self,
        ]
    )
}

/// An error that already carries its message and exit code.
struct Failure: Error {
    var message: String
    var code: Int32
    static func badInput(_ m: String) -> Failure { Failure(message: m, code: 2) }
    static func failed(_ m: String) -> Failure { Failure(message: m, code: 1) }
}
