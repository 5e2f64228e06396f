import Accounts
import Calendars
import CSystemState
import Foundation
import HTTPTypes
import Hummingbird
import Operations
import ServiceLifecycle

/// The operators' console (issue 14): Tonight, the nets, the live-update stream and the console's
/// script. Reading pages for admin, operator and viewer accounts; a vendor account gets 403 and a
/// browser without a session goes to the login form.
struct Console: Sendable {
    let ops: Operations
    let feed: ChangeFeed
    let cache: TonightCache
    /// Tonight as rendered from the cached view (see RenderedPages).
    let rendered = RenderedPages()
    let clock: @Sendable () -> Double

    func register(on router: Router<WebContext>) {
        router.get("/tonight") { request, context in try await self.tonight(request, context) }
        router.get("/events/tonight") { request, context in try await self.events(request, context) }
        router.get("/static/console.js") { _, _ in
            HTTPIO.text(ConsoleScript.source, contentType: "text/javascript; charset=utf-8", headers: [.cacheControl: "no-cache"])
        }
        router.get("/nets") { request, context in try await self.netList(request, context) }
        router.get("/nets/{net}") { request, context in try await self.netPage(request, context) }
    }

    /// The account allowed to read, or nil when the browser must log in first (403 for other roles).
    func reader(_ request: Request, _ context: WebContext) async throws -> Identity? {
        guard context.identity != nil else { return nil }
        return try await Access.read.check(request, context, store: ops.store)
    }

    static let toLogin = Response(status: .seeOther, headers: [.location: "/login"])

    // MARK: Tonight

    func tonight(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Self.toLogin }
        var date: LocalDate?
        if let text = request.uri.queryParameters.get("date") {
            guard let d = LocalDate(String(text)) else { throw WebError(.unprocessableContent, "?date=\(text): write a business date as YYYY-MM-DD") }
            date = d
        }
        let ops = ops, feed = feed, cache = cache, now = clock(), asked = date
        let (view, token) = try await blocking { try cache.view(ops: ops, feed: feed, now: now, date: asked) }
        let page = rendered.page(version: "\(token) \(view.now)", request: request, identity: identity) {
            TonightPage.render(view, token: token, request: request, identity: identity)
        }
        return ConsoleLayout.response(page)
    }

    /// Server-sent events: `change` (with the state's token as its id) whenever the state directory
    /// changes, a comment every 15 s otherwise. A client that comes back with `Last-Event-ID` or
    /// `?since=` older than the state hears of the change at the next poll. Ends on the server's graceful shutdown.
    func events(_ request: Request, _ context: WebContext) async throws -> Response {
        _ = try await Access.read.check(request, context, store: ops.store)
        let since = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters.get("since").map { String($0) }
        let feed = feed
        let current = try? await blocking { try feed.token() }
        let body = ResponseBody { writer in
            // The client's page shows `since` (its token, or the Last-Event-ID it heard last), else the
            // state as it is now: anything newer is announced at the next poll.
            let (id, signals) = feed.subscribe(seen: since ?? current)
            defer { feed.unsubscribe(id) }
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            try await withGracefulShutdownHandler {
                for await signal in signals {
                    switch signal {
                    case .changed(let token): try await writer.write(ByteBuffer(string: "id: \(token)\nevent: change\ndata: \(token)\n\n"))
                    case .heartbeat: try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
            } onGracefulShutdown: {
                feed.unsubscribe(id)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                               HTTPField.Name("X-Accel-Buffering")!: "no"], body: body)
    }

    // MARK: Nets

    func netList(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Self.toLogin }
        let ops = ops
        let names = ops.site.netNames()
        let latest = try await blocking { try names.map { ($0, try ops.store.runs(net: $0, limit: 1, definitions: false).first) } }
        return ConsoleLayout.response(NetPage.renderList(latest.map { (name: $0.0, run: $0.1) }, site: ops.site, zone: ops.zone,
                                                         request: request, identity: identity))
    }

    func netPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Self.toLogin }
        let name = try HTTPIO.parameter(context, "net")
        let ops = ops, now = Date(timeIntervalSince1970: clock())
        let view = try await blocking { try ops.netPage(name, now: now) }
        return ConsoleLayout.response(NetPage.render(view, request: request, identity: identity))
    }
}

/// Tonight's view, computed once per change of the state and at most every few seconds however many
/// browsers ask: under load, the page costs a lookup of the state's token, not a walk of every run.
/// A view only older by time (or by a change of under two seconds) is served at once while one
/// background walk refreshes it, so a night with a 10,000-job run in progress, whose state changes
/// all the time, never makes a page wait on a walk; the console script asks again shortly after a change.
final class TonightCache: @unchecked Sendable {
    struct Entry { var view: TonightView; var token: String; var at: Double }
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var refreshing: Set<String> = []
    /// Seconds a view is fresh while nothing changes (its predictions and "now" move slowly).
    let freshFor: Double
    /// Seconds a view may be served after a change while a fresh one is walked.
    let staleAfterChange: Double
    /// One walk at a time: fifty browsers arriving together wait for one walk instead of making fifty.
    private let computing = NSLock()

    init(freshFor: Double = 5, staleAfterChange: Double = 2) {
        self.freshFor = freshFor
        self.staleAfterChange = staleAfterChange
    }

    func view(ops: Operations, feed: ChangeFeed, now: Double, date: LocalDate?) throws -> (TonightView, String) {
        let token = try feed.token()
        let key = date?.description ?? "-"
        if let e = lock.withLock({ entries[key] }) {
            if e.token == token && now - e.at < freshFor { return (e.view, e.token) }
            if e.token == token || now - e.at < staleAfterChange {
                refreshInBackground(key: key, ops: ops, feed: feed, now: now, date: date)
                return (e.view, e.token)
            }
        }
        return try compute(key: key, ops: ops, feed: feed, now: now, date: date)
    }

    private func compute(key: String, ops: Operations, feed: ChangeFeed, now: Double, date: LocalDate?) throws -> (TonightView, String) {
        computing.lock()
        defer { computing.unlock() }
        let token = try feed.token()
        if let e = lock.withLock({ entries[key] }), e.token == token, now - e.at < freshFor { return (e.view, e.token) }
        let view = try ops.tonight(now: now, date: date)
        lock.withLock {
            if entries.count > 16 { entries.removeAll() }
            entries[key] = Entry(view: view, token: token, at: now)
        }
        // A walk reads every net file and the runs of the day (a 10,000-job net is tens of megabytes of
        // short-lived objects); give the freed memory back to the system rather than keep it mapped.
        malloc_trim(0)
        return (view, token)
    }

    private func refreshInBackground(key: String, ops: Operations, feed: ChangeFeed, now: Double, date: LocalDate?) {
        guard lock.withLock({ refreshing.insert(key).inserted }) else { return }
        DispatchQueue.global().async {
            _ = try? self.compute(key: key, ops: ops, feed: feed, now: now, date: date)
            self.lock.withLock { _ = self.refreshing.remove(key) }
        }
    }
}
