import Calendars
import Foundation
import JobNets
import Store

/// The in-memory picture of a run this process executes. The database is the truth; this mirrors it
/// so a step does not have to read the database back.
final class ActiveRun {
    let id: Int64
    let net: JobNet
    let date: LocalDate
    var state: RunState
    var jobs: [String: JobStatus] = [:]
    var scheduledAt: Double?
    var createdAt: Double
    var startedAt: Double?
    /// No further job starts (on_failure stop/kill, or `kill NET`).
    var stopping = false
    var stopReason: String?
    let jobByName: [String: Job]

    init(id: Int64, net: JobNet, date: LocalDate, state: RunState, createdAt: Double) {
        self.id = id
        self.net = net
        self.date = date
        self.state = state
        self.createdAt = createdAt
        jobByName = Dictionary(net.jobs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    var runningCount: Int { jobs.values.filter { $0.state == .running }.count }

    /// True if the job's needs let it start now.
    func needsSatisfied(_ job: Job) -> Bool {
        job.needs.allSatisfy { need in
            guard let s = jobs[need] else { return false }
            switch s.state {
            case .normal, .warning, .skipped: return true
            case .abnormal: return jobByName[need]?.onFailure == .continue
            default: return false
            }
        }
    }

    /// True if the job can never start in this run as things stand (something it needs failed).
    func isBlocked(_ name: String, seen: inout Set<String>) -> Bool {
        guard let job = jobByName[name], seen.insert(name).inserted else { return false }
        for need in job.needs {
            guard let s = jobs[need] else { return true }
            switch s.state {
            case .notRun: return true
            case .abnormal where jobByName[need]?.onFailure != .continue: return true
            case .waiting where isBlocked(need, seen: &seen): return true
            default: continue
            }
        }
        return false
    }
}

struct JobStatus {
    var state: JobState
    var held = false
    var attempts = 0
    var nextAt: Double?
    var startedAt: Double?
    /// The open attempt, while running a command.
    var attemptID: Int64?
    var supervisorPid: pid_t?
    /// The supervisor is our child (false after adopting a run from a crashed scheduler).
    var isChild = false
    /// For file waits: the size last seen and since when.
    var fileSize: Int64?
    var fileStableSince: Double?
    var nextFileCheck: Double = 0
    /// Set when an operator asked to kill this job.
    var killRequested = false
}
