import Foundation

extension SlurmClient {
    /// Submits the submission as a job array of the given task indices (`--array=0-3`, or `--array=2`
    /// for one task submitted again); returns the array's job id. Output paths may use `%A` and `%a`.
    public func submitArray(_ s: Submission, indices: [Int]) throws -> String {
        var s = s
        s.extra = ["--array=\(indices.map(String.init).joined(separator: ","))"] + s.extra
        return try submit(s)
    }
}

/// A job array watched to its end with one `squeue` per poll, each failed task submitted again alone
/// (a one-task array) until it succeeds or has used its tries. Every other task keeps running.
public final class SlurmArrayRun: @unchecked Sendable {
    /// One task index, over all its tries.
    public struct Task: Sendable {
        public var index: Int
        public var tries = 1
        /// The array job ids of its tries, oldest first.
        public var arrays: [String]
        /// Slurm's record of the latest try, once it has ended (or while it runs, for the node).
        public var last: SlurmJob?
        public var done = false
        /// "n2", the job id as Slurm shows it ("15_1"), and why the latest try failed.
        public var node: String? { last?.node }
        public var slurmID: String { "\(arrays.last ?? "?")_\(index)" }
        public var failure: String?
    }

    public struct Failed: Error, CustomStringConvertible {
        public var task: Task
        public var description: String { "task \(task.index) failed \(task.tries) time\(task.tries == 1 ? "" : "s"): \(task.failure ?? "?")" }
    }

    public struct Stopped: Error, CustomStringConvertible {
        public var description: String { "stopped: the array's tasks were cancelled" }
    }

    let client: SlurmClient
    let submission: SlurmClient.Submission
    let count: Int
    let tries: Int
    let poll: Double
    let completion: JobCompletionFile?
    let lock = NSLock()
    var stopRequested = false
    public private(set) var tasks: [Task] = []

    /// `completion`: Slurm's job-completion file, read for a task that squeue no longer lists.
    public init(client: SlurmClient, submission: SlurmClient.Submission, count: Int, tries: Int, poll: Double,
                completion: JobCompletionFile? = nil) {
        self.client = client
        self.submission = submission
        self.count = count
        self.tries = max(1, tries)
        self.poll = poll
        self.completion = completion
    }

    /// Asks `run` to cancel every task still in Slurm and end (from a signal handler's queue).
    public func stop() {
        lock.lock()
        stopRequested = true
        lock.unlock()
    }

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    /// Submits the array and waits for every task. A task succeeded when Slurm reports it COMPLETED
    /// with exit 0 and `accept(index)` agrees (its result is there); otherwise it is a failure, tried
    /// again alone while it has tries left. `event` hears of submissions, ends and retries.
    /// Throws `Failed` (after cancelling the other tasks) for a task out of tries.
    public func run(accept: (Int) -> Bool, event: (String) -> Void) throws -> [Task] {
        do {
            return try watch(accept: accept, event: event)
        } catch {
            // Out of tries, stopped, or Slurm failed under a resubmission: nothing of the array runs on.
            cancelOpen()
            throw error
        }
    }

    func watch(accept: (Int) -> Bool, event: (String) -> Void) throws -> [Task] {
        let first = try client.submitArray(submission, indices: Array(0..<count))
        tasks = (0..<count).map { Task(index: $0, arrays: [first]) }
        event("submitted \(count) task\(count == 1 ? "" : "s") as Slurm array job \(first)")
        var missingSince: [Int: Double] = [:]
        while tasks.contains(where: { !$0.done }) {
            if isStopped { throw Stopped() }
            usleep(useconds_t(poll * 1_000_000))
            let open = Set(tasks.filter { !$0.done }.compactMap(\.arrays.last))
            let listed: [SlurmJob]
            do { listed = try client.jobs().filter { $0.arrayJobID.map(open.contains) ?? false } } catch {
                event("could not ask Slurm (\(error)); asking again")
                continue
            }
            var pendingTogether = Set<String>()
            var byTask: [String: SlurmJob] = [:]
            for j in listed {
                guard let array = j.arrayJobID else { continue }
                if let t = j.arrayTaskID { byTask["\(array)_\(t)"] = j } else { pendingTogether.insert(array) }
            }
            var records: [String: [SlurmJob]]?
            for i in tasks.indices where !tasks[i].done {
                let array = tasks[i].arrays.last ?? first
                var job = byTask["\(array)_\(tasks[i].index)"]
                if job == nil, !pendingTogether.contains(array) {
                    // Gone from squeue: its completion record says how it ended; a short grace for a task
                    // between the pending record and its own.
                    records = records ?? completion?.records()
                    job = records?[submission.name]?.last { $0.arrayJobID == array && $0.arrayTaskID == tasks[i].index }
                    if job == nil {
                        let since = missingSince[i] ?? Date().timeIntervalSince1970
                        missingSince[i] = since
                        guard Date().timeIntervalSince1970 - since > 10 else { continue }
                        job = SlurmJob(id: "", name: submission.name, state: "UNKNOWN", reason: "Slurm no longer knows it and has no completion record of it")
                    }
                }
                missingSince[i] = nil
                guard let job else { continue }
                tasks[i].last = job
                guard job.isTerminal || job.state == "UNKNOWN" else { continue }
                if job.state == "COMPLETED", job.exitCode == 0, accept(tasks[i].index) {
                    tasks[i].done = true
                    event("task \(tasks[i].index) completed on \(job.node ?? "?") (Slurm job \(tasks[i].slurmID))")
                    continue
                }
                tasks[i].failure = Self.describe(job, accepted: job.state == "COMPLETED" && job.exitCode == 0)
                guard tasks[i].tries < tries else {
                    event("task \(tasks[i].index) failed on \(job.node ?? "?") (Slurm job \(tasks[i].slurmID)): \(tasks[i].failure ?? ""); no tries left")
                    throw Failed(task: tasks[i])
                }
                let again = try client.submitArray(submission, indices: [tasks[i].index])
                event("task \(tasks[i].index) failed on \(job.node ?? "?") (Slurm job \(tasks[i].slurmID)): \(tasks[i].failure ?? ""); submitted again as Slurm job \(again)_\(tasks[i].index) (try \(tasks[i].tries + 1) of \(tries))")
                tasks[i].tries += 1
                tasks[i].arrays.append(again)
                tasks[i].last = nil
            }
        }
        return tasks
    }

    /// "FAILED (NonZeroExitCode), exit 7": Slurm's state, its reason and the exit code.
    static func describe(_ job: SlurmJob, accepted: Bool) -> String {
        if accepted { return "Slurm says COMPLETED, but its result is missing" }
        var s = job.state
        if let r = job.reason, !r.isEmpty, r != "None" { s += " (\(r))" }
        if let code = job.exitCode, job.state != "UNKNOWN" { s += job.signal.map { ", signal \($0)" } ?? ", exit \(code)" }
        return s
    }

    /// Cancels every try still open (the others are ended already).
    func cancelOpen() {
        for t in tasks where !t.done {
            if let a = t.arrays.last { try? client.cancel("\(a)_\(t.index)") }
        }
    }
}
