import Foundation
import HTTPTypes
import Hummingbird
import Operations

/// What the console's Run, Job, Calendar, Spool, Alerts and Audit pages share beyond `ConsoleLayout`:
/// the routes, who may see them, the notice shown once after an action, and the readable page for a refusal.
extension Pages {
    static let noticeCookie = "nightjar_notice"

    func registerConsole(on router: Router<WebContext>) {
        registerRunPages(on: router)
        registerCalendarPages(on: router)
        registerSpoolPages(on: router)
        registerRecordPages(on: router)
    }

    /// A console page's reader: a signed-in account that may read (admin, operator, viewer), else nil
    /// (the caller sends the browser to the login form). A vendor gets 403, audited.
    func reader(_ request: Request, _ context: WebContext) async throws -> Identity? {
        try await signedIn(request, context, .read)
    }

    /// The values every console page has (`ConsoleLayout.values`: words, navigation, account, CSRF
    /// token, language link), with what the action pages add: whether the account may act, the
    /// language as a query parameter for the pages' own links, and the notice left by the last action
    /// (shown once).
    func console(_ request: Request, _ identity: Identity, title: String, section: ConsoleLayout.Section?, live: Bool = false) -> [String: Any] {
        let query = Self.query(request)
        var values = ConsoleLayout.values(request, identity, section: section, title: title, live: live)
        values["langParam"] = query.isEmpty ? "" : String(query.dropFirst())
        values["langAmp"] = query.isEmpty ? "" : "&" + query.dropFirst()
        values["canOperate"] = identity.account.role.canOperate
        if let notice = request.cookies[Self.noticeCookie]?.value.removingPercentEncoding, !notice.isEmpty { values["notice"] = notice }
        return values
    }

    /// The page, clearing a notice it has shown.
    func consolePage(_ name: String, _ values: [String: Any], request: Request, status: HTTPResponse.Status = .ok) -> Response {
        let shown = request.cookies[Self.noticeCookie] != nil
        return ConsoleLayout.response(PageTemplates.render(name, values), status: status,
                                      cookie: shown ? Cookie(name: Self.noticeCookie, value: "", maxAge: 0, path: "/", secure: secureCookies,
                                                             httpOnly: true, sameSite: .strict) : nil)
    }

    /// After an action: back to `location`, which shows `notice` once.
    func redirect(to location: String, notice: String) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        let encoded = notice.addingPercentEncoding(withAllowedCharacters: ConsoleLayout.unreserved) ?? ""
        response.setCookie(Cookie(name: Self.noticeCookie, value: String(encoded.prefix(3000)), maxAge: 120, path: "/", secure: secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    /// A readable page for what could not be done (403 for a role, 409 for a state, 404, …).
    func messagePage(_ request: Request, _ identity: Identity?, status: HTTPResponse.Status, heading: String, message: String, back: String) -> Response {
        var values = ConsoleLayout.values(request, identity, section: nil, title: heading)
        values["heading"] = heading
        values["message"] = message
        values["back"] = back
        return ConsoleLayout.response(PageTemplates.render("console-message", values), status: status)
    }

    /// Runs an operator action for a console form: the operate role is checked (a refusal is audited
    /// as denied and answered with a readable 403 page), the reason read from the form, and errors of
    /// the operations layer turned into a readable page that says why.
    func consoleAction(_ request: Request, _ context: WebContext, back: String,
                       _ body: @escaping @Sendable (ConsoleForm, Actor) throws -> (location: String, notice: String)) async throws -> Response {
        let labels = Language(request).consoleAll
        let identity: Identity
        do {
            guard let checked = try await Access.operate.check(request, context, store: ops.store) else { throw WebError.unauthorized() }
            identity = checked
        } catch let e as WebError {
            return messagePage(request, context.identity, status: e.status, heading: labels[e.status == .forbidden ? "forbidden" : "refused"] ?? "",
                               message: e.message, back: back)
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(ConsoleForm.self, from: String(buffer: buffer))) ?? ConsoleForm()
        if let reason = form.reason, reason.count > 1000 {
            return messagePage(request, identity, status: .unprocessableContent, heading: labels["refused"] ?? "",
                               message: "the reason is longer than 1000 characters", back: back)
        }
        let actor = Actor.web(account: identity.account.name, address: context.address)
        do {
            let done = try await blocking { try body(form, actor) }
            return redirect(to: done.location, notice: done.notice)
        } catch {
            let web: WebError = (error as? WebError) ?? WebError.from(OperationError.classify(error))
            return messagePage(request, identity, status: web.status, heading: labels["refused"] ?? "", message: web.message, back: back)
        }
    }
}

/// The fields of the console's action forms (all optional: each action takes what it needs).
struct ConsoleForm: Decodable, Sendable {
    var csrf: String?
    var reason: String?
    var scope: String?
    var job: String?
    var printer: String?
    var options: String?
    var again: String?
    var pagesPerJob: String?
    var vendor: String?

    enum CodingKeys: String, CodingKey { case csrf, reason, scope, job, printer, options, again, vendor, pagesPerJob = "pages_per_job" }

    /// The reason, or nil when left empty.
    var why: String? { reason.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 } }
}
