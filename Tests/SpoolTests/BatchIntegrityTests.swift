import Foundation
import Testing

/// A batch hands over exactly the files it rendered: a later render into its directory replaces it,
/// and a failed publish leaves nothing in the vendor's outbox.
@Suite(.serialized)
final class BatchIntegrityTests {
    let site: SpoolSite
    var outbox: String { site.root.appendingPathComponent("outbox/acme").path }

    init() throws {
        site = try SpoolSite(config: """
            spool:
              vendors:
                acme: { outbox: outbox/acme }
            """)
    }

    func batch(_ id: Int64) throws -> [String: Any] {
        (try site.json(["spool", "show", "\(id)"]) as? [String: Any])?["batch"] as? [String: Any] ?? [:]
    }

    func render(_ notices: Int, into out: String, replace: Bool) throws -> Int64 {
        let data = site.root.appendingPathComponent("data-\(notices).csv").path
        #expect(try site.run(["sample-data", "postcard-notice", "-n", "\(notices)", "--out", data]).status == 0)
        let r = try site.run(["render", "--form", "postcard-notice", "--data", data, "--out", out, "--json"] + (replace ? ["--replace"] : []))
        #expect(r.status == 0, "\(r.err)")
        let list = try site.json(["spool", "list"]) as? [[String: Any]] ?? []
        return (list.last?["id"] as? NSNumber)?.int64Value ?? 0
    }

    @Test func aReplacedBatchHandsOverNothingAndSaysWhichReplacedIt() throws {
        let out = site.root.appendingPathComponent("D").path
        let first = try render(3, into: out, replace: false)
        let second = try render(15, into: out, replace: true)
        #expect(second == first + 1)
        #expect(try batch(first)["state"] as? String == "replaced")
        #expect((try batch(first)["replaced_by"] as? NSNumber)?.int64Value == second)

        let publish = try site.run(["spool", "publish", "\(first)", "--vendor", "acme"])
        #expect(publish.status == 2)
        #expect(publish.err.contains("replaced by batch \(second)"), "\(publish.err)")
        #expect(!FileManager.default.fileExists(atPath: "\(outbox)/batch-\(first)"))
        #expect(try site.run(["print", "\(first)", "--printer", "any"]).status == 2)

        // Purging the replaced batch leaves the directory to the batch that now owns it.
        #expect(try site.run(["spool", "purge", "\(first)"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: "\(out)/vol-0001.pdf"))
        let good = try site.run(["spool", "publish", "\(second)", "--vendor", "acme"])
        #expect(good.status == 0, "\(good.err)")
        let ready = try String(contentsOfFile: "\(outbox)/batch-\(second)/READY", encoding: .utf8)
        #expect(ready.contains("notices: 15"))
        #expect(try SpoolSite.manifest("\(outbox)/batch-\(second)").count == 15)
    }

    @Test func aPublishedBatchIsAcknowledgedAgainstItsOwnListAfterItsDirectoryWasReplaced() throws {
        let out = site.root.appendingPathComponent("E").path
        let first = try render(3, into: out, replace: false)
        #expect(try site.run(["spool", "publish", "\(first)", "--vendor", "acme"]).status == 0)
        _ = try render(5, into: out, replace: true)
        // The vendor's copy is the first batch's, intact: acknowledged.
        let ack = try site.run(["spool", "ack", "\(first)"])
        #expect(ack.status == 0, "\(ack.err)")
    }

    @Test func filesChangedBehindABatchAreNotPublished() throws {
        let (id, dir) = try site.renderBatch(notices: 4, volumePages: 10)
        // Someone rewrites the list to match a changed volume: the recorded digest still catches it.
        let vol = "\(dir)/vol-0001.pdf"
        try Data("not the rendered volume".utf8).write(to: URL(fileURLWithPath: vol))
        let sum = try Tool.sha256(vol)
        var sums = try String(contentsOfFile: "\(dir)/SHA256SUMS", encoding: .utf8)
        sums = sums.split(separator: "\n").map { $0.hasSuffix("vol-0001.pdf") ? "\(sum)  vol-0001.pdf" : String($0) }.joined(separator: "\n") + "\n"
        try sums.write(toFile: "\(dir)/SHA256SUMS", atomically: true, encoding: .utf8)
        let r = try site.run(["spool", "publish", "\(id)", "--vendor", "acme"])
        #expect(r.status == 1)
        #expect(r.err.contains("not the list its render wrote"), "\(r.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox).isEmpty)
    }

    @Test func aFailedPublishLeavesNoPartialDirectory() throws {
        let (id, dir) = try site.renderBatch(notices: 4, volumePages: 10)
        // A volume gone from the spool: the copy fails midway.
        try FileManager.default.removeItem(atPath: "\(dir)/manifest.json")
        let r = try site.run(["spool", "publish", "\(id)", "--vendor", "acme"])
        #expect(r.status == 1, "\(r.err)")
        let left = try FileManager.default.contentsOfDirectory(atPath: outbox)
        #expect(left.isEmpty, "left in the outbox: \(left)")
        #expect(try batch(id)["state"] as? String == "rendered")
    }

    @Test func aCopiedSiteActsOnItsOwnFiles() throws {
        let (id, _) = try site.renderBatch(notices: 3, volumePages: 10)
        #expect(try site.run(["spool", "publish", "\(id)", "--vendor", "acme"]).status == 0)
        // The site and its state directory copied elsewhere, the original gone.
        let copy = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightjar-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(try Tool.run(["cp", "-a", site.root.path, copy.path]).status == 0)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("outbox"))
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = copy.appendingPathComponent(".nightjar").path
        let ack = try Tool.spawn([SpoolSite.binary, "spool", "ack", "\(id)", "--root", copy.path], env: env)
        #expect(ack.status == 0, "\(ack.err)")
        let show = try Tool.spawn([SpoolSite.binary, "spool", "show", "\(id)", "--json", "--root", copy.path], env: env)
        let batch = (try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])?["batch"] as? [String: Any]
        #expect((batch?["directory"] as? String)?.hasPrefix(copy.path) == true, "\(show.out)")
        #expect((batch?["published_path"] as? String)?.hasPrefix(copy.path) == true, "\(show.out)")
    }

    @Test func aOneLetterOutputDirectoryRenders() throws {
        let data = site.root.appendingPathComponent("one.csv").path
        #expect(try site.run(["sample-data", "postcard-notice", "-n", "2", "--out", data]).status == 0)
        // --root is the site, but --out is relative to the working directory: give it in full.
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = site.state
        let r = try Tool.spawn(["/bin/sh", "-c", "cd \(site.root.path) && exec \(SpoolSite.binary) render --form postcard-notice --data one.csv --out X"], env: env)
        #expect(r.status == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("X/vol-0001.pdf").path))
    }
}
