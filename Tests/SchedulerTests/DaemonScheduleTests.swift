import Foundation
import GRDB
import Testing
import JobNets
@testable import Scheduler
import Store

/// The daemon's firing decisions against a real store, with the clock given by the test.
@Suite(.serialized) struct DaemonScheduleTests {
    static func net(_ name: String, missed: String, extra: String = "", at: String = "22:30") -> String {
        """
        name: \(name)
        calendar: everyday
        missed: \(missed)
        \(extra)schedule:
          - at: "\(at)"
        jobs:
          a: { run: ["true"] }
        """
    }

    func site(_ nets: [String: String]) throws -> TestSite {
        let t = try TestSite(nets)
        try t.write("Jobs/calendars/everyday.yaml", "weekends: []\nnational_holidays: false\nyear_end: false\n")
        try t.write("Jobs/calendars/city.yaml", "name: city\n")
        return t
    }

    func utc(_ s: String) -> Double { ISO8601DateFormatter().date(from: s)!.timeIntervalSince1970 }

    /// "net business_date at_time decision" for every fire, in order.
    func fires(_ t: TestSite) throws -> [String] {
        try t.store.db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM fires ORDER BY net, business_date, at_time").map {
                "\($0["net"] as String) \($0["business_date"] as String) \($0["at_time"] as String) \($0["decision"] as String)"
            }
        }
    }

    @Test func missedRunPoliciesAfterThreeDaysDown() throws {
        let t = try site([
            "n-all": Self.net("n-all", missed: "all"),
            "n-latest": Self.net("n-latest", missed: "latest"),
            "n-skip": Self.net("n-skip", missed: "skip"),
        ])
        let daemon = Daemon(engine: t.engine(), log: { _ in })
        daemon.reload()
        // 20 seconds after 22:30 JST on 06-10; the daemon's last heartbeat was three and a half days ago.
        let now = utc("2026-06-10T13:30:20Z")
        try daemon.fireSchedules(now: now, since: now - 3.5 * 86_400)
        #expect(try fires(t) == [
            "n-all 2026-06-07 22:30 late", "n-all 2026-06-08 22:30 late", "n-all 2026-06-09 22:30 late",
            "n-all 2026-06-10 22:30 on-time",
            "n-latest 2026-06-07 22:30 missed", "n-latest 2026-06-08 22:30 missed", "n-latest 2026-06-09 22:30 missed",
            "n-latest 2026-06-10 22:30 on-time",
            "n-skip 2026-06-07 22:30 missed", "n-skip 2026-06-08 22:30 missed", "n-skip 2026-06-09 22:30 missed",
            "n-skip 2026-06-10 22:30 on-time",
        ])
        try t.store.db.read { db in
            // A run for every start that ran, with its business date; none for the missed ones.
            let runs = try Row.fetchAll(db, sql: "SELECT net, business_date, trigger FROM runs ORDER BY net, business_date")
            #expect(runs.map { "\($0["net"] as String) \($0["business_date"] as String)" } == [
                "n-all 2026-06-07", "n-all 2026-06-08", "n-all 2026-06-09", "n-all 2026-06-10",
                "n-latest 2026-06-10", "n-skip 2026-06-10",
            ])
            #expect(runs.allSatisfy { ($0["trigger"] as String) == "schedule" })
            let linked = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fires WHERE run_id IS NOT NULL")
            #expect(linked == 6)
            let kinds = try String.fetchAll(db, sql: "SELECT kind FROM events WHERE kind LIKE 'fire.%'")
            #expect(kinds.filter { $0 == "fire.missed" }.count == 6)
            #expect(kinds.filter { $0 == "fire.late" }.count == 3)
        }

        // Firing again, or after a restart that looks back over the same period, starts nothing twice.
        try daemon.fireSchedules(now: now + 1, since: now)
        let again = Daemon(engine: t.engine(), log: { _ in })
        again.reload()
        try again.fireSchedules(now: now + 5, since: now - 3.5 * 86_400)
        #expect(try fires(t).count == 12)
        #expect(try t.store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM runs") } == 6)
    }

    @Test func latestRunsTheNewestStartLateWhenAllAreOverdue() throws {
        let t = try site(["n": Self.net("n", missed: "latest")])
        let daemon = Daemon(engine: t.engine(), log: { _ in })
        daemon.reload()
        let now = utc("2026-06-10T13:40:00Z")                        // 22:40 JST, ten minutes late
        try daemon.fireSchedules(now: now, since: utc("2026-06-08T12:00:00Z"))
        #expect(try fires(t) == ["n 2026-06-08 22:30 missed", "n 2026-06-09 22:30 missed", "n 2026-06-10 22:30 late"])
    }

    @Test func theCalendarAndTheChangeTimeDecideTheBusinessDate() throws {
        let t = try site([
            // 01:30 belongs to the business day before when the day starts at 05:00.
            "early": Self.net("early", missed: "all", extra: "business_day_starts: \"05:00\"\n", at: "01:30"),
            // The city calendar closes Sunday 06-07: no start for that business date.
            "office": Self.net("office", missed: "all").replacingOccurrences(of: "calendar: everyday", with: "calendar: city"),
        ])
        let daemon = Daemon(engine: t.engine(), log: { _ in })
        daemon.reload()
        // From Saturday 06-06 12:00 to Tuesday 06-09 02:00 JST.
        try daemon.fireSchedules(now: utc("2026-06-08T17:00:00Z"), since: utc("2026-06-06T03:00:00Z"))
        #expect(try fires(t) == [
            "early 2026-06-06 01:30 late", "early 2026-06-07 01:30 late", "early 2026-06-08 01:30 late",
            "office 2026-06-08 22:30 late",
        ])
    }

    @Test func nothingBeforeThePreviousHeartbeatIsFired() throws {
        let t = try site(["n": Self.net("n", missed: "all")])
        let daemon = Daemon(engine: t.engine(), log: { _ in })
        daemon.reload()
        // The previous daemon was alive at 22:30 (its heartbeat at 22:31 JST): that slot was its business.
        try daemon.fireSchedules(now: utc("2026-06-10T13:35:00Z"), since: utc("2026-06-10T13:31:00Z"))
        #expect(try fires(t).isEmpty)
    }
}
