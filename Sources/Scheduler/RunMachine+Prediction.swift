/// The early warning of issue 14: a run whose predicted end comes after its end deadline is reported
/// while there is still time to act, once per run, like the missed-deadline alert it anticipates.
extension RunMachine {
    /// The alert kind; its `UNIQUE (net, run_id, kind)` key keeps it to one per run across restarts.
    public static let predictedLateKind = "end-predicted-late"

    /// A run's predicted end (the medians' walk, see `EndPredictor`) looked at `now` against its end
    /// deadline. Silent once the deadline has passed (`end-delay` says that) or after it has warned.
    public static func predictedEnd(_ s: State, predicted: (at: Double, text: String), deadline: (at: Double, text: String)?,
                                    name: Name, at now: Double) -> (State, [Effect]) {
        guard s.state == .waiting || s.state == .running, !s.stopping, let d = deadline, now < d.at, predicted.at > d.at,
              !s.alerted.contains("end-delay") else { return (s, []) }
        var next = s
        guard next.alerted.insert(predictedLateKind).inserted else { return (s, []) }
        return (next, [.alert(kind: predictedLateKind,
                              message: "\(name.net) for \(name.date) is predicted to end at \(predicted.text), after its end deadline \(d.text)")])
    }
}
