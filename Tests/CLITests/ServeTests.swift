import Foundation
import LiveHTTP
import Testing

/// The real `nightjar serve` process on a loopback port: a log-in through the form, an action through
/// the API with the session cookie and CSRF token, and its audit row seen from the CLI; forged CSRF
/// tokens, oversized bodies and a client that stalls halfway through a request.
@Suite struct ServeTests {
    static let net = """
        name: demo
        jobs:
          a: { run: [sleep, "30"] }
          b: { needs: [a], shell: echo b }
        """
    static let password = "correct horse battery"

    /// A site with one waiting run (id 1, left for a daemon that never comes) and an operator `ops`.
    static func site() throws -> CLI {
        let cli = try CLI(["demo": net])
        let queued = try cli.run(["run", "demo", "--queue"])
        #expect(queued.status == 0, "\(queued.err)")
        let added = try cli.run(["user", "add", "ops", "--role", "operator", "--password-stdin"], input: password + "\n")
        #expect(added.status == 0, "\(added.err)")
        return cli
    }

    /// Logs in through the form: the login page's CSRF cookie and field, then the session cookie; the
    /// session's CSRF token from /api/v1/me.
    static func logIn(_ server: LiveServer, name: String, password: String) throws -> (cookie: String, csrf: String) {
        let page = try server.request("GET", "/login")
        #expect(page.status == 200)
        guard let loginToken = page.cookies()["nightjar_login_csrf"] else { throw LiveServer.ServerError(message: "no login CSRF cookie") }
        #expect(page.text.contains(loginToken), "the form carries the same token as its cookie")
        let form = "name=\(name)&password=\(password.replacingOccurrences(of: " ", with: "+"))&csrf=\(loginToken)"
        let login = try server.request("POST", "/login", headers: ["Content-Type": "application/x-www-form-urlencoded",
                                                                  "Cookie": "nightjar_login_csrf=\(loginToken)"], body: Data(form.utf8))
        #expect(login.status == 303, "\(login.status) \(login.text)")
        guard let session = login.cookies()["nightjar_session"] else { throw LiveServer.ServerError(message: "no session cookie: \(login.status)") }
        let cookie = "nightjar_session=\(session)"
        let me = try server.request("GET", "/api/v1/me", headers: ["Cookie": cookie])
        #expect(me.status == 200)
        let object = me.json() as? [String: Any]
        #expect(object?["name"] as? String == name)
        guard let csrf = object?["csrf"] as? String else { throw LiveServer.ServerError(message: "no CSRF token in /api/v1/me: \(me.text)") }
        return (cookie, csrf)
    }

    static func held(_ server: LiveServer, cookie: String, job: String) throws -> Bool? {
        let run = try server.request("GET", "/api/v1/runs/1", headers: ["Cookie": cookie]).json() as? [String: Any]
        let jobs = run?["jobs"] as? [[String: Any]] ?? []
        return jobs.first { $0["name"] as? String == job }?["held"] as? Bool
    }

    @Test func aHoldThroughTheAPIIsAuditedWithTheAccountAndAddress() throws {
        let cli = try Self.site()
        let server = try LiveServer(cli)
        let (cookie, csrf) = try Self.logIn(server, name: "ops", password: Self.password)
        let hold = try server.request("POST", "/api/v1/runs/1/jobs/b/hold",
                                      headers: ["Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json"],
                                      body: Data(#"{"reason":"wait for the tax office"}"#.utf8))
        #expect(hold.status == 200, "\(hold.text)")
        #expect(try Self.held(server, cookie: cookie, job: "b") == true)
        // The CLI, on the same state directory, sees the change and who made it from where.
        let audit = try cli.json(["audit"]) as? [[String: Any]] ?? []
        let row = audit.first { $0["action"] as? String == "hold" && $0["job"] as? String == "b" }
        #expect(row?["user"] as? String == "ops")
        #expect(row?["address"] as? String == "127.0.0.1")
        #expect(row?["reason"] as? String == "wait for the tax office")
        let status = try cli.json(["status", "demo"]) as? [String: Any]
        let jobs = status?["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.first { $0["name"] as? String == "b" }?["held"] as? Bool == true)
    }

    @Test func aForgedCSRFTokenOrAnOversizedBodyChangesNothing() throws {
        let cli = try Self.site()
        let server = try LiveServer(cli)
        let (cookie, csrf) = try Self.logIn(server, name: "ops", password: Self.password)
        let forged = try server.request("POST", "/api/v1/runs/1/jobs/b/hold",
                                        headers: ["Cookie": cookie, "X-CSRF-Token": String(csrf.reversed()), "Content-Type": "application/json"],
                                        body: Data("{}".utf8))
        #expect(forged.status == 403)
        #expect((forged.json() as? [String: Any])?["error"] as? String != nil)
        let missing = try server.request("POST", "/api/v1/runs/1/jobs/b/hold", headers: ["Cookie": cookie], body: Data())
        #expect(missing.status == 403)
        // 100 KiB of reason: over the 64 KiB limit.
        let big = Data(#"{"reason":""#.utf8) + Data(repeating: UInt8(ascii: "x"), count: 100 * 1024) + Data(#""}"#.utf8)
        let large = try server.request("POST", "/api/v1/runs/1/jobs/b/hold",
                                       headers: ["Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json"], body: big)
        #expect(large.status == 413, "\(large.status) \(large.text)")
        #expect(((large.json() as? [String: Any])?["error"] as? String)?.contains("64 KiB") == true)
        #expect(try Self.held(server, cookie: cookie, job: "b") == false)
        let audit = try cli.json(["audit"]) as? [[String: Any]] ?? []
        #expect(!audit.contains { $0["action"] as? String == "hold" })
        #expect(audit.contains { $0["action"] as? String == "denied" && ($0["result"] as? String ?? "").contains("CSRF") && $0["user"] as? String == "ops" })
    }

    @Test func aStalledClientBlocksNobodyAndIsClosedByTheIdleTimeout() throws {
        let cli = try Self.site()
        let token = try cli.run(["token", "create", "--user", "ops"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try LiveServer(cli, arguments: ["--idle-timeout", "2"])
        // Half a request head, then nothing.
        let stalled = try server.connect()
        defer { close(stalled) }
        #expect(LiveServer.send(stalled, Data("POST /api/v1/runs/1/jobs/b/hold HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le".utf8)))
        // Another client is served meanwhile.
        let other = try server.json("GET", "/api/v1/runs/1", token: token)
        #expect(other.status == 200)
        #expect((other.json() as? [String: Any])?["net"] as? String == "demo")
        // The server closes the stalled connection (recv sees the end, not our own 30 s receive timeout).
        var buf = [UInt8](repeating: 0, count: 1024)
        var n = recv(stalled, &buf, buf.count, 0)
        while n > 0 { n = recv(stalled, &buf, buf.count, 0) }
        #expect(n == 0 || errno == ECONNRESET, "recv \(n), errno \(errno): the stalled connection was not closed")
        // Nothing was held by the half request.
        let run = try server.json("GET", "/api/v1/runs/1", token: token).json() as? [String: Any]
        #expect((run?["jobs"] as? [[String: Any]] ?? []).allSatisfy { $0["held"] as? Bool == false })
    }
}
