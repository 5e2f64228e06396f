/// How long a job usually takes, from its recorded history: the median and a high percentile of its
/// last normal attempts. Robust to the odd slow night (a mean is not), and the high percentile gives
/// the end to warn by.
public struct DurationEstimate: Equatable, Sendable {
    /// Seconds.
    public var median: Double
    /// Seconds: the 90th percentile (nearest rank), never below the median.
    public var high: Double
    /// How many attempts it was made from; 0 means no history (both figures are 0).
    public var samples: Int

    public init(median: Double, high: Double, samples: Int) {
        self.median = median; self.high = max(high, median); self.samples = samples
    }

    public static let unknown = DurationEstimate(median: 0, high: 0, samples: 0)

    /// From durations in seconds (any order). Nearest-rank percentiles: every figure is a duration
    /// that was really seen.
    public init(durations: [Double]) {
        let sorted = durations.filter { $0.isFinite && $0 >= 0 }.sorted()
        guard !sorted.isEmpty else { self = .unknown; return }
        func rank(_ p: Double) -> Double {
            let k = Int((p * Double(sorted.count)).rounded(.up))
            return sorted[min(max(k, 1), sorted.count) - 1]
        }
        self.init(median: rank(0.5), high: rank(0.9), samples: sorted.count)
    }
}
