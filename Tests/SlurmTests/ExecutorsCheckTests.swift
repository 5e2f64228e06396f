import Foundation
import LiveHTTP
import Testing

extension SlurmSuites {
    /// `nightjar executors check` against the test cluster: every finding ok for a good executor, the
    /// refusal named for a bad partition (exit 1), and the check in the audit trail.
    @Suite struct ExecutorsCheckTests {
        func check(_ site: SlurmSite, _ args: [String]) throws -> (Int32, String) {
            try TestProcess.merged(TestProcess.nightjar, ["executors", "check"] + args + ["--root", site.root.path, "--state", site.root.appendingPathComponent(".nightjar").path],
                                   environment: site.cluster.environment)
        }

        @Test func aGoodExecutorPassesEveryCheckAndABadPartitionFails() throws {
            let c = try SlurmCluster.get()
            let t = try SlurmSite([:], cluster: c)
            let (ok, text) = try check(t, [])
            #expect(ok == 0, "\(text)")
            #expect(!text.contains("FAIL"), "\(text)")
            #expect(text.contains("the site root is shared"), "\(text)")
            #expect(text.contains("completion records readable here"), "\(text)")
            try t.write("nightjar.yaml", "executors:\n  hpc: { type: slurm, partition: nosuch }\n")
            let (bad, badText) = try check(t, ["hpc", "--no-job"])
            #expect(bad == 1, "\(badText)")
            #expect(badText.contains("FAIL sbatch --test-only refuses the executor's options: invalid partition"), "\(badText)")
            let (unknown, _) = try check(t, ["nope"])
            #expect(unknown == 2)
            #expect(try t.store.audit().filter { $0.action == "executors-check" }.count == 2)
        }
    }
}
