import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import Operations

/// The HTML side: login, logout, a placeholder home, and the vendor portal (`Pages+Portal.swift`). No business
/// rules: accounts decide logins, the operations layer lists batches.
struct Pages: Sendable {
    let ops: Operations
    let accounts: Accounts
    /// Cookies carry `Secure` when the server speaks TLS.
    let secureCookies: Bool
    let clock: @Sendable () -> Double
    /// The authenticator's memory of sessions, which a logout must clear at once.
    var identities: IdentityCache?

    static let loginCSRFCookie = "nightjar_login_csrf"

    struct LoginForm: Decodable { var name: String?; var password: String?; var csrf: String? }

    func register(on router: Router<WebContext>) {
        router.get("/login") { request, _ in self.loginPage(request, error: nil, status: .ok) }
        router.post("/login") { request, context in try await self.login(request, context) }
        router.post("/logout") { request, context in try await self.logout(request, context) }
        router.get("/") { request, context in try await self.home(request, context) }
        router.get("/vendor") { request, context in try await self.vendorPortal(request, context) }
        router.get("/vendor/batches/{batch}") { request, context in try await self.vendorBatchPage(request, context) }
        router.post("/vendor/batches/{batch}/ack") { request, context in try await self.vendorReceived(request, context) }
        registerConsole(on: router)
    }

    /// The login form, with a fresh token in a cookie that the form must send back (login CSRF).
    func loginPage(_ request: Request, error: String?, status: HTTPResponse.Status) -> Response {
        let language = Language(request)
        let token = UUID().uuidString + UUID().uuidString
        let query = request.uri.queryParameters.get("lang").map { "?lang=\($0 == "en" ? "en" : "ja")" } ?? ""
        var values: [String: Any] = ["l": language.labels, "title": "Nightjar", "csrf": token, "query": query]
        // Only a present error: an absent one given as `Optional.none` would be rendered as "nil".
        if let error { values["error"] = error }
        var response = html(PageTemplates.render("login", values), status: status)
        response.setCookie(Cookie(name: Self.loginCSRFCookie, value: token, path: "/login", secure: secureCookies, httpOnly: true,
                                  sameSite: .strict))
        return response
    }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))) ?? LoginForm()
        guard let expected = request.cookies[Self.loginCSRFCookie]?.value, let given = form.csrf, expected == given else {
            return loginPage(request, error: Language(request) == .ja ? "ページの有効期限が切れました。もう一度ログインしてください。"
                                                                   : "The page expired; please log in again.", status: .forbidden)
        }
        guard let name = form.name, let password = form.password, !name.isEmpty else {
            return loginPage(request, error: Language(request) == .ja ? "アカウント名とパスワードを入力してください。"
                                                                   : "Enter your account name and password.", status: .unprocessableContent)
        }
        let accounts = accounts, address = context.address, now = clock()
        do {
            let session = try await blocking {
                try accounts.startSession(for: try accounts.login(name: name, password: password, address: address, now: now), address: address, now: now)
            }
            var response = Response(status: .seeOther, headers: [.location: session.account.role.vendor == nil ? "/" : "/vendor"])
            response.setCookie(Cookie(name: Authenticator.sessionCookie, value: session.token, maxAge: Int(accounts.sessions.absolute),
                                      path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
            return response
        } catch let e as AccountError {
            var status: HTTPResponse.Status = .unauthorized
            var response: Response
            switch e {
            case .throttled, .locked: status = .tooManyRequests
            default: break
            }
            response = loginPage(request, error: e.description, status: status)
            if case .throttled(let until) = e { response.headers[.retryAfter] = String(Int((until - now).rounded(.up))) }
            if case .locked(let until) = e { response.headers[.retryAfter] = String(Int((until - now).rounded(.up))) }
            return response
        }
    }

    func logout(_ request: Request, _ context: WebContext) async throws -> Response {
        if let session = context.identity?.session {
            let accounts = accounts, address = context.address
            try await blocking { try accounts.endSession(token: session.token, address: address) }
            identities?.forget(cookie: session.token)
        }
        var response = Response(status: .seeOther, headers: [.location: "/login"])
        response.setCookie(Cookie(name: Authenticator.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    /// Pages send a browser without a session to the login form instead of answering 401.
    func signedIn(_ request: Request, _ context: WebContext, _ access: Access) async throws -> Identity? {
        guard context.identity != nil else { return nil }
        return try await access.check(request, context, store: ops.store)
    }

    func home(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await signedIn(request, context, .anyAccount) else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        if identity.account.role.vendor != nil { return Response(status: .seeOther, headers: [.location: "/vendor"]) }
        // Operators and viewers land on the console's Tonight page.
        if identity.account.role.canRead { return Response(status: .seeOther, headers: [.location: "/tonight" + Self.query(request)]) }
        return html(PageTemplates.render("home", ["l": Language(request).labels, "title": "Nightjar", "account": identity.account.name,
                                                  "csrf": identity.session?.csrf ?? ""]))
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        HTTPIO.text(text, contentType: "text/html; charset=utf-8", status: status,
                    headers: [.cacheControl: "no-store", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
                              HTTPField.Name("X-Frame-Options")!: "DENY"])
    }
}
