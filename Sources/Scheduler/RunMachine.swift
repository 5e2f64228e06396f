import JobNets
import Store

/// Run-level decisions as pure functions: how a run whose jobs have all settled ends, and what its
/// summary says. No I/O, no clock.
public enum RunMachine {
    /// The end of a run from its jobs' final states: abnormal when a job did not run, or ended abnormal
    /// with a failure policy other than `continue`; warning when a job ended with a warning or abnormal
    /// under `continue`; normal otherwise.
    public static func end(_ jobs: [(job: Job, state: JobState)]) -> RunState {
        if jobs.contains(where: { $0.state == .notRun || ($0.state == .abnormal && $0.job.onFailure != .continue) }) {
            return .abnormal
        }
        if jobs.contains(where: { $0.state == .warning || $0.state == .abnormal }) { return .warning }
        return .normal
    }

    /// "2 normal, 1 not-run": each job state present, in the states' order.
    public static func summary(_ states: [JobState]) -> String {
        var counts: [JobState: Int] = [:]
        for s in states { counts[s, default: 0] += 1 }
        return JobState.allCases.compactMap { st in counts[st].map { "\($0) \(st.rawValue)" } }.joined(separator: ", ")
    }

    /// Which ready jobs start now: none while the run is stopping or its net is held; otherwise, in the
    /// order the net lists them, the ones not held, as many as the concurrency leaves room for.
    public static func jobsToStart(ready: Set<String>, held: Set<String>, order: [String: Int], running: Int, concurrency: Int,
                                   stopping: Bool, netHeld: Bool) -> [String] {
        guard !stopping, !netHeld else { return [] }
        let free = concurrency - running
        guard free > 0 else { return [] }
        return Array(ready.subtracting(held).sorted { (order[$0] ?? 0, $0) < (order[$1] ?? 0, $1) }.prefix(free))
    }
}
