import Foundation
import Testing

/// The operators' console in Debian's chromium (headless, selenium through Debian's chromedriver)
/// against the real server, on a night recorded around the test's own "now" (tonight_browser.py):
/// an operator logs in, sees Tonight's Gantt with every state, a hold made from the CLI appears without
/// a reload, and the net's page shows its graph. Screenshots: `.build/test-output/tonight-browser/`.
@Suite("Operators' console in a browser", .serialized)
struct TonightBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("tonight_browser.py").path

    @Test func tonightAndANetInABrowserWithALiveUpdate() throws {
        let missing = ["/usr/bin/chromium", "/usr/bin/chromedriver"].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        #expect(missing.isEmpty, "\(missing.joined(separator: ", ")) missing: run scripts/install-deps (Debian chromium, chromium-driver)")
        let site = try PortalSite()
        let python = try site.run(["python3", "-c", "import selenium"], program: "/usr/bin/env")
        #expect(python.status == 0, "python3 cannot import selenium: run scripts/install-deps (selenium from PyPI)")
        guard missing.isEmpty, python.status == 0 else { return }

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
        for name in ["tonight.png", "tonight-held.png", "net.png"] {
            let data = (try? Data(contentsOf: out.appendingPathComponent(name))) ?? Data()
            #expect(data.count > 1000 && data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a screenshot (\(data.count) bytes)")
        }
        // The hold the browser saw was the CLI's, audited under its user.
        #expect(try site.run(["audit"]).out.contains("archive-logs"))
    }
}
