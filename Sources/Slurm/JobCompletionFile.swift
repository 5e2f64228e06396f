import Foundation

/// Slurm's job-completion file (`JobCompType=jobcomp/filetxt`): one line of `Key=Value` fields per
/// finished job, written by slurmctld when the job ends and kept after slurmctld forgets the job. It
/// is the durable record Nightjar reads without slurmdbd.
public struct JobCompletionFile: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public var isReadable: Bool { FileManager.default.isReadableFile(atPath: path) }

    /// Every record, by job name (the latest if a name appears more than once).
    public func records() -> [String: [SlurmJob]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var out: [String: [SlurmJob]] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let job = Self.parse(line) else { continue }
            out[job.name, default: []].append(job)
        }
        return out
    }

    /// One line: `JobId=2 UserId=… Name=t2 JobState=FAILED … NodeList=n1 … ExitCode=3:0`.
    static func parse(_ line: Substring) -> SlurmJob? {
        var f: [String: String] = [:]
        for field in line.split(separator: " ") {
            guard let eq = field.firstIndex(of: "=") else { continue }
            f[String(field[..<eq])] = String(field[field.index(after: eq)...])
        }
        guard let id = f["JobId"], let name = f["Name"], let state = f["JobState"] else { return nil }
        var status: Int?
        if let code = f["ExitCode"] {
            let parts = code.split(separator: ":").compactMap { Int($0) }
            if parts.count == 2 { status = parts[0] << 8 | parts[1] }
        }
        // A cancelled job's state reads "CANCELLED" (or "CANCELLED by 0" in some versions).
        return SlurmJob(id: id, name: name, state: String(state.split(separator: " ").first ?? ""), status: status,
                        nodes: f["NodeList"], startTime: nil, endTime: nil)
    }
}
