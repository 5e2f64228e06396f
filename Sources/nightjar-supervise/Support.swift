// Helpers shared by the supervisor and its fork server: Glibc only, no Foundation.
//
// (The original header follows: nightjar-supervise runs one job attempt and records how it ended.)
//
// usage: nightjar-supervise CONTROL_DIR ATTEMPT_ID TIMEOUT_S GRACE_S STDOUT STDERR WORKDIR -- ARGV...
//
// The scheduler starts one supervisor per attempt. The supervisor leaves the scheduler's session, so a
// scheduler that crashes (even by SIGKILL) takes no job with it, and writes the outcome to
// CONTROL_DIR/ATTEMPT_ID.exit with a rename, so a restarted scheduler reads either nothing or the whole
// record. Before the job starts, CONTROL_DIR/ATTEMPT_ID.started is created exclusively: if a recovering
// scheduler created it first (to prove the job never ran), the supervisor exits without running anything.
//
// Written against Glibc only and linked statically: it is exec'd once per job, so it must start fast.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

nonisolated(unsafe) var terminationRequested: sig_atomic_t = 0
/// Written by the signal handlers so that poll() wakes for a signal that arrives at any moment
/// (a SIGCHLD between waitpid and poll would otherwise be slept through).
nonisolated(unsafe) var wakeFd: Int32 = -1

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

/// Writes all of `text` to `path` via a temporary file and rename; returns false on any failure.
func writeAtomically(_ path: String, _ text: String) -> Bool {
    let tmp = path + ".tmp"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
    guard fd >= 0 else { return false }
    let bytes = Array(text.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; close(fd); unlink(tmp); return false }
        off += n
    }
    close(fd)
    return rename(tmp, path) == 0
}

/// Creates `path` with `text` only if it does not exist yet (whoever creates it first wins), never visible
/// half-written: the text goes to a temporary file of this process first, and link() gives it the name,
/// failing with EEXIST as O_EXCL would. (Created empty and then written, a fence read in between by a
/// recovering scheduler on a loaded machine named no supervisor, and an attempt whose job then ran was
/// recorded lost: found by bench/crash-sweep.)
func createExclusively(_ path: String, _ text: String) -> Int32 {
    let tmp = "\(path).\(getpid()).tmp"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
    guard fd >= 0 else { return errno }
    let bytes = Array(text.utf8)
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    var e = n < 0 ? errno : EIO
    close(fd)
    if n == bytes.count {
        e = link(tmp, path) == 0 ? 0 : errno
    }
    unlink(tmp)
    return e
}

func complain(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

func field(_ s: String) -> String {
    // Values are single-line; keep messages readable if a path holds a newline.
    String(s.map { $0 == "\n" ? " " : $0 })
}


/// This process's start time in clock ticks since boot (field 22 of /proc/self/stat), "0" if unreadable.
func ownStartTime() -> String {
    let fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return "0" }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 1024)
    let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return "0" }
    let text = String(decoding: bytes[0..<n], as: UTF8.self)
    // After the command name in parentheses (which may hold spaces), starttime is the 20th field.
    guard let close = text.lastIndex(of: ")") else { return "0" }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return fields.count > 19 ? String(fields[19]) : "0"
}
