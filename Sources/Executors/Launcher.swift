import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts supervisors and reads what they recorded.
///
/// Uses posix_spawn and waitpid directly rather than Foundation's Process: the scheduler reaps its
/// own children with `waitpid(-1)`, which would race Process's reaper, and it needs no thread per job.
public final class Launcher: @unchecked Sendable {
    public let supervisorPath: String
    public let controlDirectory: String
    /// Off with NIGHTJAR_FORK_SERVER=0: then every supervisor is exec'd, as before the fork server.
    public let useForkServer: Bool
    let forkServer = ForkServerClient()

    public init(supervisorPath: String, controlDirectory: String,
                useForkServer: Bool = ProcessInfo.processInfo.environment["NIGHTJAR_FORK_SERVER"] != "0") {
        self.supervisorPath = supervisorPath
        self.controlDirectory = controlDirectory
        self.useForkServer = useForkServer
    }

    /// The supervisor next to the running executable (a build tree), else in its libexec directory (an
    /// installation: PREFIX/bin/nightjar and PREFIX/libexec/nightjar/nightjar-supervise, as `make install`
    /// and the Debian package lay them out), or `$NIGHTJAR_SUPERVISOR`.
    public static func defaultSupervisorPath() -> String {
        if let p = ProcessInfo.processInfo.environment["NIGHTJAR_SUPERVISOR"] { return p }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        let beside = dir.appendingPathComponent("nightjar-supervise").path
        let libexec = dir.deletingLastPathComponent().appendingPathComponent("libexec/nightjar/nightjar-supervise").standardizedFileURL.path
        if !FileManager.default.isExecutableFile(atPath: beside) && FileManager.default.isExecutableFile(atPath: libexec) { return libexec }
        return beside
    }

    public enum LaunchError: Error, CustomStringConvertible {
        case spawn(String, Int32)
        case forkServer(String)
        public var description: String {
            switch self {
            case let .spawn(path, code): return "cannot start the supervisor \(path): \(String(cString: strerror(code)))"
            case let .forkServer(text): return text
            }
        }
    }

    /// Starts the supervisor for one attempt; returns its pid. Its end is reported by `reapSupervisors`.
    /// Through the fork server when there is one (see ForkServer.swift in nightjar-supervise), else by exec.
    public func launch(_ spec: AttemptSpec) throws -> pid_t {
        let args = [controlDirectory, spec.id, String(spec.timeout ?? 0), String(spec.killGrace),
                    spec.stdoutPath, spec.stderrPath, spec.workdir, "--"] + spec.argv
        let env = spec.environment.map { "\($0.key)=\($0.value)" }.sorted()
        if useForkServer {
            if let pid = try forkServer.launch(args, environment: env, supervisorPath: supervisorPath, controlDirectory: controlDirectory) {
                return pid
            }
        }
        return try Self.spawn([supervisorPath] + args, environment: env)
    }

    /// Which of `pids` (supervisors from `launch`) have ended, with their raw wait status (-1: unknown,
    /// the process is gone but its status was lost with a fork server that died).
    public func reapSupervisors(_ pids: some Sequence<pid_t>) -> [(pid: pid_t, status: Int32)] {
        var direct: [pid_t] = []
        var out: [(pid_t, Int32)] = []
        forkServer.collect()
        for pid in pids {
            switch forkServer.state(of: pid) {
            case .notOurs: direct.append(pid)
            case .running: break
            case .ended(let status): out.append((pid, status))
            }
        }
        return out + Self.reap(direct)
    }

    /// Waits up to `seconds` for a supervisor to end (the fork server's report wakes it at once).
    public func waitForActivity(_ seconds: Double) {
        forkServer.wait(seconds)
    }

    /// posix_spawn with default signal handling and an empty signal mask.
    /// `descriptors`: the program's fd → ours to hand it there (e.g. pipes on 0–2, a socket on 3); stdin,
    /// stdout and stderr not given are /dev/null.
    public static func spawn(_ argv: [String], environment: [String], descriptors: [Int32: Int32] = [:]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, mode) in [(Int32(0), O_RDONLY), (1, O_WRONLY), (2, O_WRONLY)] where descriptors[target] == nil {
            posix_spawn_file_actions_addopen(&actions, target, "/dev/null", mode, 0)
        }
        for (target, source) in descriptors.sorted(by: { $0.key < $1.key }) { posix_spawn_file_actions_adddup2(&actions, source, target) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var mask = sigset_t()
        sigemptyset(&mask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let cargv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cenv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            cargv.forEach { free($0) }
            cenv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attr, cargv, cenv)
        guard rc == 0 else { throw LaunchError.spawn(argv[0], rc) }
        return pid
    }

