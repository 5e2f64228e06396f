import Calendars
import Foundation
import GRDB
import Store

/// Fills a state directory with years of nights for the retention bench and tests: every ended run of
/// a template state directory (the sample night, run for real by `nightjar run`) is copied once per
/// night — its job rows, attempts, events and log files, shifted back by whole days — as the engine
/// would have written them had the net run that night. Plus an operator's hold and release every
/// `auditEvery` nights, naming that night's run, so the audit trail grows as it does in a city.
public struct HistoryGenerator {
    public let store: Store
    /// Where the copied log files go (the engine's log root: STATE/logs unless `logs:` says otherwise).
    public let logRoot: String

    public init(store: Store, logRoot: String) {
        self.store = store
        self.logRoot = logRoot
    }

    struct Template {
        var run: Row
        var jobs: [Row]
        var attempts: [Row]
        var events: [Row]
        /// Each attempt's output, read once (nil: the job wrote nothing there).
        var logs: [Int64: (out: Data?, err: Data?)]
    }

    /// Copies `templateState`'s ended runs into `nights` nights, the last one `lastNightOffset` days
    /// before each template run's own date (1: the night before). Returns the runs written.
    @discardableResult
    public func generate(templateState: String, nights: Int, lastNightOffset: Int = 1, auditEvery: Int = 7) throws -> Int {
        var config = Configuration()
        config.readonly = true
        let source = try DatabaseQueue(path: URL(fileURLWithPath: templateState).appendingPathComponent("nightjar.db").path, configuration: config)
        let templates: [Template] = try source.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE state IN (\(HistoryRetention.endedStates)) ORDER BY id").map { run in
                let id: Int64 = run["id"]
                let attempts = try Row.fetchAll(db, sql: "SELECT * FROM attempts WHERE run_id = ? ORDER BY id", arguments: [id])
                var logs: [Int64: (Data?, Data?)] = [:]
                for a in attempts {
                    logs[a["id"]] = ((a["stdout_path"] as String?).flatMap { try? JobLogFile.contents($0) },
                                     (a["stderr_path"] as String?).flatMap { try? JobLogFile.contents($0) })
                }
                return Template(run: run,
                                jobs: try Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE run_id = ?", arguments: [id]),
                                attempts: attempts,
                                events: try Row.fetchAll(db, sql: "SELECT * FROM events WHERE run_id = ? ORDER BY id", arguments: [id]),
                                logs: logs)
            }
        }
        var written = 0
        // Oldest night first, so run ids grow with time as they do in a real state directory; 50 nights a transaction.
        let offsets = Array((lastNightOffset..<(lastNightOffset + nights)).reversed())
        for chunk in stride(from: 0, to: offsets.count, by: 50).map({ offsets[$0..<min($0 + 50, offsets.count)] }) {
            var files: [(String, Data)] = []
            try store.db.write { db in
                for offset in chunk {
                    for (index, t) in templates.enumerated() {
                        files += try copy(t, back: offset, db: db, audit: index == 0 && offset % auditEvery == 0)
                        written += 1
                    }
                }
            }
            for (path, data) in files {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o640]) else {
                    throw JobLogFile.LogFileError.io(path, "cannot write it")
                }
            }
        }
        return written
    }

    func copy(_ t: Template, back days: Int, db: Database, audit: Bool) throws -> [(String, Data)] {
        let shift = Double(days) * 86_400
        let minus = { (v: Double?) in v.map { $0 - shift } }
        let net: String = t.run["net"]
        let date = (LocalDate(t.run["business_date"] as String) ?? LocalDate(dayNumber: 0)).adding(days: -days)
        try db.run("""
            INSERT INTO runs (net, business_date, state, trigger, definition, scheduled_at, created_at, started_at, ended_at, owner, message)
            VALUES (?, ?, ?, 'schedule', ?, ?, ?, ?, ?, NULL, ?)
            """, [net, date.description, t.run["state"] as String, t.run["definition"] as String, minus(t.run["created_at"]),
                  minus(t.run["created_at"]), minus(t.run["started_at"]), minus(t.run["ended_at"]), t.run["message"] as String?])
        let id = db.lastInsertedRowID
        let created: Double = t.run["created_at"]
        try db.run("""
            INSERT OR IGNORE INTO fires (net, business_date, at_time, due_at, decided_at, decision, run_id) VALUES (?, ?, ?, ?, ?, 'on-time', ?)
            """, [net, date.description, "22:30", created - shift, created - shift, id])
        for j in t.jobs {
            try db.run("""
                INSERT INTO jobs (run_id, name, state, held, attempts, exit_code, message, next_at, started_at, ended_at)
                VALUES (?, ?, ?, 0, ?, ?, ?, NULL, ?, ?)
                """, [id, j["name"] as String, j["state"] as String, j["attempts"] as Int, j["exit_code"] as Int?, j["message"] as String?,
                      minus(j["started_at"]), minus(j["ended_at"])])
        }
        var files: [(String, Data)] = []
        let dir = "\(logRoot)/\(net)/\(id)"
        for a in t.attempts {
            let job: String = a["job"], number: Int = a["number"]
            let out = "\(dir)/\(job).\(number).out", err = "\(dir)/\(job).\(number).err"
            try db.run("""
                INSERT INTO attempts (run_id, job, number, state, supervisor_pid, exit_code, signal, timed_out, killed, verdict, message,
                                      started_at, ended_at, stdout_path, stderr_path)
                VALUES (?, ?, ?, ?, NULL, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?)
                """, [id, job, number, a["state"] as String, a["exit_code"] as Int?, a["signal"] as Int?, a["verdict"] as String?,
                      a["message"] as String?, minus(a["started_at"]), minus(a["ended_at"]), out, err])
            if let logs = t.logs[a["id"]] {
                if let o = logs.out { files.append((out, o)) }
                if let e = logs.err { files.append((err, e)) }
            }
        }
        for e in t.events {
            try db.run("INSERT INTO events (at, run_id, job, kind, detail) VALUES (?, ?, ?, ?, ?)",
                       [(e["at"] as Double) - shift, id, e["job"] as String?, e["kind"] as String, e["detail"] as String?])
        }
        if audit {
            for (action, at) in [("hold", created - shift - 600), ("release", created - shift - 300)] {
                try db.run("""
                    INSERT INTO audit (at, user, action, net, run_id, job, reason, result) VALUES (?, 'tanaka', ?, ?, ?, NULL, ?, ?)
                    """, [at, action, net, id, "waiting for the tax office's check", action == "hold" ? "held" : "released"])
            }
        }
        return files
    }
}
