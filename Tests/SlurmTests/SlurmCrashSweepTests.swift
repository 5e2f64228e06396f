import Foundation
import Testing


extension SlurmSuites {
    /// The short Slurm crash sweep (`bench/slurm-crash-sweep` with 30 kill points over a 24-job net on the
    /// test cluster): the real daemon SIGKILLed and restarted at random points while its jobs run on Slurm.
    /// Slurm's own completion records must show no submission name run twice and no more runs than
    /// attempts recorded; no job may start twice, every recorded exit code must be the job's own.
    @Suite struct SlurmCrashSweepTests {
        @Test func theDaemonKilledAtThirtyPointsSubmitsNothingTwice() throws {
            let c = try SlurmCluster.get()
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [SlurmCluster.repository.appendingPathComponent("bench/slurm-crash-sweep").path, "30", "24"]
            var env = c.environment
            env["NIGHTJAR"] = URL(fileURLWithPath: SlurmSite.supervisor).deletingLastPathComponent().appendingPathComponent("nightjar").path
            p.environment = env
            let out = Pipe()
            p.standardOutput = out
            p.standardError = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(text)")
            #expect(text.contains("submitted twice: 0, started twice: 0, wrong state: 0, lost: 0"), "\(text)")
            #expect(text.contains("daemon SIGKILLed at 30 points"), "\(text)")
        }
    }
}
