import Foundation
import Logging
import OperatorFiles

/// The daemon's log: one line per event on stderr, with its level.
///
/// Under systemd (stderr connected to the journal, which sets `$JOURNAL_STREAM`) each line starts with
/// the syslog priority in angle brackets — `<4>alert: …` — which journald reads as the entry's
/// priority (`journalctl -p warning` filters on it) and strips; journald adds the time. On a terminal
/// or in a file the line starts with the time in the site's zone (RFC 3339) and the level's name.
/// Messages name nets, jobs, runs and paths only — never a record's content (names, addresses, amounts).
struct JournalLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let journal: Bool
    let zone: TimeZone

    init(journal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false, zone: TimeZone) {
        self.journal = journal
        self.zone = zone
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// sd-daemon(3)'s priorities: the syslog levels.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    func log(event: LogEvent) {
        FileHandle.standardError.write(Data((line(event.level, "\(event.message)", metadata: event.metadata) + "\n").utf8))
    }

    /// One line: control characters (a newline in a file name, an escape sequence) are escaped, never printed.
    func line(_ level: Logger.Level, _ message: String, metadata extra: Logger.Metadata?, at date: Date = Date()) -> String {
        let all = metadata.merging(extra ?? [:]) { $1 }
        let fields = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = (message + fields).escapingControls
        if journal { return "<\(Self.priority(level))>\(text)" }
        let stamp = ISO8601DateFormatter.string(from: date, timeZone: zone, formatOptions: [.withInternetDateTime])
        return "\(stamp) \(level.rawValue.uppercased()) \(text)"
    }
}

/// The daemon's lines come from the scheduler as plain sentences; their level follows what they say.
enum DaemonLogLevel {
    static func of(_ line: String) -> Logger.Level {
        let l = line.lowercased()
        if l.contains("cannot") || l.contains("failed") || l.contains("error") { return .error }
        if l.hasPrefix("alert") || l.hasPrefix("not loading") || l.contains("missed") || l.contains("taken over")
            || l.contains("was down") || l.contains("no longer loads") || l.contains("keeps its last good") { return .warning }
        if l.hasPrefix("daemon started") || l.hasPrefix("daemon stopping") || l.hasPrefix("reloaded") { return .notice }
        return .info
    }
}
