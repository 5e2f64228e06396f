import Executors
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one Slurm client command (sbatch, squeue, scancel, scontrol) to its end, with stdin text, and
/// returns its status and output. posix_spawn and waitpid on its own pid: the scheduler reaps only
/// the children it knows, and no thread is needed.
enum CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ argv: [String], environment: [String: String], stdin: String = "") throws -> Result {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw SpawnError(description: "cannot make pipes for \(argv[0]): \(String(cString: strerror(errno)))")
        }
        // Close-on-exec, so no other child (a job's supervisor spawned meanwhile) holds these open.
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let spawned = Swift.Result {
            try Launcher.spawn(argv, environment: environment.map { "\($0.key)=\($0.value)" },
                               descriptors: [0: inPipe[0], 1: outPipe[1], 2: errPipe[1]])
        }
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        let pid: pid_t
        switch spawned {
        case .success(let p): pid = p
        case .failure(let error):
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            let reason = if case Launcher.LaunchError.spawn(_, let rc) = error { String(cString: strerror(rc)) } else { "\(error)" }
            throw SpawnError(description: "cannot run \(argv[0]): \(reason)")
        }
        // The script first (sbatch reads all of it before it writes anything), then both outputs.
        var input = Array(stdin.utf8)[...]
        while !input.isEmpty {
            let n = input.withUnsafeBytes { write(inPipe[1], $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; break }
            input = input.dropFirst(n)
        }
        close(inPipe[1])
        var out: [UInt8] = [], err: [UInt8] = []
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open > 0 {
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue }; break }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    if i == 0 { out += buffer[..<n] } else { err += buffer[..<n] }
                } else if n == 0 || errno != EINTR {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
