import Foundation
import Testing

/// `status` shows the predicted end of what is in progress, and says "late" against the end deadline.
@Suite struct StatusForecastTests {
    @Test func statusShowsThePredictedEndAndTheDeadlineWhenLate() throws {
        let cli = try CLI(["n": """
            name: n
            end_deadline: "22:31"
            jobs:
              a: { shell: 'sleep 0.2' }
              b: { needs: [a], shell: 'true' }
            """])
        for d in ["2026-06-08", "2026-06-09", "2026-06-10"] { #expect(try cli.run(["run", "n", "--date", d, "-q"]).status == 0) }
        // A run left for a daemon that is not there: it waits, and its end is predicted from now.
        #expect(try cli.run(["run", "n", "--date", "2026-06-11", "--queue"]).status == 0)
        let list = try cli.run(["status"])
        #expect(list.status == 0)
        // 2026-06-11 22:31 JST has long passed: the predicted end comes after it.
        #expect(list.out.contains("END") && list.out.contains("predicted ") && list.out.contains("deadline 22:31 (late)"), "\(list.out)")
        let one = try cli.run(["status", "n"])
        #expect(one.out.split(separator: "\n").dropFirst().first?.hasPrefix("predicted ") == true, "\(one.out)")
    }
}
