import Foundation
import Scheduler
import Store

/// One attempt of a job: how it ended. Log file paths stay on the server (`GET …/log` serves the text).
public struct AttemptView: Codable, Sendable {
    public var number: Int
    public var state: String
    public var exitCode: Int?
    public var signal: Int?
    public var timedOut: Bool
    public var killed: Bool
    public var verdict: String?
    public var message: String?
    public var startedAt: String?
    public var endedAt: String?
    /// Where it ran, for attempts on an executor other than this machine (Slurm: node and job id).
    public var executor: String?
    public var node: String?
    public var slurmJobID: String?

    enum CodingKeys: String, CodingKey {
        case number, state, signal, killed, verdict, message, executor, node
        case exitCode = "exit_code", timedOut = "timed_out", startedAt = "started_at", endedAt = "ended_at"
        case slurmJobID = "slurm_job_id"
    }

    public init(_ a: AttemptRecord, zone: TimeZone) {
        number = a.number
        state = a.state.rawValue
        exitCode = a.exitCode
        signal = a.signal
        timedOut = a.timedOut
        killed = a.killed
        verdict = a.verdict
        message = a.message
        startedAt = Timestamp.iso(a.startedAt, zone)
        endedAt = Timestamp.iso(a.endedAt, zone)
        executor = a.executor
        node = a.node
        slurmJobID = a.slurmJobID
    }
}
