import Foundation
import Scheduler
import Store

/// What `--json` prints for a run; field names are stable for scripts.
struct RunView: Encodable {
    var id: Int64
    var net: String
    var businessDate: String
    var state: String
    var trigger: String
    var createdAt: String?
    var startedAt: String?
    var endedAt: String?
    var message: String?
    var jobs: [JobView]?

    enum CodingKeys: String, CodingKey {
        case id, net, state, trigger, message, jobs
        case businessDate = "business_date", createdAt = "created_at", startedAt = "started_at", endedAt = "ended_at"
    }

    init(_ r: RunRecord, jobs: [JobRecord]? = nil, zone: TimeZone) {
        id = r.id
        net = r.net
        businessDate = r.businessDate
        state = r.state.rawValue
        trigger = r.trigger
        createdAt = Output.iso(r.createdAt, zone)
        startedAt = Output.iso(r.startedAt, zone)
        endedAt = Output.iso(r.endedAt, zone)
        message = r.message
        self.jobs = jobs?.map { JobView($0, zone: zone) }
    }
}

struct JobView: Encodable {
    var name: String
    var state: String
    var held: Bool
    var attempts: Int
    var exitCode: Int?
    var message: String?
    var startedAt: String?
    var endedAt: String?

    enum CodingKeys: String, CodingKey {
        case name, state, held, attempts, message
        case exitCode = "exit_code", startedAt = "started_at", endedAt = "ended_at"
    }

    init(_ j: JobRecord, zone: TimeZone) {
        name = j.name
        state = j.state.rawValue
        held = j.held
        attempts = j.attempts
        exitCode = j.exitCode
        message = j.message
        startedAt = Output.iso(j.startedAt, zone)
        endedAt = Output.iso(j.endedAt, zone)
    }
}
