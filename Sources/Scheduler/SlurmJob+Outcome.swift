import Executors
import Slurm

extension SlurmJob {
    /// How the attempt ended, in the terms the job machine judges: the exit code of what ran, a
    /// timeout enforced by Slurm, a cancel Nightjar asked for, or Slurm's own reason for ending it.
    func outcome(cancelRequested: Bool) -> AttemptOutcome {
        var o = AttemptOutcome(startedAt: startTime, endedAt: endTime)
        switch state {
        case "COMPLETED":
            o.exitCode = exitCode ?? 0
        case "FAILED" where node == nil:
            // Failed before it was placed (a request no node can meet): Slurm's reason, not an exit code.
            o.error = "Slurm could not run it" + (reason.map { " (\($0))" } ?? "") + "; check the job's cpus, memory and the executor's options"
        case "FAILED", "OUT_OF_MEMORY":
            o.exitCode = exitCode
            if let signal { o.signal = signal }
            if state == "OUT_OF_MEMORY" { o.error = "Slurm ended it for using more memory than it asked for (OUT_OF_MEMORY)" }
            // FAILED with status 0: the script never ran (working directory, log file, node).
            else if (status ?? 0) == 0 { o.error = "Slurm reports the job FAILED" + (reason.map { " (\($0))" } ?? "") + " before it ran; check its log and the working directory on the node" }
        case "TIMEOUT":
            o.timedOut = true
        case "CANCELLED":
            if cancelRequested { o.killed = true } else { o.error = "cancelled in Slurm, not by Nightjar (scancel by someone else?)" }
        default:
            o.error = "Slurm ended it \(state)" + (reason.map { " (\($0))" } ?? "")
        }
        return o
    }
}
