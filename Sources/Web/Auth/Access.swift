import Accounts
import Foundation
import Hummingbird
import Store

/// Who may call a route. Checked in one place (`Endpoint`) before any handler runs.
public enum Access: String, Sendable, CaseIterable {
    /// Anyone, logged in or not (the login page, the OpenAPI document).
    case open
    /// Any logged-in account.
    case anyAccount
    /// admin, operator, viewer: nets, runs, logs, alerts, audit, calendars, batches.
    case read
    /// admin, operator: operator actions.
    case operate
    /// admin only.
    case admin
    /// vendor:NAME accounts only: their own batches.
    case vendor

    public func allows(_ role: Role) -> Bool {
        switch self {
        case .open, .anyAccount: return true
        case .read: return role.canRead
        case .operate: return role.canOperate
        case .admin: return role.isAdmin
        case .vendor: return role.vendor != nil
        }
    }

    /// The account allowed in, or 401 (nobody) / 403 (the wrong role, audited).
    func check(_ request: Request, _ context: WebContext, store: Store) async throws -> Identity? {
        guard self != .open else { return context.identity }
        guard let identity = context.identity else { throw WebError.unauthorized() }
        guard allows(identity.account.role) else {
            let name = identity.account.name, address = context.address
            let what = "\(request.method.rawValue) \(request.uri.path)"
            try await blocking {
                try store.db.write { db in
                    try Store.audit(db, user: name, action: "denied", net: nil, runID: nil, job: nil, reason: nil,
                                    result: "403 \(what)", address: address)
                }
            }
            throw WebError(.forbidden, "the account \(name) (\(identity.account.role)) may not do this; ask an admin for a role that may")
        }
        return identity
    }
}
