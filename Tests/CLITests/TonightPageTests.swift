import Foundation
import LiveHTTP
import Testing

/// The operators' console (issue 14) against the real `nightjar serve`: Tonight's Gantt, the Net page,
/// the live-update stream driven by a real store write, the forecast API, and who may see what.
@Suite(.serialized) struct TonightPageTests {
    static let nets = [
        "alpha": """
            name: alpha
            description: 夜間の前処理
            schedule:
              - at: "22:00"
            end_deadline: "23:30"
            concurrency: 2
            jobs:
              a: { run: [/bin/true] }
              b: { needs: [a], run: [/bin/true] }
              c: { needs: [a], run: [/bin/true] }
              d: { needs: [b, c], run: [/bin/true] }
            """,
        "beta": """
            name: beta
            after: [alpha]
            end_deadline: "29:00"
            jobs:
              only: { shell: 'sleep 0.1' }
            """,
    ]

    /// The business date now in Tokyo (the nets' zone; business days start at midnight).
    static var today: String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Tokyo")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }

    /// A site with tonight's runs (alpha ended, beta waiting), a viewer, an operator and a vendor, served.
    static func site() throws -> (cli: CLI, server: LiveServer, viewer: String, operator: String, vendor: String) {
        let cli = try CLI(nets)
        try cli.write("Jobs/calendars/default.yaml", "weekends: []\nnational_holidays: false\nyear_end: false\n")
        try cli.write("nightjar.yaml", "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n")
        // History: beta waits for alpha of the same date (after:), so alpha first.
        for d in ["2026-06-08", "2026-06-09"] {
            #expect(try cli.run(["run", "alpha", "--date", d, "-q"]).status == 0)
            #expect(try cli.run(["run", "beta", "--date", d, "-q"]).status == 0)
        }
        #expect(try cli.run(["run", "alpha", "--date", today, "-q"]).status == 0)
        #expect(try cli.run(["run", "beta", "--date", today, "--queue"]).status == 0)
        var tokens: [String] = []
        for (name, role) in [("viewer1", "viewer"), ("ops1", "operator"), ("acme1", "vendor:acme")] {
            #expect(try cli.run(["user", "add", name, "--role", role, "--password-stdin"], input: "correct horse battery\n").status == 0)
            let t = try cli.run(["token", "create", "--user", name])
            tokens.append(t.out.split(whereSeparator: \.isWhitespace).map(String.init).max { $0.count < $1.count } ?? "")
        }
        return (cli, try LiveServer(cli), tokens[0], tokens[1], tokens[2])
    }

