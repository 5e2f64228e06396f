import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `nightjar daemon` as systemd runs it (real processes throughout): readiness and reload over a real
/// notify socket, SIGHUP applying nightjar.yaml or refusing a broken one with an alert, journald-style
/// log lines; and the operator verbs of an installation: gc, log of a compressed log, doctor.
@Suite(.serialized) struct ServiceTests {
    /// A Unix datagram socket standing in for systemd's $NOTIFY_SOCKET.
    final class NotifySocket {
        let path: String
        let fd: Int32

        init() throws {
            path = "/tmp/nj-notify-\(UUID().uuidString.prefix(8)).sock"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, b) in path.utf8.enumerated() { raw[i] = b }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard fd >= 0, bound == 0 else { throw CocoaError(.fileWriteUnknown) }
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit {
            close(fd)
            unlink(path)
        }

        /// Messages until one contains `text`, or nil after `seconds`.
        func wait(for text: String, seconds: Double = 15) -> [String]? {
            var seen: [String] = []
            let end = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < end {
                let n = recv(fd, &buffer, buffer.count, 0)
                guard n > 0 else { continue }
                let message = String(decoding: buffer[0..<n], as: UTF8.self)
                seen.append(message)
                if message.contains(text) { return seen }
            }
            return nil
        }
    }

    static let nets = [
        "fails": "name: fails\njobs:\n  a: { shell: 'exit 4' }\n",
    ]

