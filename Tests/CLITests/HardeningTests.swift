import Foundation
import Testing

/// The real binary on bad input (issue 11): exit 2 with a clear message, never a crash, a silent cut
/// or a silent acceptance.
@Suite struct HardeningTests {
    @Test func aTwentyThousandJobCycleIsReportedNotACrash() throws {
        var text = "name: big\njobs:\n"
        for i in 0..<20_000 { text += "  j\(i): { run: [\"true\"], needs: [j\((i + 19_999) % 20_000)] }\n" }
        let cli = try CLI(["big": text])
        let r = try cli.run(["validate"])
        #expect(r.status == 2, "\(r.err)")
        #expect(r.out.contains("the jobs depend on each other in a cycle"))
    }

    @Test func netArgumentsAreNamesNeverPaths() throws {
        let cli = try CLI(["here": "name: here\njobs:\n  a: { shell: 'touch here.ran' }\n"])
        try cli.write("../other-\(cli.root.lastPathComponent)/Jobs/x.yaml", "name: x\njobs:\n  a: { shell: 'touch ran' }\n")
        let outside = "../../other-\(cli.root.lastPathComponent)/Jobs/x"
        let r = try cli.run(["run", outside])
        #expect(r.status == 2)
        #expect(r.err.contains("is a path, but NET is the name of a net in this site's Jobs/"), "\(r.err)")
        #expect(r.err.contains("known nets: here"))
        #expect(cli.read("../other-\(cli.root.lastPathComponent)/ran") == nil)
        for verb in [["next", "Jobs/here"], ["status", "../x"], ["history", "--net", "/etc/x"], ["log", "x/y", "a"],
                     ["hold", "../x"], ["release", "../x", "a"], ["skip", "../x", "a"], ["kill", "../x"], ["run", "here.yaml"]] {
            let v = try cli.run(verb)
            #expect(v.status == 2, "\(verb): \(v)")
            #expect(v.err.contains("NET is the name of a net"), "\(verb): \(v.err)")
        }
        #expect(try cli.run(["run", "Jobs/here"]).err.contains("did you mean `here`?"))
    }

    @Test func errorMessagesNeverPrintControlCharactersRaw() throws {
        let cli = try CLI(["e": "name: e\njobs:\n  \"a\\e]0;pwned\\u0007\\nb\": { run: [\"true\"] }\n"])
        let v = try cli.run(["validate"])
        #expect(v.status == 2)
        #expect(!v.out.contains("\u{1B}") && !v.out.contains("\u{07}"))
        #expect(v.out.contains("'a\\u{1B}]0;pwned\\u{7}\\nb' is not a valid job name"), "\(v.out)")
        let r = try cli.run(["run", "x\u{1B}[2J\u{202E}"])
        #expect(r.status == 2)
        #expect(!r.err.contains("\u{1B}") && !r.err.contains("\u{202E}"), "\(r.err)")
        #expect(r.err.contains("x\\u{1B}[2J\\u{202E}"))
        let log = try cli.run(["log", "e", "job\nforged: line"])
        #expect(!log.err.dropLast().contains("\n"), "\(log.err)")
    }

    @Test func aHoldRefusedOnARunningJobExitsTwo() throws {
        let cli = try CLI(["h": "name: h\njobs:\n  a: { shell: 'sleep 30' }\n  b: { needs: [a], shell: 'true' }\n"])
        let run = try cli.start(["run", "h"])
        defer { if run.isRunning { kill(run.processIdentifier, SIGKILL) } }
        #expect(try waitFor(15) { (try cli.run(["status", "h"])).out.contains("running") })
        let hold = try cli.run(["hold", "h", "a"])
        #expect(hold.status == 2, "\(hold)")
        #expect(hold.err.contains("error: a is running; only a waiting job can be held"), "\(hold)")
        let ok = try cli.run(["hold", "h", "b"])
        #expect(ok.status == 0, "\(ok)")
        #expect(try cli.run(["kill", "h"]).status == 0)
        run.waitUntilExit()
    }

    @Test func statusOfAnUnknownNetIsAnErrorForScriptsToo() throws {
        let cli = try CLI(["real": "name: real\njobs:\n  a: { run: [\"true\"] }\n"])
        for args in [["status", "nosuch", "--json"], ["status", "nosuch"]] {
            let r = try cli.run(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.err.contains("no net named 'nosuch'") && r.err.contains("known nets: real"), "\(r.err)")
            #expect(r.out.isEmpty)
        }
        // A real net that has not run yet is not an error for scripts: null.
        let real = try cli.run(["status", "real", "--json"])
        #expect(real.status == 0 && real.out == "null\n")
        #expect(try cli.run(["status", "--run", "99", "--json"]).status == 2)
    }

    @Test func ymlNetsAreRefusedEverywhereWithAHint() throws {
        let cli = try CLI([:])
        try cli.write("Jobs/y.yml", "name: y\njobs:\n  a: { shell: 'touch ran' }\n")
        let v = try cli.run(["validate"])
        #expect(v.status == 2)
        #expect(v.out.contains("Jobs/y.yml:1:1: error: Nightjar reads nets and calendars from .yaml files only; rename this file to Jobs/y.yaml"))
        let r = try cli.run(["run", "y"])
        #expect(r.status == 2)
        #expect(r.err.contains("rename it to Jobs/y.yaml"), "\(r.err)")
        #expect(cli.read("ran") == nil)
    }

