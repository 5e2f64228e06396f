import Foundation

/// Slurm's own client commands, run without a shell: `sbatch --parsable` to submit, one
/// `squeue --json` per poll for every outstanding job, `scancel` to cancel, and the job-completion
/// file for jobs slurmctld has already forgotten. `SLURM_CONF` (and PATH) come from the environment
/// given, as for any Slurm user.
public struct SlurmClient: Sendable {
    public var environment: [String: String]
    let paths: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        var found: [String: String] = [:]
        let dirs = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for tool in ["sbatch", "squeue", "scancel", "scontrol"] {
            found[tool] = dirs.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        paths = found
    }

    public enum SlurmError: Error, CustomStringConvertible, Equatable {
        /// Slurm refused the job (bad partition, over a limit): it does not exist in Slurm.
        case rejected(String)
        /// A Slurm command could not run or did not answer (controller down, no client installed).
        case unavailable(String)

        public var description: String {
            switch self {
            case .rejected(let why): return "Slurm rejected the job: \(why)"
            case .unavailable(let why): return why
            }
        }
    }

    func tool(_ name: String) throws -> String {
        guard let p = paths[name] else { throw SlurmError.unavailable("\(name) is not installed (no \(name) on PATH); install slurm-client") }
        return p
    }

    /// One attempt's submission.
    public struct Submission: Sendable {
        public var name: String
        public var argv: [String]
        /// The job's whole environment: sbatch runs with it and exports it to the job.
        public var environment: [String: String]
        public var workdir: String
        public var stdoutPath: String
        public var stderrPath: String
        public var timeLimit: Double?
        public var cpus: Int?
        public var memoryMB: Int?
        public var partition: String?
        public var account: String?
        public var qos: String?
        public var extra: [String]

        public init(name: String, argv: [String], environment: [String: String], workdir: String, stdoutPath: String,
                    stderrPath: String, timeLimit: Double? = nil, cpus: Int? = nil, memoryMB: Int? = nil,
                    partition: String? = nil, account: String? = nil, qos: String? = nil, extra: [String] = []) {
            self.name = name; self.argv = argv; self.environment = environment; self.workdir = workdir
            self.stdoutPath = stdoutPath; self.stderrPath = stderrPath; self.timeLimit = timeLimit; self.cpus = cpus
            self.memoryMB = memoryMB; self.partition = partition; self.account = account; self.qos = qos; self.extra = extra
        }

        /// sbatch's arguments. `--no-requeue`: Slurm would otherwise run a job again after a node
        /// failure, and an attempt runs at most once. The time limit is in whole minutes (Slurm's unit).
        public var arguments: [String] {
            var a = ["--parsable", "--no-requeue", "--job-name=\(name)", "--chdir=\(workdir)",
                     "--output=\(stdoutPath)", "--error=\(stderrPath)", "--export=ALL"]
            if let t = timeLimit { a.append("--time=\(max(1, Int((t / 60).rounded(.up))))") }
            if let cpus { a.append("--cpus-per-task=\(cpus)") }
            if let memoryMB { a.append("--mem=\(memoryMB)M") }
            if let partition { a.append("--partition=\(partition)") }
            if let account { a.append("--account=\(account)") }
            if let qos { a.append("--qos=\(qos)") }
            return a + extra
        }
    }

    /// Submits; returns Slurm's job id. A refusal by slurmctld throws `.rejected` with its message.
    public func submit(_ s: Submission) throws -> String {
        var env = s.environment
        // sbatch must reach the same cluster as every other call, whatever the job's own variables say.
        for key in ["SLURM_CONF", "PATH"] where environment[key] != nil && env[key] == nil { env[key] = environment[key] }
        let r = try run([try tool("sbatch")] + s.arguments, environment: env, stdin: BatchScript.exec(s.argv))
        let id = r.stdout.split(separator: "\n").first.map { String($0.split(separator: ";").first ?? "") } ?? ""
        if r.succeeded, !id.isEmpty, id.allSatisfy(\.isNumber) { return id }
        let message = Self.message(r.stderr) ?? "sbatch exited with status \(r.status)"
        if r.stderr.contains("Batch job submission failed") && !Self.isCommunication(r.stderr) { throw SlurmError.rejected(message) }
        throw SlurmError.unavailable("sbatch failed: \(message)")
    }

