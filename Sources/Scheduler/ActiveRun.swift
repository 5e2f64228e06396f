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
    /// The run-level state the pure `RunMachine` keeps (state, stopping, what it waits for, alerts raised).
    var machine: RunMachine.State
    var state: RunState { machine.state }
    var jobs: [String: JobStatus] = [:]
    var scheduledAt: Double?
    var createdAt: Double
    var logDirectoryMade = false
    /// When the `after:` nets of a waiting run are next looked at (once a second, not every step).
    var nextAfterCheck = 0.0
    /// When its predicted end is next compared with its end deadline (`checkPredictedEnds`).
    var nextPredictionCheck = 0.0
    let jobByName: [String: Job]
    /// File order, so jobs that become ready together start in the order the net lists them.
    let order: [String: Int]
    let dependents: [String: [String]]

    // Indexes kept by `setState`, so a step looks only at jobs that can change instead of all of them.
    /// Per job, how many of its needs are not yet satisfied.
    private(set) var unmet: [String: Int] = [:]
    /// Waiting jobs whose needs are all satisfied (held ones included; the engine skips those).
    private(set) var ready: Set<String> = []
    private(set) var running: Set<String> = []
    private(set) var retrying: Set<String> = []

    init(id: Int64, net: JobNet, date: LocalDate, state: RunState, createdAt: Double) {
        self.id = id
        self.net = net
        self.date = date
        machine = RunMachine.State(state: state)
        self.createdAt = createdAt
        jobByName = Dictionary(net.jobs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        order = Dictionary(net.jobs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var deps: [String: [String]] = [:]
        for j in net.jobs { for n in j.needs { deps[n, default: []].append(j.name) } }
        dependents = deps
    }

    var runningCount: Int { running.count }

    /// Whether a job in `state` lets the jobs that need it start.
    func satisfies(_ name: String, _ state: JobState) -> Bool {
        switch state {
        case .normal, .warning, .skipped: return true
        case .abnormal: return jobByName[name]?.onFailure == .continue
        default: return false
        }
    }

    /// Recomputes every index from `jobs`: after loading a run, never on the hot path.
    func rebuildIndexes() {
        unmet = [:]
        ready = []
        running = []
        retrying = []
        for job in net.jobs {
            let n = job.needs.filter { need in jobs[need].map { !satisfies(need, $0.state) } ?? true }.count
            unmet[job.name] = n
            switch jobs[job.name]?.state {
            case .waiting where n == 0: ready.insert(job.name)
            case .running: running.insert(job.name)
            case .retryWait: retrying.insert(job.name)
            default: break
            }
        }
    }

    /// The one way a job's state changes, keeping the indexes right.
    func setState(_ name: String, _ new: JobState) {
        guard let old = jobs[name]?.state, old != new else { return }
        jobs[name]?.state = new
        if old == .running { running.remove(name) }
        if new == .running { running.insert(name) }
        if old == .retryWait { retrying.remove(name) }
        if new == .retryWait { retrying.insert(name) }
        let was = satisfies(name, old), now = satisfies(name, new)
        if was != now {
            for d in dependents[name] ?? [] {
                let n = (unmet[d] ?? 0) + (now ? -1 : 1)
                unmet[d] = n
                if n == 0 && jobs[d]?.state == .waiting { ready.insert(d) } else { ready.remove(d) }
            }
        }
        if new == .waiting && unmet[name] == 0 { ready.insert(name) } else { ready.remove(name) }
    }

    /// The waiting jobs that can never start in this run as things stand (something they need,
    /// directly or through other waiting jobs, failed or is missing).
    ///
    /// One pass forward through `dependents` with a work list: the recursive walk it replaces
    /// overflowed the stack on long chains and, called once per waiting job, was quadratic.
    func blockedJobs() -> Set<String> {
        var blocked: Set<String> = []
        var work: [String] = []
        for job in net.jobs where jobs[job.name]?.state == .waiting {
            let cut = job.needs.contains { need in
                guard let s = jobs[need] else { return true }
                switch s.state {
                case .notRun: return true
                case .abnormal: return jobByName[need]?.onFailure != .continue
                default: return false
                }
            }
            if cut, blocked.insert(job.name).inserted { work.append(job.name) }
        }
        while let n = work.popLast() {
            for d in dependents[n] ?? [] where jobs[d]?.state == .waiting && blocked.insert(d).inserted {
                work.append(d)
            }
        }
        return blocked
    }
}

struct JobStatus {
    var state: JobState
    var held = false
    var attempts = 0
    /// The highest attempt number recorded for the job: an attempt fenced off by recovery (never
    /// started) no longer counts among `attempts`, but its number is taken and is never used again.
    var lastNumber = 0
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
    /// The job's process group, still running after its supervisor died without a record: watched
    /// until it ends, so no end is recorded for a job that still runs.
    var orphanGroup: pid_t?
}

extension JobStatus {
    /// What the pure machine needs of this job.
    var machineState: JobMachine.State { JobMachine.State(state: state, held: held, attempts: attempts, nextAt: nextAt) }
}
