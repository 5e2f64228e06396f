import Foundation
import GRDB
import JobNets
import OperatorFiles
import Operations
import Scheduler
import Store
import Testing

/// `nightjar gc` on a generated three-year state directory, at instants passed in (no sleeps, no
/// waiting for days to pass): what must stay stays, the rest goes, the audit trail is untouched inside
/// its period and says what left it.
@Suite struct GarbageCollectionTests {
    static let settings = """
        timezone: Asia/Tokyo
        retention:
          job_logs_compress_after_days: 7
          job_logs_delete_after_days: 90
          history_days: 400
          audit_years: 5
        """

    @Test func threeYearsOfNightsArePrunedToTheRetentionPeriodsAndNothingElse() throws {
        let s = try RetentionSite(nights: 1000, settings: Self.settings)
        let day = 86_400.0
        let now = s.templateTime + day / 2
        // Besides the generated nights: a run that never ended, 900 days old (a crashed test system's,
        // say), and audit rows just outside and just inside the five years.
        let (stuck, auditOld, auditKept): (Int64, Int64, Int64) = try s.store.db.write { db in
            try db.execute(sql: """
                INSERT INTO runs (net, business_date, state, trigger, definition, created_at, started_at) VALUES ('night', '2027-01-01', 'running', 'manual', '{}', ?, ?)
                """, arguments: [now - 900 * day, now - 900 * day])
            let stuck = db.lastInsertedRowID
            try Store.audit(db, user: "suzuki", action: "hold", net: "night", runID: nil, job: nil, reason: nil, result: "held")
            try db.execute(sql: "UPDATE audit SET at = ? WHERE id = ?", arguments: [now - 5 * 366 * day, db.lastInsertedRowID])
            let old = db.lastInsertedRowID
            try Store.audit(db, user: "suzuki", action: "release", net: "night", runID: nil, job: nil, reason: nil, result: "released")
            try db.execute(sql: "UPDATE audit SET at = ? WHERE id = ?", arguments: [now - 4 * 365 * day, db.lastInsertedRowID])
            return (stuck, old, db.lastInsertedRowID)
        }
        let ops = try s.operations()
        let runsBefore = try s.count("SELECT COUNT(*) FROM runs")
        #expect(runsBefore == 1001)
        let auditBefore = try s.count("SELECT COUNT(*) FROM audit")
        let oldRuns = try s.count("SELECT COUNT(*) FROM runs WHERE state = 'normal' AND ended_at < ?", [now - 400 * day])
        let oldAudited = try s.count("""
            SELECT COUNT(DISTINCT r.id) FROM runs r JOIN audit a ON a.run_id = r.id WHERE r.state = 'normal' AND r.ended_at < ?
            """, [now - 400 * day])
        #expect(oldRuns >= 599 && oldRuns <= 601)
        #expect(oldAudited > 80)

        // The dry run says what would go and changes nothing but its own audit row.
        let dry = try ops.gc(actor: Actor(name: "tester", via: .cli), now: now, dryRun: true)
        #expect(dry.history.runs == oldRuns - oldAudited)
        #expect(dry.history.keptForAudit == oldAudited)
        #expect(dry.activeRunsKept == 1)
        #expect(dry.audit.rows == 1)
        #expect(dry.audit.actions == ["hold": 1])
        #expect(try s.count("SELECT COUNT(*) FROM runs") == runsBefore)
        #expect(try s.count("SELECT COUNT(*) FROM audit") == auditBefore + 1)
        #expect(try s.count("SELECT COUNT(*) FROM audit WHERE action = 'gc.dry-run'") == 1)

        // A log of a night 30 days back, to read after it has been compressed.
        let midLog = try #require(try s.store.db.read { db in
            try String.fetchOne(db, sql: """
                SELECT a.stdout_path FROM attempts a JOIN runs r ON r.id = a.run_id WHERE a.job = 'extract' AND r.ended_at BETWEEN ? AND ?
                """, arguments: [now - 31 * day, now - 29 * day])
        })
        let extractOutput = Data(("extracted 1200 rows\n" + (1...2000).map { "\($0)\n" }.joined()).utf8)
        #expect(try JobLogFile.contents(midLog) == extractOutput)

        let report = try ops.gc(actor: Actor(name: "tester", via: .cli), now: now, dryRun: false)
        #expect(report.history.runs == dry.history.runs)
        #expect(report.history.events == dry.history.events)
        #expect(report.history.attempts == dry.history.attempts)

        // History: every run inside 400 days stays, with its jobs, attempts and events; older ones go unless
        // an audit row inside the audit period names them, or they have not ended.
        #expect(try s.count("SELECT COUNT(*) FROM runs WHERE COALESCE(ended_at, created_at) >= ?", [now - 400 * day]) == runsBefore - oldRuns - 1)
        #expect(try s.count("SELECT COUNT(*) FROM runs") == runsBefore - oldRuns + oldAudited)
        #expect(try s.count("SELECT COUNT(*) FROM runs WHERE id = ?", [stuck]) == 1)
        #expect(try s.count("""
            SELECT COUNT(*) FROM runs r WHERE ended_at < ? AND NOT EXISTS (SELECT 1 FROM audit a WHERE a.run_id = r.id)
            """, [now - 400 * day]) == 0)
        for table in ["jobs", "attempts", "events", "fires"] {
            #expect(try s.count("SELECT COUNT(*) FROM \(table) WHERE run_id NOT IN (SELECT id FROM runs)") == 0, "\(table) rows of pruned runs")
        }
        #expect(try s.count("SELECT COUNT(*) FROM jobs") == 3 * (runsBefore - oldRuns + oldAudited - 1))

        // Audit: the row older than five years went and the gc's own row names it; every other row stays.
        #expect(try s.count("SELECT COUNT(*) FROM audit WHERE id = ?", [auditOld]) == 0)
        #expect(try s.count("SELECT COUNT(*) FROM audit WHERE id = ?", [auditKept]) == 1)
        #expect(try s.count("SELECT COUNT(*) FROM audit") == auditBefore + 1)   // −1 old row, +1 dry run, +1 gc
        let gcRow = try #require(try s.store.db.read { try String.fetchOne($0, sql: "SELECT result FROM audit WHERE action = 'gc'") })
        #expect(gcRow.contains("audit: remove 1 rows older than 5 years"))
        #expect(gcRow.contains("hold 1"))

        // Logs: plain inside 7 days, gzipped (and still readable) to 90 days, gone after — also for kept
        // runs. Logs under 4 KiB (all but extract's stdout here) are not compressed: gzip would free nothing.
        let logs = try s.store.db.read { db in
            try Row.fetchAll(db, sql: "SELECT ended_at, job, stdout_path, stderr_path FROM attempts").flatMap { row in
                [(row["ended_at"] as Double, row["job"] as String == "extract", row["stdout_path"] as String),
                 (row["ended_at"] as Double, false, row["stderr_path"] as String)]
            }
        }
        var seen = (plain: 0, compressed: 0, gone: 0, small: 0)
        for (ended, large, path) in logs {
            let age = (now - ended) / day
            let plain = FileManager.default.fileExists(atPath: path), gz = FileManager.default.fileExists(atPath: path + ".gz")
            if age >= 90 { #expect(!plain && !gz, "\(path) \(age) days"); seen.gone += 1 }
            else if age < 7 { #expect(!gz, "\(path) \(age) days"); seen.plain += 1 }
            else if large { #expect(!plain && gz, "\(path) \(age) days"); seen.compressed += 1 }
            else { #expect(!gz, "\(path) \(age) days"); seen.small += 1 }
        }
        #expect(seen.plain > 0 && seen.compressed > 0 && seen.gone > 0 && seen.small > 0)
        #expect(report.logs.compressed == 83)   // extract's stdout on nights 7–89
        #expect(report.logs.bytesAfter < report.logs.bytesBefore / 2)
        #expect(try JobLogFile.contents(midLog) == extractOutput)
        #expect(try JobLogFile.contents(midLog.replacingOccurrences(of: ".out", with: ".err")) == Data("warning: 3 rows skipped\n".utf8))
        // A run's log directory goes with its last log.
        let oldKept = try #require(try s.store.db.read { db in
            try String.fetchOne(db, sql: "SELECT a.stdout_path FROM attempts a JOIN runs r ON r.id = a.run_id WHERE r.ended_at < ?", arguments: [now - 400 * day])
        })
        #expect(!FileManager.default.fileExists(atPath: (oldKept as NSString).deletingLastPathComponent))

        // The file shrank: pages freed by the pruning were given back.
        #expect(report.vacuumed)
        #expect(report.databaseAfter.databaseBytes < report.databaseBefore.databaseBytes)

        // A second gc at the same instant finds nothing more to do.
        let again = try ops.gc(actor: Actor(name: "tester", via: .cli), now: now, dryRun: false)
        #expect(again.history.runs == 0 && again.logs.compressed == 0 && again.logs.deleted == 0 && again.audit.rows == 0)
    }

    @Test func withoutRetentionSettingsNothingButAuditRowsPastFiveYearsIsTouched() throws {
        let s = try RetentionSite(nights: 30, settings: "timezone: Asia/Tokyo\n")
        let now = s.templateTime + 3600
        let runs = try s.count("SELECT COUNT(*) FROM runs")
        let report = try s.operations().gc(actor: Actor(name: "tester", via: .cli), now: now, dryRun: false)
        #expect(report.auditYears == 5)
        #expect(report.history == HistoryRetention.Counts())
        #expect(report.logs == HistoryRetention.LogCounts())
        #expect(try s.count("SELECT COUNT(*) FROM runs") == runs)
        #expect(report.lines.contains { $0.hasPrefix("history: kept (no history_days") })
    }

    @Test func theDaemonsDailyGCIsDueOncePerDayAfterItsTime() throws {
        let s = try RetentionSite(nights: 3, settings: Self.settings + "\n  gc_at: \"03:00\"\n")
        let ops = try s.operations()
        // 2029-06-11 02:59 and 03:01 in Tokyo (UTC+9), then the next day.
        let base = (try #require(ISO8601DateFormatter().date(from: "2029-06-10T18:00:00Z"))).timeIntervalSince1970
        #expect(try ops.nightlyGCDue(now: base - 60) == nil)
        #expect(try ops.nightlyGCDue(now: base + 60) == "2029-06-11")
        #expect(try ops.nightlyGC(now: base + 60) != nil)
        #expect(try ops.nightlyGCDue(now: base + 3600) == nil)
        #expect(try ops.nightlyGCDue(now: base + 86_400 - 60) == nil)
        #expect(try ops.nightlyGCDue(now: base + 86_400 + 60) == "2029-06-12")
        #expect(try s.count("SELECT COUNT(*) FROM audit WHERE action = 'gc' AND user = 'nightjar-daemon'") == 1)
    }

    @Test func retentionSettingsAreCheckedWithTheirPositions() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try """
            retention:
              job_logs_compress_after_days: 30
              job_logs_delete_after_days: 10
              history_dys: 400
              audit_years: 0
              gc_at: "25:00"
            """.write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
        let failure = try #require(throws: ValidationFailure.self) { try SiteConfig.load(site: Site(root: root.path)) }
        let text = failure.description
        #expect(text.contains("nightjar.yaml:4:3: error: unknown key 'history_dys' in retention; did you mean 'history_days'?"))
        #expect(text.contains("nightjar.yaml:5:16: error: 'audit_years' must be a whole number from 1 to 100"))
        #expect(text.contains("nightjar.yaml:2:33: error: 'job_logs_compress_after_days' (30) must be less than 'job_logs_delete_after_days' (10)"))
        #expect(text.contains("nightjar.yaml:6:10: error: 'gc_at' is not a time of day: '25:00'"))
    }
}
