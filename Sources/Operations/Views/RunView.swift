import Foundation
import Scheduler
import Store

/// A run as `status --json`, `history --json` and `GET /api/v1/runs…` print it; field names are stable for scripts.
public struct RunView: Codable, Sendable {
    public var id: Int64
    public var net: String
    public var businessDate: String
    public var state: String
    public var trigger: String
    public var createdAt: String?
    public var startedAt: String?
    public var endedAt: String?
    public var message: String?
    public var jobs: [JobView]?

    enum CodingKeys: String, CodingKey {
        case id, net, state, trigger, message, jobs
        case businessDate = "business_date", createdAt = "created_at", startedAt = "started_at", endedAt = "ended_at"
    }

    public init(_ r: RunRecord, jobs: [JobRecord]? = nil, zone: TimeZone) {
        id = r.id
        net = r.net
        businessDate = r.businessDate
        state = r.state.rawValue
        trigger = r.trigger
        createdAt = Timestamp.iso(r.createdAt, zone)
        startedAt = Timestamp.iso(r.startedAt, zone)
        endedAt = Timestamp.iso(r.endedAt, zone)
        message = r.message
        self.jobs = jobs?.map { JobView($0, zone: zone) }
    }
}
