import Foundation

/// Where a job's attempts execute: on this machine (the default, `local`) or on a Slurm cluster,
/// named in `nightjar.yaml` under `executors:` and chosen per net or per job with `executor: NAME`.
///
/// ```yaml
/// executors:
///   hpc: { type: slurm, partition: batch, account: tax, qos: night, extra: ["--exclusive"], poll: 2s }
/// ```
public struct ExecutorConfig: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable, CaseIterable { case local, slurm }

    public var name: String
    public var kind: Kind
    public var partition: String?
    public var account: String?
    public var qos: String?
    /// Further sbatch options, passed as they are (never through a shell).
    public var extra: [String]
    /// Seconds between the batched queries of Slurm for every outstanding job.
    public var poll: Double
    /// Slurm's job-completion file (`JobCompType=jobcomp/filetxt`), read for jobs Slurm has already
    /// forgotten; nil: asked of `scontrol show config` once.
    public var jobcomp: String?

    public init(name: String, kind: Kind, partition: String? = nil, account: String? = nil, qos: String? = nil,
                extra: [String] = [], poll: Double = 1, jobcomp: String? = nil) {
        self.name = name
        self.kind = kind
        self.partition = partition
        self.account = account
        self.qos = qos
        self.extra = extra
        self.poll = poll
        self.jobcomp = jobcomp
    }

    /// The executor every job has unless it or its net names another.
    public static let localName = "local"

    /// sbatch options Nightjar sets itself for every attempt; `extra:` may not override them.
    public static let reservedOptions = ["--job-name", "-J", "--output", "-o", "--error", "-e", "--chdir", "-D",
                                         "--time", "-t", "--parsable", "--wrap", "--cpus-per-task", "-c", "--mem",
                                         "--export", "--partition", "-p", "--account", "-A", "--qos", "-q",
                                         "--array", "-a", "--dependency", "-d", "--input", "-i"]
}

/// A memory request as Slurm takes it, in mebibytes: `512M`, `4G`, `1T` (a plain number is mebibytes).
public enum MemorySize {
    public static func megabytes(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard let last = t.last else { return nil }
        let factor: Int
        var digits = t
        switch last {
        case "K": factor = 0; digits.removeLast()
        case "M": factor = 1; digits.removeLast()
        case "G": factor = 1024; digits.removeLast()
        case "T": factor = 1024 * 1024; digits.removeLast()
        default: factor = 1
        }
        if digits.hasSuffix("I") || digits.hasSuffix("B") { return nil }
        guard let n = Int(digits), n > 0, factor > 0, n <= Int(Int32.max) / factor else { return nil }
        return n * factor
    }
}
