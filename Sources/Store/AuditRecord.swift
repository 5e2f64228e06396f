import Foundation
import GRDB

/// One operator action, from any front end: who, what, on which net, run or batch, why, and what came of it.
public struct AuditRecord: Codable, FetchableRecord, Sendable {
    public var id: Int64
    public var at: Double
    public var user: String
    public var action: String
    public var net: String?
    public var runID: Int64?
    public var job: String?
    public var reason: String?
    public var result: String?
    /// A web client's address; none for actions from the shell.
    public var address: String?

    enum CodingKeys: String, CodingKey {
        case id, at, user, action, net, job, reason, result, address
        case runID = "run_id"
    }
}