    @Test func badValuesAreRefusedBeforeAnythingRuns() throws {
        let cli = try CLI([
            "nul": "name: nul\njobs:\n  a: { run: [sh, -c, \"touch ran\\0; echo cut\"] }\n",
            "envname": "name: envname\njobs:\n  a: { run: [\"true\"], env: { \"A=B\": x } }\n",
            "zero": "name: zero\njobs:\n  a: { run: [\"true\"], timeout: 0s }\n",
            "huge": "name: huge\njobs:\n  a: { run: [\"true\"], timeout: 99999999999999999999d }\n",
        ])
        let v = try cli.run(["validate"])
        #expect(v.status == 2)
        #expect(v.out.contains("Jobs/nul.yaml:3:22: error: this 'run' argument contains a NUL character"), "\(v.out)")
        #expect(v.out.contains("Jobs/envname.yaml:3:30: error: 'A=B' is not a valid environment variable name"), "\(v.out)")
        #expect(v.out.contains("Jobs/zero.yaml:3:32: error: 'timeout' is zero"), "\(v.out)")
        #expect(v.out.contains("Jobs/huge.yaml:3:32: error: 'timeout' '99999999999999999999d' is longer than Nightjar accepts; durations go up to 366d"), "\(v.out)")
        #expect(try cli.run(["run", "nul"]).status == 2)
        #expect(cli.read("ran") == nil)
    }

    @Test func validateWarnsButPasses() throws {
        let cli = try CLI(["w": """
            name: w
            business_day_starts: "05:00"
            schedule: [{ at: "22:30" }]
            end_deadline: "22:00"
            jobs:
              a: { run: [Jobs/bin/missing, x] }
              b: { run: [no-such-program-nightjar] }
              c: { run: ["${NIGHTJAR_BIN}", validate] }
              d: { run: [sh, -c, "true"] }
              e: { run: [Jobs/bin/plain] }
            """])
        try cli.write("Jobs/bin/plain", "#!/bin/sh\n")
        try cli.write("nightjar.yaml", "notify: [Jobs/bin/notify-nobody]\n")
        let r = try cli.run(["validate"])
        #expect(r.status == 0, "\(r)")
        #expect(r.out.contains("Jobs/w.yaml:6:14: warning: job 'a': the program Jobs/bin/missing does not exist"), "\(r.out)")
        #expect(r.out.contains("Jobs/w.yaml:7:14: warning: job 'b': the program no-such-program-nightjar is not on PATH"), "\(r.out)")
        #expect(r.out.contains("Jobs/w.yaml:10:14: warning: job 'e': the program Jobs/bin/plain is not executable"), "\(r.out)")
        #expect(r.out.contains("Jobs/w.yaml:4:15: warning: 'end_deadline' 22:00 comes before the 22:30 start it guards"), "\(r.out)")
        #expect(r.out.contains("nightjar.yaml:1:10: warning: 'notify': the program Jobs/bin/notify-nobody does not exist"), "\(r.out)")
        #expect(!r.out.contains("job 'c'") && !r.out.contains("job 'd'"))
        #expect(r.out.contains("1 job net valid: w"))
        let j = try cli.json(["validate"]) as? [String: Any]
        #expect(j?["valid"] as? Bool == true)
        #expect((j?["problems"] as? [[String: Any]])?.allSatisfy { $0["severity"] as? String == "warning" } == true)
    }

    @Test func tablesNameTheirZoneAndJSONCarriesTheOffset() throws {
        let cli = try CLI(["t": "name: t\njobs:\n  a: { run: [\"true\"] }\n"])
        #expect(try cli.run(["run", "t", "-q"]).status == 0)
        #expect(try cli.run(["status", "t"]).out.contains("STARTED (JST)"))
        #expect(try cli.run(["history"]).out.contains("STARTED (JST)"))
        #expect(try cli.run(["audit"]).out.hasPrefix("AT (JST)"))
        let started = (try cli.json(["status", "t"]) as? [String: Any])?["started_at"] as? String ?? ""
        #expect(started.hasSuffix("+09:00"), "\(started)")
        try cli.write("nightjar.yaml", "timezone: UTC\n")
        #expect(try cli.run(["history"]).out.contains("STARTED (UTC)"))
        #expect(((try cli.json(["history"]) as? [[String: Any]])?.first?["started_at"] as? String ?? "").hasSuffix("Z"))
    }

    @Test func theDaemonAlertsOnceWhenANetFileStopsLoading() throws {
        let cli = try CLI(["n": "name: n\njobs:\n  a: { run: [\"true\"] }\n"])
        let daemon = try cli.start(["daemon"], stderr: cli.root.appendingPathComponent("daemon.log"))
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        #expect(try waitFor(10) { cli.read("daemon.log")?.contains("daemon started") == true })
        func alerts() throws -> [[String: Any]] {
            (try cli.json(["alerts"]) as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "net-invalid" }
        }
        try cli.write("Jobs/n.yaml", "name: n\njobs:\n  a: { run: [\"true\"], timeout: soon }\n")
        #expect(try waitFor(15) { try alerts().count == 1 }, "\(cli.read("daemon.log") ?? "")")
        let first = try alerts().first
        #expect(first?["net"] as? String == "n")
        #expect((first?["message"] as? String)?.contains("Jobs/n.yaml:3:32: error:") == true, "\(String(describing: first))")
        #expect((first?["message"] as? String)?.contains("keeps running its last good definition") == true)
        sleep(6)   // one more reload: the same problem is not alerted again
        #expect(try alerts().count == 1)
        try cli.write("Jobs/n.yaml", "name: n\njobs:\n  a: { run: [\"true\"], needs: [zz] }\n")
        #expect(try waitFor(15) { try alerts().count == 2 })
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
    }
}
