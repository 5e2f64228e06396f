/// Everything the supervisor needs to run one attempt.
public struct AttemptSpec: Sendable {
    public var id: String
    public var argv: [String]
    public var environment: [String: String]
    public var workdir: String
    public var timeout: Double?
    public var killGrace: Double
    public var stdoutPath: String
    public var stderrPath: String

    public init(id: String, argv: [String], environment: [String: String], workdir: String, timeout: Double?,
                killGrace: Double, stdoutPath: String, stderrPath: String) {
        self.id = id
        self.argv = argv
        self.environment = environment
        self.workdir = workdir
        self.timeout = timeout
        self.killGrace = killGrace
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }
}

/// How an attempt ended, as its supervisor recorded it.
public struct AttemptOutcome: Sendable, Equatable {
    public var exitCode: Int?
    public var signal: Int?
    public var timedOut = false
    public var killed = false
    /// The job could not be started (bad command, working directory, log file).
    public var error: String?
    /// The job ran but its output could not all be written to its log.
    public var logError: String?
    public var startedAt: Double?
    public var endedAt: Double?

    public init(exitCode: Int? = nil, signal: Int? = nil, timedOut: Bool = false, killed: Bool = false,
                error: String? = nil, logError: String? = nil, startedAt: Double? = nil, endedAt: Double? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.killed = killed
        self.error = error
        self.logError = logError
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    /// Parses the supervisor's `key=value` record.
    public init?(record: String) {
        var seen = false
        for line in record.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq], value = String(line[line.index(after: eq)...])
            seen = true
            switch key {
            case "exit": exitCode = Int(value)
            case "signal": signal = Int(value)
            case "timed_out": timedOut = value == "1"
            case "killed": killed = value == "1"
            case "error": error = value
            case "log_error": logError = value
            case "started": startedAt = Double(value).map { $0 / 1000 }
            case "ended": endedAt = Double(value).map { $0 / 1000 }
            default: break
            }
        }
        if !seen { return nil }
    }

    /// A sentence for operators, or nil for a plain exit.
    public var summary: String? {
        var parts: [String] = []
        if let error { parts.append(error) }
        if timedOut { parts.append("timed out") }
        if killed { parts.append("killed by an operator") }
        if let signal, !timedOut, !killed { parts.append("ended by signal \(signal)") }
        if let logError { parts.append(logError) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
