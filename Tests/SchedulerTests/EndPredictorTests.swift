import JobNets
@testable import Scheduler
import Testing

/// Predicted ends on virtual time: instants are plain numbers, histories are given, nothing runs.
@Suite struct EndPredictorTests {
    func job(_ name: String, needs: [String] = []) -> Job { Job(name: name, kind: .command(["true"]), needs: needs) }
    func est(_ median: Double, _ high: Double? = nil) -> DurationEstimate { DurationEstimate(median: median, high: high ?? median, samples: 10) }

    @Test func estimatesAreMediansAndNearestRankPercentilesOfWhatWasSeen() {
        let e = DurationEstimate(durations: [10, 12, 11, 300, 13, 9, 10, 11, 12, 10])
        #expect(e.median == 11 && e.high == 13 && e.samples == 10)   // one slow night moves neither much
        #expect(DurationEstimate(durations: [5]) == DurationEstimate(median: 5, high: 5, samples: 1))
        #expect(DurationEstimate(durations: []) == .unknown)
        #expect(DurationEstimate(durations: [-1, .nan, .infinity]) == .unknown)
    }

    @Test func aChainNotYetStartedEndsAtItsPlannedStartPlusItsDurations() {
        let facts: [EndPredictor.JobFacts] = [
            .init(job: job("a"), progress: .waiting, estimate: est(60, 90)),
            .init(job: job("b", needs: ["a"]), progress: .waiting, estimate: est(120, 200)),
        ]
        let p = EndPredictor.predict(facts, concurrency: 4, now: 1000, start: 5000)
        #expect(p.end == 5000 + 180 && p.highEnd == 5000 + 290)
        #expect(p.jobs.map(\.start) == [5000, 5060])
        #expect(p.unknown.isEmpty)
    }

    @Test func aRunInProgressMovesAsItsJobsFinish() {
        let base: [EndPredictor.JobFacts] = [
            .init(job: job("a"), progress: .ended(at: 100), estimate: est(50)),
            .init(job: job("b", needs: ["a"]), progress: .running(since: 100), estimate: est(60)),
            .init(job: job("c", needs: ["b"]), progress: .waiting, estimate: est(30)),
        ]
        #expect(EndPredictor.predict(base, concurrency: 2, now: 120).end == 190)      // b at 160, c by 190
        // b overruns its usual 60 s: it ends "any moment", and c moves with it.
        #expect(EndPredictor.predict(base, concurrency: 2, now: 400).end == 430)
        var finished = base
        finished[1].progress = .ended(at: 170)
        // c has not started by 171, so it starts now at the earliest.
        #expect(EndPredictor.predict(finished, concurrency: 2, now: 171).end == 201)
    }

    @Test func theConcurrencyLimitQueuesJobsInTheNetsOrder() {
        let facts = ["a", "b", "c", "d"].map { EndPredictor.JobFacts(job: job($0), progress: .waiting, estimate: est(10)) }
        let two = EndPredictor.predict(facts, concurrency: 2, now: 0)
        #expect(two.end == 20 && two.jobs.map(\.start) == [0, 0, 10, 10])
        #expect(EndPredictor.predict(facts, concurrency: 4, now: 0).end == 10)
        #expect(EndPredictor.predict(facts, concurrency: 1, now: 0).end == 40)
    }

    @Test func jobsThatWillNotRunAndJobsWithoutHistoryAreSaidSo() {
        let facts: [EndPredictor.JobFacts] = [
            .init(job: job("a"), progress: .wontRun, estimate: est(10)),
            .init(job: job("b", needs: ["a"]), progress: .waiting, estimate: est(500)),
            .init(job: job("c"), progress: .waiting, estimate: .unknown),
            .init(job: job("d", needs: ["c"]), progress: .waiting, estimate: est(5)),
        ]
        let p = EndPredictor.predict(facts, concurrency: 4, now: 0)
        #expect(p.end == 5)                                  // b never runs; c counts as taking no time
        #expect(p.jobs.first { $0.name == "b" }?.end == nil)
        #expect(p.unknown == ["c"])
    }
}
