import Foundation
import LiveHTTP
import Testing

/// The console in Debian's chromium (headless, selenium through Debian's chromedriver) against the
/// real server: an operator logs in, opens a run, holds a job with a reason, sees it held, releases
/// it; then the job's log, calendars, spool, alerts and audit; a viewer sees the pages without the
/// buttons and is refused (403, audited) at an action URL. Screenshots are left in
/// `.build/test-output/console-browser/`.
@Suite("Operators' console in a browser", .serialized)
struct ConsoleBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("console_browser.py").path

    @Test func anOperatorHoldsAndReleasesAJobInTheBrowser() throws {
        // Missing tools fail the test with what to do: a browser test that silently passes proves nothing.
        let missing = TestProcess.browserMissing()
        #expect(missing == nil, "\(missing ?? "")")
        guard missing == nil else { return }
        let site = try ConsoleSite(nets: [
            "juminzei": """
                name: juminzei
                schedule:
                  - at: "22:30"
                jobs:
                  extract: { shell: "echo extract" }
                  calc: { needs: [extract], shell: "echo calc" }
                  print-prep: { needs: [calc], shell: "echo prep" }
                """,
            "nenkin": """
                name: nenkin
                description: 年金特徴 受信・取込
                jobs:
                  receive: { shell: "echo 受信 3 ファイル" }
                  check: { needs: [receive], shell: "echo 件数照合 OK" }
                  load: { needs: [check], shell: "echo 読み込み 1,204 件; echo 'E0042 入力ファイルの桁数が合いません (行 388)' >&2; exit 4" }
                  index: { needs: [check], shell: "echo 索引作成; exit 1", exit: { normal: "0", warning: "1" } }
                  summary: { needs: [load, index], shell: "echo 集計" }
                  archive: { needs: [receive], shell: "sleep 1; echo 退避" }
                """,
        ])

        try site.addUser("olivia", role: "operator")
        try site.addUser("victor", role: "viewer")
        let run = try site.queue("juminzei")
        #expect(try site.run(["run", "nenkin"]).status == 1)   // ends abnormally: an alert
        let ended = try #require(((try site.json(["history", "--net", "nenkin"]) as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value)
        let data = site.root.appendingPathComponent("data.csv").path
        #expect(try site.run(["sample-data", "postcard-notice", "-n", "12", "--out", data]).status == 0)
        #expect(try site.run(["render", "--form", "postcard-notice", "--data", data, "--out", site.root.appendingPathComponent("out").path]).status == 0)
        let server = try site.serve()
        let out = try ConsoleSite.outputDirectory("console-browser")
        let r = try site.run(["python3", Self.script, "http://127.0.0.1:\(server.port)", "olivia", ConsoleSite.password, "\(run)", "calc", "\(ended)", "1",
                              out.path, "victor"], program: "/usr/bin/env")
        #expect(r.status == 0, "\(r.err)\(r.out)")
        let bad = TestProcess.notScreenshots(["run.png", "run-held.png", "run-ended.png", "job-log.png", "calendars.png", "calendar.png", "spool.png", "batch.png", "alerts.png", "audit.png", "run-viewer.png"], in: out)
        #expect(bad.isEmpty, "not screenshots: \(bad)")
        // The browser's hold and release are the CLI's: audited with the account, the reason and the address.
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "hold" && $0["user"] as? String == "olivia" && $0["job"] as? String == "calc"
                                 && $0["reason"] as? String == "媒体の到着待ち (browser test)" && $0["address"] as? String == "127.0.0.1" })
        #expect(audit.contains { $0["action"] as? String == "release" && $0["reason"] as? String == "媒体が届いた" })
        // The viewer's refused POST is in the trail too.
        #expect(audit.contains { $0["action"] as? String == "denied" && $0["user"] as? String == "victor" })
    }
}