    func get(_ server: LiveServer, _ path: String, token: String? = nil) throws -> LiveServer.Reply {
        try server.request("GET", path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
    }

    @Test func tonightDrawsTheRunsBarsDeadlinesAndPredictions() throws {
        let (_, server, viewer, _, vendor) = try Self.site()
        let page = try get(server, "/tonight", token: viewer)
        #expect(page.status == 200)
        #expect(page.header("content-type")?.hasPrefix("text/html") == true)
        let csp = page.header("content-security-policy") ?? ""
        #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline'; script") && !csp.contains("script-src 'unsafe"), "\(csp)")
        let html = page.text
        #expect(html.contains("今夜の運用") && html.contains("<svg"), "\(html.prefix(400))")
        // alpha's run: an ended bar linking to the run, a deadline mark, the name linking to the net.
        #expect(html.contains(#"data-net="alpha" data-state="normal" data-run="1""#) || html.contains(#"data-net="alpha" data-state="normal" data-run="#), "\(html)")
        #expect(html.contains(#"<rect class="bar""#))
        #expect(html.contains(#"<g class="deadline">"#))
        #expect(html.contains(#"href="/nets/alpha""#) && html.contains(#"href="/runs/"#))
        #expect(html.contains(#"class="now""#) && html.contains(#"class="past""#))
        // beta waits (no daemon here): a predicted box from its history, and the count of waiting runs.
        #expect(html.contains(#"data-net="beta" data-state="waiting""#), "\(html)")
        #expect(html.contains(#"<rect class="predicted""#))
        #expect(html.contains(#"data-state="waiting"><b>1</b>"#), "\(html)")
        #expect(html.contains(#"<script src="/static/console.js" defer></script>"#) && !html.contains("<script>"))
        // English on request, with the links keeping the language.
        let en = try get(server, "/tonight?lang=en", token: viewer)
        #expect(en.text.contains("Tonight") && en.text.contains("/nets/alpha?lang=en"), "\(en.text.prefix(300))")
        // A bad date is the operator's mistake, said so.
        #expect(try get(server, "/tonight?date=yesterday", token: viewer).status == 422)
        // Another business date: its runs (ended), and what still waits from tonight.
        let other = try get(server, "/tonight?date=2026-06-09", token: viewer).text
        #expect(other.contains(#"data-net="alpha" data-state="normal""#) && other.contains(#"data-net="beta" data-state="normal""#)
                && other.contains(#"data-net="beta" data-state="waiting""#) && other.contains("2026-06-09"), "\(other)")

        // Who may see it: the landing page for readers; the login form for a browser without a session; 403 for a vendor.
        let home = try get(server, "/", token: viewer)
        #expect(home.status == 303 && home.header("location") == "/tonight")
        let anonymous = try get(server, "/tonight")
        #expect(anonymous.status == 303 && anonymous.header("location") == "/login")
        #expect(try get(server, "/tonight", token: vendor).status == 403)
        #expect(try get(server, "/nets/alpha", token: vendor).status == 403)
        #expect(try get(server, "/events/tonight", token: vendor).status == 403)
        let script = try get(server, "/static/console.js")
        #expect(script.status == 200 && script.header("content-type")?.hasPrefix("text/javascript") == true && script.text.contains("EventSource"))
    }

    @Test func theNetPageDrawsTheGraphWithStatesNeedsAndAfter() throws {
        let (_, server, viewer, _, _) = try Self.site()
        let alpha = try get(server, "/nets/alpha", token: viewer)
        #expect(alpha.status == 200)
        let html = alpha.text
        for job in ["a", "b", "c", "d"] { #expect(html.contains(#"data-job="\#(job)" data-state="normal""#), "\(job)") }
        // needs: b←a, c←a, d←b, d←c.
        #expect(html.components(separatedBy: #"<path class="edge""#).count - 1 == 4, "\(html)")
        #expect(html.contains("22:00 every operating day") && html.contains("beta"))   // schedule; beta waits for it
        #expect(html.contains(#"class="durations""#))                                 // the run history's bars
        let beta = try get(server, "/nets/beta?lang=en", token: viewer).text
        #expect(beta.contains(#"class="after-net" data-net="alpha""#) && beta.contains(#"data-job="only" data-state="waiting""#), "\(beta)")
        #expect(try get(server, "/nets/nonesuch", token: viewer).status == 404)
        #expect(try get(server, "/nets/..%2Fx", token: viewer).status != 200)
        let list = try get(server, "/nets", token: viewer)
        #expect(list.status == 200 && list.text.contains(#"href="/nets/alpha""#))
    }

    @Test func theForecastAPIPredictsRunsAndNets() throws {
        let (_, server, viewer, _, vendor) = try Self.site()
        let runs = try server.json("GET", "/api/v1/runs?active=true", token: viewer).json() as? [[String: Any]] ?? []
        let waiting = try #require((runs.first?["id"] as? NSNumber)?.int64Value)
        let run = try server.json("GET", "/api/v1/runs/\(waiting)/forecast", token: viewer)
        #expect(run.status == 200, "\(run.text)")
        let body = run.json() as? [String: Any] ?? [:]
        #expect(body["net"] as? String == "beta" && body["end"] is String && body["late"] is Bool && (body["unknown"] as? [String])?.isEmpty == true, "\(body)")
        let net = try server.json("GET", "/api/v1/nets/alpha/forecast", token: viewer)
        #expect(net.status == 200 && (net.json() as? [String: Any])?["net"] as? String == "alpha", "\(net.text)")
        #expect(try server.json("GET", "/api/v1/runs/999/forecast", token: viewer).status == 404)
        #expect(try server.json("GET", "/api/v1/nets/alpha/forecast", token: vendor).status == 403)
    }

    /// Reads from an SSE connection until `marker` arrives or `seconds` pass (the socket's own
    /// receive timeout bounds each read); returns everything read.
    func read(_ fd: Int32, until marker: String, seconds: Double) -> String {
        var text = ""
        var buf = [UInt8](repeating: 0, count: 8192)
        let end = Date().addingTimeInterval(seconds)
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while Date() < end, !text.contains(marker) {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { text += String(decoding: buf[0..<n], as: UTF8.self) } else if n == 0 { break }
        }
        return text
    }

    func openStream(_ server: LiveServer, _ path: String, token: String) throws -> Int32 {
        let fd = try server.connect()
        LiveServer.send(fd, Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer \(token)\r\n\r\n".utf8))
        return fd
    }

    @Test func theEventStreamSaysWhenTheStateChanges() throws {
        let (cli, server, viewer, _, _) = try Self.site()
        // Many pages open at once: all are told, by the one change detector.
        let streams = try (0..<20).map { _ in try openStream(server, "/events/tonight", token: viewer) }
        defer { streams.forEach { close($0) } }
        for fd in streams {
            let hello = read(fd, until: ": connected", seconds: 10)
            #expect(hello.contains("200 OK") && hello.lowercased().contains("content-type: text/event-stream") && hello.contains(": connected"), "\(hello)")
        }
        // A real write to the store: an operator holds a net (audited).
        #expect(try cli.run(["hold", "alpha", "--reason", "checking the register"]).status == 0)
        for fd in streams {
            let change = read(fd, until: "event: change", seconds: 10)
            #expect(change.contains("event: change") && change.contains("id: "), "\(change)")
        }
        // A client coming back with an older token hears of the change at once.
        let late = try openStream(server, "/events/tonight?since=0.0", token: viewer)
        defer { close(late) }
        #expect(read(late, until: "event: change", seconds: 10).contains("event: change"))
        // And Tonight shows it: alpha's planned 22:00 start (its run tonight was started by hand) is held.
        let page = try get(server, "/tonight", token: viewer).text
        #expect(page.contains(#"data-net="alpha" data-state="held""#), "\(page)")
    }
}
