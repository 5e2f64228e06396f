import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The scheduler's end of the supervisor fork server (`nightjar-supervise --serve`; the protocol is
/// described in nightjar-supervise/ForkServer.swift). Started on the first launch; if it dies, the
/// supervisors it started are watched by pid and start time instead, and the next launch starts a new one.
final class ForkServerClient: @unchecked Sendable {
    enum Report { case notOurs, running, ended(Int32) }

    private var fd: Int32 = -1
    private(set) var serverPid: pid_t = 0
    /// Started through the live server and not yet reported ended.
    private var children: Set<pid_t> = []
    /// Reported ended, not yet taken by `state(of:)`.
    private var ended: [pid_t: Int32] = [:]
    /// Started through a server that has died: their ends are no longer reported, so they are watched.
    private var orphans: [pid_t: String] = [:]
    /// After a server failed to start, exec supervisors for a while rather than retrying every launch.
    private var retryAfter = 0.0

    deinit { stop() }

    /// The supervisor's pid, or nil when no server can be had (the caller then execs the supervisor).
    func launch(_ args: [String], environment: [String], supervisorPath: String, controlDirectory: String) throws -> pid_t? {
        var message = Array(String(args.count).utf8)
        for field in args + environment {
            message.append(0)
            message += field.utf8
        }
        // A server found dead when sending is replaced once; then the caller execs the supervisor.
        for _ in 0..<2 {
            if fd < 0 {
                guard ProcessInfo.processInfo.systemUptime >= retryAfter else { return nil }
                guard start(supervisorPath: supervisorPath, controlDirectory: controlDirectory) else {
                    retryAfter = ProcessInfo.processInfo.systemUptime + 60
                    return nil
                }
            }
            guard sendAll(message) else {
                // Not sent, so nothing was started: a new server, or an exec, may start it safely.
                lose()
                continue
            }
            while true {
                guard case .message(let reply) = receive(blocking: true) else {
                    // The server died with our request: it may have forked the supervisor, or not.
                    lose()
                    return try settleLostRequest(id: args[1], controlDirectory: controlDirectory)
                }
                if reply.hasPrefix("P "), let pid = pid_t(reply.dropFirst(2)) {
                    children.insert(pid)
                    return pid
                }
                if reply.hasPrefix("E ") { throw Launcher.LaunchError.forkServer(String(reply.dropFirst(2))) }
                note(reply)
            }
        }
        return nil
    }

    /// Reads every report waiting on the socket.
    func collect() {
        while fd >= 0 {
            switch receive(blocking: false) {
            case .message(let reply): note(reply)
            case .none: return
            case .closed: lose(); return
            }
        }
    }

    func state(of pid: pid_t) -> Report {
        if let status = ended.removeValue(forKey: pid) { return .ended(status) }
        if children.contains(pid) { return .running }
        if let start = orphans[pid] {
            if ProcessIdentity.startTime(of: pid) == start { return .running }
            orphans[pid] = nil
            return .ended(-1)
        }
        return .notOurs
    }

    /// Sleeps up to `seconds`, waking as soon as the server reports something.
    func wait(_ seconds: Double) {
        guard fd >= 0, children.count > 0 else {
            usleep(useconds_t(max(0, seconds) * 1_000_000))
            return
        }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&p, 1, Int32((seconds * 1000).rounded(.up)))
    }

    // MARK: -

    private func start(supervisorPath: String, controlDirectory: String) -> Bool {
        var sv: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &sv) == 0 else { return false }
        do {
            serverPid = try Launcher.spawn([supervisorPath, "--serve", controlDirectory], environment: [], descriptors: [3: sv[1]])
        } catch {
            close(sv[0])
            close(sv[1])
            return false
        }
        close(sv[1])
        fd = sv[0]
        return true
    }

    /// Ends the server (it exits when its socket closes) and waits for it.
    func stop() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        var status: Int32 = 0
        while waitpid(serverPid, &status, 0) < 0 && errno == EINTR {}
    }

    /// The server is gone or broken: what it started is watched from now on.
    private func lose() {
        // Reports it sent before it went are still worth reading.
        while fd >= 0, case .message(let reply) = receive(blocking: false) { note(reply) }
        if fd >= 0 {
            close(fd)
            fd = -1
            kill(serverPid, SIGKILL)
            var status: Int32 = 0
            while waitpid(serverPid, &status, 0) < 0 && errno == EINTR {}
        }
        for pid in children {
            // A start time of nil means it has already ended (or is a zombie of init's): watch it as ended.
            orphans[pid] = ProcessIdentity.startTime(of: pid) ?? "gone"
        }
        children = []
    }

    /// The server died holding a request. Claiming the attempt's start fence decides it: if we get it,
    /// no supervisor ran the job, and none ever will; if a supervisor got it first, it runs and is watched.
    private func settleLostRequest(id: String, controlDirectory: String) throws -> pid_t {
        let launcher = Launcher(supervisorPath: "", controlDirectory: controlDirectory, useForkServer: false)
        if launcher.fenceNeverStarted(id) {
            throw Launcher.LaunchError.forkServer("the supervisor fork server ended while starting this attempt; the job did not run")
        }
        for _ in 0..<20 {
            if let pid = launcher.startedSupervisor(of: id).pid {
                orphans[pid] = ProcessIdentity.startTime(of: pid) ?? "gone"
                return pid
            }
            usleep(50_000)
        }
        throw Launcher.LaunchError.forkServer("the supervisor fork server ended while starting this attempt; whether the job started is unknown: check its log before a rerun")
    }

    private func note(_ reply: String) {
        let parts = reply.split(separator: " ")
        guard parts.count == 3, parts[0] == "X", let pid = pid_t(parts[1]), let status = Int32(parts[2]) else { return }
        if children.remove(pid) != nil { ended[pid] = status }
    }

    private func sendAll(_ bytes: [UInt8]) -> Bool {
        while true {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n == bytes.count { return true }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    private enum Received { case message(String), none, closed }

    /// One datagram; `none` when nothing waits (non-blocking); `closed` when the server is gone.
    private func receive(blocking: Bool) -> Received {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, blocking ? 0 : Int32(MSG_DONTWAIT)) }
            if n > 0 { return .message(String(decoding: buffer[0..<n], as: UTF8.self)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .none }
            return .closed
        }
    }
}
