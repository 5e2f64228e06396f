import Foundation
import GRDB

// The scheduler's records, one per table it owns (runs, jobs, attempts, events, alerts), with
// enum-typed states.

/// A run: one job net for one business date.
public struct RunRecord: Codable, FetchableRecord, Sendable {
    public var id: Int64
    public var net: String
    public var businessDate: String
    public var state: RunState
    public var trigger: String
    public var definition: String
    public var scheduledAt: Double?
    public var createdAt: Double
    public var startedAt: Double?
    public var endedAt: Double?
    public var owner: String?
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case id, net, state, trigger, definition, owner, message
        case businessDate = "business_date", scheduledAt = "scheduled_at", createdAt = "created_at"
        case startedAt = "started_at", endedAt = "ended_at"
    }

    public var isEnded: Bool { state.isEnded }

    /// Read column by column rather than through Codable: run lists are read on every API request, and
    /// the generic decoder was most of their cost. A list query may leave `definition` out (see
    /// `Store.runs`): it is then empty.
    public init(row: Row) throws {
        id = row["id"]
        net = row["net"]
        businessDate = row["business_date"]
        let raw: String = row["state"]
        guard let state = RunState(rawValue: raw) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "run \(id) has an unknown state '\(raw)'")
        }
        self.state = state
        trigger = row["trigger"]
        definition = row.hasColumn("definition") ? row["definition"] : ""
        scheduledAt = row["scheduled_at"]
        createdAt = row["created_at"]
        startedAt = row["started_at"]
        endedAt = row["ended_at"]
        owner = row["owner"]
        message = row["message"]
    }
}

/// The state of one job within a run.
public struct JobRecord: Codable, FetchableRecord, Sendable {
    public var runID: Int64
    public var name: String
    public var state: JobState
    public var held: Bool
    public var attempts: Int
    public var exitCode: Int?
    public var message: String?
    public var nextAt: Double?
    public var startedAt: Double?
    public var endedAt: Double?

    enum CodingKeys: String, CodingKey {
        case name, state, held, attempts, message
        case runID = "run_id", exitCode = "exit_code", nextAt = "next_at", startedAt = "started_at", endedAt = "ended_at"
    }
}

/// One execution of a job's command.
public struct AttemptRecord: Codable, FetchableRecord, Sendable {
    public var id: Int64
    public var runID: Int64
    public var job: String
    public var number: Int
    public var state: AttemptState
    public var supervisorPid: Int32?
    public var exitCode: Int?
    public var signal: Int?
    public var timedOut: Bool
    public var killed: Bool
    public var verdict: String?
    public var message: String?
    public var startedAt: Double
    public var endedAt: Double?
    public var stdoutPath: String?
    public var stderrPath: String?
    /// Where it ran: nil for this machine; else the executor, the Slurm job id and node.
    public var executor: String?
    public var submitName: String?
    public var slurmJobID: String?
    public var node: String?

    enum CodingKeys: String, CodingKey {
        case id, job, number, state, signal, killed, verdict, message, executor, node
        case runID = "run_id", supervisorPid = "supervisor_pid", exitCode = "exit_code", timedOut = "timed_out"
        case startedAt = "started_at", endedAt = "ended_at", stdoutPath = "stdout_path", stderrPath = "stderr_path"
        case submitName = "submit_name", slurmJobID = "slurm_job_id"
    }
}

public struct EventRecord: Codable, FetchableRecord, Sendable {
    public var id: Int64
    public var at: Double
    public var runID: Int64?
    public var job: String?
    public var kind: String
    public var detail: String?

    enum CodingKeys: String, CodingKey {
        case id, at, job, kind, detail
        case runID = "run_id"
    }
}

public struct AlertRecord: Codable, FetchableRecord, Sendable {
    public var id: Int64
    public var at: Double
    public var net: String
    public var runID: Int64?
    public var kind: String
    public var message: String

    enum CodingKeys: String, CodingKey {
        case id, at, net, kind, message
        case runID = "run_id"
    }
}

extension AttemptRecord {
    /// Where the attempt ran, for one that did not run on this machine: "n1, Slurm job 42 (hpc)".
    public var placement: String? {
        guard let executor else { return nil }
        let parts = [node, slurmJobID.map { "Slurm job \($0)" }].compactMap { $0 }
        return (parts.isEmpty ? "not yet placed" : parts.joined(separator: ", ")) + " (\(executor))"
    }
}
