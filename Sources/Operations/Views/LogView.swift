/// One attempt's output: its files on the server (for the CLI) and, over the web, the text.
public struct LogView: Codable, Sendable {
    public var run: Int64
    public var job: String
    public var attempt: Int
    /// Paths of the attempt's stdout and stderr files (nil when the job wrote nothing there yet).
    public var stdoutPath: String?
    public var stderrPath: String?
    /// Where the attempt ran when not on this machine: "n1, Slurm job 42".
    public var placement: String?
}
