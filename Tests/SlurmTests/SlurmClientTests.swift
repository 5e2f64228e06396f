import Foundation
import Slurm
import Testing


extension SlurmSuites {
    /// The client against the real cluster: sbatch, the batched squeue, scancel, the completion file.
    @Suite struct SlurmClientTests {
        func submission(_ c: SlurmCluster.Started, _ name: String, _ argv: [String], dir: String, env: [String: String] = [:],
                        partition: String? = nil, memoryMB: Int? = nil) -> SlurmClient.Submission {
            SlurmClient.Submission(name: name, argv: argv, environment: c.environment.merging(env) { $1 }, workdir: dir,
                                   stdoutPath: "\(dir)/\(name).out", stderrPath: "\(dir)/\(name).err", timeLimit: 60,
                                   memoryMB: memoryMB, partition: partition)
        }

        func tempDir() throws -> String {
            let d = "\(try SlurmCluster.get().directory)/client/\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            return d
        }

        @Test func argvReachesTheJobLiterallyAndBothNodesTakeJobs() throws {
            let c = try SlurmCluster.get()
            let dir = try tempDir()
            let tag = UUID().uuidString.prefix(8)
            // Quotes, $, ;, backticks and a newline: the node's shell must see none of them as syntax.
            let tricky = "it's $HOME; `id` \"q\"\nline2"
            var ids: [String] = []
            for i in 0..<4 {
                let s = submission(c, "ct-\(tag)-\(i)", ["/usr/bin/printf", "%s|%s|%s", tricky, "${NIGHTJAR_X}", "node"], dir: dir,
                                   env: ["NIGHTJAR_X": "x\(i)"], memoryMB: 64)
                ids.append(try c.client.submit(s))
            }
            #expect(Set(ids).count == 4)
            var finished: [SlurmJob] = []
            #expect(try eventually(30) {
                finished = try c.client.jobs().filter { ids.contains($0.id) && $0.isTerminal }
                return finished.count == 4
            })
            #expect(finished.allSatisfy { $0.state == "COMPLETED" && $0.exitCode == 0 })
            // Two nodes, four jobs of one CPU each, two CPUs per node: both nodes are used.
            #expect(Set(finished.compactMap(\.node)) == ["n1", "n2"], "\(finished.map(\.node))")
            let out = try String(contentsOfFile: "\(dir)/ct-\(tag)-0.out", encoding: .utf8)
            #expect(out == "\(tricky)|${NIGHTJAR_X}|node")
            // The job's environment is exported; ${…} in argv is not expanded by anyone but Nightjar.
            let env = submission(c, "ct-\(tag)-env", ["/bin/sh", "-c", "printf %s \"$NIGHTJAR_X\""], dir: dir, env: ["NIGHTJAR_X": "exported"])
            let envID = try c.client.submit(env)
            #expect(try eventually(30) { try c.client.jobs().first { $0.id == envID }?.isTerminal == true })
            #expect(try String(contentsOfFile: "\(dir)/ct-\(tag)-env.out", encoding: .utf8) == "exported")
        }

        @Test func exitCodesAndTheCompletionRecordAgree() throws {
            let c = try SlurmCluster.get()
            let dir = try tempDir()
            let name = "ct-exit-\(UUID().uuidString.prefix(8))"
            let id = try c.client.submit(submission(c, name, ["/bin/sh", "-c", "echo out; echo err >&2; exit 7"], dir: dir))
            var job: SlurmJob?
            #expect(try eventually(30) {
                job = try c.client.jobs().first { $0.id == id && $0.isTerminal }
                return job != nil
            })
            #expect(job?.state == "FAILED")
            #expect(job?.exitCode == 7)
            #expect(try String(contentsOfFile: "\(dir)/\(name).out", encoding: .utf8) == "out\n")
            #expect(try String(contentsOfFile: "\(dir)/\(name).err", encoding: .utf8) == "err\n")
            #expect(try eventually(10) { c.completions()[name]?.count == 1 })
            let record = c.completions()[name]?.first
            #expect(record?.id == id)
            #expect(record?.exitCode == 7)
            #expect(record?.state == "FAILED")
        }

        @Test func aBadPartitionIsRejectedWithSlurmsMessage() throws {
            let c = try SlurmCluster.get()
            let dir = try tempDir()
            #expect {
                _ = try c.client.submit(submission(c, "ct-bad", ["/bin/true"], dir: dir, partition: "nosuch"))
            } throws: { error in
                guard case SlurmClient.SlurmError.rejected(let why)? = error as? SlurmClient.SlurmError else { return false }
                return why.contains("Invalid partition")
            }
            // Over the nodes' memory: also refused at submission, not left pending.
            #expect(throws: SlurmClient.SlurmError.self) {
                _ = try c.client.submit(submission(c, "ct-big", ["/bin/true"], dir: dir, memoryMB: 1_000_000))
            }
        }

        @Test func cancelIsConfirmedBySlurm() throws {
            let c = try SlurmCluster.get()
            let dir = try tempDir()
            let name = "ct-cancel-\(UUID().uuidString.prefix(8))"
            let id = try c.client.submit(submission(c, name, ["/bin/sleep", "300"], dir: dir))
            #expect(try eventually(30) { try c.client.jobs().first { $0.id == id }?.isRunning == true })
            try c.client.cancel(id)
            #expect(try eventually(30) { try c.client.jobs().first { $0.id == id }?.state == "CANCELLED" })
            // Cancelling again, once it has ended, is not an error.
            try c.client.cancel(id)
        }

        @Test func anSbatchInFlightIsSeenByItsName() throws {
            #expect(!SlurmClient.submissionInFlight(name: "no-such-\(UUID().uuidString)"))
            // A stand-in that carries the flag in its argv as sbatch would: a shell named sbatch that sleeps.
            let dir = try tempDir()
            let fake = "\(dir)/sbatch"
            try FileManager.default.createSymbolicLink(atPath: fake, withDestinationPath: "/bin/sh")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: fake)
            p.arguments = ["-c", "sleep 5; true", "--job-name=inflight-x"]
            try p.run()
            defer { p.terminate(); p.waitUntilExit() }
            #expect(try eventually(5) { SlurmClient.submissionInFlight(name: "inflight-x") })
            #expect(!SlurmClient.submissionInFlight(name: "inflight"))
        }

        @Test func batchScriptsQuoteEverything() {
            #expect(BatchScript.quote("a'b") == "'a'\\''b'")
            #expect(BatchScript.exec(["echo", "$X"]).hasSuffix("exec 'echo' '$X'\n"))
        }
    }
}
