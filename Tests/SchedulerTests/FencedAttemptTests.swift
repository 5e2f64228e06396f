import Foundation
import GRDB
import JobNets
import Scheduler
import Store
import Testing

/// A scheduler that died between committing an attempt and spawning its supervisor leaves an attempt
/// that never started. Recovery fences it off; the job starts again under a new attempt number (the
/// fenced one's stays taken). Found by bench/crash-sweep: the next start reused the number, the insert
/// failed on the attempts' unique key, and every daemon that took the run over died the same way.
@Suite struct FencedAttemptTests {
    @Test func aJobStartsAgainUnderANewNumberAfterAFencedAttempt() throws {
        let t = try TestSite(["n": "name: n\njobs:\n  a: { shell: 'echo ran >> ran.txt' }\n  b: { needs: [a], shell: 'true' }\n"])
        let id = try t.engine().startRun(net: try t.site.loadNet("n"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        // As a scheduler leaves it when it dies right after the commit, twice over (two fenced attempts).
        try t.store.db.write { db in
            for number in 1...2 {
                try db.execute(sql: "INSERT INTO attempts (run_id, job, number, state, started_at) VALUES (?, 'a', ?, 'running', 1)",
                               arguments: [id, number])
                try db.execute(sql: "UPDATE jobs SET state = 'running', attempts = 1 WHERE run_id = ? AND name = 'a'", arguments: [id])
                if number == 1 { try db.execute(sql: "UPDATE attempts SET state = 'never-started' WHERE run_id = ? AND number = 1", arguments: [id]) }
            }
            try db.execute(sql: "UPDATE runs SET state = 'running', owner = NULL WHERE id = ?", arguments: [id])
        }
        let e = t.engine()
        try e.adopt(id)
        #expect(try e.runToEnd(id) == .normal)
        #expect(t.read("ran.txt") == "ran\n")
        let attempts = try t.store.attempts(ofRun: id, job: "a")
        #expect(attempts.map(\.number) == [1, 2, 3])
        #expect(attempts.map(\.state) == [.neverStarted, .neverStarted, .ended])
        // Attempts made: one (the fenced ones never ran); the log names the real attempt's number.
        #expect(try t.jobs(id)["a"]?.attempts == 1)
        #expect(attempts.last?.stdoutPath?.hasSuffix("a.3.out") == true)
    }

    /// A recovering scheduler claimed an attempt's fence and was killed before it committed
    /// "never-started" (the claim empty, or written): the next one finds a fence naming no supervisor.
    /// The claim proves the job never ran, so it starts afresh instead of being recorded lost.
    /// (Found by bench/crash-sweep: recorded lost, and the job never ran.)
    @Test(arguments: ["", "fenced-by-recovery\n"])
    func aFenceClaimedByARecoveryThatDiedIsNotALostAttempt(claim: String) throws {
        let t = try TestSite(["n": "name: n\njobs:\n  a: { shell: 'echo ran >> ran.txt' }\n"])
        let id = try t.engine().startRun(net: try t.site.loadNet("n"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let attempt = try t.store.db.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO attempts (run_id, job, number, state, started_at) VALUES (?, 'a', 1, 'running', 1)", arguments: [id])
            try db.execute(sql: "UPDATE jobs SET state = 'running', attempts = 1 WHERE run_id = ? AND name = 'a'", arguments: [id])
            try db.execute(sql: "UPDATE runs SET state = 'running', owner = NULL WHERE id = ?", arguments: [id])
            return db.lastInsertedRowID
        }
        try FileManager.default.createDirectory(at: t.store.controlDirectory, withIntermediateDirectories: true)
        try claim.write(to: t.store.controlDirectory.appendingPathComponent("a\(attempt).started"), atomically: false, encoding: .utf8)
        let e = t.engine()
        try e.adopt(id)
        #expect(try e.runToEnd(id) == .normal)
        #expect(t.read("ran.txt") == "ran\n")
        let attempts = try t.store.attempts(ofRun: id, job: "a")
        #expect(attempts.map(\.state) == [.neverStarted, .ended])
    }
}
