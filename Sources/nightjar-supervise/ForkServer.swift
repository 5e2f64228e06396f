#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The fork server: the scheduler starts one per engine and asks it for each attempt's supervisor.
//
// Why: every exec of a new program pays the kernel's and the C library's start-up (on a virtual machine
// the CPU feature probes alone are trapped by the hypervisor), and a supervisor exec'd per job doubled
// that cost against running the job alone. A fork of this small, already started process skips all of
// it; the job itself is still exec'd by the forked supervisor, exactly as before.
//
// Protocol on the SOCK_SEQPACKET socket at fd 3, one message per datagram:
//   request  N NUL ARG1 NUL … ARGN NUL ENV1 NUL …   N arguments as on the supervisor's command line
//                                                     (CONTROL_DIR … -- ARGV), then the job's environment
//   replies  "P PID"       the supervisor for the request just read runs as PID
//            "E TEXT"      it could not be started
//            "X PID STATUS"  a supervisor ended (raw wait status); the scheduler cannot wait for a
//                            process that is not its child, so the server reports it
// The server leaves the scheduler's session (a Ctrl-C on its terminal must not reach it) and ends when
// the scheduler closes its end; supervisors still running then carry on, reaped by init, and a restarted
// scheduler adopts them through their control files as it always has.

/// Sends one datagram; false if the scheduler is gone.
func sendMessage(_ fd: Int32, _ text: String) -> Bool {
    let bytes = Array(text.utf8)
    while true {
        let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n >= 0 { return true }
        if errno != EINTR { return false }
    }
}

/// Splits a request into the supervisor's arguments and the job's environment.
func parseRequest(_ bytes: ArraySlice<UInt8>) -> (attempt: Attempt, environment: [String])? {
    let fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    guard let first = fields.first, let count = Int(first), count >= 0, fields.count > count,
          let attempt = Attempt(fields[1...count]) else { return nil }
    return (attempt, Array(fields[(count + 1)...]).filter { !$0.isEmpty })
}

func serve(socket fd: Int32) -> Never {
    _ = setsid()
    signal(SIGPIPE, SIG_IGN)
    var wakePipe: [Int32] = [0, 0]
    guard pipe(&wakePipe) == 0 else { exit(71) }
    for p in wakePipe {
        _ = fcntl(p, F_SETFD, FD_CLOEXEC)
        _ = fcntl(p, F_SETFL, fcntl(p, F_GETFL) | O_NONBLOCK)
    }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    wakeFd = wakePipe[1]
    var sa = sigaction()
    sa.__sigaction_handler.sa_handler = { _ in
        var b: UInt8 = 0
        _ = write(wakeFd, &b, 1)
    }
    sigemptyset(&sa.sa_mask)
    sa.sa_flags = 0
    sigaction(SIGCHLD, &sa, nil)

    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakePipe[0], events: Int16(POLLIN), revents: 0)]
        if poll(&fds, 2, -1) < 0 {
            if errno == EINTR { continue }
            exit(1)
        }
        if fds[1].revents != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            while read(wakePipe[0], &drain, drain.count) > 0 {}
            var status: Int32 = 0
            while true {
                let pid = waitpid(-1, &status, WNOHANG)
                guard pid > 0 else { break }
                if !sendMessage(fd, "X \(pid) \(status)") { exit(0) }
            }
        }
        guard fds[0].revents != 0 else { continue }
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_TRUNC)) }
        if n == 0 { exit(0) }   // the scheduler closed its end or died
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { continue }
            exit(0)
        }
        guard n <= buffer.count, let (attempt, environment) = parseRequest(buffer[0..<n]) else {
            if !sendMessage(fd, "E the request to the fork server was malformed or larger than \(buffer.count) bytes") { exit(0) }
            continue
        }
        // Stop signals stay blocked in the child until the supervisor has its handlers (Supervise.swift).
        var stopSignals = sigset_t(), previous = sigset_t()
        sigemptyset(&stopSignals)
        for sig in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&stopSignals, sig) }
        sigprocmask(SIG_BLOCK, &stopSignals, &previous)
        let pid = fork()
        if pid == 0 {
            // The supervisor: nothing of the server stays open or installed.
            close(fd)
            close(wakePipe[0])
            close(wakePipe[1])
            wakeFd = -1
            signal(SIGCHLD, SIG_DFL)
            let env = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: environment.count + 1)
            for (i, entry) in environment.enumerated() { env[i] = strdup(entry) }
            env[environment.count] = nil
            supervise(attempt, environment: env)
        }
        sigprocmask(SIG_SETMASK, &previous, nil)
        let reply = pid > 0 ? "P \(pid)" : "E cannot fork a supervisor: \(errnoText())"
        if !sendMessage(fd, reply) { exit(0) }
    }
}
