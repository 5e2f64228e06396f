/// Why an account action was refused, in words the admin (or the person logging in) can act on.
public enum AccountError: Error, CustomStringConvertible, Sendable, Equatable {
    case badInput(String)
    case unknownUser(String)
    case exists(String)
    /// Wrong name or password; deliberately the same for both.
    case badCredentials
    /// Too many failures just now: try again after `until` (seconds since 1970).
    case throttled(until: Double)
    /// Locked after repeated failures until `until`.
    case locked(until: Double)

    public var description: String {
        switch self {
        case .badInput(let m): return m
        case .unknownUser(let n): return "no account named \(n); see `nightjar user list`"
        case .exists(let n): return "an account named \(n) exists already; `nightjar user passwd \(n)` changes its password"
        case .badCredentials: return "wrong account name or password"
        case .throttled: return "too many failed logins just now; wait a few seconds and try again"
        case .locked: return "this account is locked for 15 minutes after repeated failed logins; wait, or ask an admin"
        }
    }
}
