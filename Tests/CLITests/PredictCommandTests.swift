import Foundation
import Testing

/// `predict` as an operator uses it: real runs make the history, the verb reads it back.
@Suite struct PredictCommandTests {
    @Test func aNetsNextRunIsPredictedFromItsHistoryAndUnknownJobsAreNamed() throws {
        let cli = try CLI(["n": """
            name: n
            concurrency: 1
            schedule:
              - at: "22:30"
            end_deadline: "22:31"
            jobs:
              a: { shell: 'sleep 0.2' }
              b: { needs: [a], shell: 'sleep 0.1' }
            """])
        try cli.write("Jobs/calendars/default.yaml", "weekends: []\nnational_holidays: false\nyear_end: false\n")
        let fresh = try cli.json(["predict", "n"]) as? [String: Any] ?? [:]
        #expect(fresh["unknown"] as? [String] == ["a", "b"], "\(fresh)")
        for d in ["2026-06-08", "2026-06-09", "2026-06-10"] { #expect(try cli.run(["run", "n", "--date", d, "-q"]).status == 0) }
        let p = try cli.json(["predict", "n"]) as? [String: Any] ?? [:]
        #expect((p["unknown"] as? [String])?.isEmpty == true, "\(p)")
        #expect(p["run"] == nil || p["run"] is NSNull)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let jobs = p["jobs"] as? [[String: Any]] ?? []
        let start = jobs.first.flatMap { ($0["start"] as? String).flatMap(f.date(from:)) }
        let end = (p["end"] as? String).flatMap(f.date(from:))
        let began = try #require(start)
        let took = try #require(end?.timeIntervalSince(began))
        // a then b, one at a time: about 0.3 s of work, plus process start-up.
        #expect(took >= 0.3 && took < 3, "\(took)")
        #expect(p["late"] as? Bool == false)
        let text = try cli.run(["predict", "n"])
        #expect(text.status == 0 && text.out.contains("predicted end") && text.out.contains("end deadline"), "\(text.out)")
        #expect(try cli.run(["predict"]).status == 2)
        #expect(try cli.run(["predict", "../x"]).status == 2)
    }
}
