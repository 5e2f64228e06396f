import Foundation
import Scheduler
import Store

/// One job of a run, inside a `RunView`.
public struct JobView: Codable, Sendable {
    public var name: String
    public var state: String
    public var held: Bool
    public var attempts: Int
    public var exitCode: Int?
    public var message: String?
    public var startedAt: String?
    public var endedAt: String?

    enum CodingKeys: String, CodingKey {
        case name, state, held, attempts, message
        case exitCode = "exit_code", startedAt = "started_at", endedAt = "ended_at"
    }

    public init(_ j: JobRecord, zone: TimeZone) {
        name = j.name
        state = j.state.rawValue
        held = j.held
        attempts = j.attempts
        exitCode = j.exitCode
        message = j.message
        startedAt = Timestamp.iso(j.startedAt, zone)
        endedAt = Timestamp.iso(j.endedAt, zone)
    }
}
