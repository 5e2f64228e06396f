import Foundation
import LiveHTTP
import Testing

/// Printing through the API of the real `nightjar serve` against a private cupsd: the request answers
/// 202 at once, the server prints in the background, the print is followed by GET until CUPS has
/// the bytes; roles, bad input and cancelling a print that waits on a paused queue.
@Suite(.serialized)
final class WebPrintTests {
    let cups: PrivateCUPS
    let site: SpoolSite
    var tokens: [String: String] = [:]

    init() throws {
        cups = try PrivateCUPS()
        site = try SpoolSite(config: "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n")
        site.cupsServer = cups.server
        let password = site.root.appendingPathComponent("password").path
        try "correct horse battery\n".write(toFile: password, atomically: true, encoding: .utf8)
        for (name, role) in [("ops", "operator"), ("eve", "viewer"), ("acme", "vendor:acme")] {
            let added = try Tool.spawn(["/bin/sh", "-c", "exec \"$0\" user add \(name) --role \(role) --password-stdin --root \"$1\" < \"$2\"",
                                        SpoolSite.binary, site.root.path, password], env: environment)
            #expect(added.status == 0, "\(added.err)")
            tokens[name] = try site.run(["token", "create", "--user", name]).out.trimmingCharacters(in: .whitespacesAndNewlines)
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

    /// GET the print until `done` holds of it (CUPS is quick here; the limit only stops a broken test).
    func follow(_ server: LiveServer, _ print: Int, until done: ([String: Any]) -> Bool) throws -> [String: Any] {
        var last: [String: Any] = [:]
        _ = LiveServer.waitFor(60) {
            last = (try? server.json("GET", "/api/v1/prints/\(print)", token: tokens["eve"] ?? "").json() as? [String: Any]) ?? [:]
            return done(last)
        }
        return last
    }

    @Test func aPrintFromTheAPIIsAcceptedAtOnceAndCarriedOutInTheBackground() throws {
        let (batch, dir) = try site.renderBatch(notices: 30, volumePages: 20)
        let server = try serve()
        let path = "/api/v1/batches/\(batch)/print"
        let order: [String: Any] = ["printer": "capture", "options": ["copies=2", "sides=two-sided-long-edge"], "reason": "night run"]
        // Roles: a viewer may look but not print; a vendor sees nothing of printing.
        #expect(try server.json("POST", path, token: tokens["eve"] ?? "", body: order).status == 403)
        #expect(try server.json("POST", path, token: tokens["acme"] ?? "", body: order).status == 403)
        #expect(try server.json("GET", "/api/v1/batches/\(batch)/prints", token: tokens["acme"] ?? "").status == 403)
        #expect(try server.request("POST", path, body: Data("{}".utf8)).status == 401)
        // Bad input is the operator's to fix, with a sentence that says how; nothing is recorded.
        for (body, status) in [(["printer": "no-such-queue"], 422), (["printer": "capture", "options": ["nonsense"]], 422),
                               (["printer": "capture", "notices": ["NO-SUCH-KEY"]], 422), (["options": ["copies=2"]], 422)] as [([String: Any], Int)] {
            let r = try server.json("POST", path, token: tokens["ops"] ?? "", body: body)
            #expect(r.status == status, "\(body): \(r.status) \(r.text)")
            #expect((r.json() as? [String: Any])?["error"] as? String != nil)
        }
        #expect(try server.json("POST", "/api/v1/batches/999/print", token: tokens["ops"] ?? "", body: order).status == 404)
        #expect((try server.json("GET", "/api/v1/batches/\(batch)/prints", token: tokens["eve"] ?? "").json() as? [Any])?.isEmpty == true)

        let accepted = try server.json("POST", path, token: tokens["ops"] ?? "", body: order)
        #expect(accepted.status == 202, "\(accepted.text)")
        let print = (accepted.json() as? [String: Any])?["run"] as? Int ?? 0
        #expect(print == 1)
        #expect(accepted.header("Location") == "/api/v1/prints/1")
        let done = try follow(server, print) { $0["state"] as? String == "completed" }
        #expect(done["state"] as? String == "completed", "\(done)")
        #expect(done["executing"] as? Bool == false)
        #expect(done["completed"] as? Int == 2)
        #expect((done["jobs"] as? [[String: Any]] ?? []).allSatisfy { $0["state"] as? String == "completed" && $0["ipp_job_id"] != nil })
        // CUPS got exactly the rendered volumes, with the options.
        let jobs = try cups.captured(batch: batch, print: 1)
        #expect(jobs.count == 2)
        for (job, volume) in zip(jobs, ["vol-0001.pdf", "vol-0002.pdf"]) {
            #expect(job.sha256 == (try Tool.sha256("\(dir)/\(volume)")))
            #expect(job.copies == 2)
            #expect(job.options.split(separator: " ").contains("sides=two-sided-long-edge"))
        }
        // The CLI sees the same print, and who started it from where.
        let list = try site.json(["spool", "list"]) as? [[String: Any]] ?? []
        #expect(list.first?["state"] as? String == "printed")
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        let row = audit.first { $0["action"] as? String == "print" }
        #expect(row?["user"] as? String == "ops")
        #expect(row?["address"] as? String == "127.0.0.1")
        #expect(row?["reason"] as? String == "night run")
        // Printed once: again only when asked.
        let twice = try server.json("POST", path, token: tokens["ops"] ?? "", body: order)
        #expect(twice.status == 409)
        #expect(((twice.json() as? [String: Any])?["error"] as? String ?? "").contains("\"again\": true"))
        #expect((try server.json("GET", "/api/v1/batches/\(batch)/prints", token: tokens["eve"] ?? "").json() as? [Any])?.count == 1)
        #expect(try server.json("GET", "/api/v1/prints/2", token: tokens["eve"] ?? "").status == 404)
    }

    @Test func aPrintWaitingOnAPausedQueueIsCancelledThroughTheAPI() throws {
        let (batch, _) = try site.renderBatch(notices: 30, volumePages: 10)
        #expect(try cups.admin(["cupsdisable", "-r", "paused by test", "capture"]) == 0)
        let server = try serve()
        let accepted = try server.json("POST", "/api/v1/batches/\(batch)/print", token: tokens["ops"] ?? "", body: ["printer": "capture"])
        #expect(accepted.status == 202, "\(accepted.text)")
        let waiting = try follow(server, 1) { p in
            (p["jobs"] as? [[String: Any]] ?? []).map { $0["state"] as? String } == ["pending", "pending", "pending"]
        }
        #expect(waiting["executing"] as? Bool == true)
        #expect(waiting["state"] as? String == "printing")
        // Only one print of a batch at a time, from the web or the shell.
        #expect(try server.json("POST", "/api/v1/batches/\(batch)/print", token: tokens["ops"] ?? "", body: ["printer": "capture"]).status == 409)
        #expect(try site.run(["print", "\(batch)", "--resume"]).err.contains("another `nightjar print` is working on batch \(batch)"))
        #expect(try server.json("POST", "/api/v1/prints/1/cancel", token: tokens["eve"] ?? "", body: ["reason": "x"]).status == 403)
        let cancelled = try server.json("POST", "/api/v1/prints/1/cancel", token: tokens["ops"] ?? "", body: ["reason": "wrong paper loaded"])
        #expect(cancelled.status == 200, "\(cancelled.text)")
        let ended = try follow(server, 1) { $0["executing"] as? Bool == false }
        #expect(ended["state"] as? String == "canceled", "\(ended)")
        #expect((ended["jobs"] as? [[String: Any]] ?? []).allSatisfy { $0["state"] as? String == "canceled" })
        #expect(try server.json("POST", "/api/v1/prints/1/cancel", token: tokens["ops"] ?? "", body: [:]).status == 409)
        let list = try site.json(["spool", "list"]) as? [[String: Any]] ?? []
        #expect(list.first?["state"] as? String == "rendered")
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "print.cancel" && $0["user"] as? String == "ops" && $0["address"] as? String == "127.0.0.1" })
    }
}
