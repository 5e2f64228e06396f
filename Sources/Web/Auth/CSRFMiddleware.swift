import Accounts
import HTTPTypes
import Hummingbird
import Store

/// A request that changes something and is authenticated by the session cookie must carry the
/// session's CSRF token: the `X-CSRF-Token` header (scripts in the page), or the `csrf` field of a form.
/// Bearer-token requests need none: a browser never sends that header by itself.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let store: Store

    static let header = HTTPField.Name("X-CSRF-Token")!

    struct FormToken: Decodable { var csrf: String? }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method), let session = context.identity?.session else {
            return try await next(request, context)
        }
        var request = request
        var given = request.headers[Self.header]
        if given == nil, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            // Buffer the form (up to the body limit) so the handler can read it after us.
            _ = try await request.collectBody(upTo: context.maxUploadSize)
            given = (try? URLEncodedFormDecoder().decode(FormToken.self, from: String(buffer: try await request.collectBody(upTo: context.maxUploadSize))))?.csrf
        }
        guard Accounts.csrfMatches(given, session: session) else {
            let name = session.account.name, address = context.address, what = "\(request.method.rawValue) \(request.uri.path)"
            let missing = given == nil
            let store = store
            try await blocking {
                try store.db.write { try Store.audit($0, user: name, action: "denied", net: nil, runID: nil, job: nil, reason: nil,
                                                     result: "403 CSRF token \(missing ? "missing" : "wrong"): \(what)", address: address) }
            }
            throw WebError(.forbidden, "the CSRF token is missing or wrong: reload the page and try again (scripts: send the X-CSRF-Token header from GET /api/v1/me)")
        }
        return try await next(request, context)
    }
}
