/// One job as Slurm reports it (from `squeue --json` or its job-completion record).
public struct SlurmJob: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Slurm's state name: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, CANCELLED, …
    public var state: String
    /// The wait status of the batch script (exit code << 8 | signal), when Slurm has one.
    public var status: Int?
    public var nodes: String?
    public var reason: String?
    public var startTime: Double?
    public var endTime: Double?

    public init(id: String, name: String, state: String, status: Int? = nil, nodes: String? = nil, reason: String? = nil,
                startTime: Double? = nil, endTime: Double? = nil) {
        self.id = id
        self.name = name
        self.state = state
        self.status = status
        self.nodes = nodes
        self.reason = reason
        self.startTime = startTime
        self.endTime = endTime
    }

    /// States after which nothing of the job runs any more and its exit is final.
    public static let terminalStates: Set<String> = ["COMPLETED", "FAILED", "TIMEOUT", "CANCELLED", "NODE_FAIL",
                                                     "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "SPECIAL_EXIT"]

    public var isTerminal: Bool { Self.terminalStates.contains(state) }
    public var isRunning: Bool { state == "RUNNING" || state == "COMPLETING" || state == "CONFIGURING" }
    public var exitCode: Int? { status.map { ($0 >> 8) & 0xff } }
    public var signal: Int? { status.map { $0 & 0x7f }.flatMap { $0 == 0 ? nil : $0 } }
    /// The node it ran on, when Slurm placed it on exactly one ("n1"); the list as Slurm writes it otherwise.
    public var node: String? { nodes.flatMap { $0.isEmpty || $0 == "(null)" || $0 == "None assigned" ? nil : $0 } }
}
