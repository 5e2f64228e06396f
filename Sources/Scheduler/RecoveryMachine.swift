/// What a recovering scheduler does with an attempt that was open when its executor died, from what
/// it finds on disk and in the process table. Pure: the engine gathers the facts and performs the
/// decision. Never guesses: a job that may have run is never started again on its own.
public enum RecoveryMachine {
    public struct Facts: Equatable, Sendable {
        /// The supervisor's outcome record exists.
        public var outcome: Bool
        /// The start fence exists (the supervisor got there, or a recovery did).
        public var fenced: Bool
        /// The fence is a recovery's claim, not a supervisor's: an earlier recovery proved the job never
        /// started and was stopped before it recorded that.
        public var fencedByRecovery: Bool
        /// The supervisor named in the fence is alive (checked by pid and command line).
        public var supervisorAlive: Bool
        /// A process of the job's recorded process group is alive.
        public var groupAlive: Bool

        public init(outcome: Bool, fenced: Bool, fencedByRecovery: Bool = false, supervisorAlive: Bool, groupAlive: Bool) {
            self.outcome = outcome; self.fenced = fenced; self.fencedByRecovery = fencedByRecovery
            self.supervisorAlive = supervisorAlive; self.groupAlive = groupAlive
        }
    }

    public enum Decision: Equatable, Sendable {
        /// Record the real end from the outcome file.
        case settleFromOutcome
        /// Claim the start fence: if that succeeds the job provably never started and waits to start
        /// again; if the supervisor won the race, look again.
        case claimFence
        /// A recovery claimed the fence already: the job never started and waits to start again.
        case neverStarted
        /// The supervisor still runs: watch it.
        case watchSupervisor
        /// The supervisor is gone but the job's processes run on: watch them, record no end yet.
        case watchJobGroup
        /// Nothing of it is left and nobody recorded how it ended: lost (abnormal, not retried).
        case lost
    }

    public static func decide(_ f: Facts) -> Decision {
        if f.outcome { return .settleFromOutcome }
        if !f.fenced { return .claimFence }
        // (Seen in bench/crash-sweep: a daemon killed between claiming a fence and committing
        // "never-started" left the next one a fence naming no supervisor, which it recorded lost.)
        if f.fencedByRecovery { return .neverStarted }
        if f.supervisorAlive { return .watchSupervisor }
        if f.groupAlive { return .watchJobGroup }
        return .lost
    }
}
