import ArgumentParser
import Foundation
import OperatorFiles
import JobNets

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an installation before its first night; print what is wrong and how to fix it.",
        discussion: """
            Checks the settings, the state directory (writable, on a local disk, free space), the supervisor,
            the job nets, the fonts, CUPS, each vendor's outbox, the time zone, the clock, and whether the
            daemon runs (under systemd: the unit; otherwise: the state directory's daemon lock).
            Exit 1 if any check failed (warnings do not fail). Run it as the daemon's user: sudo -u nightjar nightjar doctor.
            """)

    @OptionGroup var site: SiteOptions
    @Option(help: "The daemon's systemd unit.") var unit = "nightjar.service"
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        var config: SiteConfig?
        var problem: String?
        do { config = try SiteConfig.load(site: site.site) } catch { problem = "\(error)" }
        let checks = DoctorChecks(site: site.site, stateDirectory: site.stateDirectory, config: config, configProblem: problem,
                                  unit: unit, now: Date().timeIntervalSince1970).all()
        if json {
            Output.json(checks)
        } else {
            for c in checks {
                let mark = c.status == .ok ? "ok     " : c.status == .warning ? "warning" : "FAILED "
                print("\(mark)  \(c.name): \(c.detail)".escapingControls)
                if let fix = c.fix { print("         fix: \(fix)".escapingControls) }
            }
        }
        let failed = checks.filter { $0.status == .failed }.count
        if failed > 0 {
            if !json { FileHandle.standardError.write(Data("\(failed) check\(failed == 1 ? "" : "s") failed\n".utf8)) }
            throw ExitCode(1)
        }
    }
}
