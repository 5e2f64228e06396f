/// The body of an operator action (`POST …/hold` etc.): the same `reason` the CLI's `--reason` takes,
/// plus what some actions need.
struct ActionRequest: Decodable, Sendable {
    /// Why; kept in the audit trail.
    var reason: String?
    /// For `POST /nets/{net}/kill`: the run (default: the net's run in progress).
    var run: Int64?
    /// For rerun: exactly one of from, only, failed.
    var from: String?
    var only: String?
    var failed: Bool?
    /// For publish: the vendor of nightjar.yaml.
    var vendor: String?

    static let empty = ActionRequest()

    /// A reason is a sentence, not a document.
    func checked() throws -> ActionRequest {
        if let reason, reason.count > 1000 { throw WebError(.unprocessableContent, "the reason is longer than 1000 characters") }
        return self
    }
}

/// What an action did: the sentence the CLI prints, and what it touched.
struct ActionResult: Encodable, Sendable {
    var result: String
    var run: Int64?
    var batch: Int64?
    /// Jobs that wait to run again (skip on an ended run, rerun).
    var jobs: [String]?
}
