import Foundation
import Printing
import Spool

/// One batch with every state change and its prints' IPP jobs, as `spool show --json` prints it.
public struct BatchDetailView: Encodable, Sendable {
    public struct Event: Codable, Sendable {
        public var at: String?
        public var state: String
        public var user: String
        public var detail: String?
    }

    public var batch: BatchView
    public var events: [Event]
    public var prints: [PrintRun.Outcome]
}
