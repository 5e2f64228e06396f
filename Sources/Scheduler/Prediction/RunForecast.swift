import Calendars
import Foundation
import GRDB
import JobNets
import Store

/// A run's predicted end from the state store: each job's estimate from its net's recorded history,
/// the run's jobs as they stand, walked by `EndPredictor`.
public enum RunForecast {
    /// How many of a job's latest normal attempts make its estimate.
    public static let window = 20
    /// Attempts on the same weekday are preferred when there are at least this many (a Monday batch is
    /// often not a Thursday's); otherwise all of the window count.
    public static let sameWeekdayMinimum = 5

    /// Each job's estimate from its net's latest normal attempts (durations of attempts that ended
    /// with the verdict normal), preferring those of business dates on `weekday`.
    public static func jobEstimates(_ db: Database, net: String, weekday: Int?) throws -> [String: DurationEstimate] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.job AS job, a.ended_at - a.started_at AS took, r.business_date AS date FROM attempts a JOIN runs r ON r.id = a.run_id
            WHERE r.net = ? AND a.state = 'ended' AND a.verdict = 'normal' AND a.ended_at IS NOT NULL
            ORDER BY a.id DESC
            """, arguments: [net])
        var all: [String: [Double]] = [:], same: [String: [Double]] = [:]
        for row in rows {
            let job: String = row["job"], took: Double = row["took"]
            if all[job, default: []].count < window { all[job, default: []].append(took) }
            if let weekday, let date = LocalDate(row["date"] as String), date.weekday == weekday, same[job, default: []].count < window {
                same[job, default: []].append(took)
            }
        }
        var result: [String: DurationEstimate] = [:]
        for (job, durations) in all {
            let preferred = same[job].flatMap { $0.count >= sameWeekdayMinimum ? $0 : nil } ?? durations
            result[job] = DurationEstimate(durations: preferred)
        }
        return result
    }

    /// The predicted end of a run, as it stands at `now`. An ended run's "prediction" is its end.
    public static func forecast(store: Store, run: RunRecord, now: Double) throws -> EndPredictor.Prediction {
        let net = try JSONDecoder().decode(JobNet.self, from: Data(run.definition.utf8))
        let (jobs, estimates) = try store.db.read { db in
            (try JobRecord.fetchAll(db, sql: "SELECT * FROM jobs WHERE run_id = ?", arguments: [run.id]),
             try jobEstimates(db, net: run.net, weekday: LocalDate(run.businessDate)?.weekday))
        }
        let byName = Dictionary(jobs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let facts = net.jobs.map { job -> EndPredictor.JobFacts in
            let record = byName[job.name]
            let progress: EndPredictor.Progress
            switch record?.state ?? .waiting {
            case .running: progress = .running(since: record?.startedAt ?? now)
            case .waiting, .retryWait: progress = run.isEnded ? .wontRun : .waiting
            case .normal, .warning, .skipped: progress = .ended(at: record?.endedAt ?? now)
            case .abnormal: progress = job.onFailure == .continue ? .ended(at: record?.endedAt ?? now) : .wontRun
            case .notRun: progress = .wontRun
            }
            return EndPredictor.JobFacts(job: job, progress: progress, estimate: estimates[job.name] ?? .unknown)
        }
        return EndPredictor.predict(facts, concurrency: net.concurrency, now: now)
    }

    /// The predicted end of a run of `net` for `date` that has not been created yet, starting at `start`.
    public static func forecast(store: Store, net: JobNet, date: LocalDate, start: Double, now: Double) throws -> EndPredictor.Prediction {
        let estimates = try store.db.read { try jobEstimates($0, net: net.name, weekday: date.weekday) }
        let facts = net.jobs.map { EndPredictor.JobFacts(job: $0, progress: .waiting, estimate: estimates[$0.name] ?? .unknown) }
        return EndPredictor.predict(facts, concurrency: net.concurrency, now: now, start: start)
    }
}
