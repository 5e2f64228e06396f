import Calendars
import Foundation
import JobNets
import Scheduler
import Store

/// What one `nightjar gc` did (or, with `--dry-run`, would do).
public struct GCReport: Codable, Sendable {
    public var dryRun: Bool
    public var at: String
    /// The settings it applied (days; nil: kept forever) and the instants they gave.
    public var jobLogsCompressAfterDays: Int?
    public var jobLogsDeleteAfterDays: Int?
    public var historyDays: Int?
    public var auditYears: Int
    public var historyBefore: String?
    public var auditBefore: String
    public var logs: HistoryRetention.LogCounts
    public var history: HistoryRetention.Counts
    /// Runs older than the history cutoff kept because they have not ended.
    public var activeRunsKept: Int
    public var audit: Store.AuditPruning
    public var databaseBefore: Store.FileSize
    public var databaseAfter: Store.FileSize
    public var vacuumed: Bool

    /// One line per kind of record, for the terminal and the daemon's log.
    public var lines: [String] {
        let verb = dryRun ? "would " : ""
        var out: [String] = []
        if jobLogsCompressAfterDays == nil && jobLogsDeleteAfterDays == nil {
            out.append("job logs: kept (no job_logs_compress_after_days or job_logs_delete_after_days under retention:)")
        } else {
            out.append("job logs: \(verb)compress \(logs.compressed) (\(Self.bytes(logs.bytesBefore))\(dryRun ? "" : " → \(Self.bytes(logs.bytesAfter))")), \(verb)delete \(logs.deleted) (\(Self.bytes(logs.bytesDeleted)))"
                       + (logs.failed.isEmpty ? "" : "; \(logs.failed.count) failed: \(logs.failed.prefix(3).joined(separator: "; "))"))
        }
        if let historyDays, let historyBefore {
            let h = history
            out.append("history (ended before \(historyBefore), \(historyDays) days): \(verb)prune \(h.runs) runs, \(h.jobs) jobs, \(h.attempts) attempts, \(h.events) events, \(h.commands) commands, \(h.fires) fires, \(h.alerts) alerts, \(h.logFiles) log files (\(Self.bytes(h.logBytes)))")
            if h.keptForAudit > 0 { out.append("history: kept \(h.keptForAudit) old runs that audit rows inside the audit period name") }
            if activeRunsKept > 0 { out.append("history: kept \(activeRunsKept) old runs that have not ended") }
        } else {
            out.append("history: kept (no history_days under retention:)")
        }
        if audit.rows == 0 {
            out.append("audit: nothing older than \(auditBefore) (\(auditYears) years); nothing removed")
        } else {
            let actions = audit.actions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out.append("audit: \(verb)remove \(audit.rows) rows older than \(auditYears) years (before \(auditBefore)): \(actions)")
        }
        out.append("database: \(Self.bytes(databaseBefore.databaseBytes + databaseBefore.walBytes))"
                   + (dryRun ? " (\(Self.bytes(databaseBefore.freeBytes)) free inside)"
                      : " → \(Self.bytes(databaseAfter.databaseBytes + databaseAfter.walBytes))\(vacuumed ? " (vacuumed)" : "")"))
        return out
    }

    static func bytes(_ n: Int) -> String {
        n >= 10 << 20 ? "\(n >> 20) MB" : n >= 10 << 10 ? "\(n >> 10) kB" : "\(n) bytes"
    }
}

extension Operations {
    /// Applies `retention:` from nightjar.yaml at `now`: compresses and deletes old job logs, prunes
    /// ended runs' history, removes audit rows older than the audit period (naming what went), and
    /// gives the freed pages back. Audited, also as a dry run, with the summary as the result.
    public func gc(actor: Actor, now: Double, dryRun: Bool, reason: String? = nil) throws -> GCReport {
        let r = config.retention
        let history = HistoryRetention(store: store)
        let historyCutoff = r.historyDays.map { now - Double($0) * 86_400 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let auditCutoff = calendar.date(byAdding: .year, value: -r.auditYears, to: Date(timeIntervalSince1970: now))?.timeIntervalSince1970
            ?? now - Double(r.auditYears) * 365.25 * 86_400
        let before = try store.fileSize()
        // History first: logs of runs about to be pruned are not worth compressing.
        var counts = HistoryRetention.Counts()
        if let historyCutoff {
            counts = dryRun ? try history.plan(cutoff: historyCutoff, auditCutoff: auditCutoff)
                : try history.prune(cutoff: historyCutoff, auditCutoff: auditCutoff)
        }
        let logs = try history.logs(compressBefore: r.jobLogsCompressAfterDays.map { now - Double($0) * 86_400 },
                                    deleteBefore: r.jobLogsDeleteAfterDays.map { now - Double($0) * 86_400 }, dryRun: dryRun)
        let active = try historyCutoff.map { cutoff in
            try store.db.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs WHERE state IN ('waiting','running') AND created_at < ?", arguments: [cutoff]) ?? 0
            }
        } ?? 0
        let audit = try store.pruneAudit(before: auditCutoff, dryRun: dryRun)
        let vacuumed = dryRun ? false : try store.compact()
        let report = GCReport(dryRun: dryRun, at: Timestamp.iso(now, zone) ?? "",
                              jobLogsCompressAfterDays: r.jobLogsCompressAfterDays, jobLogsDeleteAfterDays: r.jobLogsDeleteAfterDays,
                              historyDays: r.historyDays, auditYears: r.auditYears,
                              historyBefore: historyCutoff.flatMap { Timestamp.iso($0, zone) },
                              auditBefore: Timestamp.iso(auditCutoff, zone) ?? "", logs: logs, history: counts,
                              activeRunsKept: active, audit: audit, databaseBefore: before,
                              databaseAfter: dryRun ? before : try store.fileSize(), vacuumed: vacuumed)
        try store.db.write { db in
            try Store.audit(db, user: actor.name, action: dryRun ? "gc.dry-run" : "gc", net: nil, runID: nil, job: nil,
                            reason: reason, result: report.lines.joined(separator: "; "), address: actor.address)
        }
        return report
    }

    /// Whether the daemon's daily gc (`retention: gc_at:`) is due at `now`: past gc_at in the site's
    /// zone on a day it has not run yet (kept in `meta`, so a restart does not run it twice).
    public func nightlyGCDue(now: Double) throws -> String? {
        guard let at = config.retention.gcAt else { return nil }
        let local = now + Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: now)))
        let day = LocalDate(dayNumber: Int((local / 86_400).rounded(.down)))
        let secondOfDay = Int(local - Double(day.dayNumber) * 86_400)
        guard secondOfDay >= at.secondsFromMidnight else { return nil }
        return try store.meta("gc.last-day") == day.description ? nil : day.description
    }

    /// Runs the daily gc if it is due; returns its report's lines (nil when it was not due).
    public func nightlyGC(now: Double) throws -> [String]? {
        guard let day = try nightlyGCDue(now: now) else { return nil }
        // Recorded first: a gc that fails does not retry every second all day; the next day tries again.
        try store.setMeta("gc.last-day", day)
        return try gc(actor: Actor(name: "nightjar-daemon", via: .cli), now: now, dryRun: false, reason: "daily gc (retention: gc_at)").lines
    }
}