    @Test func sighupAppliesGoodSettingsAndRefusesBrokenOnesWithAnAlert() throws {
        let cli = try CLI(Self.nets)
        try cli.write("nightjar.yaml", "timezone: Asia/Tokyo\n")
        let notify = try NotifySocket()
        let p = cli.process(["daemon"])
        var env = p.environment ?? [:]
        env["NOTIFY_SOCKET"] = notify.path
        env["JOURNAL_STREAM"] = "8:12345"   // as systemd sets it when stderr is the journal
        p.environment = env
        let logURL = cli.root.appendingPathComponent("daemon.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: logURL)
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        #expect(notify.wait(for: "READY=1") != nil, "no READY=1 from the daemon")

        // A broken nightjar.yaml: refused on SIGHUP, with an alert; the daemon carries on.
        try cli.write("nightjar.yaml", "timezone: Asia/Tokyo\nretention: { history_days: forever }\n")
        kill(p.processIdentifier, SIGHUP)
        let reload = notify.wait(for: "READY=1")
        #expect(reload?.first == "RELOADING=1", "\(reload ?? [])")
        let alerts = try #require(try cli.json(["alerts"]) as? [[String: Any]])
        let invalid = alerts.first { $0["kind"] as? String == "settings-invalid" }
        #expect((invalid?["message"] as? String)?.contains("nightjar.yaml:2:28: error: 'history_days' must be a whole number") == true, "\(alerts)")
        #expect(p.isRunning)

        // A good one with a new notify command: after SIGHUP the next alert runs it.
        try cli.write("Jobs/bin/notify", "#!/bin/sh\necho \"$NIGHTJAR_ALERT $NIGHTJAR_NET\" >> notified\n")
        chmod(cli.root.appendingPathComponent("Jobs/bin/notify").path, 0o755)
        try cli.write("nightjar.yaml", "timezone: Asia/Tokyo\nnotify: [Jobs/bin/notify]\n")
        kill(p.processIdentifier, SIGHUP)
        #expect(notify.wait(for: "READY=1") != nil)
        #expect(try cli.run(["run", "fails", "--queue"]).status == 0)
        #expect(waitFor(15) { cli.read("notified")?.contains("run-abnormal fails") == true }, "the reloaded notify command did not run")

        kill(p.processIdentifier, SIGTERM)
        #expect(notify.wait(for: "STOPPING=1") != nil)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)

        // One line per event with journald's priority prefix; the refusal is a warning or an error.
        let lines = (cli.read("daemon.log") ?? "").split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.first == "<" && $0.dropFirst(2).first == ">" }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("<5>daemon started") })
        #expect(lines.contains { ($0.hasPrefix("<4>") || $0.hasPrefix("<3>")) && $0.contains("nightjar.yaml refused") })
        #expect(lines.contains { $0.hasPrefix("<5>reloaded: 1 nets, settings from nightjar.yaml") })
    }

    @Test func gcCompressesLogsThatLogStillReadsAndIsAudited() throws {
        let cli = try CLI(["n": "name: n\njobs:\n  a: { shell: 'echo to-the-log; seq 1 5000; seq 1 3000 >&2' }\n"])
        #expect(try cli.run(["run", "n", "-q"]).status == 0)
        try cli.write("nightjar.yaml", "retention: { job_logs_compress_after_days: 0, job_logs_delete_after_days: 30 }\n")
        let dry = try #require(try cli.json(["gc", "--dry-run"]) as? [String: Any])
        #expect((dry["logs"] as? [String: Any])?["compressed"] as? Int == 2)
        #expect(dry["dry_run"] as? Bool == true && dry["audit_years"] as? Int == 5)
        #expect(try cli.run(["log", "n", "a", "--path"]).out.split(separator: "\n").first?.hasSuffix(".out") == true)
        let gc = try cli.run(["gc"])
        #expect(gc.status == 0, "\(gc.err)")
        #expect(gc.out.contains("job logs: compress 2"), "\(gc.out)")
        #expect(try cli.run(["log", "n", "a", "--path"]).out.contains(".out.gz\n"))
        let out = "to-the-log\n" + (1...5000).map { "\($0)\n" }.joined(), err = (1...3000).map { "\($0)\n" }.joined()
        #expect(try cli.run(["log", "n", "a"]).out == out + err)
        #expect(try cli.run(["log", "n", "a", "--stderr"]).out == err)
        let audit = try #require(try cli.json(["audit"]) as? [[String: Any]])
        #expect(audit.contains { $0["action"] as? String == "gc" })
        #expect(audit.contains { $0["action"] as? String == "gc.dry-run" })

        try cli.write("nightjar.yaml", "retention:\n  history_days: 0\n")
        let bad = try cli.run(["gc"])
        #expect(bad.status == 2)
        #expect(bad.err.contains("nightjar.yaml:2:17: error: 'history_days' must be a whole number from 1 to 36500"), "\(bad.err)")
    }

    @Test func doctorNamesWhatFailsWithItsFix() throws {
        let cli = try CLI(["n": "name: n\njobs:\n  a: { shell: 'true' }\n"])
        try cli.write("nightjar.yaml", "spool:\n  vendors:\n    acme: { outbox: blocker/acme }\n")
        try cli.write("blocker", "a file where the outbox's directory should be\n")
        #expect(try cli.run(["run", "n", "-q"]).status == 0)
        let r = try cli.run(["doctor", "--json"])
        #expect(r.status == 1)
        let checks = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: checks.map { ($0["name"] as? String ?? "", $0) })
        // The time zone is a warning on a machine whose clock shows another zone than the site's.
        #expect(["ok", "warning"].contains(byName["time zone"]?["status"] as? String ?? ""))
        for ok in ["settings", "state directory", "supervisor", "job nets", "fonts"] {
            #expect(byName[ok]?["status"] as? String == "ok", "\(ok): \(byName[ok] ?? [:])")
        }
        #expect(byName["outbox acme"]?["status"] as? String == "failed")
        #expect((byName["outbox acme"]?["detail"] as? String)?.contains("is a file, not a directory") == true)
        #expect(byName["daemon"]?["status"] as? String == "failed")
        #expect((byName["daemon"]?["fix"] as? String)?.contains("systemctl enable --now nightjar.service") == true)

        // With the daemon running (and the outbox fixed) the daemon check passes.
        try cli.write("nightjar.yaml", "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n")
        let daemon = try cli.start(["daemon"], stderr: cli.root.appendingPathComponent("daemon.log"))
        defer { kill(daemon.processIdentifier, SIGTERM); daemon.waitUntilExit() }
        #expect(waitFor(10) { (cli.read("daemon.log") ?? "").contains("daemon started") })
        let again = try cli.run(["doctor"])
        #expect(again.out.contains("ok       daemon: running on"), "\(again.out)")
        #expect(again.out.contains("ok       outbox acme:"), "\(again.out)")
        #expect(!again.out.contains("FAILED"), "\(again.out)")
    }
}
