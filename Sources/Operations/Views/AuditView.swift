import Foundation

/// One entry of the audit trail, as `audit --json` prints it. `address` (a web client's) is left out
/// for actions from the shell.
public struct AuditView: Codable, Sendable {
    public var at: String?
    public var user: String
    public var action: String
    public var net: String?
    public var run: Int64?
    public var job: String?
    public var reason: String?
    public var result: String?
    public var address: String?
}
