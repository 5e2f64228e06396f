import Foundation
import Testing

/// The vendor portal in Debian's chromium (headless, selenium through Debian's chromedriver) against
/// the real server: log in, download a file and check its SHA-256, press "received". The screenshots
/// are left in `.build/test-output/portal-browser/`.
@Suite("Vendor portal in a browser", .serialized)
struct PortalBrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("portal_browser.py").path

    @Test func aVendorLogsInDownloadsAndPressesReceived() throws {
        // Missing tools fail the test with what to do: a browser test that silently passes proves nothing.
        let missing = ["/usr/bin/chromium", "/usr/bin/chromedriver"].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        #expect(missing.isEmpty, "\(missing.joined(separator: ", ")) missing: run scripts/install-deps (Debian chromium, chromium-driver)")
        let site = try PortalSite()
        let python = try site.run(["python3", "-c", "import selenium"], program: "/usr/bin/env")
        #expect(python.status == 0, "python3 cannot import selenium: run scripts/install-deps (selenium from PyPI)")
        guard missing.isEmpty, python.status == 0 else { return }

        let batch = try site.renderAndPublish(notices: 12, volumePages: 5)
        _ = try site.vendorAccount("acme-browser")
        try site.serve()
        let out = try PortalSite.outputDirectory("portal-browser")
        let r = try site.run(["python3", Self.script, site.base, "acme-browser", PortalSite.password, "\(batch)", out.path], program: "/usr/bin/env")
        #expect(r.status == 0, "\(r.err)\(r.out)")
        for name in ["login.png", "batches.png", "batch.png", "received.png"] {
            let data = (try? Data(contentsOf: out.appendingPathComponent(name))) ?? Data()
            #expect(data.count > 1000 && data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a screenshot (\(data.count) bytes)")
        }
        // The browser's "received" is the ledger's acknowledgement, by the account, from loopback.
        let ledger = try site.run(["spool", "ledger", "\(batch)", "--csv"]).out
        #expect(ledger.contains(",acknowledgement,acme,acme-browser,") && ledger.contains(",manifest.csv,"))
        let list = try site.run(["spool", "list", "--json"]).out
        #expect(list.contains("\"collected\""))
    }
}
