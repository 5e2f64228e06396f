import Foundation
import Testing
import JobNets
import Scheduler
import Store

@Suite(.serialized) struct NetLevelTests {
    @Test func aRunWaitsForItsAfterNetsOfTheSameBusinessDate() throws {
        let t = try TestSite([
            "sync": "name: sync\njobs:\n  a: { shell: 'echo sync >> order.txt' }\n",
            "tax": """
                name: tax
                after: [sync]
                jobs:
                  a: { shell: 'echo tax >> order.txt' }
                """,
        ])
        let e = t.engine()
        let tax = try e.startRun(net: try t.site.loadNet("tax"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        // sync ran, but for another business date: tax keeps waiting.
        _ = try e.startRun(net: try t.site.loadNet("sync"), date: LocalDateParse("2026-06-09"), trigger: "manual")
        for _ in 0..<20 { try e.step(); usleep(10_000) }
        #expect(try t.store.run(tax)?.state == .waiting)
        #expect(t.read("order.txt") == "sync\n")
        _ = try e.startRun(net: try t.site.loadNet("sync"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        #expect(try e.runToEnd(tax) == .normal)
        #expect(t.read("order.txt") == "sync\nsync\ntax\n")
    }

    @Test func deadlinesRaiseOneAlertEachAndRunTheNotifyCommand() throws {
        let t = try TestSite([
            "late": """
                name: late
                after: [never-runs]
                start_deadline: "00:00"
                end_deadline: 100ms
                jobs:
                  a: { shell: 'true' }
                """,
            "never-runs": "name: never-runs\njobs:\n  a: { shell: 'true' }\n",
            "failing": "name: failing\njobs:\n  a: { run: [sh, -c, 'exit 9'] }\n",
        ])
        try t.write("notify.sh", "#!/bin/sh\nprintf '%s|%s|%s|%s\\n' \"$NIGHTJAR_ALERT\" \"$NIGHTJAR_NET\" \"$NIGHTJAR_RUN_ID\" \"$NIGHTJAR_MESSAGE\" >> alerts.txt\n")
        chmod(t.root.appendingPathComponent("notify.sh").path, 0o755)
        try t.write("nightjar.yaml", "notify: [notify.sh]\n")
        let config = try SiteConfig.load(site: t.site)
        // Virtual time: noon (JST) on the day after the business date, so 00:00 has passed; the 100 ms
        // end deadline passes when the clock is moved on. Several looks raise each alert once.
        let clock = ManualTime(1_781_146_800)   // 2026-06-11T12:00:00+09:00
        let e = Engine(store: t.store, site: t.site, config: config, supervisorPath: TestSite.supervisor, clock: clock)
        let late = try e.startRun(net: try t.site.loadNet("late"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        for _ in 0..<3 {
            e.checkStartDeadlines()
            try e.step()
            clock.advance(by: 1)
        }
        let failing = try e.startRun(net: try t.site.loadNet("failing"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        #expect(try e.runToEnd(failing) == .abnormal)
        #expect(eventually(5) { (t.read("alerts.txt") ?? "").split(separator: "\n").count >= 3 })
        let alerts = try t.store.alerts()
        #expect(Set(alerts.map(\.kind)) == ["start-deadline", "end-delay", "run-abnormal"])
        #expect(alerts.count == 3)   // raised once each, however many steps saw them
        #expect(alerts.first { $0.kind == "start-deadline" }?.runID == late)
        let lines = (t.read("alerts.txt") ?? "").split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("start-deadline|late|\(late)|late for 2026-06-10 has not started by its start deadline 00:00") })
        #expect(lines.contains { $0.hasPrefix("run-abnormal|failing|\(failing)|") })
    }

    /// With business_day_starts 23:59, a 00:01 deadline is the night after the business date (as a
    /// 00:01 start would be), not the morning before it; without it, 00:01 of the date has passed.
    @Test func deadlinesBeforeTheBusinessDayStartsFallInTheNightAfter() throws {
        let t = try TestSite([
            "night": "name: night\ntimezone: UTC\nbusiness_day_starts: \"23:59\"\nafter: [never-runs]\nstart_deadline: \"00:01\"\njobs:\n  a: { shell: 'true' }\n",
            "day": "name: day\ntimezone: UTC\nafter: [never-runs]\nstart_deadline: \"00:01\"\njobs:\n  a: { shell: 'true' }\n",
            "never-runs": "name: never-runs\njobs:\n  a: { shell: 'true' }\n",
        ])
        // Virtual time: 2026-06-10 12:00 UTC, the business date's noon.
        let clock = ManualTime(1_781_092_800)
        let today = LocalDateParse("2026-06-10")
        let e = Engine(store: t.store, site: t.site, config: SiteConfig(), supervisorPath: TestSite.supervisor, clock: clock)
        let night = try e.startRun(net: try t.site.loadNet("night"), date: today, trigger: "manual")
        let day = try e.startRun(net: try t.site.loadNet("day"), date: today, trigger: "manual")
        for _ in 0..<3 { e.checkStartDeadlines(); try e.step(); clock.advance(by: 1) }
        let alerts = try t.store.alerts().filter { $0.kind == "start-deadline" }
        #expect(alerts.contains { $0.runID == day })
        #expect(!alerts.contains { $0.runID == night })
    }

    @Test func aHeldNetStartsNoJobUntilReleased() throws {
        let t = try TestSite(["n": "name: n\njobs:\n  a: { shell: 'touch a.ran' }\n"])
        let control = RunControl(store: t.store, site: t.site, config: SiteConfig(), user: "suzuki")
        _ = try control.holdNet("n", hold: true, reason: "system maintenance")
        let e = t.engine()
        let id = try e.startRun(net: try t.site.loadNet("n"), date: LocalDateParse("2026-06-10"), trigger: "manual")
        for _ in 0..<10 { try e.step(); usleep(20_000) }
        #expect(t.read("a.ran") == nil)
        #expect(try t.store.run(id)?.state == .running)
        _ = try control.holdNet("n", hold: false, reason: nil)
        #expect(try eventually(5) { try e.step(); return try t.store.run(id)?.state == .normal })
        #expect(t.read("a.ran") != nil)
        #expect(try t.store.audit().map(\.action) == ["release", "hold"])
    }

    @Test func rerunOnlyAndFromResetExactlyThoseJobs() throws {
        let t = try TestSite(["chain": """
            name: chain
            jobs:
              a: { shell: 'echo a >> ran.txt' }
              b: { needs: [a], shell: 'echo b >> ran.txt' }
              c: { needs: [b], shell: 'echo c >> ran.txt' }
            """])
        let (id, state) = try t.run("chain")
        #expect(state == .normal)
        let control = RunControl(store: t.store, site: t.site, config: SiteConfig(), user: "ito")
        #expect(try control.rerun(id, scope: .only("b"), reason: nil) == ["b"])
        var e = t.engine()
        try e.adopt(id)
        #expect(try e.runToEnd(id) == .normal)
        #expect(t.read("ran.txt") == "a\nb\nc\nb\n")
        #expect(try control.rerun(id, scope: .from("b"), reason: nil) == ["b", "c"])
        e = t.engine()
        try e.adopt(id)
        #expect(try e.runToEnd(id) == .normal)
        #expect(t.read("ran.txt") == "a\nb\nc\nb\nb\nc\n")
        #expect(try t.store.attempts(ofRun: id, job: "b").map(\.number) == [1, 2, 3])
        #expect(throws: RunControl.ControlError.self) { try control.rerun(id, scope: .only("zzz"), reason: nil) }
    }

    @Test func workingDirectoriesFollowNetThenJob() throws {
        let t = try TestSite(["dirs": """
            name: dirs
            workdir: work
            jobs:
              net-level: { shell: 'pwd > here.txt' }
              job-level: { shell: 'pwd > here.txt', workdir: sub }
              absolute: { shell: 'pwd > /dev/null', workdir: /tmp }
            """])
        try FileManager.default.createDirectory(at: t.root.appendingPathComponent("work/sub"), withIntermediateDirectories: true)
        let (_, state) = try t.run("dirs")
        #expect(state == .normal)
        let root = t.root.resolvingSymlinksInPath().path
        #expect(t.read("work/here.txt")?.hasSuffix("/work\n") == true)
        #expect(t.read("work/sub/here.txt")?.hasSuffix("/work/sub\n") == true)
        #expect(t.read("work/here.txt")?.contains(root.split(separator: "/").last.map(String.init) ?? "?") == true)
    }

    @Test func aMissingWorkingDirectoryIsAClearAbnormalEnd() throws {
        let t = try TestSite(["nodir": "name: nodir\njobs:\n  a: { shell: 'true', workdir: no/such/dir }\n"])
        let (id, state) = try t.run("nodir")
        #expect(state == .abnormal)
        #expect(try t.jobs(id)["a"]?.message?.contains("cannot enter the working directory") == true)
    }
}
