import Foundation
import Scheduler
import Store

/// One alert, as `alerts --json` prints it.
public struct AlertView: Codable, Sendable {
    public var at: String?
    public var net: String
    public var run: Int64?
    public var kind: String
    public var message: String

    public init(_ a: AlertRecord, zone: TimeZone) {
        at = Timestamp.iso(a.at, zone)
        net = a.net
        run = a.runID
        kind = a.kind
        message = a.message
    }
}
