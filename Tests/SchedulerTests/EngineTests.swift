import Foundation
import Testing
import GRDB
import JobNets
import Scheduler
import Store

@Suite(.serialized) struct EngineTests {
    @Test func jobsRunInDependencyOrderAndTheRunEndsNormal() throws {
        let t = try TestSite(["chain": """
            name: chain
            concurrency: 4
            jobs:
              c:
                needs: [b]
                shell: 'echo c >> order.txt'
              a:
                shell: 'sleep 0.2; echo a >> order.txt'
              b:
                needs: [a]
                shell: 'sleep 0.1; echo b >> order.txt'
            """])
        let (id, state) = try t.run("chain")
        #expect(state == .normal)
        #expect(t.read("order.txt") == "a\nb\nc\n")
        let jobs = try t.jobs(id)
        #expect(jobs.values.allSatisfy { $0.state == .normal && $0.attempts == 1 && $0.exitCode == 0 })
        let events = try t.store.events(ofRun: id).map(\.kind)
        #expect(events.first == "run.created")
        #expect(events.last == "run.normal")
        #expect(events.filter { $0 == "job.running" }.count == 3)
    }

    @Test func theConcurrencyLimitHolds() throws {
        // Eight independent jobs, limit 3: each records its start and end; overlap never exceeds 3.
        var jobs = ""
        for i in 1...8 {
            jobs += "  j\(i):\n    shell: 'echo \"+ $(date +%s.%N)\" >> log.txt; sleep 0.3; echo \"- $(date +%s.%N)\" >> log.txt'\n"
        }
        let t = try TestSite(["wide": "name: wide\nconcurrency: 3\njobs:\n" + jobs])
        let (_, state) = try t.run("wide")
        #expect(state == .normal)
        let lines = (t.read("log.txt") ?? "").split(separator: "\n")
        #expect(lines.count == 16)
        let points = lines.compactMap { l -> (Double, Int)? in
            let parts = l.split(separator: " ")
            guard parts.count == 2, let t = Double(parts[1]) else { return nil }
            return (t, parts[0] == "+" ? 1 : -1)
        }.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var now = 0, peak = 0
        for p in points { now += p.1; peak = max(peak, now) }
        #expect(peak == 3)
    }

