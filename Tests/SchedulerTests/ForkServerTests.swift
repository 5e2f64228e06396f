import Foundation
@testable import Executors
import Testing

/// Supervisors forked by `nightjar-supervise --serve` instead of exec'd: the real fork server, real jobs.
/// Jobs wait on gate files the test creates, so nothing depends on how fast the machine is.
@Suite struct ForkServerTests {
    let dir: String
    let launcher: Launcher

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-fork-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        launcher = Launcher(supervisorPath: Launcher.defaultSupervisorPath(), controlDirectory: dir, useForkServer: true)
    }

    func spec(_ id: String, waitingFor gate: String, exit code: Int = 0) -> AttemptSpec {
        AttemptSpec(id: id, argv: ["/bin/sh", "-c", "while [ ! -e \(gate) ]; do sleep 0.01; done; echo \"$GREETING\"; exit \(code)"],
                    environment: ["GREETING": "hello from \(id)", "PATH": "/usr/bin:/bin"], workdir: dir, timeout: nil,
                    killGrace: 1, stdoutPath: "\(dir)/\(id).out", stderrPath: "\(dir)/\(id).err")
    }

    /// Lets every job of the test end, also when an expectation failed half way (no job outlives its test).
    func openGates() {
        for gate in ["gate", "never"] { FileManager.default.createFile(atPath: "\(dir)/\(gate)", contents: nil) }
    }

    /// Waits (on the server's reports, bounded) until `pid` is reported ended.
    func end(of pid: pid_t) -> Int32? {
        for _ in 0..<3000 {
            if let ended = launcher.reapSupervisors([pid]).first { return ended.status }
            launcher.waitForActivity(0.01)
        }
        return nil
    }

    @Test func aForkedSupervisorRunsTheJobWithItsEnvironmentAndReportsItsEnd() throws {
        defer { openGates() }
        let pid = try launcher.launch(spec("a1", waitingFor: "\(dir)/gate", exit: 3))
        #expect(launcher.forkServer.serverPid > 0)
        #expect(launcher.forkServer.serverPid != pid)
        // Recognised as the attempt's supervisor by the start time beside its fence (once it has written it),
        // although its command line is the server's.
        for _ in 0..<1000 where launcher.startedSupervisor(of: "a1").pid == nil { launcher.waitForActivity(0.005) }
        #expect(launcher.startedSupervisor(of: "a1").pid == pid)
        #expect(launcher.isSupervisorAlive(pid, id: "a1"))
        #expect(!launcher.isSupervisorAlive(pid, id: "a2"))
        #expect(launcher.reapSupervisors([pid]).isEmpty)
        FileManager.default.createFile(atPath: "\(dir)/gate", contents: nil)
        let status = try #require(end(of: pid))
        #expect((status >> 8) & 0xff == 0)
        let outcome = try #require(launcher.outcome(of: "a1"))
        #expect(outcome.exitCode == 3)
        #expect(try String(contentsOfFile: "\(dir)/a1.out", encoding: .utf8) == "hello from a1\n")
        #expect(!launcher.isSupervisorAlive(pid, id: "a1"))
    }

    @Test func aKillReachesAForkedSupervisorsJob() throws {
        defer { openGates() }
        let pid = try launcher.launch(spec("a1", waitingFor: "\(dir)/never"))
        #expect(kill(pid, SIGTERM) == 0)
        #expect(end(of: pid) != nil)
        #expect(launcher.outcome(of: "a1")?.killed == true)
    }

    @Test func whenTheForkServerDiesItsSupervisorsAreStillSeenToTheirEndAndANewServerStarts() throws {
        defer { openGates() }
        let first = try launcher.launch(spec("a1", waitingFor: "\(dir)/gate"))
        let server = launcher.forkServer.serverPid
        #expect(kill(server, SIGKILL) == 0)
        // Dead, not only signalled (a request sent in between would be lost with it, and its attempt ended
        // as not run: correct, but not what this test is about).
        for _ in 0..<2000 where ProcessIdentity.startTime(of: server) != nil { launcher.waitForActivity(0.005) }
        // The next launch finds the server gone and starts another; the first supervisor is watched by start time.
        let second = try launcher.launch(spec("a2", waitingFor: "\(dir)/gate"))
        #expect(launcher.forkServer.serverPid != server)
        #expect(launcher.reapSupervisors([first, second]).isEmpty)
        FileManager.default.createFile(atPath: "\(dir)/gate", contents: nil)
        // The orphan's wait status was lost with its server (-1); its record says how the job ended.
        #expect(end(of: first) == -1)
        #expect(launcher.outcome(of: "a1")?.exitCode == 0)
        #expect(end(of: second) != nil)
        #expect(launcher.outcome(of: "a2")?.exitCode == 0)
    }

    @Test func anAttemptFencedOffBeforeItsSupervisorStartsDoesNotRun() throws {
        defer { openGates() }
        #expect(launcher.fenceNeverStarted("a1"))
        let pid = try launcher.launch(spec("a1", waitingFor: "\(dir)/gate"))
        let status = try #require(end(of: pid))
        #expect((status >> 8) & 0xff == 3)
        #expect(launcher.outcome(of: "a1") == nil)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/a1.out"))
    }
}
