import Accounts
import Hummingbird
import HummingbirdAuth
import NIOCore

/// Who is asking: the account, and the session when it came with the session cookie (nil for a
/// bearer token, which needs no CSRF token).
public struct Identity: Sendable {
    public var account: Account
    public var session: Accounts.Session?
}

/// The request context of every route: the authenticated identity (set by `Authenticator`) and the
/// client's address for the audit trail.
public struct WebContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// The peer's IP address (nil when there is no socket, as in router tests).
    public let address: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress
    }

    /// Request bodies are small JSON or forms: anything larger is refused with 413.
    public var maxUploadSize: Int { WebContext.bodyLimit }
    public static let bodyLimit = 64 * 1024
}