    /// Every job slurmctld still knows (pending, running, and ended within its MinJobAge): one query.
    public func jobs() throws -> [SlurmJob] {
        let r = try run([try tool("squeue"), "--json", "--states=all"])
        guard r.succeeded else { throw SlurmError.unavailable("squeue failed: \(Self.message(r.stderr) ?? "status \(r.status)")") }
        return try Self.parseQueue(Data(r.stdout.utf8))
    }

    static func parseQueue(_ data: Data) throws -> [SlurmJob] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any], let list = root["jobs"] as? [[String: Any]] else {
            throw SlurmError.unavailable("squeue --json printed no job list")
        }
        return list.compactMap { j in
            guard let id = (j["job_id"] as? NSNumber)?.stringValue, let name = j["name"] as? String else { return nil }
            func time(_ key: String) -> Double? { (j[key] as? NSNumber).map(\.doubleValue).flatMap { $0 > 0 ? $0 : nil } }
            return SlurmJob(id: id, name: name, state: (j["job_state"] as? String) ?? "UNKNOWN",
                            status: (j["exit_code"] as? NSNumber)?.intValue, nodes: j["nodes"] as? String,
                            reason: j["state_reason"] as? String, startTime: time("start_time"), endTime: time("end_time"))
        }
    }

    /// Cancels a job (scancel); cancelling one that has already ended is not an error.
    public func cancel(_ id: String) throws {
        let r = try run([try tool("scancel"), id])
        if !r.succeeded && !r.stderr.contains("already completing or completed") && !r.stderr.contains("Invalid job id") {
            throw SlurmError.unavailable("scancel \(id) failed: \(Self.message(r.stderr) ?? "status \(r.status)")")
        }
    }

    /// `scontrol show config` as key → value.
    public func configuration() throws -> [String: String] {
        let r = try run([try tool("scontrol"), "show", "config"])
        guard r.succeeded else { throw SlurmError.unavailable("scontrol show config failed: \(Self.message(r.stderr) ?? "status \(r.status)")") }
        var out: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            guard let eq = line.range(of: " = ") else { continue }
            out[line[..<eq.lowerBound].trimmingCharacters(in: .whitespaces)] = line[eq.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// True while an sbatch for `name` still runs on this machine (one a killed scheduler left behind):
    /// until it ends, whether the job exists in Slurm is not yet decided.
    public static func submissionInFlight(name: String) -> Bool {
        let needle = Array("--job-name=\(name)".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries where pid.allSatisfy(\.isNumber) {
            guard let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !cmd.isEmpty else { continue }
            let args = cmd.split(separator: 0)
            guard let first = args.first, String(decoding: first, as: UTF8.self).hasSuffix("sbatch") else { continue }
            if args.contains(where: { Array($0) == needle }) { return true }
        }
        return false
    }

    func run(_ argv: [String], environment env: [String: String]? = nil, stdin: String = "") throws -> CommandRunner.Result {
        do {
            return try CommandRunner.run(argv, environment: env ?? environment, stdin: stdin)
        } catch {
            throw SlurmError.unavailable("\(error)")
        }
    }

    /// Slurm's own words from stderr: the last "error:" line, without the tool's prefix.
    static func message(_ stderr: String) -> String? {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let last = lines.last(where: { $0.contains("error:") }) ?? lines.last else { return nil }
        if let r = last.range(of: "error: ") { return String(last[r.upperBound...]) }
        return last
    }

    static func isCommunication(_ stderr: String) -> Bool {
        ["Unable to contact slurm controller", "Socket timed out", "Zero Bytes were transmitted", "Communication connection failure",
         "Protocol authentication error", "Connection refused"].contains { stderr.contains($0) }
    }
}
