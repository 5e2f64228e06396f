import Foundation
import GRDB
import JobNets
import Scheduler
import Store
import Testing

/// A supervisor killed while its job runs: the job's process group runs on, so the attempt stays
/// running and is watched until the group ends; no end is recorded for a job that still runs, and the
/// message does not blame a full disk.
@Suite(.serialized) struct OrphanedJobTests {
    static let net = ["slow": "name: slow\njobs:\n  a:\n    shell: 'sleep 1.5; echo done > done.txt'\n"]

    /// Steps until the attempt's supervisor has started the job; returns the supervisor's pid.
    func startedSupervisor(_ t: TestSite, _ e: Engine, run id: Int64) throws -> pid_t {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            _ = try e.step()
            let row = try t.store.db.read { try Row.fetchOne($0, sql: "SELECT id, supervisor_pid FROM attempts WHERE run_id = ?", arguments: [id]) }
            if let row, let pid = row["supervisor_pid"] as Int32?, let attempt = row["id"] as Int64? {
                let started = t.store.controlDirectory.appendingPathComponent("a\(attempt).started").path
                if (try? String(contentsOfFile: started, encoding: .utf8))?.contains("job=") == true { return pid }
            }
            usleep(5_000)
        }
        throw CancellationError()
    }

    func check(_ t: TestSite, run id: Int64) throws {
        // The job's own end came before the run's: it was watched, not written off.
        #expect(t.read("done.txt") == "done\n")
        let attempt = try #require(try t.store.db.read { try Row.fetchOne($0, sql: "SELECT state, message FROM attempts WHERE run_id = ?", arguments: [id]) })
        #expect(attempt["state"] as String? == "lost")
        let message = attempt["message"] as String? ?? ""
        #expect(message.contains("supervisor died while the job ran") && !message.contains("full"), "\(message)")
        #expect(try t.store.events(ofRun: id).contains { $0.kind == "job.orphaned" })
    }

    @Test func aKilledSupervisorsJobIsWatchedToItsEnd() throws {
        let t = try TestSite(Self.net)
        let e = t.engine()
        let id = try e.startRun(net: try t.site.loadNet("slow"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let supervisor = try startedSupervisor(t, e, run: id)
        kill(supervisor, SIGKILL)
        #expect(try e.runToEnd(id) == .abnormal)
        try check(t, run: id)
    }

    /// The scheduler lets go (as a dead daemon would), its job's supervisor is killed too, `meanwhile`
    /// does what else happened while nobody watched, then another scheduler takes the run over.
    func takeOverAfterTheSupervisorIsKilled(meanwhile: (TestSite, _ attempt: Int64) throws -> Void = { _, _ in }) throws {
        let t = try TestSite(Self.net)
        let e = t.engine()
        let id = try e.startRun(net: try t.site.loadNet("slow"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let supervisor = try startedSupervisor(t, e, run: id)
        try e.releaseAll()
        kill(supervisor, SIGKILL)
        var status: Int32 = 0
        waitpid(supervisor, &status, 0)
        let attempt = try #require(try t.store.db.read { try Int64.fetchOne($0, sql: "SELECT id FROM attempts WHERE run_id = ?", arguments: [id]) })
        try meanwhile(t, attempt)
        let other = t.engine()
        try other.adopt(id)
        #expect(try other.runToEnd(id) == .abnormal)
        try check(t, run: id)
    }

    @Test func aSchedulerThatTakesOverFindsTheJobStillRunning() throws {
        try takeOverAfterTheSupervisorIsKilled()
    }

    /// Killed in the moment between starting the job and writing its group beside the fence (simulated
    /// by taking that line out): the job is found by the session its supervisor leads, and watched.
    @Test func aSupervisorKilledBeforeItNamedTheJobsGroupStillHasItsJobWatched() throws {
        try takeOverAfterTheSupervisorIsKilled { t, attempt in
            let fence = t.store.controlDirectory.appendingPathComponent("a\(attempt).started").path
            let text = try String(contentsOfFile: fence, encoding: .utf8)
            try text.split(separator: "\n").filter { !$0.hasPrefix("job=") }.map { $0 + "\n" }.joined()
                .write(toFile: fence, atomically: true, encoding: .utf8)
        }
    }
}
