import Foundation
import LiveHTTP
import Testing

/// The Run and job pages and their actions against the real `nightjar serve` and its SQLite state:
/// what the pages list, an operator's hold and release through the forms (audited with the reason and
/// the client's address), a viewer who sees no buttons and is refused (403, audited as denied), a form
/// without its CSRF token refused, and the log of a running job followed from an offset.
@Suite(.serialized)
final class RunPageTests {
    let site: ConsoleSite

    init() throws {
        site = try ConsoleSite(nets: [
            "nightly": """
                name: nightly
                jobs:
                  extract: { shell: "echo extracted" }
                  tax-rate: { needs: [extract], shell: "echo tax" }
                  report: { needs: [tax-rate], shell: "echo report" }
                """,
            "talker": """
                name: talker
                jobs:
                  talk: { shell: "for i in 1 2 3 4 5; do echo line-$i; done; echo 日本語の行; echo '<script>alert(1)</script>' >&2; echo err-line >&2; exit 3" }
                """,
        ])
        try site.addUser("olivia", role: "operator")
        try site.addUser("victor", role: "viewer")
    }

    func audit() throws -> [[String: Any]] { try site.json(["audit"]) as? [[String: Any]] ?? [] }

    @Test func anOperatorHoldsAndReleasesAJobThroughTheFormsAndBothAreAudited() throws {
        let run = try site.queue("nightly")
        let server = try site.serve()
        let browser = Browser(server)
        // Without a session the page sends the browser to the login form.
        #expect(try server.request("GET", "/runs/\(run)").header("Location") == "/login")
        try browser.login("olivia", password: ConsoleSite.password)
        let page = try browser.get("/runs/\(run)")
        #expect(page.status == 200)
        // Every job, in the net's order, with its state in Japanese.
        let rows = ["extract", "tax-rate", "report"].map { page.text.range(of: "<tr id=\"job-\($0)\">")?.lowerBound }
        #expect(rows.allSatisfy { $0 != nil } && rows == rows.sorted { ($0 ?? page.text.startIndex) < ($1 ?? page.text.startIndex) })
        #expect(page.text.contains("実行待ち"))
        #expect(page.text.contains("id=\"kill-run\""))   // an operator sees the run's actions

        let jobPage = try browser.get("/runs/\(run)/jobs/extract")
        #expect(jobPage.status == 200)
        #expect(jobPage.text.contains("id=\"hold\"") && jobPage.text.contains("name=\"reason\""))
        let held = try browser.post("/runs/\(run)/jobs/extract/hold", ["reason": "待って: tape not loaded"])
        #expect(held.status == 303, "\(held.text)")
        #expect(held.header("Location") == "/runs/\(run)#job-extract")
        // The run page after the action: the notice once, the job held.
        let after = try browser.get("/runs/\(run)")
        #expect(after.text.contains("class=\"ok\""))
        let row = after.text.components(separatedBy: "<tr id=\"job-extract\">").dropFirst().first?.components(separatedBy: "</tr>").first ?? ""
        #expect(row.contains("保留中"), "\(row)")
        #expect(!(try browser.get("/runs/\(run)")).text.contains("class=\"ok\""))   // shown once
        let jobs = (try site.json(["status", "--run", "\(run)"]) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.first { $0["name"] as? String == "extract" }?["held"] as? Bool == true)
        let hold = try audit().first { $0["action"] as? String == "hold" }
        #expect(hold?["user"] as? String == "olivia")
        #expect(hold?["reason"] as? String == "待って: tape not loaded")
        #expect(hold?["address"] as? String == "127.0.0.1")
        #expect(hold?["job"] as? String == "extract")

        // The job page now offers release, not hold.
        let heldPage = try browser.get("/runs/\(run)/jobs/extract")
        #expect(heldPage.text.contains("id=\"release\"") && !heldPage.text.contains("id=\"hold\""))
        #expect(try browser.post("/runs/\(run)/jobs/extract/release", ["reason": "tape loaded"]).status == 303)
        let released = (try site.json(["status", "--run", "\(run)"]) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
        #expect(released.first { $0["name"] as? String == "extract" }?["held"] as? Bool == false)
        #expect(try audit().contains { $0["action"] as? String == "release" && $0["reason"] as? String == "tape loaded" })

        // What the state does not allow is refused with a readable page, not a JSON error.
        let refused = try browser.post("/runs/\(run)/rerun", ["scope": "failed", "reason": "x"])
        #expect(refused.status == 409, "\(refused.status) \(refused.text)")
        #expect(refused.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(refused.text.contains("no abnormal or not-run job to rerun"), "\(refused.text)")
        // A job the run does not have.
        #expect(try browser.post("/runs/\(run)/jobs/nope/hold", ["reason": "x"]).status == 404)
    }

    @Test func aViewerSeesNoButtonsAndIsRefusedAndAFormWithoutItsTokenIsRefused() throws {
        let run = try site.queue("nightly")
        let server = try site.serve()
        let viewer = Browser(server)
        try viewer.login("victor", password: ConsoleSite.password)
        let page = try viewer.get("/runs/\(run)")
        #expect(page.status == 200)
        #expect(!page.text.contains("<form method=\"post\" action=\"/runs/"))
        #expect(page.text.contains("閲覧権限"))
        let jobPage = try viewer.get("/runs/\(run)/jobs/extract")
        #expect(!jobPage.text.contains("id=\"hold\""))
        for path in ["/runs/\(run)/jobs/extract/hold", "/runs/\(run)/jobs/extract/skip", "/runs/\(run)/kill", "/runs/\(run)/rerun"] {
            let r = try viewer.post(path, ["reason": "let me"])
            #expect(r.status == 403, "\(path): \(r.status)")
            #expect(r.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(r.text.contains("victor"), "the refusal names the account: \(r.text)")
        }
        let denied = try audit().filter { $0["action"] as? String == "denied" && $0["user"] as? String == "victor" }
        #expect(denied.count == 4)
        #expect(denied.contains { ($0["result"] as? String ?? "").contains("POST /runs/\(run)/jobs/extract/hold") })
        let jobs = (try site.json(["status", "--run", "\(run)"]) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.allSatisfy { $0["held"] as? Bool == false })

        // An operator's form without the session's CSRF token (another site's form) is refused.
        let operatorBrowser = Browser(server)
        try operatorBrowser.login("olivia", password: ConsoleSite.password)
        _ = try operatorBrowser.get("/runs/\(run)")
        let forged = try operatorBrowser.post("/runs/\(run)/jobs/extract/hold", ["reason": "forged"], csrf: false)
        #expect(forged.status == 403)
        let wrong = try operatorBrowser.post("/runs/\(run)/jobs/extract/hold", ["reason": "forged", "csrf": "not-the-token"], csrf: false)
        #expect(wrong.status == 403)
        #expect(try audit().contains { ($0["result"] as? String ?? "").contains("CSRF token missing") })
        #expect(!(try audit()).contains { $0["action"] as? String == "hold" })
    }

    @Test func anEndedJobShowsItsAttemptsLogTailAndWholeLog() throws {
        #expect(try site.run(["run", "talker"]).status == 1)
        let run = try #require(((try site.json(["history"]) as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value)
        let server = try site.serve()
        let browser = Browser(server)
        try browser.login("olivia", password: ConsoleSite.password)
        let page = try browser.get("/runs/\(run)")
        #expect(page.text.contains("異常終了"))
        #expect(page.text.contains("<td class=\"n\">3</td>"))   // the exit code
        #expect(page.text.contains("/runs/\(run)/jobs/talk?attempt=1#log"))
        let job = try browser.get("/runs/\(run)/jobs/talk?lang=en")
        #expect(job.text.contains("line-1\nline-2") && job.text.contains("日本語の行"))
        #expect(job.text.contains("data-follow=\"0\""))   // ended: nothing to follow
        #expect(job.text.contains("Rerun from this job"))
        let err = try browser.get("/runs/\(run)/jobs/talk?attempt=1&stream=stderr")
        #expect(err.text.contains("err-line"))
        #expect(err.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !err.text.contains("<script>alert"))
        // The whole log as a download, and resumable.
        let base = "/runs/\(run)/jobs/talk/attempts/1/stdout"
        let whole = try browser.get("\(base)/download")
        #expect(whole.status == 200)
        #expect(whole.text == "line-1\nline-2\nline-3\nline-4\nline-5\n日本語の行\n")
        #expect(whole.header("Content-Disposition")?.hasPrefix("attachment;") == true)
        let part = try server.request("GET", "\(base)/download", headers: ["Cookie": browser.cookieHeader, "Range": "bytes=7-"])
        #expect(part.status == 206 && part.text.hasPrefix("line-2"))
        // The tail from an offset, stopping short of a split character.
        let tail = try browser.get("\(base)/tail?from=35")
        #expect(tail.text == "日本語の行\n" && tail.header("X-Log-Next") == "\(whole.body.count)" && tail.header("X-Log-Running") == "false")
        #expect(try browser.get("\(base)/tail?from=37").text.isEmpty == false)
        #expect(try browser.get("/runs/\(run)/jobs/talk/attempts/9/stdout/tail").status == 404)
        #expect(try browser.get("/runs/\(run)/jobs/talk/attempts/1/passwd/tail").status == 404)
        #expect(try browser.get("/runs/99999").status == 404)
    }

    /// A log that `nightjar gc` compressed (gzip beside the original path) reads the same on the job
    /// page and through the API, and downloads as the compressed file.
    @Test func aCompressedLogIsReadOnTheJobPageAndDownloadedCompressed() throws {
        #expect(try site.run(["run", "talker"]).status == 1)
        let run = try #require(((try site.json(["history"]) as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value)
        let logs = FileManager.default.enumerator(atPath: site.state)?.compactMap { $0 as? String } ?? []
        let out = try #require(logs.first { $0.hasSuffix("talk.1.out") })
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["\(site.state)/\(out)"]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0 && !FileManager.default.fileExists(atPath: "\(site.state)/\(out)"))
        let server = try site.serve()
        let browser = Browser(server)
        try browser.login("olivia", password: ConsoleSite.password)
        let job = try browser.get("/runs/\(run)/jobs/talk?lang=en")
        #expect(job.text.contains("line-1\nline-2") && job.text.contains("日本語の行"), "\(job.text)")
        let api = try browser.get("/api/v1/runs/\(run)/jobs/talk/log")
        #expect(api.text == "line-1\nline-2\nline-3\nline-4\nline-5\n日本語の行\n")
        let download = try browser.get("/runs/\(run)/jobs/talk/attempts/1/stdout/download")
        #expect(download.status == 200 && download.header("Content-Type") == "application/gzip")
        #expect(download.header("Content-Disposition")?.contains(".log.gz") == true)
        #expect(download.body.prefix(2) == Data([0x1f, 0x8b]))
    }

