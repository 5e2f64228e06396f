import Foundation
import LiveHTTP
import Testing

/// A run longer than one page: the counts cover the whole run, the jobs come 500 to a page with what
/// needs an operator first, and an action brings the browser back to the page where the job now stands.
@Suite(.serialized)
final class RunPagePagingTests {
    let site: ConsoleSite

    init() throws {
        // 1,200 jobs in a chain, queued and left for a daemon (none runs here): all wait.
        let jobs = (1...1200).map { i in "  j\(String(format: "%04d", i)): { run: [/bin/true]\(i > 1 ? ", needs: [j\(String(format: "%04d", i - 1))]" : "") }" }
        site = try ConsoleSite(nets: ["long": "name: long\njobs:\n" + jobs.joined(separator: "\n") + "\n"])
        try site.addUser("olivia", role: "operator")
    }

    func rows(_ html: String) -> [String] {
        html.components(separatedBy: "<tr id=\"job-").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func aLongRunIsPagedWithHeldJobsFirstAndCountsOfTheWholeRun() throws {
        let run = try site.queue("long")
        #expect(try site.run(["hold", "long", "j1100", "--run", "\(run)", "--reason", "媒体待ち"]).status == 0)
        let server = try site.serve()
        let browser = Browser(server)
        try browser.login("olivia", password: ConsoleSite.password)

        let first = try browser.get("/runs/\(run)").text
        let firstRows = rows(first)
        #expect(firstRows.count == 500)
        // The held job first, then the net's order.
        #expect(firstRows.prefix(3) == ["j1100", "j0001", "j0002"], "\(firstRows.prefix(3))")
        #expect(first.contains("<b>1200</b>") && first.contains(#"data-state="held""#))
        #expect(first.contains("1–500 / 1200"))
        #expect(first.contains(#"href="/runs/\#(run)?page=2#jobs""#) && !first.contains(#"rel="prev""#))

        let last = try browser.get("/runs/\(run)?page=3").text
        #expect(rows(last).count == 200 && rows(last).last == "j1200" && !rows(last).contains("j1100"))
        #expect(last.contains(#"href="/runs/\#(run)?page=2#jobs""#) && !last.contains(#"rel="next""#))
        // A state's jobs alone, and an English page keeps its language in the page links.
        #expect(rows(try browser.get("/runs/\(run)?state=held").text) == ["j1100"])
        #expect(try browser.get("/runs/\(run)?lang=en").text.contains(#"href="/runs/\#(run)?page=2&amp;lang=en#jobs""#))

        // Released, the job goes back to its place in the net's order: page 3.
        _ = try browser.get("/runs/\(run)/jobs/j1100")
        let released = try browser.post("/runs/\(run)/jobs/j1100/release", ["reason": "届いた"])
        #expect(released.status == 303 && released.header("Location") == "/runs/\(run)?page=3#job-j1100", "\(released.header("Location") ?? "")")
        #expect(rows(try browser.get("/runs/\(run)?page=3").text).contains("j1100"))
    }
}
