import Foundation
import Slurm
import Testing

extension SlurmSuites {
    /// `render --shards N --executor hpc` on the real two-node cluster: the output byte for byte that
    /// of a one-machine render of the same notices, both nodes used (Slurm's completion records), a
    /// shard that fails once submitted again alone, one that always fails failing the render with no
    /// batch and nothing left, and a job net step that renders sharded.
    @Suite struct ShardedRenderTests {
        /// A site (nightjar.yaml with `hpc`, the repository's forms) with 20,000 and 2,000 sample
        /// notices, each rendered once on this machine as the reference.
        struct Fixture: Sendable {
            var root: String
            var cluster: SlurmCluster.Started

            func write(_ path: String, _ text: String) throws {
                let url = URL(fileURLWithPath: "\(root)/\(path)")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
        }

        static let shared: Result<Fixture, ShardFixtureError> = {
            do {
                let c = try SlurmCluster.get()
                // Inside the cluster's directory, which goes when the test process ends.
                let f = Fixture(root: "\(c.directory)/sites/shards-\(UUID().uuidString)", cluster: c)
                try f.write("nightjar.yaml", "executors:\n  hpc: { type: slurm, partition: main, poll: 200ms }\n")
                try FileManager.default.createSymbolicLink(atPath: "\(f.root)/Forms",
                                                           withDestinationPath: SlurmCluster.repository.appendingPathComponent("Forms").path)
                for (n, file) in [(20_000, "big.csv"), (2_000, "small.csv")] {
                    let r = try nightjar(f, ["sample-data", "resident-tax-notice", "-n", String(n), "--out", file])
                    guard r.status == 0 else { throw ShardFixtureError(description: "sample-data: \(r.err)") }
                }
                for (file, out, pages) in [("big.csv", "ref-big", "2000"), ("small.csv", "ref-small", "250")] {
                    let r = try nightjar(f, ["render", "--form", "resident-tax-notice", "--data", file, "--out", out, "--volume-pages", pages])
                    guard r.status == 0 else { throw ShardFixtureError(description: "local render: \(r.err)") }
                }
                return .success(f)
            } catch let e as ShardFixtureError {
                return .failure(e)
            } catch {
                return .failure(ShardFixtureError(description: "\(error)"))
            }
        }()

        static func fixture() throws -> Fixture { try shared.get() }

