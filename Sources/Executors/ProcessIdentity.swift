import Foundation

/// A process named by pid and start time, so a reused pid is never mistaken for the owner.
public enum ProcessIdentity {
    /// `pid:starttime` of this process.
    public static var current: String { "\(getpid()):\(startTime(of: getpid()) ?? "0")" }

    public static func startTime(of pid: Int32) -> String? {
        // Starttime is field 22 overall, the 20th after the command name; a zombie has ended.
        guard let fields = statFields(of: pid), fields[0] != "Z" else { return nil }
        return String(fields[19])
    }

    /// A process group of session `sid` (other than its leader's), or nil if no process is in it.
    /// `leaderStart` is the leader's start time: a live process with pid `sid` that started at another
    /// time means the session is someone else's. (While any process is in session `sid`, the kernel does
    /// not hand out pid `sid` again, so a dead leader's session cannot be confused with a newer one.)
    public static func groupInSession(_ sid: Int32, leaderStart: String) -> Int32? {
        if let fields = statFields(of: sid), fields[0] != "Z", fields[19] != leaderStart { return nil }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry), pid != sid, let fields = statFields(of: pid),
                  Int32(fields[3]) == sid, let group = Int32(fields[2]) else { continue }
            return group
        }
        return nil
    }

    /// The fields of /proc/PID/stat after the command name (state first; starttime is the 20th).
    static func statFields(of pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? fields : nil
    }

    /// True if the process named by an identity string is still running.
    public static func isAlive(_ identity: String?) -> Bool {
        guard let identity, let colon = identity.firstIndex(of: ":"), let pid = Int32(identity[..<colon]) else { return false }
        return startTime(of: pid) == String(identity[identity.index(after: colon)...])
    }

    /// The operator's name for the audit table.
    public static var user: String {
        let env = ProcessInfo.processInfo.environment
        if let u = env["NIGHTJAR_USER"] ?? env["SUDO_USER"] ?? env["USER"] ?? env["LOGNAME"], !u.isEmpty { return u }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
