import Foundation
import GRDB
import Scheduler
import Store
import Testing

/// A run past its end deadline is watched as calmly as any other: the alert is raised once, and the
/// steps after it change nothing (each used to queue a write, so `runToEnd` and the daemon never slept).
@Suite struct LateRunTests {
    @Test func aRunPastItsEndDeadlineRaisesOneAlertAndThenStepsIdle() throws {
        let t = try TestSite(["late": """
            name: late
            end_deadline: 1h
            jobs:
              arrival:
                wait_for: { path: never.txt, interval: 1s }
                timeout: 10h
            """])
        let e = t.engine()
        let id = try e.startRun(net: try t.site.loadNet("late"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let start = Date().timeIntervalSince1970
        #expect(try e.step(now: start))
        let late = start + 7200
        #expect(try e.step(now: late))   // the end-delay alert
        var busy = 0
        for i in 1...50 where try e.step(now: late + Double(i) * 0.01) { busy += 1 }
        #expect(busy == 0)
        let alerts = try t.store.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM alerts WHERE run_id = ?", arguments: [id]) }
        #expect(alerts == 1)
        // Another engine adopting the run later does not raise it again either.
        try e.releaseAll()
        let other = t.engine()
        try other.adopt(id)
        _ = try other.step(now: late + 10)
        #expect(try t.store.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM alerts WHERE run_id = ?", arguments: [id]) } == 1)
        #expect(try other.step(now: late + 10.01) == false)
    }
}
