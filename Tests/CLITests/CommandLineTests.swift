import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test func validateReportsPositionsAndExitsTwo() throws {
        let cli = try CLI(["bad": "name: bad\njobs:\n  a:\n    run: [true]\n    needs: [b]\n"])
        let r = try cli.run(["validate"])
        #expect(r.status == 2)
        #expect(r.out.contains("Jobs/bad.yaml:5:13: error: job 'a' needs 'b', which is not a job of this net"))
        let j = try cli.json(["validate"]) as? [String: Any]
        #expect(j?["valid"] as? Bool == false)
    }

    @Test func anInvalidNetNeverRuns() throws {
        let cli = try CLI(["bad": "name: bad\njobs:\n  a:\n    shell: 'touch ran'\n    timeout: soon\n"])
        let r = try cli.run(["run", "bad"])
        #expect(r.status == 2)
        #expect(r.err.contains("Jobs/bad.yaml:5:14"))
        #expect(cli.read("ran") == nil)
    }

    @Test func runExitCodesFollowTheRunState() throws {
        let cli = try CLI([
            "ok": "name: ok\njobs:\n  a: { run: [sh, -c, 'exit 1'], exit: { warning: '1' } }\n",
            "ng": "name: ng\njobs:\n  a: { run: [sh, -c, 'echo to-the-log; exit 7'] }\n",
        ])
        #expect(try cli.run(["run", "ok", "-q"]).status == 0)
        let ng = try cli.run(["run", "ng", "--date", "2026-01-05"])
        #expect(ng.status == 1)
        #expect(ng.out.contains("ended abnormal"))
        #expect(try cli.run(["log", "ng", "a"]).out == "to-the-log\n")
        let status = try cli.json(["status", "ng"]) as? [String: Any]
        #expect(status?["business_date"] as? String == "2026-01-05")
        #expect((status?["jobs"] as? [[String: Any]])?.first?["exit_code"] as? Int == 7)
    }

    @Test func usageErrorsExitTwo() throws {
        let cli = try CLI([:])
        #expect(try cli.run(["run"]).status == 2)
        #expect(try cli.run(["run", "nosuch"]).status == 2)
        #expect(try cli.run(["run", "nosuch"]).err.contains("no such job net"))
        #expect(try cli.run(["rerun", "1"]).status == 2)
        #expect(try cli.run(["frobnicate"]).status == 2)
        #expect(try cli.run(["--help"]).status == 0)
    }

    /// A daemon and an operator's first verb may open a new state directory at the same moment.
    @Test func processesOpeningANewStateDirectoryTogetherAllSucceed() throws {
        let cli = try CLI(["n": "name: n\njobs:\n  a: { shell: 'true' }\n"])
        let procs = (0..<6).map { cli.process($0 % 2 == 0 ? ["status"] : ["run", "n", "--queue"]) }
        for p in procs {
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
        }
        for p in procs { p.waitUntilExit() }
        let statuses = procs.map(\.terminationStatus)
        #expect(statuses.count == 6)
        #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
    }

    @Test func stateFilesAreNotWorldReadable() throws {
        let cli = try CLI(["n": "name: n\njobs:\n  a: { shell: 'echo secret-ish' }\n"])
        #expect(try cli.run(["run", "n", "-q"]).status == 0)
        let logs = try #require(try cli.run(["log", "n", "a", "--path"]).out.split(separator: "\n").first.map(String.init))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: logs)[.posixPermissions] as? Int)
        #expect(mode & 0o007 == 0)
        for path in [cli.state, cli.state + "/nightjar.db", cli.state + "/logs"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode & 0o007 == 0, "\(path) is mode \(String(mode, radix: 8))")
        }
    }
}
