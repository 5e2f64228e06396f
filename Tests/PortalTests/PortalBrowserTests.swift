import Foundation
import LiveHTTP
import Testing

/// The vendor portal in Debian's chromium (headless, selenium through Debian's chromedriver) against
/// the real server: log in, download a file and check its SHA-256, press "received". The screenshots
/// are left in `.build/test-output/portal-browser/`.
@Suite("Vendor portal in a browser", .serialized)
struct PortalBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("portal_browser.py").path

    @Test func aVendorLogsInDownloadsAndPressesReceived() throws {
        // Missing tools fail the test with what to do: a browser test that silently passes proves nothing.
        let missing = TestProcess.browserMissing()
        #expect(missing == nil, "\(missing ?? "")")
        guard missing == nil else { return }
        let site = try PortalSite()

        let batch = try site.renderAndPublish(notices: 12, volumePages: 5)
        _ = try site.vendorAccount("acme-browser")
        try site.serve()
        let out = try PortalSite.outputDirectory("portal-browser")
        let r = try site.run(["python3", Self.script, site.base, "acme-browser", PortalSite.password, "\(batch)", out.path], program: "/usr/bin/env")
        #expect(r.status == 0, "\(r.err)\(r.out)")
        let bad = TestProcess.notScreenshots(["login.png", "batches.png", "batch.png", "received.png"], in: out)
        #expect(bad.isEmpty, "not screenshots: \(bad)")
        // The browser's "received" is the ledger's acknowledgement, by the account, from loopback.
        let ledger = try site.run(["spool", "ledger", "\(batch)", "--csv"]).out
        #expect(ledger.contains(",acknowledgement,acme,acme-browser,") && ledger.contains(",manifest.csv,"))
        let list = try site.run(["spool", "list", "--json"]).out
        #expect(list.contains("\"collected\""))
    }
}
