import Foundation
import LiveHTTP
import Testing

extension SlurmSuites {
    /// The short Slurm crash sweep (`bench/slurm-crash-sweep` with 30 kill points over a 24-job net on the
    /// test cluster): the real daemon SIGKILLed and restarted at random points while its jobs run on Slurm.
    /// Slurm's own completion records must show no submission name run twice and no more runs than
    /// attempts recorded; no job may start twice, every recorded exit code must be the job's own.
    @Suite struct SlurmCrashSweepTests {
        @Test func theDaemonKilledAtThirtyPointsSubmitsNothingTwice() throws {
            let c = try SlurmCluster.get()
            var env = c.environment
            env["NIGHTJAR"] = URL(fileURLWithPath: SlurmSite.supervisor).deletingLastPathComponent().appendingPathComponent("nightjar").path
            let (status, text) = try BenchScript.run("slurm-crash-sweep", ["30", "24"], environment: env)
            #expect(status == 0, "\(text)")
            #expect(text.contains("submitted twice: 0, started twice: 0, wrong state: 0, lost: 0"), "\(text)")
            #expect(text.contains("daemon SIGKILLed at 30 points"), "\(text)")
        }
    }
}
