import JobNets

/// When a run will end, walked along its net: each job's usual duration (`DurationEstimate`), its
/// `needs:` and the net's concurrency, from what has already happened. JP1's execution simulation
/// averages whole past runs per net; walking the jobs instead lets a run in progress get an end that
/// moves as its jobs finish, and a job that runs long pushes back exactly what waits on it.
///
/// Pure: the facts and the instant come in, the prediction goes out. The walk is the engine's own
/// start rule (ready jobs in the net's order, as many as the concurrency leaves room for), once with
/// the medians (the expected end) and once with the high percentiles (the end to warn by).
public enum EndPredictor {
    /// What is known of one job now.
    public enum Progress: Equatable, Sendable {
        /// Ended (by itself or by an operator's skip) at this instant.
        case ended(at: Double)
        /// Running since this instant.
        case running(since: Double)
        /// Not started yet (held ones included: they are predicted as if released now).
        case waiting
        /// Will not run in this run (a need failed, or the run stopped).
        case wontRun

        /// Still to run or running: what the prediction is about.
        var isOpen: Bool {
            switch self {
            case .running, .waiting: return true
            case .ended, .wontRun: return false
            }
        }
    }

    public struct JobFacts: Sendable {
        public var job: Job
        public var progress: Progress
        public var estimate: DurationEstimate
        public init(job: Job, progress: Progress, estimate: DurationEstimate) {
            self.job = job; self.progress = progress; self.estimate = estimate
        }
    }

    public struct JobPrediction: Equatable, Sendable {
        public var name: String
        public var start: Double?
        public var end: Double?
        public var highEnd: Double?
    }

    public struct Prediction: Equatable, Sendable {
        /// The expected end of the run (medians), and the end to warn by (high percentiles).
        public var end: Double
        public var highEnd: Double
        public var jobs: [JobPrediction]
        /// Jobs with no recorded history: counted as taking no time, so the end is too early by them.
        public var unknown: [String]
    }

    /// `start`: when the run starts, for a run that has not (its planned start); ignored once any job ran.
    public static func predict(_ facts: [JobFacts], concurrency: Int, now: Double, start: Double? = nil) -> Prediction {
        let expected = walk(facts, concurrency: concurrency, now: now, start: start) { $0.median }
        let high = walk(facts, concurrency: concurrency, now: now, start: start) { $0.high }
        let jobs = facts.map { f in
            JobPrediction(name: f.job.name, start: expected.starts[f.job.name], end: expected.ends[f.job.name], highEnd: high.ends[f.job.name])
        }
        let unknown = facts.filter { $0.estimate.samples == 0 && $0.progress.isOpen }.map(\.job.name)
        return Prediction(end: expected.last, highEnd: high.last, jobs: jobs, unknown: unknown)
    }

    /// One list-scheduling walk: an event loop over job ends, starting ready jobs in the net's order.
    static func walk(_ facts: [JobFacts], concurrency: Int, now: Double, start: Double?,
                     duration: (DurationEstimate) -> Double) -> (starts: [String: Double], ends: [String: Double], last: Double) {
        var starts: [String: Double] = [:], ends: [String: Double] = [:]
        var done: Set<String> = []
        var running: [(end: Double, name: String)] = []
        var waiting: [JobFacts] = []
        var last = now
        let began = facts.contains { if case .ended = $0.progress { return true }; if case .running = $0.progress { return true }; return false }
        var clock = began ? now : max(now, start ?? now)
        for f in facts {
            switch f.progress {
            case .ended(let at):
                done.insert(f.job.name); ends[f.job.name] = at; last = max(last, at)
            case .running(let since):
                // Already past its usual end: it ends any moment now, not in the past.
                let end = max(now, since + duration(f.estimate))
                starts[f.job.name] = since; ends[f.job.name] = end
                running.append((end, f.job.name))
            case .waiting:
                waiting.append(f)
            case .wontRun:
                break
            }
        }
        let wontRun = Set(facts.filter { $0.progress == .wontRun }.map(\.job.name))
        // Waiting jobs that need one that will not run, directly or not, will not run either.
        var blocked = wontRun
        var changed = true
        while changed {
            changed = false
            for f in waiting where !blocked.contains(f.job.name) && f.job.needs.contains(where: blocked.contains) {
                blocked.insert(f.job.name); changed = true
            }
        }
        waiting.removeAll { blocked.contains($0.job.name) }
        let limit = max(1, concurrency)
        // Indexed, so a net of 10,000 jobs walks in milliseconds: each job's count of needs not yet
        // done, who waits on whom, the ready ones by the net's order, the running ones by their end.
        let index = Dictionary(facts.enumerated().map { ($1.job.name, $0) }, uniquingKeysWith: { a, _ in a })
        var unmet: [String: Int] = [:]
        var dependents: [String: [JobFacts]] = [:]
        var ready = Heap<(Int, JobFacts)> { $0.0 < $1.0 }
        for f in waiting {
            let open = f.job.needs.filter { !done.contains($0) }
            unmet[f.job.name] = open.count
            for n in open { dependents[n, default: []].append(f) }
            if open.isEmpty { ready.push((index[f.job.name] ?? 0, f)) }
        }
        var ending = Heap<(end: Double, name: String)> { ($0.end, $0.name) < ($1.end, $1.name) }
        for r in running { ending.push(r) }
        while true {
            // Start what is ready, in the net's order, while there is room.
            while ending.count < limit, let item = ready.pop() {
                let f = item.1
                let end = clock + duration(f.estimate)
                starts[f.job.name] = clock; ends[f.job.name] = end
                ending.push((end, f.job.name))
            }
            guard let next = ending.pop() else { break }   // nothing runs: the rest can never start (a cycle)
            clock = max(clock, next.end)
            done.insert(next.name)
            last = max(last, next.end)
            for d in dependents[next.name] ?? [] {
                let left = (unmet[d.job.name] ?? 1) - 1
                unmet[d.job.name] = left
                if left == 0 { ready.push((index[d.job.name] ?? 0, d)) }
            }
        }
        return (starts, ends, last)
    }
}

/// A binary heap: the smallest element by `less` first.
struct Heap<Element> {
    private var items: [Element] = []
    let less: (Element, Element) -> Bool
    init(_ less: @escaping (Element, Element) -> Bool) { self.less = less }
    var count: Int { items.count }

    mutating func push(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count && less(items[l], items[m]) { m = l }
            if r < items.count && less(items[r], items[m]) { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
        return top
    }
}
