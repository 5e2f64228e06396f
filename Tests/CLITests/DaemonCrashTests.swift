import Foundation
import GRDB
import Testing

/// The daemon is killed with SIGKILL while jobs run, then started again. Real processes throughout.
@Suite(.serialized) struct DaemonCrashTests {
    /// "HH:MM:SS" a few seconds from now in Asia/Tokyo, for a schedule that fires during the test.
    func tokyoTime(in seconds: Double) -> String {
        let f = DateFormatter()
        f.dateFormat = "HH:mm:ss"
        f.timeZone = TimeZone(identifier: "Asia/Tokyo")
        return f.string(from: Date().addingTimeInterval(seconds))
    }

    @Test func aKilledDaemonNeverStartsAJobTwiceAndRecordsEveryEnd() throws {
        let at = tokyoTime(in: 2)
        guard !at.hasPrefix("23:59:5") else { return }   // the slot would fall on the next business date
        let cli = try CLI(["night": """
            name: night
            calendar: everyday
            schedule:
              - at: "\(at)"
            concurrency: 4
            jobs:
              quick:
                shell: 'echo "$$" >> starts-quick; while [ ! -e quick.go ]; do sleep 0.05; done; touch quick.done'
              slow:
                shell: 'echo "$$" >> starts-slow; while [ ! -e slow.go ]; do sleep 0.05; done; exit 3'
                exit: { warning: "1-3" }
              last:
                needs: [quick, slow]
                shell: 'echo "$$" >> starts-last'
            """])
        // `at:` fires on the calendar's operating days; this test must fire on weekends and holidays too.
        try cli.write("Jobs/calendars/everyday.yaml", "weekends: []\nnational_holidays: false\nyear_end: false\n")
        let log1 = cli.root.appendingPathComponent("daemon1.log")
        let daemon1 = try cli.start(["daemon"], stderr: log1)
        // Wait until both jobs run, then kill the daemon outright.
        #expect(try waitFor(15) { cli.read("starts-quick") != nil && cli.read("starts-slow") != nil })
        kill(daemon1.processIdentifier, SIGKILL)
        // Foundation's isRunning can lag; the kernel's view is what matters: gone, or a zombie.
        let pid = daemon1.processIdentifier
        #expect(waitFor(5) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.contains(") Z ")
        })
        // quick ends while no daemon is alive; slow is still running when the next daemon starts, and
        // ends only once it has. Each job waits for a file the test creates: no timing involved.
        FileManager.default.createFile(atPath: cli.root.appendingPathComponent("quick.go").path, contents: nil)
        #expect(try waitFor(10) { cli.read("quick.done") != nil })
        let log2 = cli.root.appendingPathComponent("daemon2.log")
        let daemon2 = try cli.start(["daemon"], stderr: log2)
        defer { if daemon2.isRunning { kill(daemon2.processIdentifier, SIGKILL) } }
        // The takeover itself, not only the daemon's start: slow must still run when its attempt is adopted
        // (the log's "daemon started" comes before the takeover, and slow could end in between).
        #expect(try waitFor(10) {
            let seen = try? DatabaseQueue(path: cli.state + "/nightjar.db").read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM events WHERE kind = 'attempt.watched'")
            }
            return (seen ?? 0) ?? 0 > 0
        })
        FileManager.default.createFile(atPath: cli.root.appendingPathComponent("slow.go").path, contents: nil)
        let ended = try waitFor(30) {
            let runs = try cli.json(["history"]) as? [[String: Any]] ?? []
            return runs.first.map { ["normal", "warning", "abnormal"].contains($0["state"] as? String ?? "") } ?? false
        }
        #expect(ended)
        kill(daemon2.processIdentifier, SIGTERM)
        daemon2.waitUntilExit()
        #expect(daemon2.terminationStatus == 0)

        // Every job started exactly once.
        for job in ["quick", "slow", "last"] {
            #expect(cli.read("starts-\(job)")?.split(separator: "\n").count == 1, "\(job) started \(cli.read("starts-\(job)") ?? "never")")
        }
        // One run for the slot, recorded once, ended with the jobs' real statuses.
        let runs = try cli.json(["history"]) as? [[String: Any]] ?? []
        #expect(runs.count == 1)
        #expect(runs.first?["state"] as? String == "warning")
        #expect(runs.first?["trigger"] as? String == "schedule")
        let db = try DatabaseQueue(path: cli.state + "/nightjar.db")
        try db.read { db in
            let all = try Row.fetchAll(db, sql: "SELECT job, number, state, exit_code FROM attempts ORDER BY job, number")
            // An attempt whose supervisor had not passed its start fence when the daemon died is fenced off
            // by the recovery and recorded as never-started (the job did not run); every other attempt ended.
            #expect(all.allSatisfy { ["ended", "never-started"].contains($0["state"] as String) })
            let attempts = all.filter { ($0["state"] as String) == "ended" }
            #expect(attempts.count == 3)
            let byJob = Dictionary(attempts.map { ($0["job"] as String, $0) }, uniquingKeysWith: { a, _ in a })
            #expect(byJob["quick"]?["exit_code"] == 0)
            #expect(byJob["slow"]?["exit_code"] == 3)
            #expect(byJob["last"]?["exit_code"] == 0)

            let fires = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fires WHERE net = 'night'")
            #expect(fires == 1)
            let kinds = try String.fetchAll(db, sql: "SELECT kind FROM events ORDER BY id")
            #expect(kinds.contains("run.adopted"))
            #expect(kinds.contains("attempt.watched"))   // slow was still running at the takeover
            #expect(kinds.last { $0.hasPrefix("run.") } == "run.warning")
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }
        // The supervisors' control files are gone once their outcomes are in the database.
        let control = (try? FileManager.default.contentsOfDirectory(atPath: cli.state + "/control")) ?? []
        #expect(control.isEmpty, "\(control)")
    }

    /// The verbs reach the daemon that executes the run and get its answer. No wall clock: `first`
    /// waits for a file the test creates, so the hold always arrives while it runs, however slowly the
    /// CLI starts on a busy machine.
    @Test func operatorVerbsReachARunningDaemon() throws {
        let cli = try CLI(["ops": """
            name: ops
            jobs:
              first: { shell: 'while [ ! -e go ]; do sleep 0.05; done' }
              gate: { needs: [first], shell: 'touch gate.ran' }
              long: { shell: 'trap "exit 143" TERM; sleep 60 & wait' }
            """])
        let daemon = try cli.start(["daemon"], stderr: cli.root.appendingPathComponent("daemon.log"))
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        let queued = try cli.run(["run", "ops", "--queue"])
        #expect(queued.status == 0)
        #expect(try waitFor(10) { (try cli.run(["status", "ops"])).out.contains("running") })

        // The daemon's own answer, not "queued for process …, which has not answered yet".
        let hold = try cli.run(["hold", "ops", "gate", "--reason", "waiting for the tax office"])
        #expect(hold.out.contains("gate held"), "\(hold)")
        let k = try cli.run(["kill", "ops", "long", "--reason", "hung"])
        #expect(k.out.contains("kill sent"), "\(k)")
        #expect(try waitFor(5) { (try cli.run(["status", "ops"])).out.contains("killed by an operator") })

        // first ends, but gate stays held; the run waits for the operator. The step that records
        // first's end is the one that would start gate, so once first shows normal, gate's fate is decided.
        FileManager.default.createFile(atPath: cli.root.appendingPathComponent("go").path, contents: nil)
        func job(_ name: String) throws -> [String: Any]? {
            let jobs = (try cli.json(["status", "ops"]) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
            return jobs.first { $0["name"] as? String == name }
        }
        #expect(try waitFor(15) { try job("first")?["state"] as? String == "normal" })
        #expect(try job("gate")?["state"] as? String == "waiting")
        #expect(cli.read("gate.ran") == nil)
        #expect(try cli.run(["release", "ops", "gate"]).out.contains("gate released"))
        #expect(try waitFor(5) { cli.read("gate.ran") != nil })

        let audit = try cli.json(["audit"]) as? [[String: Any]] ?? []
        let actions = audit.compactMap { $0["action"] as? String }
        #expect(Set(actions).isSuperset(of: ["run", "hold", "kill", "release"]))
        #expect(audit.allSatisfy { $0["user"] as? String == "test-operator" })
        #expect(audit.first { $0["action"] as? String == "hold" }?["reason"] as? String == "waiting for the tax office")
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
    }

    @Test func aSecondDaemonOnTheSameStateIsRefused() throws {
        let cli = try CLI(["n": "name: n\njobs:\n  a: { shell: 'true' }\n"])
        let first = try cli.start(["daemon"], stderr: cli.root.appendingPathComponent("first.log"))
        defer { kill(first.processIdentifier, SIGKILL) }
        // The lock is taken before "daemon started" is logged.
        #expect(try waitFor(10) { (cli.read("first.log") ?? "").contains("daemon started") })
        let second = try cli.run(["daemon"])
        #expect(second.status == 2)
        #expect(second.err.contains("another daemon is running"))
    }
}
