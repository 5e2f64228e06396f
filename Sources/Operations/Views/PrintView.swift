import Printing

/// One print as the API shows it: the fields of `nightjar print --json` (run, batch, printer, kind, jobs,
/// pages, completed, state), plus
/// whether this server is carrying it out now and why its execution stopped if it failed.
public struct PrintView: Encodable, Sendable {
    public var outcome: PrintRun.Outcome
    public var executing: Bool
    public var error: String?

    enum CodingKeys: String, CodingKey { case run, batch, printer, kind, jobs, pages, completed, state, executing, error }

    /// `printing` while this server carries it out (its planned jobs are not failures yet); otherwise
    /// what `nightjar print --json` reports: completed, canceled, failed or pending.
    public var state: String { executing ? "printing" : outcome.state.rawValue }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outcome.run, forKey: .run)
        try c.encode(outcome.batch, forKey: .batch)
        try c.encode(outcome.printer, forKey: .printer)
        try c.encode(outcome.kind, forKey: .kind)
        try c.encode(outcome.jobs, forKey: .jobs)
        try c.encode(outcome.pages, forKey: .pages)
        try c.encode(outcome.completed, forKey: .completed)
        try c.encode(state, forKey: .state)
        try c.encode(executing, forKey: .executing)
        try c.encodeIfPresent(error, forKey: .error)
    }
}
