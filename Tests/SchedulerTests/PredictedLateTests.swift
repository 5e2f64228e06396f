import Foundation
import GRDB
import JobNets
import Scheduler
import Store
import Testing

/// The early warning before an end deadline, on virtual time with a recorded history: the engine's
/// prediction check raises `end-predicted-late` once, and only when the predicted end is after the deadline.
@Suite struct PredictedLateTests {
    /// A history of `nights` normal runs of `net` whose job `job` took `took` seconds each.
    func record(_ t: TestSite, net: String, job: String, took: Double, nights: Int) throws {
        try t.store.db.write { db in
            for i in 0..<nights {
                let start = 1_700_000_000 + Double(i) * 86_400
                try db.execute(sql: """
                    INSERT INTO runs (net, business_date, state, trigger, definition, created_at, started_at, ended_at)
                    VALUES (?, ?, 'normal', 'schedule', '{}', ?, ?, ?)
                    """, arguments: [net, "2026-05-\(String(format: "%02d", i + 1))", start, start, start + took])
                try db.execute(sql: """
                    INSERT INTO attempts (run_id, job, number, state, verdict, started_at, ended_at) VALUES (?, ?, 1, 'ended', 'normal', ?, ?)
                    """, arguments: [db.lastInsertedRowID, job, start, start + took])
            }
        }
    }

    func alerts(_ t: TestSite, run: Int64) throws -> [String] {
        try t.store.db.read { try String.fetchAll($0, sql: "SELECT message FROM alerts WHERE run_id = ? AND kind = 'end-predicted-late'", arguments: [run]) }
    }

    static let net = """
        name: tax
        end_deadline: 1h
        jobs:
          arrival:
            wait_for: { path: never.txt, interval: 1s }
            timeout: 10h
          after:
            needs: [arrival]
            run: [/bin/true]
        """

    @Test func aRunPredictedPastItsEndDeadlineWarnsOnceBeforeIt() throws {
        let t = try TestSite(["tax": Self.net])
        // The file usually arrives after 50 minutes: with the hour's deadline, that is 10 minutes to spare.
        try record(t, net: "tax", job: "arrival", took: 3000, nights: 7)
        try record(t, net: "tax", job: "after", took: 1200, nights: 7)
        let clock = ManualTime(1_781_000_000)
        let e = Engine(store: t.store, site: t.site, config: SiteConfig(), supervisorPath: TestSite.supervisor, clock: clock)
        let id = try e.startRun(net: try t.site.loadNet("tax"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let start = clock.now()
        _ = try e.step(now: start)
        // 50 + 20 minutes from the start: 70 minutes, ten past the deadline. Raised at the first look.
        e.checkPredictedEnds(now: start + 60)
        _ = try e.step(now: start + 60)
        let first = try alerts(t, run: id)
        #expect(first.count == 1, "\(first)")
        #expect(first.first?.contains("predicted to end at") == true && first.first?.contains("after its end deadline") == true, "\(first)")
        // Looked at again later (and by a fresh check every 30 s): still one alert.
        for minute in 2...50 {
            e.checkPredictedEnds(now: start + Double(minute) * 60)
            _ = try e.step(now: start + Double(minute) * 60)
        }
        #expect(try alerts(t, run: id).count == 1)
        let events = try t.store.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM events WHERE run_id = ? AND kind = 'alert.end-predicted-late'", arguments: [id]) }
        #expect(events == 1)
        try e.releaseAll()
    }

    @Test func aRunPredictedInTimeRaisesNothingUntilItsJobOverruns() throws {
        let t = try TestSite(["tax": Self.net])
        try record(t, net: "tax", job: "arrival", took: 600, nights: 7)
        try record(t, net: "tax", job: "after", took: 300, nights: 7)
        let clock = ManualTime(1_781_000_000)
        let e = Engine(store: t.store, site: t.site, config: SiteConfig(), supervisorPath: TestSite.supervisor, clock: clock)
        let id = try e.startRun(net: try t.site.loadNet("tax"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let start = clock.now()
        _ = try e.step(now: start)
        // 10 + 5 minutes predicted: in time, however often it is looked at within the usual 10 minutes.
        for s in stride(from: 30.0, through: 600, by: 30) {
            e.checkPredictedEnds(now: start + s)
            _ = try e.step(now: start + s)
        }
        #expect(try alerts(t, run: id).isEmpty)
        // The file is late: at 56 minutes, "any moment now" plus the 5 minutes after it is past the hour.
        e.checkPredictedEnds(now: start + 56 * 60)
        _ = try e.step(now: start + 56 * 60)
        #expect(try alerts(t, run: id).count == 1)
        // Past the deadline itself, the end-delay alert takes over; no second early warning.
        _ = try e.step(now: start + 3700)
        e.checkPredictedEnds(now: start + 3800)
        _ = try e.step(now: start + 3800)
        let kinds = try t.store.db.read { try String.fetchAll($0, sql: "SELECT kind FROM alerts WHERE run_id = ? ORDER BY id", arguments: [id]) }
        #expect(kinds == ["end-predicted-late", "end-delay"], "\(kinds)")
        try e.releaseAll()
    }
}
