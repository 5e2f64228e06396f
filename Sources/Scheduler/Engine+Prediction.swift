import Calendars
import Foundation
import JobNets

extension Engine {
    /// How often a run's predicted end is looked at again (seconds of the engine's clock): a walk reads
    /// the net's history, and a prediction moves little in half a minute.
    public static let predictionInterval = 30.0

    /// Predicts the end of every run with an end deadline (from the store, as `RunForecast` does for
    /// `predict`) and raises `end-predicted-late` once when it comes after the deadline. The daemon
    /// calls this on its housekeeping tick; the instant is passed in so tests use virtual time.
    public func checkPredictedEnds(now given: Double? = nil) {
        let now = given ?? clock.now()
        for run in runs.values.sorted(by: { $0.id < $1.id }) where run.net.endDeadline != nil {
            guard now >= run.nextPredictionCheck, !run.machine.alerted.contains(RunMachine.predictedLateKind),
                  !run.machine.alerted.contains("end-delay"), let end = deadlines(run).end, now < end.at else { continue }
            run.nextPredictionCheck = now + Self.predictionInterval
            guard let record = try? store.run(run.id), let prediction = try? RunForecast.forecast(store: store, run: record, now: now) else { continue }
            let clock = ZonedClock(zoneIdentifier: run.net.timezone ?? config.timezone) ?? ZonedClock(zone: .current)
            let text = { (t: Double) in String(clock.timeOfDay(of: Date(timeIntervalSince1970: t)).description.prefix(5)) }
            performRun(RunMachine.predictedEnd(run.machine, predicted: (prediction.end, text(prediction.end)),
                                               deadline: (end.at, text(end.at)), name: run.name, at: now), run)
        }
    }
}
