import Foundation
import LiveHTTP
import Testing

/// The short crash sweep (`bench/crash-sweep` with 25 kill points over a 40-job net): the real daemon
/// SIGKILLed and restarted at random points, every fifth time a running job's supervisor killed too.
/// No job may start twice, no recorded state may differ from what the jobs did, and the only lost
/// attempts are those whose supervisor was killed.
@Suite(.serialized) struct CrashSweepTests {
    @Test func theDaemonKilledAtTwentyFivePointsStartsNothingTwiceAndRecordsWhatHappened() throws {
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR"] = CLI.binary
        let (status, text) = try BenchScript.run("crash-sweep", ["25", "40"], environment: env)
        #expect(status == 0, "\(text)")
        #expect(text.contains("started twice: 0, wrong state: 0, lost: 0"), "\(text)")
        #expect(text.contains("daemon SIGKILLed at 25 points") || text.contains("run 1 "), "\(text)")
    }
}