    /// Which of `pids` (our children) have ended, with their raw wait status. Waits on each pid rather
    /// than on -1 so that other code in the same process keeps its own children.
    public static func reap(_ pids: some Sequence<pid_t>) -> [(pid: pid_t, status: Int32)] {
        var out: [(pid_t, Int32)] = []
        for pid in pids {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { out.append((pid, status)) }
            else if r < 0 && errno == ECHILD { out.append((pid, -1)) }
        }
        return out
    }

    func path(_ id: String, _ suffix: String) -> String { "\(controlDirectory)/\(id).\(suffix)" }

    /// The supervisor's record, once it has written one.
    public func outcome(of id: String) -> AttemptOutcome? {
        guard let text = try? String(contentsOfFile: path(id, "exit"), encoding: .utf8) else { return nil }
        return AttemptOutcome(record: text)
    }

    /// An attempt's start fence as written: by its supervisor (`supervisor=PID`, `start=T`, then
    /// `job=PGID` once the job runs; it appears whole, see createExclusively in nightjar-supervise), or by
    /// a recovering scheduler that claimed it so the job would never start (empty if that scheduler was
    /// stopped between creating and writing it).
    struct StartFence {
        var supervisor: pid_t?
        var start: String?
        var job: pid_t?
        var byRecovery: Bool

        init(_ text: String) {
            for line in text.split(separator: "\n") {
                if line.hasPrefix("supervisor=") { supervisor = Int32(line.dropFirst("supervisor=".count).trimmingCharacters(in: .whitespaces)) }
                else if line.hasPrefix("start=") { start = String(line.dropFirst("start=".count)) }
                else if line.hasPrefix("job="), let pid = Int32(line.dropFirst("job=".count)), pid > 1 { job = pid }
            }
            byRecovery = supervisor == nil && (text.isEmpty || text.hasPrefix(Launcher.recoveryFence))
        }
    }

    func fence(of id: String) -> StartFence? {
        (try? String(contentsOfFile: path(id, "started"), encoding: .utf8)).map(StartFence.init)
    }

    /// Whether the attempt's start fence exists, and who made it: its supervisor (named by pid), or a
    /// recovering scheduler that claimed it so the job would never start (`byRecovery`).
    public func startedSupervisor(of id: String) -> (started: Bool, pid: pid_t?, byRecovery: Bool) {
        guard let fence = fence(of: id) else { return (false, nil, false) }
        return (true, fence.supervisor, fence.byRecovery)
    }

    /// The process group the attempt's supervisor started the job in: recorded beside its fence, or, for
    /// a supervisor killed between starting the job and writing that line, found by the session the
    /// supervisor leads (it calls setsid(), so the job and all it starts share the supervisor's pid as
    /// their session id).
    public func jobGroup(of id: String) -> pid_t? {
        guard let fence = fence(of: id) else { return nil }
        if let job = fence.job { return job }
        guard let supervisor = fence.supervisor, supervisor > 1, let start = fence.start else { return nil }
        return ProcessIdentity.groupInSession(supervisor, leaderStart: start)
    }

    /// True while any process of the group is alive.
    public static func isGroupAlive(_ pgid: pid_t) -> Bool {
        kill(-pgid, 0) == 0 || errno == EPERM
    }

    static let recoveryFence = "fenced-by-recovery"

    /// Claims an attempt's start fence for a recovering scheduler. True means the job never started and
    /// now never will; false means a supervisor got there first.
    public func fenceNeverStarted(_ id: String) -> Bool {
        let fd = open(path(id, "started"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return false }
        _ = "\(Self.recoveryFence)\n".withCString { write(fd, $0, strlen($0)) }
        close(fd)
        return true
    }

    /// True if `pid` is alive and is the supervisor of attempt `id` (guards against pid reuse): an exec'd
    /// supervisor names its attempt on its command line; a forked one has its fork server's command line,
    /// so its start time must match the one it wrote beside its fence.
    public func isSupervisorAlive(_ pid: pid_t, id: String) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let args = cmd.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let start = ProcessIdentity.startTime(of: pid), args.first?.hasSuffix("nightjar-supervise") == true else { return false }
        if args.count > 2 && args[2] == id { return true }
        return args.count > 1 && args[1] == "--serve" && fence(of: id)?.start == start
    }

    /// Removes an attempt's control files once its outcome is safely in the database.
    public func forget(_ id: String) {
        unlink(path(id, "exit"))
        unlink(path(id, "started"))
    }
}