        /// `nightjar ARGS` in the site root against the test cluster; stdout and stderr through files.
        static func nightjar(_ f: Fixture, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: SlurmSite.supervisor).deletingLastPathComponent().appendingPathComponent("nightjar")
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: f.root)
            var env = f.cluster.environment
            env["NIGHTJAR_STATE"] = "\(f.root)/.nightjar"
            env["NIGHTJAR_USER"] = "test-operator"
            p.environment = env
            let tag = UUID().uuidString
            let outURL = URL(fileURLWithPath: "/tmp/nj-shard-test-\(tag).out"), errURL = URL(fileURLWithPath: "/tmp/nj-shard-test-\(tag).err")
            FileManager.default.createFile(atPath: outURL.path, contents: nil)
            FileManager.default.createFile(atPath: errURL.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
            p.standardOutput = try FileHandle(forWritingTo: outURL)
            p.standardError = try FileHandle(forWritingTo: errURL)
            try p.run()
            p.waitUntilExit()
            return (p.terminationStatus, (try? String(contentsOf: outURL, encoding: .utf8)) ?? "", (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        }

        /// Every file of both directories, compared byte for byte: the differences, or [] when identical.
        static func differences(_ f: Fixture, _ a: String, _ b: String) -> [String] {
            let fm = FileManager.default
            let pa = "\(f.root)/\(a)", pb = "\(f.root)/\(b)"
            let la = ((try? fm.contentsOfDirectory(atPath: pa)) ?? []).sorted(), lb = ((try? fm.contentsOfDirectory(atPath: pb)) ?? []).sorted()
            guard la == lb, !la.isEmpty else { return ["files differ: \(la) against \(lb)"] }
            return la.filter { fm.contents(atPath: "\(pa)/\($0)") != fm.contents(atPath: "\(pb)/\($0)") }
        }

        /// A wrapper for `--node-binary`: task `task` fails with exit 7 (once, or every time), every
        /// other runs the real nightjar.
        static func failingWrapper(_ f: Fixture, task: Int, once: Bool) throws -> String {
            let tag = UUID().uuidString.prefix(8)
            let path = "\(f.root)/fail-\(tag).sh", marker = "\(f.root)/failed-\(tag)"
            let real = URL(fileURLWithPath: SlurmSite.supervisor).deletingLastPathComponent().appendingPathComponent("nightjar").path
            let condition = once ? "[ \"$SLURM_ARRAY_TASK_ID\" = \(task) ] && mkdir '\(marker)' 2>/dev/null"
                                 : "[ \"$SLURM_ARRAY_TASK_ID\" = \(task) ]"
            try "#!/bin/sh\nif \(condition); then echo \"shard \(task) made to fail\" >&2; exit 7; fi\nexec '\(real)' \"$@\"\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }

        /// The array job id the render printed ("Slurm array job 42").
        static func arrayID(_ text: String) -> String? {
            guard let r = text.range(of: "Slurm array job ") else { return nil }
            return String(text[r.upperBound...].prefix { $0.isNumber })
        }

        /// Slurm's completion records of one array job's tasks.
        static func records(_ f: Fixture, array: String) -> [SlurmJob] {
            f.cluster.completions().values.flatMap { $0 }.filter { $0.arrayJobID == array }
        }

        static func noStaging(_ f: Fixture) -> Bool {
            !((try? FileManager.default.contentsOfDirectory(atPath: f.root)) ?? []).contains { $0.contains(".shards-") }
        }

        static func batches(_ f: Fixture) throws -> [[String: Any]] {
            let r = try nightjar(f, ["spool", "list", "--json"])
            return (try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]]) ?? []
        }

        @Test func twentyThousandNoticesOverBothNodesAreByteIdenticalToTheLocalRender() throws {
            let f = try Self.fixture()
            let r = try Self.nightjar(f, ["render", "--form", "resident-tax-notice", "--data", "big.csv", "--out", "sharded-big",
                                          "--volume-pages", "2000", "--shards", "2", "--executor", "hpc", "--jobs", "2"])
            #expect(r.status == 0, "\(r.err)")
            #expect(Self.differences(f, "ref-big", "sharded-big") == [])
            #expect(r.out.contains("20000 records = 20000 rendered + 0 rejected"), "\(r.out)")
            // Slurm's own records: one task per shard, one on each node (two CPUs each, --jobs 2).
            let array = try #require(Self.arrayID(r.out), "\(r.out)")
            let tasks = Self.records(f, array: array)
            #expect(tasks.count == 2 && tasks.allSatisfy { $0.state == "COMPLETED" }, "\(tasks)")
            #expect(Set(tasks.compactMap(\.node)) == ["n1", "n2"], "\(tasks)")
            #expect(Self.noStaging(f))
            #expect(try Self.batches(f).contains { ($0["directory"] as? String)?.hasSuffix("sharded-big") == true && $0["state"] as? String == "rendered" })
        }

        @Test func aShardThatFailsOnceIsSubmittedAgainAloneAndTheOutputIsStillIdentical() throws {
            let f = try Self.fixture()
            let wrapper = try Self.failingWrapper(f, task: 1, once: true)
            let r = try Self.nightjar(f, ["render", "--form", "resident-tax-notice", "--data", "small.csv", "--out", "retried",
                                          "--volume-pages", "250", "--shards", "3", "--executor", "hpc", "--node-binary", wrapper])
            #expect(r.status == 0, "\(r.err)")
            #expect(Self.differences(f, "ref-small", "retried") == [])
            #expect(r.err.contains("task 1 failed"), "\(r.err)")
            #expect(r.out.contains("1 submitted again"), "\(r.out)")
            // The first array: task 1 FAILED (exit 7), the others completed; the second array holds task 1 alone.
            let first = try #require(Self.arrayID(r.out), "\(r.out)")
            let tasks = Self.records(f, array: first)
            #expect(tasks.first { $0.arrayTaskID == 1 }.map { $0.state == "FAILED" && $0.exitCode == 7 } == true, "\(tasks)")
            #expect(tasks.filter { $0.arrayTaskID != 1 }.allSatisfy { $0.state == "COMPLETED" } && tasks.count == 3, "\(tasks)")
            let again = r.err.components(separatedBy: "submitted again as Slurm job ").dropFirst().first.map { String($0.prefix { $0.isNumber }) }
            let retry = Self.records(f, array: try #require(again, "\(r.err)"))
            #expect(retry.map(\.arrayTaskID) == [1] && retry.first?.state == "COMPLETED", "\(retry)")
        }

        @Test func aShardThatAlwaysFailsFailsTheRenderNamingItAndLeavesNoBatch() throws {
            let f = try Self.fixture()
            let before = try Self.batches(f).count
            let wrapper = try Self.failingWrapper(f, task: 1, once: false)
            let r = try Self.nightjar(f, ["render", "--form", "resident-tax-notice", "--data", "small.csv", "--out", "failed",
                                          "--volume-pages", "250", "--shards", "2", "--executor", "hpc", "--shard-tries", "2",
                                          "--node-binary", wrapper])
            #expect(r.status == 1, "\(r.err)")
            #expect(r.err.contains("shard 1 of 2 failed 2 times"), "\(r.err)")
            #expect(r.err.contains("FAILED (NonZeroExitCode), exit 7: shard 1 made to fail"), "\(r.err)")
            #expect(!FileManager.default.fileExists(atPath: "\(f.root)/failed"))
            #expect(Self.noStaging(f))
            #expect(try Self.batches(f).count == before)
        }

        @Test func aJobNetStepRendersSharded() throws {
            let f = try Self.fixture()
            try f.write("Jobs/shardnight.yaml", """
                name: shardnight
                jobs:
                  render:
                    run: ["${NIGHTJAR_BIN}", render, --form, resident-tax-notice, --data, small.csv, --out, netout,
                          --volume-pages, "250", --shards, "2", --executor, hpc]
                """)
            let r = try Self.nightjar(f, ["run", "shardnight", "--date", "2026-06-10"])
            #expect(r.status == 0, "\(r.out)\(r.err)")
            #expect(Self.differences(f, "ref-small", "netout") == [])
            let log = try Self.nightjar(f, ["log", "shardnight", "render"])
            #expect(log.out.contains("2 shards on"), "\(log.out)\(log.err)")
            #expect(Self.noStaging(f))
        }
    }
}

struct ShardFixtureError: Error, CustomStringConvertible { var description: String }
