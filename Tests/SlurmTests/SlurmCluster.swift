import Foundation
import Testing
import Slurm
#if canImport(Glibc)
import Glibc
#endif

/// The real two-node Slurm the tests run on: `scripts/slurm-up` in a private directory, started once
/// per test process and stopped (`scripts/slurm-down`) when it exits.
enum SlurmCluster {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Started: Sendable {
        var directory: String
        var conf: String
        var environment: [String: String] {
            var env = ProcessInfo.processInfo.environment
            env["SLURM_CONF"] = conf
            return env
        }
        var client: SlurmClient { SlurmClient(environment: environment) }
        var jobcomp: String { "\(directory)/jobcomp.log" }
        /// Slurm's own records of finished jobs, by name: how many times each name ran.
        func completions() -> [String: [SlurmJob]] { JobCompletionFile(path: jobcomp).records() }
    }

    struct SetupFailure: Error, CustomStringConvertible { var description: String }

    /// Started on first use; nil-free or the reason it could not start (tests then fail with it).
    static let shared: Result<Started, SetupFailure> = {
        let dir = "/tmp/nightjar-slurm-tests-\(getpid())"
        let (status, out) = script("slurm-up", dir)
        guard status == 0 else {
            return .failure(SetupFailure(description: "scripts/slurm-up failed (run scripts/install-deps for slurm-wlm and munge):\n\(out)"))
        }
        atexit {
            _ = SlurmCluster.script("slurm-down", "/tmp/nightjar-slurm-tests-\(getpid())")
            try? FileManager.default.removeItem(atPath: "/tmp/nightjar-slurm-tests-\(getpid())")
        }
        return .success(Started(directory: dir, conf: "\(dir)/slurm.conf"))
    }()

    static func get() throws -> Started { try shared.get() }

    /// Runs scripts/NAME DIR to its end, its output in a file: posix_spawn and a blocking waitpid, not
    /// Foundation's Process, whose SIGCHLD-driven wait can stall inside this once-only initializer.
    @discardableResult
    static func script(_ name: String, _ dir: String) -> (Int32, String) {
        let log = "/tmp/nightjar-slurm-\(name)-\(getpid()).log"
        let argv = ["/bin/sh", "-c", "exec \"$0\" \"$1\" >\"$2\" 2>&1", repository.appendingPathComponent("scripts/\(name)").path, dir, log]
        let cargv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cargv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", nil, nil, cargv, environ) == 0 else { return (127, "cannot run scripts/\(name)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        unlink(log)
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128, text)
    }
}

/// Polls until `condition` holds or `seconds` pass.
func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}

/// Every Slurm suite, one after another: they share the cluster's four CPUs, and tests that count
/// nodes or wait for time limits must not compete for them.
@Suite(.serialized) struct SlurmSuites {}