    @Test func aRunningJobsLogIsFollowedFromItsOffsetAndTheFormKillsIt() throws {
        let gate = site.root.appendingPathComponent("gate").path
        try """
            name: slow
            jobs:
              tick: { shell: "echo first; while [ ! -e \(gate) ]; do sleep 0.1; done; echo second; exec sleep 60" }
            """.write(to: site.root.appendingPathComponent("Jobs/slow.yaml"), atomically: true, encoding: .utf8)
        let runner = try site.start(["run", "slow"])
        defer { if runner.isRunning { runner.terminate() } }
        let server = try site.serve()
        let browser = Browser(server)
        try browser.login("olivia", password: ConsoleSite.password)
        var run: Int64 = 0
        var page = ""
        // The foreground run needs a moment to start its job: wait for the page to show it running.
        let running = LiveServer.waitFor(30) {
            run = ((try? self.site.json(["history"]) as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value ?? 0
            guard run > 0 else { return false }
            page = (try? browser.get("/runs/\(run)/jobs/tick").text) ?? ""
            return page.contains("data-follow=\"1\"") && page.contains("first")
        }
        #expect(running, "\(page)")
        #expect(page.contains("<script src=\"/static/console.js\""))
        #expect(page.contains("id=\"kill\""))
        let offset = page.components(separatedBy: "data-offset=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
        #expect(offset == "6", "the page has \"first\\n\", 6 bytes")
        FileManager.default.createFile(atPath: gate, contents: nil)
        var more = ""
        #expect(LiveServer.waitFor(30) {
            more = (try? browser.get("/runs/\(run)/jobs/tick/attempts/1/stdout/tail?from=\(offset)").text) ?? ""
            return !more.isEmpty
        })
        #expect(more == "second\n")
        let script = try server.request("GET", "/static/console.js")
        #expect(script.status == 200 && script.text.contains("X-Log-Next"))

        #expect(try browser.post("/runs/\(run)/jobs/tick/kill", ["reason": "runaway"]).status == 303)
        runner.waitUntilExit()
        let jobs = (try site.json(["status", "--run", "\(run)"]) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
        #expect(jobs.first?["state"] as? String == "abnormal")
        #expect(try audit().contains { $0["action"] as? String == "kill" && $0["reason"] as? String == "runaway" && $0["user"] as? String == "olivia" })
    }
}
