import Calendars
import OperatorFiles
import Yams

/// How long the state directory keeps what the nights leave behind (`retention:` in nightjar.yaml).
///
/// ```yaml
/// retention:
///   job_logs_compress_after_days: 7    # job logs gzipped this long after their attempt ended
///   job_logs_delete_after_days: 90     # and removed after this long
///   history_days: 400                  # runs, jobs, attempts and events of ended runs pruned after this long
///   audit_years: 5                     # audit rows kept at least this long (default 5, the legal minimum here)
///   gc_at: "06:30"                     # the daemon runs `nightjar gc` daily at this time (site zone)
/// ```
/// Leaving a key out keeps that kind of record forever; only the audit period has a default.
public struct RetentionSettings: Sendable, Equatable {
    public var jobLogsCompressAfterDays: Int?
    public var jobLogsDeleteAfterDays: Int?
    public var historyDays: Int?
    public var auditYears: Int = RetentionSettings.defaultAuditYears
    /// When the daemon runs gc each day; nil: only `nightjar gc` by hand (or cron).
    public var gcAt: TimeOfDay?

    /// 地方自治法 and the cities' own document rules keep operation records five years.
    public static let defaultAuditYears = 5

    public init() {}

    static let keys = ["job_logs_compress_after_days", "job_logs_delete_after_days", "history_days", "audit_years", "gc_at"]

    /// Reads the `retention:` mapping, reporting every problem with its position.
    static func parse(_ node: Node, doc: YAMLDocument) -> RetentionSettings {
        var r = RetentionSettings()
        guard let f = doc.mapping(node, what: "retention", allowed: keys) else { return r }
        r.jobLogsCompressAfterDays = f.int("job_logs_compress_after_days", range: 0...36_500)
        r.jobLogsDeleteAfterDays = f.int("job_logs_delete_after_days", range: 1...36_500)
        r.historyDays = f.int("history_days", range: 1...36_500)
        // Fewer than one year would drop operators' records a city must be able to show an auditor.
        r.auditYears = f.int("audit_years", range: 1...100) ?? defaultAuditYears
        if let compress = r.jobLogsCompressAfterDays, let delete = r.jobLogsDeleteAfterDays, compress >= delete {
            doc.report(f["job_logs_compress_after_days"],
                       "'job_logs_compress_after_days' (\(compress)) must be less than 'job_logs_delete_after_days' (\(delete)): a log would be removed before it is compressed")
        }
        if let history = r.historyDays, let delete = r.jobLogsDeleteAfterDays, delete > history {
            doc.report(f["job_logs_delete_after_days"],
                       "'job_logs_delete_after_days' (\(delete)) is longer than 'history_days' (\(history)): a log outlives the run it belongs to; pruning a run removes its logs")
        }
        if let text = f.string("gc_at") {
            if let t = TimeOfDay(text), t.secondsFromMidnight < 86_400 { r.gcAt = t }
            else { doc.report(f["gc_at"], "'gc_at' is not a time of day: '\(text)'; write for example \"06:30\"") }
        }
        return r
    }
}
