import Foundation
import Scheduler

/// A run's predicted end as `predict --json` and `GET /api/v1/…/forecast` print it.
public struct ForecastView: Codable, Sendable {
    public struct JobForecast: Codable, Sendable {
        public var name: String
        public var start: String?
        public var end: String?
        public var highEnd: String?
        enum CodingKeys: String, CodingKey { case name, start, end, highEnd = "high_end" }
    }

    /// The run, or nil for a run not created yet (predicted from the net's next start).
    public var run: Int64?
    public var net: String
    public var businessDate: String
    /// Expected end (each job's median), and the end to warn by (each job's 90th percentile).
    public var end: String?
    public var highEnd: String?
    /// The end deadline as an instant, and whether the expected end comes after it.
    public var deadline: String?
    public var late: Bool
    /// Jobs still to run with no recorded normal attempt: counted as taking no time.
    public var unknown: [String]
    public var jobs: [JobForecast]

    enum CodingKeys: String, CodingKey {
        case run, net, end, deadline, late, unknown, jobs
        case businessDate = "business_date", highEnd = "high_end"
    }

    public init(run: Int64?, net: String, businessDate: String, prediction: EndPredictor.Prediction, deadline: Double?, zone: TimeZone) {
        self.run = run
        self.net = net
        self.businessDate = businessDate
        end = Timestamp.iso(prediction.end, zone)
        highEnd = Timestamp.iso(prediction.highEnd, zone)
        self.deadline = Timestamp.iso(deadline, zone)
        late = deadline.map { prediction.end > $0 } ?? false
        unknown = prediction.unknown
        jobs = prediction.jobs.map {
            JobForecast(name: $0.name, start: Timestamp.iso($0.start, zone), end: Timestamp.iso($0.end, zone), highEnd: Timestamp.iso($0.highEnd, zone))
        }
    }
}
