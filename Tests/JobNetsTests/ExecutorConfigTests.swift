import Foundation
import JobNets
import OperatorFiles
import Testing

/// `executors:` in nightjar.yaml and `executor:`, `cpus:`, `memory:` in nets: values and where problems are.
struct ExecutorConfigTests {
    func site(_ config: String, nets: [String: String] = [:]) throws -> Site {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        try config.write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
        for (n, text) in nets { try text.write(to: root.appendingPathComponent("Jobs/\(n).yaml"), atomically: true, encoding: .utf8) }
        return Site(root: root.path)
    }

    @Test func aSlurmExecutorIsRead() throws {
        let s = try site("""
            executors:
              hpc: { type: slurm, partition: batch, account: tax, qos: night, extra: ["--exclusive", "--constraint=ssd"], poll: 2s }
            """)
        let c = try SiteConfig.load(site: s)
        let hpc = try #require(c.executors["hpc"])
        #expect(hpc.kind == .slurm && hpc.partition == "batch" && hpc.account == "tax" && hpc.qos == "night")
        #expect(hpc.extra == ["--exclusive", "--constraint=ssd"] && hpc.poll == 2)
        #expect(c.executors["local"]?.kind == .local)
    }

    @Test func badExecutorsAreReportedWhereTheyAre() throws {
        let s = try site("""
            executors:
              hpc:
                type: slurmm
              two:
                type: slurm
                partition: "-x"
                extra: ["--job-name=mine", "exclusive"]
                poll: 10ms
              local: { type: slurm }
            """)
        do {
            _ = try SiteConfig.load(site: s)
            Issue.record("accepted")
        } catch let v as ValidationFailure {
            let found = v.diagnostics.map { "\($0.line):\($0.column) \($0.message)" }
            #expect(found.count == 6, "\(found)")
            #expect(found.contains { $0.hasPrefix("3:11 ") && $0.contains("type 'slurmm'") }, "\(found)")
            #expect(found.contains { $0.hasPrefix("6:16 ") && $0.contains("'partition'") }, "\(found)")
            #expect(found.contains { $0.hasPrefix("7:13 ") && $0.contains("'--job-name' is set by Nightjar") }, "\(found)")
            #expect(found.contains { $0.hasPrefix("7:32 ") && $0.contains("sbatch options") }, "\(found)")
            #expect(found.contains { $0.hasPrefix("8:11 ") && $0.contains("at least 100ms") }, "\(found)")
            #expect(found.contains { $0.hasPrefix("9:3 ") && $0.contains("'local' is this machine's executor") }, "\(found)")
        }
    }

    @Test func jobsNameExecutorsCpusAndMemory() throws {
        let net = try JobNetLoader.parse("""
            name: n
            executor: hpc
            jobs:
              a: { run: [x], cpus: 4, memory: 2G }
              b: { run: [x], executor: local, memory: "512" }
            """, file: "Jobs/n.yaml")
        #expect(net.executor == "hpc")
        let a = try #require(net.job(named: "a")), b = try #require(net.job(named: "b"))
        #expect(a.cpus == 4 && a.memoryMB == 2048 && net.executorName(of: a) == "hpc")
        #expect(b.memoryMB == 512 && net.executorName(of: b) == "local")
        do {
            _ = try JobNetLoader.parse("name: n\njobs:\n  a: { run: [x], cpus: 0, memory: lots }\n", file: "Jobs/n.yaml")
            Issue.record("accepted")
        } catch let v as ValidationFailure {
            #expect(v.diagnostics.count == 2)
            #expect(v.diagnostics.contains { $0.message.contains("'cpus'") && $0.column == 24 })
            #expect(v.diagnostics.contains { $0.message.contains("'memory' must be a size") && $0.column == 35 })
        }
    }

    @Test func anUnknownExecutorIsReportedAtItsName() throws {
        let s = try site("executors:\n  hpc: { type: slurm }\n", nets: ["n": """
            name: n
            jobs:
              a:
                run: [x]
                executor: hpcc
              b:
                run: [x]
            """])
        let problems = s.validate(paths: []).problems
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == 5 && problems.first?.column == 15, "\(problems)")
        #expect(problems.first?.message.contains("unknown executor 'hpcc'") == true)
        #expect(problems.first?.message.contains("did you mean 'hpc'") == true)
    }
}
