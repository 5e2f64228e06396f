import Accounts
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

@Suite("Web sessions: login, CSRF, expiry, throttling, tokens")
struct SessionTests {
    static func cookie(_ token: String) -> HTTPFields { [.cookie: "\(Authenticator.sessionCookie)=\(token)"] }

    @Test func loginSetsAStrictHttpOnlySessionCookieOnlyWithTheFormsToken() async throws {
        let site = try WebSite()
        try await site.test { client in
            let csrf = try await client.execute(uri: "/login", method: .get) { r -> String in
                #expect(r.status == .ok)
                let set = try #require(r.headers[.setCookie])
                return String(try #require(set.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last))
            }
            let form = "name=operator&password=correct+horse+battery&csrf=\(csrf)"
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: "\(Pages.loginCSRFCookie)=\(csrf)"]
            // Without the form's token (a forged cross-site login): refused, no session.
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                      body: ByteBuffer(string: form)) { r in
                #expect(r.status == .forbidden)
                #expect(r.headers[values: .setCookie].allSatisfy { !$0.hasPrefix(Authenticator.sessionCookie) })
            }
            try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: form)) { r in
                #expect(r.status == .seeOther)
                let set = try #require(r.headers[values: .setCookie].first { $0.hasPrefix(Authenticator.sessionCookie) })
                #expect(set.contains("HttpOnly") && set.contains("SameSite=Strict"))
                #expect(!set.contains("Secure"), "no Secure without TLS, or the browser would drop it")
            }
        }
        #expect(try site.auditRows(action: "login").count == 1)
    }

    @Test func cookieRequestsThatChangeThingsNeedTheCSRFToken() async throws {
        let site = try WebSite()
        let account = try #require(try site.accounts.account("operator"))
        let session = try site.accounts.startSession(for: account, address: nil, now: site.clock.now)
        let runID = site.runID
        try await site.test { client in
            let uri = "/api/v1/runs/\(runID)/jobs/b/hold"
            try await client.execute(uri: uri, method: .post, headers: Self.cookie(session.token)) { r in #expect(r.status == .forbidden) }
            var forged = Self.cookie(session.token)
            forged[CSRFMiddleware.header] = "forged"
            try await client.execute(uri: uri, method: .post, headers: forged) { r in #expect(r.status == .forbidden) }
            // Reading needs no token; /me hands it to the page's scripts.
            try await client.execute(uri: "/api/v1/me", method: .get, headers: Self.cookie(session.token)) { r in
                #expect(String(buffer: r.body).contains(session.csrf))
            }
            var good = Self.cookie(session.token)
            good[CSRFMiddleware.header] = session.csrf
            try await client.execute(uri: uri, method: .post, headers: good) { r in #expect(r.status == .ok) }
        }
        #expect(try site.auditRows(action: "hold").count == 1, "only the request with the right token held the job")
        #expect(try site.auditRows(action: "denied").filter { ($0["result"] as String).contains("CSRF") }.count == 2)
    }

    @Test func sessionsEndAfterIdleAndAbsoluteTimeOnTheServersClock() async throws {
        let site = try WebSite()
        let account = try #require(try site.accounts.account("viewer"))
        let idle = try site.accounts.startSession(for: account, address: nil, now: site.clock.now)
        try await site.test { client in
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: Self.cookie(idle.token)) { r in #expect(r.status == .ok) }
            site.clock.advance(site.accounts.sessions.idle - 1)
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: Self.cookie(idle.token)) { r in #expect(r.status == .ok) }
            site.clock.advance(site.accounts.sessions.idle + 1)
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: Self.cookie(idle.token)) { r in #expect(r.status == .unauthorized) }
            // Kept busy, a session still ends at its absolute limit.
            let busy = try site.accounts.startSession(for: account, address: nil, now: site.clock.now)
            var elapsed = 0.0
            while elapsed < site.accounts.sessions.absolute - 600 {
                site.clock.advance(600); elapsed += 600
                try await client.execute(uri: "/api/v1/me", method: .get, headers: Self.cookie(busy.token)) { r in #expect(r.status == .ok) }
            }
            site.clock.advance(601)
            try await client.execute(uri: "/api/v1/me", method: .get, headers: Self.cookie(busy.token)) { r in #expect(r.status == .unauthorized) }
        }
    }

    @Test func aDisabledAccountsTokenAndSessionStopWorking() async throws {
        let site = try WebSite()
        let token = try #require(site.tokens["viewer"])
        let session = try site.accounts.startSession(for: try #require(try site.accounts.account("viewer")), address: nil, now: site.clock.now)
        try await site.test { client in
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: WebSite.bearer(token)) { r in #expect(r.status == .ok) }
            try site.accounts.disable("viewer", by: "test")
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: WebSite.bearer(token)) { r in #expect(r.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: Self.cookie(session.token)) { r in #expect(r.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/runs", method: .get, headers: WebSite.bearer("njt_not-a-token")) { r in #expect(r.status == .unauthorized) }
        }
    }

    @Test func throttleWaitsThenLocksOnVirtualTime() {
        let t = LoginThrottle()
        let start = 1_000.0
        #expect(t.decide(failures: [], now: start) == .allowed)
        #expect(t.decide(failures: [start, start + 1], now: start + 1) == .allowed)
        // The third failure makes the next attempt wait 2 s, the fourth 4 s.
        #expect(t.decide(failures: [start, start + 1, start + 2], now: start + 3) == .wait(until: start + 4))
        #expect(t.decide(failures: [start, start + 1, start + 2], now: start + 4) == .allowed)
        #expect(t.decide(failures: [start, start + 1, start + 2, start + 5], now: start + 6) == .wait(until: start + 9))
        // The fifth within 15 minutes locks for 15 minutes after it.
        let five = [start, start + 1, start + 2, start + 5, start + 10]
        #expect(t.decide(failures: five, now: start + 11) == .locked(until: start + 10 + 900))
        #expect(t.decide(failures: five, now: start + 909) == .locked(until: start + 910))
        #expect(t.decide(failures: five, now: start + 910) == .allowed)
        // Failures spread beyond the window never lock.
        #expect(t.decide(failures: [start, start + 1000, start + 2000, start + 3000, start + 4000], now: start + 4001) == .allowed)
    }

    @Test func wrongPasswordsAreThrottledThenLockEvenTheRightOne() throws {
        let site = try WebSite()
        var now = site.clock.now
        func attempt(_ password: String) -> AccountError? {
            do { _ = try site.accounts.login(name: "operator", password: password, address: "192.0.2.7", now: now); return nil }
            catch let e as AccountError { return e } catch { return .badInput("\(error)") }
        }
        #expect(attempt("wrong-one-1") == .badCredentials)
        #expect(attempt("wrong-one-2") == .badCredentials)
        #expect(attempt("wrong-one-3") == .badCredentials)
        // Throttled: even the right password is not checked until the wait is over.
        #expect(attempt(WebSite.password) == .throttled(until: now + 2))
        now += 2
        #expect(attempt("wrong-one-4") == .badCredentials)
        now += 4
        #expect(attempt("wrong-one-5") == .badCredentials)
        guard case .locked(let until) = attempt(WebSite.password) else { Issue.record("not locked"); return }
        #expect(until == now + 900)
        now = until
        #expect(attempt(WebSite.password) == nil, "the lock ends after 15 minutes")
        let failed = try site.auditRows(action: "login.failed")
        #expect(failed.count == 5)
        #expect(failed.allSatisfy { ($0["address"] as String?) == "192.0.2.7" })
        #expect((failed.last?["result"] as String?)?.contains("locked") == true)
    }
}

/// The authenticator remembers credentials for a moment (IdentityCache); what takes a credential away
/// must still take effect at the next request, from whichever process it comes.
@Suite("Web identity cache")
struct IdentityCacheTests {
    @Test func aPasswordChangedByAnotherProcessEndsTheSessionAtTheNextRequest() async throws {
        let site = try WebSite()
        let session = try site.accounts.startSession(for: try #require(try site.accounts.account("operator")), address: nil, now: site.clock.now)
        // A second Accounts on the same state directory, as the CLI's `user passwd` would be.
        let cli = Accounts(store: site.ops.store)
        try await site.test { client in
            try await client.execute(uri: "/api/v1/me", method: .get, headers: SessionTests.cookie(session.token)) { r in #expect(r.status == .ok) }
            try cli.setPassword("operator", password: "another long password", by: "admin")
            try await client.execute(uri: "/api/v1/me", method: .get, headers: SessionTests.cookie(session.token)) { r in #expect(r.status == .unauthorized) }
        }
    }

    @Test func aRememberedTokenIsCheckedAgainAfterTheTTL() async throws {
        let site = try WebSite()
        let token = try #require(site.tokens["viewer"])
        try await site.test { client in
            try await client.execute(uri: "/api/v1/me", method: .get, headers: WebSite.bearer(token)) { r in #expect(r.status == .ok) }
            // Removed behind the accounts' back (no change marked): remembered for at most the TTL, on the server's clock.
            try await site.ops.store.db.write { try $0.execute(sql: "DELETE FROM api_tokens") }
            try await client.execute(uri: "/api/v1/me", method: .get, headers: WebSite.bearer(token)) { r in #expect(r.status == .ok) }
            site.clock.advance(2.5)
            try await client.execute(uri: "/api/v1/me", method: .get, headers: WebSite.bearer(token)) { r in #expect(r.status == .unauthorized) }
        }
    }

    @Test func aLogoutEndsTheSessionAtOnce() async throws {
        let site = try WebSite()
        let session = try site.accounts.startSession(for: try #require(try site.accounts.account("viewer")), address: nil, now: site.clock.now)
        try await site.test { client in
            try await client.execute(uri: "/api/v1/me", method: .get, headers: SessionTests.cookie(session.token)) { r in #expect(r.status == .ok) }
            var headers = SessionTests.cookie(session.token)
            headers[CSRFMiddleware.header] = session.csrf
            try await client.execute(uri: "/logout", method: .post, headers: headers) { r in #expect(r.status == .seeOther) }
            try await client.execute(uri: "/api/v1/me", method: .get, headers: SessionTests.cookie(session.token)) { r in #expect(r.status == .unauthorized) }
        }
    }
}
