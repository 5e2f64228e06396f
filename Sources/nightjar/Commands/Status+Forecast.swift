import Foundation
import Operations

extension Status {
    /// A run's predicted end for the status lines: "predicted 04:52", or, when it comes after the end
    /// deadline, "predicted 04:52, deadline 04:30 (late)". Nil when it cannot be predicted; the table
    /// then shows "-" rather than failing the verb.
    static func forecastText(_ ops: Operations?, run: Int64) -> String? {
        guard let ops, let view = try? ops.forecast(run: run), let end = view.end else { return nil }
        // The view's times are RFC 3339 in the site's zone: HH:MM is in the site's wall clock.
        func clock(_ iso: String) -> String { String(iso.dropFirst(11).prefix(5)) }
        var text = "predicted \(clock(end))"
        if view.late, let deadline = view.deadline { text += ", deadline \(clock(deadline)) (late)" }
        return text
    }
}
