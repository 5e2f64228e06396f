import Foundation

/// One step of a job net.
public struct Job: Codable, Hashable, Sendable {
    public var name: String
    public var kind: Kind
    public var needs: [String]
    /// Seconds before the job is terminated; nil means no limit.
    public var timeout: Double?
    /// Seconds between SIGTERM and SIGKILL when the job is timed out or killed.
    public var killGrace: Double
    public var retry: RetryRule?
    public var exit: ExitJudgement
    public var env: [String: String]
    public var workdir: String?
    public var onFailure: FailurePolicy
    /// Where the job is in its file, for messages about it.
    public var line: Int
    /// The executor its attempts run on (`executor:`); nil: the net's, else local.
    public var executor: String?
    /// CPUs and memory (MiB) an executor that places jobs (Slurm) reserves for each attempt.
    public var cpus: Int?
    public var memoryMB: Int?

    public enum Kind: Codable, Hashable, Sendable {
        /// An argv list, executed without a shell.
        case command([String])
        /// A shell script, only when the net says `shell:`.
        case shell(String)
        /// Waits until a file exists and has stopped growing.
        case waitFile(FileWait)
    }

    public struct FileWait: Codable, Hashable, Sendable {
        public var path: String
        /// How long the size must stay unchanged before the file counts as arrived.
        public var stable: Double
        /// How often to look.
        public var interval: Double
    }

    public init(name: String, kind: Kind, needs: [String] = [], timeout: Double? = nil, killGrace: Double = 10,
                retry: RetryRule? = nil, exit: ExitJudgement = .init(), env: [String: String] = [:],
                workdir: String? = nil, onFailure: FailurePolicy = .block, line: Int = 0,
                executor: String? = nil, cpus: Int? = nil, memoryMB: Int? = nil) {
        self.executor = executor
        self.cpus = cpus
        self.memoryMB = memoryMB
        self.name = name
        self.kind = kind
        self.needs = needs
        self.timeout = timeout
        self.killGrace = killGrace
        self.retry = retry
        self.exit = exit
        self.env = env
        self.workdir = workdir
        self.onFailure = onFailure
        self.line = line
    }
}

/// When and how often a job that ended abnormally is tried again.
public struct RetryRule: Codable, Hashable, Sendable {
    /// Further attempts after the first.
    public var count: Int
    public var delay: Double
    /// Each further delay is the previous one times this factor.
    public var backoff: Double
    public var maxDelay: Double?
    /// Retry only for these exit codes; nil means for every abnormal end.
    public var onCodes: ExitCodeRanges?

    public init(count: Int, delay: Double = 0, backoff: Double = 1, maxDelay: Double? = nil, onCodes: ExitCodeRanges? = nil) {
        self.count = count
        self.delay = delay
        self.backoff = backoff
        self.maxDelay = maxDelay
        self.onCodes = onCodes
    }

    /// Delay before attempt `n + 1`, where `n` attempts have ended.
    public func delay(afterAttempt n: Int) -> Double {
        let d = delay * pow(backoff, Double(max(0, n - 1)))
        return min(d, maxDelay ?? d)
    }
}

/// How an exit code is judged. Codes in `abnormal` win over `warning`, `warning` over `normal`;
/// a code in none of them is abnormal.
public struct ExitJudgement: Codable, Hashable, Sendable {
    public var normal: ExitCodeRanges
    public var warning: ExitCodeRanges?
    public var abnormal: ExitCodeRanges?

    public init(normal: ExitCodeRanges = ExitCodeRanges("0")!, warning: ExitCodeRanges? = nil, abnormal: ExitCodeRanges? = nil) {
        self.normal = normal
        self.warning = warning
        self.abnormal = abnormal
    }

    public enum Verdict: String, Codable, Sendable { case normal, warning, abnormal }

    public func judge(_ code: Int) -> Verdict {
        if abnormal?.contains(code) == true { return .abnormal }
        if warning?.contains(code) == true { return .warning }
        if normal.contains(code) { return .normal }
        return .abnormal
    }
}

/// What an abnormal end of a job does to the rest of its net.
public enum FailurePolicy: String, Codable, Hashable, Sendable, CaseIterable {
    /// Jobs that need it do not start; independent branches carry on (JP1/AJS's default).
    case block
    /// No further job of the net starts; running jobs finish.
    case stop
    /// Running jobs of the net are killed and nothing further starts.
    case kill
    /// Treated like a warning: jobs that need it start anyway.
    case `continue`
}
