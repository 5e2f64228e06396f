/// What a recovering scheduler does with a Slurm attempt that was open when it stopped, from what
/// Slurm says about the attempt's unique submission name. Pure; never submits an attempt twice: a job
/// that may exist in Slurm is never submitted again on its own.
public enum SlurmRecoveryMachine {
    public struct Facts: Equatable, Sendable {
        /// The Slurm job id was committed with the submission.
        public var recordedID: Bool
        /// slurmctld knows a job of that name (pending, running, or ended within MinJobAge).
        public var inQueue: Bool
        /// The job-completion file has a record of that name.
        public var completed: Bool
        /// The job-completion file can be read, so its silence means something.
        public var completionFileReadable: Bool
        /// Seconds since the attempt was recorded, and slurmctld's MinJobAge: a job submitted more
        /// recently than that would still be in the queue.
        public var recordedAgo: Double
        public var minJobAge: Double

        public init(recordedID: Bool, inQueue: Bool, completed: Bool, completionFileReadable: Bool, recordedAgo: Double, minJobAge: Double) {
            self.recordedID = recordedID; self.inQueue = inQueue; self.completed = completed
            self.completionFileReadable = completionFileReadable; self.recordedAgo = recordedAgo; self.minJobAge = minJobAge
        }
    }

    public enum Decision: Equatable, Sendable {
        /// Slurm has it: watch it (recording its id if the crash came before that was committed).
        case watch
        /// It ended while the scheduler was down and Slurm has forgotten it: settle from the completion record.
        case settleFromCompletion
        /// Provably never reached Slurm: the attempt did not run; the job waits to start again.
        case neverSubmitted
        /// Slurm does not know it and nothing proves it never ran: lost (abnormal, not retried).
        case lost
    }

    public static func decide(_ f: Facts) -> Decision {
        if f.inQueue { return .watch }
        if f.completed { return .settleFromCompletion }
        // Known to have been submitted, now unknown everywhere: it ran, how it ended is not known.
        if f.recordedID { return .lost }
        // Never given an id and not in Slurm: proof only if a submission would still be visible.
        if f.completionFileReadable || f.recordedAgo < f.minJobAge { return .neverSubmitted }
        return .lost
    }
}
