import Foundation

/// A process named by pid and start time, so a reused pid is never mistaken for the owner.
public enum ProcessIdentity {
    /// `pid:starttime` of this process.
    public static var current: String { "\(getpid()):\(startTime(of: getpid()) ?? "0")" }

    public static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name; starttime is field 22 overall, the 20th after ")".
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        if fields[0] == "Z" { return nil }
        return String(fields[19])
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