    @Test func exitCodesAreJudgedAndRetriesFollowTheRule() throws {
        let t = try TestSite(["judge": """
            name: judge
            jobs:
              warn:
                run: [sh, -c, 'exit 2']
                exit: { warning: "1-3", abnormal: "4-" }
              flaky:
                shell: 'n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; [ $n -ge 3 ]'
                retry: { count: 3, delay: 1m, backoff: 2 }
              only-on-75:
                run: [sh, -c, 'exit 9']
                retry: { count: 3, delay: 10ms, on_exit: "75" }
                on_failure: continue
            """])
        // Virtual time: the minutes of retry delay pass without waiting.
        let clock = ManualTime()
        let (id, state) = try t.runVirtual("judge", clock: clock, tick: 5)
        let jobs = try t.jobs(id)
        #expect(jobs["warn"]?.state == .warning)
        #expect(jobs["warn"]?.exitCode == 2)
        #expect(jobs["flaky"]?.state == .normal)
        #expect(jobs["flaky"]?.attempts == 3)
        #expect(jobs["only-on-75"]?.state == .abnormal)
        #expect(jobs["only-on-75"]?.attempts == 1)
        // An abnormal end with on_failure: continue makes the run end with a warning, not abnormal.
        #expect(state == .warning)
        let attempts = try t.store.attempts(ofRun: id, job: "flaky")
        #expect(attempts.map(\.verdict) == ["abnormal", "abnormal", "normal"])
        // Backoff: 1m, then twice that; each retry became due only once its delay had passed on the clock.
        let events = try t.store.events(ofRun: id).filter { $0.job == "flaky" }
        #expect(events.filter { $0.kind == "job.retry-wait" }.compactMap(\.detail).map { $0.components(separatedBy: "retrying in ").last ?? "" }
                == ["1m", "2m"])
        #expect(events.filter { $0.kind == "job.retry-due" }.count == 2)
        #expect(clock.now() - 1_781_000_000 >= 180)
    }

    @Test func aTimeoutSendsTermThenKillAfterTheGrace() throws {
        let t = try TestSite(["slow": """
            name: slow
            jobs:
              stubborn:
                shell: 'trap "echo got-term" TERM; while true; do sleep 0.05; done'
                timeout: 500ms
                kill_grace: 500ms
              polite:
                shell: 'sleep 30'
                timeout: 300ms
            """])
        let (id, state) = try t.run("slow")
        #expect(state == .abnormal)
        let stubborn = try #require(try t.store.attempts(ofRun: id, job: "stubborn").first)
        #expect(stubborn.timedOut)
        #expect(stubborn.signal == 9)
        #expect(stubborn.message?.contains("timed out after 500ms") == true)
        #expect((stubborn.endedAt ?? 0) - stubborn.startedAt >= 0.95)
        #expect(try String(contentsOfFile: stubborn.stdoutPath ?? "", encoding: .utf8).contains("got-term"))
        let polite = try #require(try t.store.attempts(ofRun: id, job: "polite").first)
        #expect(polite.timedOut)
        #expect(polite.signal == 15)
    }

    @Test func aFailureBlocksOnlyWhatNeedsIt() throws {
        let t = try TestSite(["branches": """
            name: branches
            jobs:
              bad:
                run: [sh, -c, 'exit 4']
              after-bad:
                needs: [bad]
                shell: 'touch after-bad.ran'
              independent:
                shell: 'sleep 0.2; touch independent.ran'
              after-independent:
                needs: [independent]
                shell: 'touch after-independent.ran'
            """])
        let (id, state) = try t.run("branches")
        #expect(state == .abnormal)
        let jobs = try t.jobs(id)
        #expect(jobs["bad"]?.state == .abnormal)
        #expect(jobs["after-bad"]?.state == .notRun)
        #expect(jobs["after-independent"]?.state == .normal)
        #expect(t.read("after-bad.ran") == nil)
        #expect(t.read("after-independent.ran") != nil)
    }

    @Test func onFailureStopAndKill() throws {
        let t = try TestSite([
            "stopper": """
                name: stopper
                concurrency: 1
                jobs:
                  bad:
                    run: [sh, -c, 'exit 1']
                    on_failure: stop
                  other:
                    shell: 'touch other.ran'
                """,
            "killer": """
                name: killer
                concurrency: 2
                jobs:
                  long:
                    shell: 'sleep 20'
                  bad:
                    shell: 'sleep 0.3; exit 1'
                    on_failure: kill
                """,
        ])
        let (sid, sstate) = try t.run("stopper")
        #expect(sstate == .abnormal)
        #expect(try t.jobs(sid)["other"]?.state == .notRun)
        #expect(t.read("other.ran") == nil)
        let (kid, kstate) = try t.run("killer")
        #expect(kstate == .abnormal)
        let long = try #require(try t.store.attempts(ofRun: kid, job: "long").first)
        #expect(long.killed)
    }

    @Test func jobsSeeTheirVariablesAndArgvIsNeverAShell() throws {
        let t = try TestSite(["env": """
            name: env
            env: { CITY: 夜鷹市, NASTY: "$(touch pwned); `touch pwned2`" }
            jobs:
              show:
                run: [sh, -c, 'printf "%s|%s|%s|%s|%s|%s\\n" "$NIGHTJAR_NET" "$NIGHTJAR_JOB" "$NIGHTJAR_DATE" "$NIGHTJAR_RUN_ID" "$CITY" "$1" > vars.txt', sh, "${NASTY}"]
            """])
        let (id, state) = try t.run("env", date: "2026-06-10")
        #expect(state == .normal)
        #expect(t.read("vars.txt") == "env|show|2026-06-10|\(id)|夜鷹市|$(touch pwned); `touch pwned2`\n")
        #expect(t.read("pwned") == nil && t.read("pwned2") == nil)
    }

    @Test func aFileWaitEndsWhenTheFileStopsGrowingOrTimesOut() throws {
        let t = try TestSite([
            "arrive": """
                name: arrive
                jobs:
                  wait:
                    wait_for: { path: "inbox/${NIGHTJAR_DATE}.csv", stable: 10s, interval: 1s }
                    timeout: 2h
                """,
            "never": """
                name: never
                jobs:
                  wait:
                    wait_for: { path: inbox/never.csv, stable: 10s, interval: 1s }
                    timeout: 30m
                """,
        ])
        // On virtual time: the file appears, grows, and must then stay the same size for 10 s.
        let clock = ManualTime()
        let e = Engine(store: t.store, site: t.site, config: SiteConfig(), supervisorPath: TestSite.supervisor, clock: clock)
        let id = try e.startRun(net: try t.site.loadNet("arrive"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        func at(_ seconds: Double) throws -> String? {
            clock.advance(by: seconds)
            _ = try e.step()
            return try t.jobs(id)["wait"]?.state.rawValue
        }
        #expect(try at(0) == "running")
        #expect(try at(60) == "running")                 // nothing there after a minute
        try t.write("inbox/2026-06-10.csv", "a\n")
        #expect(try at(1) == "running")                  // seen; its size is watched
        #expect(try at(5) == "running")
        try t.write("inbox/2026-06-10.csv", "a\nb\nc\n")
        #expect(try at(6) == "running")                  // it grew: the 10 s start again
        #expect(try at(6) == "running")
        #expect(try at(5) == "normal")                   // 11 s unchanged
        #expect(try t.jobs(id)["wait"]?.message?.contains("arrived") == true)
        #expect(e.isActive(id) == false)

        let nid = try e.startRun(net: try t.site.loadNet("never"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        _ = try e.step()
        clock.advance(by: 29 * 60)
        _ = try e.step()
        #expect(try t.jobs(nid)["wait"]?.state == .running)
        clock.advance(by: 61)
        _ = try e.step()
        #expect(try t.jobs(nid)["wait"]?.state == .abnormal)
        #expect(try t.jobs(nid)["wait"]?.message?.contains("did not arrive") == true)
    }

    @Test func runFromAJobSkipsTheOthers() throws {
        let t = try TestSite(["chain": """
            name: chain
            jobs:
              a: { shell: 'touch a' }
              b: { needs: [a], shell: 'touch b' }
              c: { needs: [b], shell: 'touch c' }
            """])
        let (id, state) = try t.run("chain", from: "b")
        #expect(state == .normal)
        #expect(t.read("a") == nil && t.read("b") != nil && t.read("c") != nil)
        #expect(try t.jobs(id)["a"]?.state == .skipped)
    }

    @Test func aCommandThatCannotStartIsAbnormalWithTheReason() throws {
        let t = try TestSite(["missing": "name: missing\njobs:\n  a:\n    run: [Jobs/bin/does-not-exist]\n"])
        let (id, state) = try t.run("missing")
        #expect(state == .abnormal)
        #expect(try t.jobs(id)["a"]?.message?.contains("cannot start Jobs/bin/does-not-exist: No such file or directory") == true)
    }

    @Test func aKilledProcessGroupIsRecordedAndTheRunEnds() throws {
        let t = try TestSite(["victim": """
            name: victim
            jobs:
              victim:
                shell: 'echo $$ > pgid; sleep 30 & sleep 30; wait'
              next:
                needs: [victim]
                shell: 'true'
            """])
        let net = try t.site.loadNet("victim")
        let e = t.engine()
        let id = try e.startRun(net: net, date: LocalDateParse("2026-06-10"), trigger: "manual")
        let killer = Thread {
            var pgid: Int32?
            for _ in 0..<200 where pgid == nil {
                pgid = t.read("pgid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                usleep(20_000)
            }
            if let pgid { kill(-pgid, SIGKILL) }
        }
        killer.start()
        let state = try e.runToEnd(id)
        #expect(state == .abnormal)
        let a = try #require(try t.store.attempts(ofRun: id, job: "victim").first)
        #expect(a.signal == 9)
        #expect(a.message?.contains("ended by signal 9") == true)
        #expect(try t.jobs(id)["next"]?.state == .notRun)
    }

    /// A log directory that runs out of space: a small tmpfs where this machine lets us mount one,
    /// otherwise a log file that is a link to /dev/full (every write fails with ENOSPC).
    @Test func aFullLogDiskEndsTheJobAbnormallyWithAClearMessage() throws {
        let t = try TestSite(["noisy": """
            name: noisy
            jobs:
              noisy:
                shell: 'head -c 2000000 /dev/zero | tr "\\0" x; echo; echo finished'
              after:
                needs: [noisy]
                shell: 'true'
            """])
        let logs = t.root.appendingPathComponent("logs-tmpfs").path
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let mounted = shell("mount -t tmpfs -o size=256k nightjar-test \(logs)") == 0
        defer { if mounted { _ = shell("umount \(logs)") } }
        try t.write("nightjar.yaml", "logs: \(logs)\n")
        let config = try SiteConfig.load(site: t.site)
        let e = t.engine(config: config)
        let id = try e.startRun(net: try t.site.loadNet("noisy"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        if !mounted {
            try FileManager.default.createDirectory(atPath: "\(logs)/noisy/\(id)", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: "\(logs)/noisy/\(id)/noisy.1.out", withDestinationPath: "/dev/full")
        }
        let state = try e.runToEnd(id)
        #expect(state == .abnormal)
        let job = try #require(try t.jobs(id)["noisy"])
        #expect(job.state == .abnormal)
        #expect(job.message?.contains("cannot write the job log") == true)
        #expect(job.message?.contains("No space left on device") == true)
        #expect(try t.jobs(id)["after"]?.state == .notRun)
        // The database is consistent: the run ended, no attempt is left open, the events close the run.
        let open = try t.store.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM attempts WHERE state = 'running'") }
        #expect(open == 0)
        #expect(try t.store.events(ofRun: id).last { $0.kind.hasPrefix("run.") }?.kind == "run.abnormal")
        let check = try t.store.db.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
    }

    @Test func operatorCommandsReachTheOwningEngine() throws {
        let t = try TestSite(["ops": """
            name: ops
            concurrency: 2
            jobs:
              first: { shell: 'sleep 0.3' }
              second: { needs: [first], shell: 'touch second.ran' }
              long: { shell: 'sleep 30' }
              broken: { run: [sh, -c, 'exit 5'] }
              fixed: { needs: [broken], shell: 'touch fixed.ran' }
            """])
        let e = t.engine()
        let id = try e.startRun(net: try t.site.loadNet("ops"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        let control = RunControl(store: t.store, site: t.site, config: SiteConfig(), user: "tanaka")
        let run = try #require(try t.store.run(id))
        // Commands are queued (the owner is this very process, so wait: 0) and applied by the next step.
        _ = try control.command("hold", run: run, job: "second", reason: "check the extract first", wait: 0)
        try e.step()
        #expect(try t.jobs(id)["second"]?.held == true)
        #expect(try eventually { try e.step(); return try t.jobs(id)["broken"]?.state == .abnormal })
        _ = try control.command("skip", run: run, job: "broken", reason: "fixed by hand", wait: 0)
        _ = try control.command("kill", run: run, job: "long", reason: "hung", wait: 0)
        #expect(try eventually { try e.step(); return try t.jobs(id)["long"]?.state == .abnormal })
        #expect(try eventually { try e.step(); return try t.jobs(id)["fixed"]?.state == .normal })
        // second is held though first has ended: the run stays open until it is released.
        #expect(try eventually(1) { try e.step(); return try t.jobs(id)["first"]?.state == .normal })
        try e.step()
        #expect(try t.store.run(id)?.state == .running)
        _ = try control.command("release", run: run, job: "second", reason: nil, wait: 0)
        let state = try e.runToEnd(id)
        #expect(t.read("second.ran") != nil)
        #expect(try t.jobs(id)["broken"]?.state == .skipped)
        #expect(try t.store.attempts(ofRun: id, job: "long").first?.killed == true)
        #expect(state == .abnormal)   // long was killed
        let audit = try t.store.audit()
        #expect(Set(audit.map(\.action)) == ["hold", "skip", "kill", "release"])
        #expect(audit.allSatisfy { $0.user == "tanaka" && $0.runID == id && $0.result != nil })
        #expect(audit.first { $0.action == "hold" }?.reason == "check the extract first")
    }

    @Test func rerunFromAFailedJobUnderTheSameRun() throws {
        let t = try TestSite(["fix": """
            name: fix
            jobs:
              a: { shell: 'echo a >> ran.txt' }
              b: { needs: [a], shell: 'echo b >> ran.txt; [ -f fixed ]' }
              c: { needs: [b], shell: 'echo c >> ran.txt' }
            """])
        let (id, state) = try t.run("fix")
        #expect(state == .abnormal)
        try t.write("fixed", "")
        let control = RunControl(store: t.store, site: t.site, config: SiteConfig(), user: "sato")
        #expect(try control.rerun(id, scope: .failed, reason: "input corrected") == ["b", "c"])
        let e = t.engine()
        try e.adopt(id)
        #expect(try e.runToEnd(id) == .normal)
        #expect(t.read("ran.txt") == "a\nb\nb\nc\n")
        #expect(try t.store.attempts(ofRun: id, job: "b").count == 2)
        #expect(try t.store.audit().first?.action == "rerun")
    }
}

@discardableResult
func shell(_ command: String) -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command + " 2>/dev/null"]
    do { try p.run() } catch { return -1 }
    p.waitUntilExit()
    return p.terminationStatus
}
