import Foundation
import GRDB
import Testing

/// `nightjar print` against a real private cupsd: bytes, options, splitting, a paused queue, a killed
/// cupsd, notice reprints. Each test has its own cupsd and site.
@Suite(.serialized)
final class PrintTests {
    let cups: PrivateCUPS
    let site: SpoolSite

    init() throws {
        cups = try PrivateCUPS()
        site = try SpoolSite()
        site.cupsServer = cups.server
    }

    func printJobs(_ batch: Int64) throws -> [[String: Any]] {
        let show = try site.json(["spool", "show", "\(batch)"]) as? [String: Any] ?? [:]
        return (show["prints"] as? [[String: Any]] ?? []).flatMap { $0["jobs"] as? [[String: Any]] ?? [] }
    }

    @Test func bytesArriveUnchangedWithTheirOptions() throws {
        let (batch, dir) = try site.renderBatch(notices: 30, volumePages: 20)
        let r = try site.run(["print", "\(batch)", "--printer", "capture", "-o", "media=jpn_hagaki_100x148mm",
                              "-o", "sides=two-sided-long-edge", "-o", "copies=2", "-o", "output-bin=face-down", "-o", "finishings=4"])
        #expect(r.status == 0, "\(r.err)")
        let jobs = try cups.captured(batch: batch, print: 1)
        #expect(jobs.count == 2)
        for (job, volume) in zip(jobs, ["vol-0001.pdf", "vol-0002.pdf"]) {
            #expect(job.sha256 == (try Tool.sha256("\(dir)/\(volume)")))
            #expect(job.sha256 == (try Tool.sha256(job.pdf)))
            #expect(job.copies == 2)
            for o in ["media=jpn_hagaki_100x148mm", "sides=two-sided-long-edge", "output-bin=face-down", "finishings=4"] {
                #expect(job.options.split(separator: " ").contains(Substring(o)), "\(o) not in \(job.options)")
            }
        }
        let list = try site.json(["spool", "list"]) as? [[String: Any]] ?? []
        #expect(list.first?["state"] as? String == "printed")
        // Printed once: again only when asked.
        #expect(try site.run(["print", "\(batch)", "--printer", "capture"]).status == 2)
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "print" && $0["user"] as? String == "test-operator" })
    }

    @Test func aVolumeChangedSinceTheRenderIsNeverSent() throws {
        let (batch, dir) = try site.renderBatch(notices: 30, volumePages: 10)
        // The third volume is overwritten after the render (its list left as it was).
        let third = "\(dir)/vol-0003.pdf"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/vol-0001.pdf"))
        try bytes.write(to: URL(fileURLWithPath: third))
        let r = try site.run(["print", "\(batch)", "--printer", "capture"])
        #expect(r.status == 1)
        #expect(r.err.contains("vol-0003.pdf no longer matches the batch's SHA256SUMS; it was not sent"), "\(r.err)")
        // The two good volumes went (the capture queue writes them as CUPS gets to them); the changed one did not.
        var jobs: [PrivateCUPS.Captured] = []
        for _ in 0..<300 where jobs.count < 2 {
            jobs = try cups.captured(batch: batch, print: 1)
            usleep(50_000)
        }
        #expect(jobs.count == 2)
        usleep(500_000)
        #expect(try cups.captured(batch: batch, print: 1).count == 2)
        #expect(try jobs.map(\.sha256) == [Tool.sha256("\(dir)/vol-0001.pdf"), Tool.sha256("\(dir)/vol-0002.pdf")])
    }

    @Test func aLargeBatchGoesAsSeveralJobsSplitAtNotices() throws {
        let (batch, dir) = try site.renderBatch(notices: 30, volumePages: 20)
        let r = try site.run(["print", "\(batch)", "--printer", "capture", "--pages-per-job", "8"])
        #expect(r.status == 0, "\(r.err)")
        let jobs = try cups.captured(batch: batch, print: 1)
        // vol-0001 (20 pages) → 8 + 8 + 4; vol-0002 (10 pages) → 8 + 2.
        #expect(try jobs.map { try Tool.pages($0.pdf) } == [8, 8, 4, 8, 2])
        let all = try jobs.map { try Tool.text($0.pdf) }.joined()
        let original = try Tool.text("\(dir)/vol-0001.pdf") + Tool.text("\(dir)/vol-0002.pdf")
        #expect(all == original)
        #expect(try printJobs(batch).allSatisfy { $0["state"] as? String == "completed" && $0["ipp_job_id"] != nil })
    }

    @Test func aPausedQueueIsWaitedForAndResumedWithoutDuplicates() throws {
        let (batch, _) = try site.renderBatch(notices: 30, volumePages: 10)
        #expect(try cups.admin(["cupsdisable", "-r", "paused by test", "capture"]) == 0)
        let r = try site.run(["print", "\(batch)", "--printer", "capture", "--wait-timeout", "1"])
        #expect(r.status == 1)
        #expect(r.err.contains("stopped"))
        #expect(try printJobs(batch).map { $0["state"] as? String } == ["pending", "pending", "pending"])
        #expect(try cups.captured(batch: batch, print: 1).isEmpty)
        #expect(try cups.admin(["cupsenable", "capture"]) == 0)
        let resumed = try site.run(["print", "\(batch)", "--resume"])
        #expect(resumed.status == 0, "\(resumed.err)")
        let jobs = try cups.captured(batch: batch, print: 1)
        #expect(jobs.count == 3)
        #expect(try jobs.reduce(0) { $0 + (try Tool.pages($1.pdf)) } == 30)
        #expect(try site.run(["print", "\(batch)", "--resume"]).status == 2)   // nothing left to resume
    }

    @Test func aCancelledPrintPrintsNothingMoreAndReturnsTheBatch() throws {
        let (batch, _) = try site.renderBatch(notices: 30, volumePages: 10)
        #expect(try site.run(["print", "\(batch)", "--cancel"]).status == 2)   // nothing to cancel yet
        #expect(try cups.admin(["cupsdisable", "capture"]) == 0)
        #expect(try site.run(["print", "\(batch)", "--printer", "capture", "--wait-timeout", "0.5"]).status == 1)
        #expect(try printJobs(batch).map { $0["state"] as? String } == ["pending", "pending", "pending"])
        #expect(try site.run(["print", "\(batch)", "--cancel", "--printer", "capture"]).status == 2)
        let r = try site.run(["print", "\(batch)", "--cancel", "--reason", "wrong paper loaded"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("3 IPP jobs cancelled"))
        #expect(try printJobs(batch).allSatisfy { $0["state"] as? String == "canceled" })
        // The queue runs again: nothing of the cancelled print comes out.
        #expect(try cups.admin(["cupsenable", "capture"]) == 0)
        usleep(1_500_000)
        #expect(try cups.captured(batch: batch, print: 1).isEmpty)
        #expect(try site.run(["print", "\(batch)", "--resume"]).status == 2)
        let list = try site.json(["spool", "list"]) as? [[String: Any]] ?? []
        #expect(list.first?["state"] as? String == "rendered")
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "print.cancel" && $0["reason"] as? String == "wrong paper loaded" })
        // A new print starts afresh and completes.
        let again = try site.run(["print", "\(batch)", "--printer", "capture"])
        #expect(again.status == 0, "\(again.err)")
        #expect(try cups.captured(batch: batch, print: 2).count == 3)
    }

    @Test func aPrintStillWaitingStopsWhenCancelledFromElsewhere() throws {
        let (batch, _) = try site.renderBatch(notices: 30, volumePages: 10)
        #expect(try cups.admin(["cupsdisable", "capture"]) == 0)
        let pid = try site.start(["print", "\(batch)", "--printer", "capture"])   // waits for CUPS without a limit
        for _ in 0..<100 where try printJobs(batch).map({ $0["state"] as? String }) != ["pending", "pending", "pending"] { usleep(100_000) }
        #expect(try site.run(["print", "\(batch)", "--cancel"]).status == 0)
        var status: Int32 = 0, ended: pid_t = 0
        for _ in 0..<100 where ended == 0 {
            ended = waitpid(pid, &status, WNOHANG)
            if ended == 0 { usleep(100_000) }
        }
        if ended == 0 { kill(pid, SIGKILL); _ = waitpid(pid, &status, 0) }
        #expect(ended == pid, "the waiting print did not notice the cancel")
        #expect((status >> 8) & 0xFF == 1)
        #expect(try printJobs(batch).allSatisfy { $0["state"] as? String == "canceled" })
    }

    @Test func aKilledCupsdIsSurvivedAndNothingPrintsTwice() throws {
        let (batch, _) = try site.renderBatch(notices: 40, volumePages: 10)
        #expect(try cups.admin(["cupsdisable", "capture"]) == 0)
        // Half the jobs accepted, then cupsd dies.
        #expect(try site.run(["print", "\(batch)", "--printer", "capture", "--wait-timeout", "0.5"]).status == 1)
        try cups.crash()
        let down = try site.run(["print", "\(batch)", "--resume", "--wait-timeout", "0.5"])
        #expect(down.status == 1)
        #expect(down.err.contains("--resume"))
        // Forget one job's acceptance, as if cupsd died between Create-Job and the end of the document.
        try site.database().write { try $0.execute(sql: "UPDATE print_jobs SET state = 'created' WHERE seq = 2") }
        try cups.restart()
        #expect(try cups.admin(["cupsenable", "capture"]) == 0)
        let r = try site.run(["print", "\(batch)", "--resume"])
        #expect(r.status == 0, "\(r.err)")
        let jobs = try cups.captured(batch: batch, print: 1)
        #expect(try jobs.reduce(0) { $0 + (try Tool.pages($1.pdf)) } == 40)
        #expect(Set(jobs.map(\.title)).count == jobs.count)
        #expect(try printJobs(batch).allSatisfy { $0["state"] as? String == "completed" })
    }

    @Test func aReprintHoldsExactlyTheNoticesAsked() throws {
        let (batch, dir) = try site.renderBatch(notices: 30, volumePages: 20)
        let manifest = try SpoolSite.manifest(dir)
        let wanted = [manifest[24], manifest[2], manifest[3]]   // given out of order; printed in manifest order
        let r = try site.run(["print", "\(batch)", "--printer", "capture", "--notices"] + wanted.map(\.key))
        #expect(r.status == 0, "\(r.err)")
        let jobs = try cups.captured(batch: batch, print: 1)
        let got = try jobs.map { try Tool.text($0.pdf) }.joined()
        let expected = try [manifest[2], manifest[3], manifest[24]].map {
            try Tool.text("\(dir)/\($0.volume)", first: $0.first, last: $0.first + $0.pages - 1)
        }.joined()
        #expect(try jobs.reduce(0) { $0 + (try Tool.pages($1.pdf)) } == 3)
        #expect(got == expected)
        let list = try site.json(["spool", "list"]) as? [[String: Any]] ?? []
        #expect(list.first?["state"] as? String == "rendered")   // a reprint does not print the batch
    }

    @Test func theCupsPDFQueueGetsHagakiPages() throws {
        let (batch, _) = try site.renderBatch(notices: 2, volumePages: 20)
        let r = try site.run(["print", "\(batch)", "--printer", "pdf", "-o", "media=jpn_hagaki_100x148mm"])
        #expect(r.status == 0, "\(r.err)")
        let out = cups.dir + "/pdf-out"
        let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".pdf") }
        #expect(files.count == 1)
        let info = try Tool.run(["pdfinfo", "\(out)/\(files[0])"]).out
        #expect(info.contains("Pages:           2"))
        #expect(info.contains("283") && info.contains("419"))
    }

    @Test func badInputExitsTwo() throws {
        let (batch, _) = try site.renderBatch(notices: 3, volumePages: 20)
        for args in [["print", "99", "--printer", "capture"],
                     ["print", "\(batch)", "--printer", "capture", "-o", "finishings=staple"],
                     ["print", "\(batch)", "--printer", "capture", "-o", "nonsense"],
                     ["print", "\(batch)", "--printer", "no-such-queue"],
                     ["print", "\(batch)", "--printer", "capture", "--notices", "NO-SUCH-KEY"]] {
            let r = try site.run(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.err)")
            #expect(!r.err.isEmpty)
        }
        #expect(try cups.captured().isEmpty)
    }
}
