import Foundation
import Testing

/// The short crash sweep (`bench/crash-sweep` with 25 kill points over a 40-job net): the real daemon
/// SIGKILLed and restarted at random points, every fifth time a running job's supervisor killed too.
/// No job may start twice, no recorded state may differ from what the jobs did, and the only lost
/// attempts are those whose supervisor was killed.
@Suite(.serialized) struct CrashSweepTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theDaemonKilledAtTwentyFivePointsStartsNothingTwiceAndRecordsWhatHappened() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [Self.repository.appendingPathComponent("bench/crash-sweep").path, "25", "40"]
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR"] = CLI.binary
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("started twice: 0, wrong state: 0, lost: 0"), "\(text)")
        #expect(text.contains("daemon SIGKILLed at 25 points") || text.contains("run 1 "), "\(text)")
    }
}
