import Foundation
import GRDB
import JobNets
import Scheduler
import Store
import Testing

/// A run waiting on its `after:` nets says what it waits for and can be cancelled; a failed job of an
/// ended run can be marked ended normally so what needs it carries on.
@Suite(.serialized) struct WaitingRunTests {
    static let nets = [
        "first": "name: first\njobs:\n  a:\n    run: [\"true\"]\n",
        "second": "name: second\nafter: [first]\njobs:\n  b:\n    run: [\"true\"]\n  c:\n    needs: [b]\n    run: [\"true\"]\n",
    ]

    @Test func aWaitingRunSaysForWhatAndAKillEndsIt() throws {
        let t = try TestSite(Self.nets)
        let e = t.engine()
        let id = try e.startRun(net: try t.site.loadNet("second"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let start = Date().timeIntervalSince1970
        _ = try e.step(now: start)
        let run = try #require(try t.store.run(id))
        #expect(run.state == .waiting)
        #expect(run.message == "waiting for first to end normally for 2026-06-10")
        #expect(try t.store.events(ofRun: id).contains { $0.kind == "run.waiting" })
        // Looking again within the second changes nothing and reads nothing more.
        #expect(try e.step(now: start + 0.5) == false)

        // The verb, on a run nobody executes any more.
        try e.releaseAll()
        let control = RunControl(store: t.store, site: t.site, config: SiteConfig(), user: "op")
        let result = try control.command("kill", run: try #require(try t.store.run(id)), job: nil, reason: "not tonight")
        #expect(result == "cancelled; it was waiting for first to end normally for 2026-06-10")
        let ended = try #require(try t.store.run(id))
        #expect(ended.state == .abnormal)
        #expect(try t.jobs(id).values.allSatisfy { $0.state == .notRun && ($0.message ?? "").contains("cancelled by an operator") })
        // A restarted engine finds nothing to take over.
        let other = t.engine()
        #expect(throws: (any Error).self) { try other.adopt(id) }
        let audit = try t.store.db.read { try String.fetchOne($0, sql: "SELECT result FROM audit WHERE run_id = ? AND action = 'kill'", arguments: [id]) }
        #expect(audit == result)
    }

    @Test func skippingAFailedJobOfAnEndedRunLetsWhatNeedsItRun() throws {
        let t = try TestSite(["net": """
            name: net
            jobs:
              a:
                run: ["false"]
              b:
                needs: [a]
                shell: 'echo b >> b.txt'
              c:
                needs: [b]
                shell: 'echo c >> c.txt'
            """])
        let (id, state) = try t.run("net")
        #expect(state == .abnormal)
        #expect(try t.jobs(id)["b"]?.state == .notRun)
        let control = RunControl(store: t.store, site: t.site, config: SiteConfig(), user: "op")
        // rerun --only on a job whose need failed says why instead of ending at once.
        #expect {
            _ = try control.rerun(id, scope: .only("b"), reason: nil)
        } throws: { e in "\(e)".contains("b needs a, which is abnormal") && "\(e)".contains("nightjar skip net a --run \(id)") }

        let again = try control.skipAfterEnd(try #require(try t.store.run(id)), job: "a", reason: "fixed by hand")
        #expect(again == ["b", "c"])
        #expect(try t.store.run(id)?.state == .running)
        let e = t.engine()
        try e.adopt(id)
        #expect(try e.runToEnd(id) == .normal)
        let jobs = try t.jobs(id)
        #expect(jobs["a"]?.state == .skipped && jobs["b"]?.state == .normal && jobs["c"]?.state == .normal)
        #expect(t.read("c.txt") == "c\n")
        let audit = try t.store.db.read { try String.fetchOne($0, sql: "SELECT result FROM audit WHERE run_id = ? AND action = 'skip'", arguments: [id]) }
        #expect(audit?.contains("run \(id) reopened") == true)
        // Only a job that did not end normally can be settled this way.
        #expect(throws: (any Error).self) { _ = try control.skipAfterEnd(try #require(try t.store.run(id)), job: "c", reason: nil) }
    }
}
