import Foundation
import LiveHTTP
import Testing

/// The operators' console in Debian's chromium (headless, selenium through Debian's chromedriver)
/// against the real server, on a night recorded around the test's own "now" (tonight_browser.py):
/// an operator logs in, sees Tonight's Gantt with every state, a hold made from the CLI appears without
/// a reload, and the net's page shows its graph. Screenshots: `.build/test-output/tonight-browser/`.
@Suite("Operators' console in a browser", .serialized)
struct TonightBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("tonight_browser.py").path

    @Test func tonightAndANetInABrowserWithALiveUpdate() throws {
        // Missing tools fail the test with what to do: a browser test that silently passes proves nothing.
        let missing = TestProcess.browserMissing()
        #expect(missing == nil, "\(missing ?? "")")
        guard missing == nil else { return }
        let site = try PortalSite()

        var r = try site.run(["python3", Self.script, "site", site.root.path], program: "/usr/bin/env")
        try #require(r.status == 0, "\(r.err)")
        r = try site.run(["validate"])
        try #require(r.status == 0, "\(r.out)\(r.err)")
        r = try site.run(["user", "add", "ops-browser", "--role", "operator", "--password-stdin"], stdin: PortalSite.password + "\n")
        try #require(r.status == 0, "\(r.err)")
        // One real run of each net gives the seed the engine's own snapshot of it.
        for net in ["registry-sync", "resident-tax-nightly", "nhi-billing", "fixed-asset-check", "mailing", "archive-logs"] {
            r = try site.run(["run", net, "--date", "1999-01-01", "-q"])
            try #require(r.status == 0, "\(net): \(r.err)")
        }
        r = try site.run(["python3", Self.script, "seed", site.state + "/nightjar.db"], program: "/usr/bin/env")
        try #require(r.status == 0, "\(r.err)")
        try site.serve()
        let out = try PortalSite.outputDirectory("tonight-browser")
        r = try site.run(["python3", Self.script, "browse", site.base, "ops-browser", PortalSite.password, out.path, PortalSite.binary,
                          site.root.path, site.state], program: "/usr/bin/env")
        #expect(r.status == 0, "\(r.err)\(r.out)")
        let bad = TestProcess.notScreenshots(["tonight.png", "tonight-held.png", "net.png"], in: out)
        #expect(bad.isEmpty, "not screenshots: \(bad)")
        // The hold the browser saw was the CLI's, audited under its user.
        #expect(try site.run(["audit"]).out.contains("archive-logs"))
    }
}
