#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One attempt, as the scheduler asked for it (on the command line, or in a fork server's request).
struct Attempt {
    var controlDir: String
    var id: String
    var timeout: Double
    var grace: Double
    var stdoutPath: String
    var stderrPath: String
    var workdir: String
    var argv: [String]

    static let usage = "usage: nightjar-supervise CONTROL_DIR ATTEMPT_ID TIMEOUT_S GRACE_S STDOUT STDERR WORKDIR -- ARGV...\n"

    /// From `CONTROL_DIR ATTEMPT_ID TIMEOUT_S GRACE_S STDOUT STDERR WORKDIR -- ARGV...` (without the program name).
    init?(_ a: ArraySlice<String>) {
        let a = Array(a)
        guard a.count >= 9, a[7] == "--" else { return nil }
        controlDir = a[0]; id = a[1]
        timeout = Double(a[2]) ?? 0
        grace = max(0.1, Double(a[3]) ?? 10)
        stdoutPath = a[4]; stderrPath = a[5]; workdir = a[6]
        argv = Array(a[8...])
    }
}

/// Runs the attempt's job to its end and records how it ended; never returns. The job gets `environment`.
func supervise(_ attempt: Attempt, environment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Never {
let controlDir = attempt.controlDir, attemptID = attempt.id
let timeout = attempt.timeout, grace = attempt.grace
let stdoutPath = attempt.stdoutPath, stderrPath = attempt.stderrPath, workdir = attempt.workdir
let argv = attempt.argv
let exitPath = "\(controlDir)/\(attemptID).exit"
let startedAt = now()

// Leave the scheduler's session and process group: its death or a Ctrl-C on its terminal must not
// reach the job or this record keeper.
_ = setsid()

func finish(_ lines: [String], code: Int32 = 0) -> Never {
    let record = (lines + ["started=\(Int64(startedAt * 1000))", "ended=\(Int64(now() * 1000))"]).joined(separator: "\n") + "\n"
    if !writeAtomically(exitPath, record) {
        complain("nightjar-supervise: cannot write \(exitPath): \(errnoText())\n")
        exit(70)
    }
    exit(code)
}

// The start time beside the pid lets a recovering scheduler tell this supervisor from a later process
// that reuses its pid (a forked supervisor's command line does not name its attempt).
let fence = createExclusively("\(controlDir)/\(attemptID).started", "supervisor=\(getpid())\nstart=\(ownStartTime())\n")
if fence == EEXIST {
    // A recovering scheduler declared this attempt never started. Honour that: do nothing.
    exit(3)
} else if fence != 0 {
    complain("nightjar-supervise: cannot write \(controlDir)/\(attemptID).started: \(errnoText(fence))\n")
    exit(71)
}

// Signals: TERM/INT/HUP from the scheduler's kill verb mean "stop the job"; CHLD only wakes poll().
var wakePipe: [Int32] = [0, 0]
guard pipe(&wakePipe) == 0 else { finish(["error=cannot create pipes: \(errnoText())"]) }
for fd in wakePipe {
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
}
wakeFd = wakePipe[1]
let requestStop: @convention(c) (Int32) -> Void = { _ in
    terminationRequested = 1
    var b: UInt8 = 1
    _ = write(wakeFd, &b, 1)
}
let wake: @convention(c) (Int32) -> Void = { _ in
    var b: UInt8 = 0
    _ = write(wakeFd, &b, 1)
}
for (sig, handler) in [(SIGTERM, requestStop), (SIGINT, requestStop), (SIGHUP, requestStop), (SIGCHLD, wake)] {
    var sa = sigaction()
    sa.__sigaction_handler.sa_handler = handler
    sigemptyset(&sa.sa_mask)
    sa.sa_flags = 0   // no SA_RESTART: poll() must return on a signal
    sigaction(sig, &sa, nil)
}
signal(SIGPIPE, SIG_IGN)
// A forked supervisor starts with these blocked (see ForkServer.swift), so that a kill sent the moment it
// exists is handled here instead of ending it before it could record anything.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&stopSignals, sig) }
sigprocmask(SIG_UNBLOCK, &stopSignals, nil)

func openLog(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_APPEND, 0o640)
}

if chdir(workdir) != 0 {
    finish(["error=cannot enter the working directory \(field(workdir)): \(errnoText())"])
}

var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
func closeOnExecPipe(_ p: inout [Int32]) -> Bool {
    guard pipe(&p) == 0 else { return false }
    return fcntl(p[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(p[1], F_SETFD, FD_CLOEXEC) == 0
}
guard closeOnExecPipe(&outPipe), closeOnExecPipe(&errPipe) else {
    finish(["error=cannot create pipes: \(errnoText())"])
}

var actions = posix_spawn_file_actions_t()
posix_spawn_file_actions_init(&actions)
posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

var attr = posix_spawnattr_t()
posix_spawnattr_init(&attr)
var defaults = sigset_t()
sigemptyset(&defaults)
for s in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE] { sigaddset(&defaults, s) }
var emptyMask = sigset_t()
sigemptyset(&emptyMask)
posix_spawnattr_setsigdefault(&attr, &defaults)
posix_spawnattr_setsigmask(&attr, &emptyMask)
posix_spawnattr_setpgroup(&attr, 0)   // the job leads its own process group, so kill reaches all of it
posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

// Stopped before the job started: it never runs.
if terminationRequested != 0 { finish(["killed=1"]) }
var cargv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
var jobPid: pid_t = 0
let spawnError = posix_spawnp(&jobPid, argv[0], &actions, &attr, &cargv, environment)
close(outPipe[1])
close(errPipe[1])
if spawnError != 0 {
    finish(["error=cannot start \(field(argv[0])): \(errnoText(spawnError))"])
}
// The job's process group, beside the fence: a scheduler that finds this supervisor gone without a
// record can still see whether the job runs on, and must not record an end for it while it does.
do {
    let fd = open("\(controlDir)/\(attemptID).started", O_WRONLY | O_APPEND | O_CLOEXEC)
    if fd >= 0 {
        let line = Array("job=\(jobPid)\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

// Pump the job's output into its logs until it exits and its pipes close.
// Log files are created on the first output: a silent job leaves no files (the scheduler reads a
// missing log as empty), which saves two file creations per job in large nets of small jobs.
// `log` is -2 until opened, -1 once it failed or was given up.
var streams: [(fd: Int32, log: Int32, path: String, open: Bool, written: Int)] = [
    (outPipe[0], -2, stdoutPath, true, 0), (errPipe[0], -2, stderrPath, true, 0),
]
var logError: String?
var buffer = [UInt8](repeating: 0, count: 65536)
let deadline: Double? = timeout > 0 ? monotonic() + timeout : nil
var stopReason: String?   // "timeout" or "killed"
var killAt: Double?
var exitStatus: Int32?
var exitedAt: Double?

let group = jobPid
func signalGroup(_ sig: Int32) { _ = kill(-group, sig) }

while true {
    let t = monotonic()
    if stopReason == nil, exitStatus == nil {
        if terminationRequested != 0 { stopReason = "killed" }
        else if let deadline, t >= deadline { stopReason = "timeout" }
        if stopReason != nil { signalGroup(SIGTERM); killAt = t + grace }
    }
    if let k = killAt, t >= k {
        signalGroup(SIGKILL)
        killAt = nil
    }
    if exitStatus == nil {
        var status: Int32 = 0
        let r = waitpid(jobPid, &status, WNOHANG)
        if r == jobPid { exitStatus = status; exitedAt = t }
    }
    let openStreams = streams.indices.filter { streams[$0].open }
    if exitStatus != nil && (openStreams.isEmpty || t - (exitedAt ?? t) > 1.0) { break }

    var fds = openStreams.map { pollfd(fd: streams[$0].fd, events: Int16(POLLIN), revents: 0) }
    fds.append(pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0))
    var wait = 200.0
    if let deadline, stopReason == nil { wait = min(wait, max(0, (deadline - t) * 1000)) }
    if let k = killAt { wait = min(wait, max(0, (k - t) * 1000)) }
    if exitStatus != nil { wait = min(wait, 50) }
    _ = poll(&fds, nfds_t(fds.count), Int32(wait.rounded(.up)))
    if fds[fds.count - 1].revents != 0 {
        var drain = [UInt8](repeating: 0, count: 64)
        while read(wakePipe[0], &drain, drain.count) > 0 {}
    }
    for (i, idx) in openStreams.enumerated() where fds[i].revents != 0 {
        let n = read(streams[idx].fd, &buffer, buffer.count)
        if n > 0 {
            if streams[idx].log == -2 {
                streams[idx].log = openLog(streams[idx].path)
                if streams[idx].log < 0 {
                    logError = logError ?? "cannot open the job log \(streams[idx].path): \(errnoText())"
                    streams[idx].log = -1
                }
            }
            if streams[idx].log >= 0 {
                var off = 0
                while off < n {
                    let w = buffer[off..<n].withUnsafeBytes { write(streams[idx].log, $0.baseAddress, $0.count) }
                    if w < 0 {
                        if errno == EINTR { continue }
                        // Keep draining so the job is not blocked, but say the log is incomplete.
                        logError = logError ?? "cannot write the job log \(streams[idx].path): \(errnoText())"
                        close(streams[idx].log)
                        streams[idx].log = -1
                        break
                    }
                    off += w
                    streams[idx].written += w
                }
            }
        } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
            streams[idx].open = false
        }
    }
}
for s in streams where s.log >= 0 {
    // fsync surfaces a full disk that delayed allocation hid from write(); an empty log has nothing to
    // flush, and syncing it would cost a journal commit per job for nothing.
    if s.written > 0, fsync(s.log) != 0 && errno != EINVAL, logError == nil {
        logError = "cannot write the job log \(s.path): \(errnoText())"
    }
    if close(s.log) != 0, logError == nil { logError = "cannot write the job log \(s.path): \(errnoText())" }
}

var lines = ["pid=\(jobPid)"]
if let st = exitStatus {
    let sig = st & 0x7f
    if sig == 0 { lines.append("exit=\((st >> 8) & 0xff)") } else { lines.append("signal=\(sig)") }
}
if let stopReason { lines.append(stopReason == "timeout" ? "timed_out=1" : "killed=1") }
if let logError { lines.append("log_error=\(field(logError))") }
finish(lines)
}
