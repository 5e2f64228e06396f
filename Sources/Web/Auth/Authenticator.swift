import Accounts
import Hummingbird
import HummingbirdAuth

/// Finds who is asking: a bearer token (scripts) or the session cookie (browsers). A bearer token that
/// is wrong is refused at once rather than falling back to the cookie.
struct Authenticator: AuthenticatorMiddleware {
    typealias Context = WebContext
    let accounts: Accounts
    let clock: @Sendable () -> Double
    let cache: IdentityCache

    static let sessionCookie = "nightjar_session"

    func authenticate(request: Request, context: WebContext) async throws -> Identity? {
        if let bearer = request.headers.bearer {
            let token = bearer.token, accounts = accounts, now = clock()
            let seen = cache.lookup(bearer: token, now: now)
            if let known = seen.identity { return known }
            guard let account = try await blocking({ try accounts.authenticate(token: token, now: now) }) else {
                throw WebError(.unauthorized, "the bearer token is unknown, expired, or its account is disabled; create one with `nightjar token create`",
                               headers: [.wwwAuthenticate: #"Bearer realm="nightjar", error="invalid_token""#])
            }
            let identity = Identity(account: account, session: nil)
            cache.remember(bearer: token, identity, after: seen, now: now)
            return identity
        }
        guard let cookie = request.cookies[Self.sessionCookie]?.value, !cookie.isEmpty else { return nil }
        let accounts = accounts, now = clock()
        let seen = cache.lookup(cookie: cookie, now: now)
        if let known = seen.identity { return known }
        guard let session = try await blocking({ try accounts.session(token: cookie, now: now) }) else { return nil }
        let identity = Identity(account: session.account, session: session)
        cache.remember(cookie: cookie, identity, after: seen, now: now)
        return identity
    }
}
