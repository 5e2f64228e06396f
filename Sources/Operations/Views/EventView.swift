import Foundation
import Scheduler
import Store

/// One state change of a run, as `history --run ID --json` prints it.
public struct EventView: Codable, Sendable {
    public var at: String?
    public var job: String?
    public var kind: String
    public var detail: String?

    public init(_ e: EventRecord, zone: TimeZone) {
        at = Timestamp.iso(e.at, zone)
        job = e.job
        kind = e.kind
        detail = e.detail
    }
}
