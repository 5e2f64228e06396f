import Foundation
import OperatorFiles
import Testing
@testable import JobNets

/// Bad input found by the issue 11 review: each case is refused with its position, never a crash,
/// a silent cut or a silent acceptance.
@Suite struct LoaderHardeningTests {
    /// A chain of `count` jobs, each needing the one before; `cycle` closes it into a ring.
    static func chain(_ count: Int, cycle: Bool) -> String {
        var text = "name: t\njobs:\n"
        for i in 0..<count {
            let need = i == 0 ? (cycle ? "j\(count - 1)" : nil) : "j\(i - 1)"
            text += "  j\(i): { run: [\"true\"]\(need.map { ", needs: [\($0)]" } ?? "") }\n"
        }
        return text
    }

    @Test func aLongCycleIsReportedWithoutOverflowingTheStack() throws {
        // 2,500 jobs crashed `validate` with SIGSEGV in the recursive cycle check; 20,000 must pass.
        let found = problems(Self.chain(20_000, cycle: true))
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("the jobs depend on each other in a cycle: j") == true)
        #expect(found.first?.message.contains("remove one of these needs") == true)
    }

    @Test func aLongChainLoadsAndItsDescendantsAreFound() throws {
        let net = try JobNetLoader.parse(Self.chain(20_000, cycle: false), file: "Jobs/t.yaml", expectedName: "t")
        #expect(net.jobs.count == 20_000)
        #expect(JobNetLoader.findCycle(net) == nil)
        #expect(net.descendants(of: "j0").count == 19_999)
    }

    @Test func theCycleIsStillPrintedAsAPath() {
        let found = problems("name: t\njobs:\n  a: { run: [x], needs: [c] }\n  b: { run: [x], needs: [a] }\n  c: { run: [x], needs: [b] }\n")
        #expect(found.map(\.message).contains { $0.contains("a → c → b → a") || $0.contains("a → b → c → a") })
    }

    @Test func aNULInTextThatIsExecutedIsRefused() {
        let cases: [(String, String, Int, Int)] = [
            ("  a: { run: [echo, \"x\\0y\"] }\n", "this 'run' argument contains a NUL", 3, 20),
            ("  a: { shell: \"echo x\\0y\" }\n", "'shell' contains a NUL", 3, 15),
            ("  a: { run: [x], env: { V: \"x\\0\" } }\n", "the value of V contains a NUL", 3, 28),
            ("  a: { run: [x], workdir: \"w\\0\" }\n", "'workdir' contains a NUL", 3, 27),
            ("  a: { wait_for: { path: \"in\\0x\" }, timeout: 1m }\n", "the 'wait_for' path contains a NUL", 3, 26),
        ]
        for (job, message, line, column) in cases {
            let found = problems("name: t\njobs:\n" + job)
            #expect(found.count == 1, "\(job)")
            #expect(found.first?.message.hasPrefix(message) == true, "\(found)")
            #expect(found.first.map { "\($0.line):\($0.column)" } == "\(line):\(column)", "\(found)")
        }
        // The net-wide env and workdir too.
        let net = problems("name: t\nenv: { A: \"\\0\" }\nworkdir: \"a\\0\"\njobs:\n  a: { run: [x] }\n")
        #expect(net.map(\.line) == [2, 3])
    }

    @Test func aNULInTheSiteSettingsIsRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "notify: [\"a\\0b\"]\nlogs: \"l\\0\"\n".write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try SiteConfig.load(site: Site(root: root.path))
            Issue.record("a NUL in nightjar.yaml was accepted")
        } catch let v as ValidationFailure {
            #expect(v.diagnostics.map(\.line) == [1, 2])
            #expect(v.diagnostics.allSatisfy { $0.message.contains("contains a NUL character") })
        }
    }

    @Test func environmentNamesMustBeVariableNames() {
        for bad in ["\"A=B\"", "\"\"", "\"1X\"", "\"A B\"", "\"Ä\""] {
            let found = problems("name: t\njobs:\n  a: { run: [x], env: { \(bad): v } }\n")
            #expect(found.count == 1, "\(bad)")
            #expect(found.first?.message.contains("is not a valid environment variable name") == true, "\(found)")
            #expect(found.first?.line == 3)
        }
        #expect(problems("name: t\nenv: { _OK_1: v, FISCAL_YEAR: \"2026\" }\njobs:\n  a: { run: [x] }\n").isEmpty)
    }

    @Test func aZeroTimeoutIsRefused() {
        let found = problems("name: t\njobs:\n  a: { run: [x], timeout: 0s }\n")
        #expect(found.map(\.message) == ["'timeout' is zero, which would stop the job at once; for no time limit leave 'timeout:' out"])
        #expect(found.first?.column == 27)
        let poll = problems("name: t\njobs:\n  a: { wait_for: { path: f, interval: 0ms }, timeout: 1m }\n")
        #expect(poll.first?.message.hasPrefix("'interval' must be at least 10ms") == true)
    }

    @Test func durationsOutOfRangeAreRefused() {
        #expect(JobDuration.seconds("99999999999999999999d").flatMap(JobDuration.rangeProblem) != nil)
        #expect(JobDuration.seconds(String(repeating: "9", count: 400) + "s").flatMap(JobDuration.rangeProblem) != nil)
        #expect(JobDuration.rangeProblem(366 * 86_400) == nil)
        #expect(JobDuration.format(.infinity) == "infs")   // no trap
        for key in ["timeout: 99999999999999999999d", "kill_grace: 367d", "retry: { count: 1, delay: 9999999999h }"] {
            let found = problems("name: t\njobs:\n  a: { run: [x], \(key) }\n")
            #expect(found.count == 1, "\(key)")
            #expect(found.first?.message.contains("is longer than Nightjar accepts; durations go up to 366d") == true, "\(found)")
        }
        let deadline = problems("name: t\nend_deadline: 99999999999999999999d\njobs:\n  a: { run: [x] }\n")
        #expect(deadline.first?.message.contains("durations go up to 366d") == true)
        #expect(deadline.first?.line == 2)
    }

    @Test func diagnosticsEscapeControlCharacters() {
        let found = problems("name: t\njobs:\n  \"a\\e[31mred\\nb\": { run: [x] }\n  c: { run: [x], needs: [\"\\u202Eevil\"] }\n")
        let text = ValidationFailure(found).description
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{202E}"))
        #expect(text.split(separator: "\n").count == found.count)
        #expect(text.contains("'a\\u{1B}[31mred\\nb' is not a valid job name"))
        #expect(text.contains("needs '\\u{202E}evil'"))
        #expect("tab\there\u{85}\u{7F}".escapingControls == "tab\\there\\u{85}\\u{7F}")
        #expect("住民税 ok".escapingControls == "住民税 ok")
    }

    @Test func netNamesAreNamesNotPaths() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "name: x\njobs:\n  a: { run: [x] }\n".write(to: root.appendingPathComponent("Jobs/x.yaml"), atomically: true, encoding: .utf8)
        let site = Site(root: root.path)
        #expect(site.netNameProblem("x") == nil)
        for bad in ["../../other/Jobs/x", "Jobs/x", "/tmp/x", "x.yaml", ".hidden", "a\u{1B}b", ""] {
            #expect(site.netNameProblem(bad) != nil, "\(bad)")
            #expect(throws: Site.NetNameError.self) { try site.loadNet(bad) }
        }
        #expect(site.netNameProblem("Jobs/x")?.contains("did you mean `x`?") == true)
    }

    @Test func ymlFilesAreRefusedWithAHintToRename() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-yml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "name: y\njobs:\n  a: { run: [x] }\n".write(to: root.appendingPathComponent("Jobs/y.yml"), atomically: true, encoding: .utf8)
        let site = Site(root: root.path)
        let v = site.validation(paths: [])
        #expect(v.problems.map(\.description) == ["Jobs/y.yml:1:1: error: Nightjar reads nets and calendars from .yaml files only; rename this file to Jobs/y.yaml"])
        #expect(site.validation(paths: ["Jobs/y.yml"]).problems.count == 1)
        #expect(site.netNames().isEmpty)
        do {
            _ = try site.loadNet("y")
            Issue.record("a .yml net loaded")
        } catch let v as ValidationFailure {
            #expect(v.description.contains("rename it to Jobs/y.yaml"))
        }
    }
}
