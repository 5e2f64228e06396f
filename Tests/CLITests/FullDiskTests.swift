import Foundation
import LiveHTTP
import Testing

/// A full disk is a failure of the machine, not bad input: exit 1 naming the file and the system's
/// reason, and nothing half-written left behind. A real 64 KB tmpfs is mounted for it (the tests run as
/// root on these machines, as CI does).
@Suite(.serialized) struct FullDiskTests {
    @Test func writingToAFullDiskExitsOneNamingTheFileAndLeavesNothing() throws {
        let cli = try CLI([:])
        try FileManager.default.createSymbolicLink(at: cli.root.appendingPathComponent("Forms"),
                                                   withDestinationURL: TestProcess.repository.appendingPathComponent("Forms"))
        let full = cli.root.appendingPathComponent("full").path
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", full]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mounting a tmpfs needs root")
        defer {
            let u = Process()
            u.executableURL = URL(fileURLWithPath: "/bin/umount")
            u.arguments = [full]
            try? u.run()
            u.waitUntilExit()
        }

        let sample = try cli.run(["sample-data", "resident-tax-notice", "-n", "5000", "--out", "full/taxpayers.csv"])
        #expect(sample.status == 1)
        #expect(sample.err.contains("cannot write full/taxpayers.csv: No space left on device"), "\(sample.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: full).isEmpty)

        #expect(try cli.run(["sample-data", "resident-tax-notice", "-n", "200", "--out", "in.csv"]).status == 0)
        let render = try cli.run(["render", "--form", "resident-tax-notice", "--data", "in.csv", "--out", "full/out"])
        #expect(render.status == 1)
        #expect(render.err.contains("No space left on device") && render.err.contains("full/"), "\(render.err)")
        #expect(!render.err.contains("NSCocoaErrorDomain"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: full).isEmpty)
        #expect((try cli.json(["spool", "list"]) as? [Any])?.isEmpty == true)
    }
}
