import Foundation
import OperatorFiles
import Testing
@testable import JobNets

/// Parses `text` expecting failure; returns the diagnostics.
func problems(_ text: String, name: String = "t") -> [Diagnostic] {
    do {
        _ = try JobNetLoader.parse(text, file: "Jobs/\(name).yaml", expectedName: name)
        return []
    } catch let v as ValidationFailure {
        return v.diagnostics
    } catch {
        return [Diagnostic(file: "?", line: 0, column: 0, message: "\(error)")]
    }
}

@Suite struct JobNetLoaderTests {
    @Test func theContractExampleLoads() throws {
        let text = """
            name: resident-tax-nightly          # must match the file name
            description: 個人住民税 当初課税の夜間処理
            calendar: city
            schedule:
              - at: "22:30"
            concurrency: 4
            after: [registry-sync]
            env: { FISCAL_YEAR: "2026" }
            jobs:
              extract:
                run: [Jobs/bin/extract-taxpayers, --out, work/taxpayers.csv]
                timeout: 30m
              assess:
                needs: [extract]
                run: [Jobs/bin/assess, work/taxpayers.csv]
                retry: { count: 2, delay: 1m }
                exit: { warning: "1-3", abnormal: "4-" }
              notify:
                needs: [assess]
                shell: echo "assessed $NIGHTJAR_DATE" >> work/notes.txt
            """
        let net = try JobNetLoader.parse(text, file: "Jobs/resident-tax-nightly.yaml", expectedName: "resident-tax-nightly")
        #expect(net.name == "resident-tax-nightly")
        #expect(net.calendar == "city")
        #expect(net.schedule.map(\.at.description) == ["22:30"])
        #expect(net.concurrency == 4)
        #expect(net.after == ["registry-sync"])
        #expect(net.env == ["FISCAL_YEAR": "2026"])
        #expect(net.jobs.map(\.name) == ["extract", "assess", "notify"])
        let extract = try #require(net.job(named: "extract"))
        #expect(extract.kind == .command(["Jobs/bin/extract-taxpayers", "--out", "work/taxpayers.csv"]))
        #expect(extract.timeout == 1800)
        let assess = try #require(net.job(named: "assess"))
        #expect(assess.needs == ["extract"])
        #expect(assess.retry?.count == 2)
        #expect(assess.retry?.delay == 60)
        #expect(assess.exit.judge(0) == .normal)
        #expect(assess.exit.judge(2) == .warning)
        #expect(assess.exit.judge(4) == .abnormal)
        #expect(assess.exit.judge(200) == .abnormal)
        #expect(net.job(named: "notify")?.kind == .shell("echo \"assessed $NIGHTJAR_DATE\" >> work/notes.txt"))
        #expect(net.descendants(of: "extract") == ["assess", "notify"])
    }

    @Test func unknownKeysAreReportedWhereTheyAre() {
        let found = problems("""
            name: t
            jobs:
              a:
                run: [true]
                timout: 5m
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 5)
        #expect(found.first?.column == 5)
        #expect(found.first?.message.contains("unknown key 'timout'") == true)
        #expect(found.first?.message.contains("did you mean 'timeout'") == true)
    }

    @Test func duplicateJobNamesAreRejected() {
        let found = problems("""
            name: t
            jobs:
              a:
                run: [true]
              a:
                run: [false]
            """)
        #expect(found.contains { $0.message.contains("duplicate key 'a'") })
    }

    @Test func unknownNeedsPointAtTheItem() {
        let found = problems("""
            name: t
            jobs:
              extract:
                run: [true]
              assess:
                needs: [extract, extrcat]
                run: [true]
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 6)
        #expect(found.first?.column == 22)
        #expect(found.first?.message.contains("did you mean 'extract'") == true)
    }

    @Test func aCycleIsPrintedAsAPath() {
        let found = problems("""
            name: t
            jobs:
              a:
                needs: [c]
                run: [true]
              b:
                needs: [a]
                run: [true]
              c:
                needs: [b]
                run: [true]
            """)
        let cycle = found.first { $0.message.contains("cycle") }
        #expect(cycle != nil)
        // Some rotation of a → b → c → a (each job followed by one that needs it).
        let path = cycle?.message.components(separatedBy: ": ").last?.components(separatedBy: ";").first ?? ""
        let nodes = path.components(separatedBy: " → ")
        #expect(nodes.count == 4)
        #expect(nodes.first == nodes.last)
        #expect(Set(nodes) == ["a", "b", "c"])
    }

    @Test func badDurationsAndStringCommandsAreRejected() {
        let found = problems("""
            name: t
            jobs:
              a:
                run: echo hi
                timeout: 30
              b:
                run: [true]
                retry: { count: 2, delay: 5 minutes }
            """)
        #expect(found.contains { $0.line == 4 && $0.message.contains("to use a shell say 'shell: echo hi'") })
        #expect(found.contains { $0.line == 5 && $0.message.contains("not a duration: '30'") })
        #expect(found.contains { $0.line == 8 && $0.message.contains("not a duration: '5 minutes'") })
    }

    @Test func theNameMustMatchTheFile() {
        let found = problems("name: other\njobs:\n  a:\n    run: [true]\n", name: "mine")
        #expect(found.first?.message.contains("its file is mine.yaml") == true)
    }

    @Test func aJobNeedsExactlyOneCommand() {
        let found = problems("name: t\njobs:\n  a:\n    run: [true]\n    shell: 'true'\n  b:\n    needs: [a]\n")
        #expect(found.contains { $0.message.contains("has run and shell") })
        #expect(found.contains { $0.message.contains("job 'b' needs one of") })
    }

    @Test func fileWaitsNeedATimeout() {
        let found = problems("name: t\njobs:\n  a:\n    wait_for: inbox/x.csv\n")
        #expect(found.contains { $0.message.contains("needs 'timeout:'") })
    }

    @Test func yamlSyntaxErrorsHaveAPosition() {
        let found = problems("name: t\njobs:\n  a:\n    run: [true\n")
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("YAML syntax") == true)
        #expect((found.first?.line ?? 0) >= 4)
    }

    @Test func durationsAndRanges() {
        #expect(JobDuration.seconds("90s") == 90)
        #expect(JobDuration.seconds("1h30m") == 5400)
        #expect(JobDuration.seconds("500ms") == 0.5)
        #expect(JobDuration.seconds("30") == nil)
        #expect(JobDuration.seconds("5x") == nil)
        let r = ExitCodeRanges("1,3,5-7")
        #expect(r?.contains(1) == true)
        #expect(r?.contains(2) == false)
        #expect(r?.contains(6) == true)
        #expect(ExitCodeRanges("4-")?.contains(255) == true)
        #expect(ExitCodeRanges("3-1") == nil)
        #expect(RetryRule(count: 3, delay: 10, backoff: 2, maxDelay: 25).delay(afterAttempt: 3) == 25)
        #expect(RetryRule(count: 3, delay: 10, backoff: 2).delay(afterAttempt: 2) == 20)
    }

    /// The nets shipped in Jobs/ are valid, and `after:` names nets that exist.
    @Test func theSampleNetsAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (nets, found) = Site(root: root.path).validate(paths: [])
        #expect(found.isEmpty, "\(found)")
        #expect(Set(nets.map(\.name)).isSuperset(of: ["resident-tax-nightly", "nhi-billing", "mailing", "registry-sync"]))
    }
}
