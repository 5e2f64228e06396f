/// What an account may do. `vendor:NAME` is a print vendor's staff: only the batches published to
/// that vendor, nothing of nets, logs, the audit trail or other vendors.
public enum Role: Sendable, Hashable, CustomStringConvertible {
    /// Accounts, and everything an operator may do.
    case admin
    /// Run, hold, release, skip, kill, rerun; publish, acknowledge, purge; and read everything.
    case `operator`
    /// Read only.
    case viewer
    case vendor(String)

    /// `admin`, `operator`, `viewer` or `vendor:NAME`; nil for anything else.
    public init?(_ text: String) {
        switch text {
        case "admin": self = .admin
        case "operator": self = .operator
        case "viewer": self = .viewer
        default:
            guard text.hasPrefix("vendor:") else { return nil }
            let name = String(text.dropFirst("vendor:".count))
            guard AccountName.isValid(name) else { return nil }
            self = .vendor(name)
        }
    }

    public var description: String {
        switch self {
        case .admin: return "admin"
        case .operator: return "operator"
        case .viewer: return "viewer"
        case .vendor(let name): return "vendor:\(name)"
        }
    }

    /// Nets, runs, logs, alerts, the audit trail, calendars, batches.
    public var canRead: Bool { vendor == nil }
    /// Operator actions on runs and batches.
    public var canOperate: Bool { self == .admin || self == .operator }
    public var isAdmin: Bool { self == .admin }
    /// The vendor of a vendor account.
    public var vendor: String? {
        if case .vendor(let name) = self { return name }
        return nil
    }

    public static let usage = "admin, operator, viewer or vendor:NAME (NAME a vendor under spool: vendors: in nightjar.yaml)"
}
