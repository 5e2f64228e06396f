import Foundation
import GRDB
import JobNets
import Scheduler
import Store
import Testing

/// Side effects come after the commit that justifies them: when the commit of an attempt's end fails,
/// its outcome files stay on disk, and recovery settles the attempt from them.
@Suite struct CommitThenEffectsTests {
    @Test func aFailedCommitKeepsTheOutcomeFilesAndRecoverySettlesTheAttempt() throws {
        let t = try TestSite(["one": "name: one\njobs:\n  a:\n    shell: 'echo done > a.txt'\n"])
        // The real SQLite refuses the transaction that records the attempt's end, as a full disk would,
        // at its last statement (the run's end), after every earlier write of the step was applied.
        try t.store.db.write { db in
            try db.execute(sql: """
                CREATE TRIGGER fail_end BEFORE UPDATE OF state ON runs WHEN NEW.state = 'normal'
                BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END
                """)
        }
        let e = t.engine()
        let id = try e.startRun(net: try t.site.loadNet("one"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        var failure: Error?
        let deadline = Date().addingTimeInterval(20)
        while failure == nil && Date() < deadline {
            do { _ = try e.step() } catch { failure = error }
            usleep(5_000)
        }
        #expect("\(failure.map { "\($0)" } ?? "")".contains("disk is full"))
        #expect(t.read("a.txt") == "done\n")
        // The outcome was not forgotten: its file is still in the control directory.
        let control = t.store.controlDirectory.path
        let files = try FileManager.default.contentsOfDirectory(atPath: control)
        #expect(files.contains { $0.hasSuffix(".exit") }, "\(files)")
        #expect(try t.jobs(id)["a"]?.state == .running)

        // The disk has room again; a new engine takes the run over and settles it from the file.
        try t.store.db.write { try $0.execute(sql: "DROP TRIGGER fail_end") }
        try t.store.db.write { try $0.execute(sql: "UPDATE runs SET owner = NULL WHERE id = ?", arguments: [id]) }
        let recovered = t.engine()
        try recovered.adopt(id)
        #expect(try recovered.runToEnd(id) == .normal)
        let attempts = try t.store.db.read { try Row.fetchAll($0, sql: "SELECT state, exit_code FROM attempts WHERE run_id = ?", arguments: [id]) }
        #expect(attempts.count == 1)
        #expect(attempts.first?["state"] as String? == "ended" && attempts.first?["exit_code"] as Int? == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: control).filter { $0.hasSuffix(".exit") }.isEmpty)
    }
}
