import Foundation
import LiveHTTP
import Testing

/// The console's Spool pages on the real `nightjar serve` and a private cupsd: batches listed, a print
/// started from the batch page's form, a print waiting on a disabled queue that says why (on the page
/// and in `nightjar print`'s output), cancel and publish through the forms, a viewer without buttons.
@Suite(.serialized)
final class SpoolPageTests {
    let cups: PrivateCUPS
    let site: SpoolSite
    static let password = "correct horse battery"

    init() throws {
        cups = try PrivateCUPS()
        site = try SpoolSite(config: "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n")
        site.cupsServer = cups.server
        let file = site.root.appendingPathComponent("password").path
        try "\(Self.password)\n".write(toFile: file, atomically: true, encoding: .utf8)
        for (name, role) in [("ops", "operator"), ("eve", "viewer")] {
            let added = try Tool.spawn(["/bin/sh", "-c", "exec \"$0\" user add \(name) --role \(role) --password-stdin --root \"$1\" < \"$2\"",
                                        SpoolSite.binary, site.root.path, file], env: environment)
            #expect(added.status == 0, "\(added.err)")
        }
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = site.state
        env["CUPS_SERVER"] = cups.server
        return env
    }

    func serve() throws -> LiveServer {
        try LiveServer(binary: SpoolSite.binary, arguments: ["--root", site.root.path], environment: environment, directory: site.root)
    }

    @Test func aPrintOnADisabledQueueSaysWhyAndIsCancelledFromTheForm() throws {
        let (batch, _) = try site.renderBatch(notices: 30, volumePages: 10)
        #expect(try cups.admin(["cupsdisable", "-r", "toner empty (test)", "capture"]) == 0)
        let server = try serve()
        let ops = Browser(server)
        try ops.login("ops", password: Self.password)
        let list = try ops.get("/spool")
        #expect(list.status == 200)
        #expect(list.text.contains("href=\"/spool/batches/\(batch)\"") && list.text.contains("作成済み"))
        let page = try ops.get("/spool/batches/\(batch)")
        #expect(page.text.contains("id=\"print-form\"") && page.text.contains("まだ印刷していません"))

        let printed = try ops.post("/spool/batches/\(batch)/print", ["printer": "capture", "options": "copies=2", "reason": "夜間印刷"])
        #expect(printed.status == 303, "\(printed.status) \(printed.text)")
        // The server prints in the background; CUPS keeps the jobs: the page says why.
        var shown = ""
        #expect(LiveServer.waitFor(30) {
            shown = (try? ops.get("/spool/batches/\(batch)").text) ?? ""
            return shown.components(separatedBy: ">pending<").count == 4
                && shown.components(separatedBy: "queue capture is stopped (toner empty (test))").count >= 4
        }, "\(shown)")
        #expect(shown.contains("キューが停止しています") && shown.contains("toner empty (test)"), "\(shown)")
        // Each waiting job carries the reason too (as `spool show` and the API have it).
        #expect(shown.components(separatedBy: "queue capture is stopped (toner empty (test))").count >= 4, "\(shown)")
        #expect(shown.contains("id=\"cancel-print\"") && !shown.contains("id=\"print-form\""))
        // A second print is refused with a readable page.
        let again = try ops.post("/spool/batches/\(batch)/print", ["printer": "capture", "reason": "x"])
        #expect(again.status == 409 && again.header("Content-Type")?.hasPrefix("text/html") == true, "\(again.status)")

        // A viewer sees the same, without forms, and may not cancel.
        let eve = Browser(server)
        try eve.login("eve", password: Self.password)
        let viewed = try eve.get("/spool/batches/\(batch)")
        #expect(viewed.text.contains("toner empty (test)") && !viewed.text.contains("id=\"cancel-print\""))
        #expect(try eve.post("/spool/batches/\(batch)/cancel", ["reason": "x"]).status == 403)

        let cancelled = try ops.post("/spool/batches/\(batch)/cancel", ["reason": "wrong paper"])
        #expect(cancelled.status == 303, "\(cancelled.text)")
        #expect(LiveServer.waitFor(30) { ((try? ops.get("/spool/batches/\(batch)").text) ?? "").components(separatedBy: "<td><span class=\"st canceled\">canceled</span></td>").count == 4 })
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "print" && $0["reason"] as? String == "夜間印刷" && $0["address"] as? String == "127.0.0.1" })
        #expect(audit.contains { $0["action"] as? String == "print.cancel" && $0["reason"] as? String == "wrong paper" && $0["user"] as? String == "ops" })
        // Publish through the form: the batch goes to acme.
        #expect(try ops.post("/spool/batches/\(batch)/publish", ["vendor": "acme", "reason": "hand over"]).status == 303)
        #expect(try ops.get("/spool/batches/\(batch)").text.contains("公開済み"))
    }

    @Test func theCLIsPrintSaysWhyCUPSKeepsTheJobs() throws {
        let (batch, _) = try site.renderBatch(notices: 30, volumePages: 10)
        #expect(try cups.admin(["cupsdisable", "-r", "toner empty (test)", "capture"]) == 0)
        let r = try site.run(["print", "\(batch)", "--printer", "capture", "--wait-timeout", "1"])
        #expect(r.status == 1)
        #expect(r.err.contains("toner empty (test)"), "\(r.err)")
        #expect(r.err.contains("IPP job 1 pending: queue capture is stopped (toner empty (test))"), "\(r.err)")
        let jobs = (try site.json(["spool", "show", "\(batch)"]) as? [String: Any])?["prints"] as? [[String: Any]] ?? []
        let messages = (jobs.first?["jobs"] as? [[String: Any]] ?? []).map { $0["message"] as? String }
        #expect(messages == Array(repeating: "queue capture is stopped (toner empty (test))", count: 3), "\(messages)")
    }
}
