import Foundation
import GRDB
import Testing

/// Vendor hand-off and retention through the real binary: publish, acknowledge (by command and by
/// receipt file), checksum mismatch, purge, file modes.
@Suite(.serialized)
final class HandOffTests {
    let site: SpoolSite
    var outbox: String { site.root.appendingPathComponent("outbox/acme").path }

    init() throws {
        site = try SpoolSite(config: """
            spool:
              retention_days: 30
              vendors:
                acme: { outbox: outbox/acme }
            """)
    }

    func mode(_ path: String) throws -> Int {
        ((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }

    func state(_ batch: Int64) throws -> String? {
        let show = try site.json(["spool", "show", "\(batch)"]) as? [String: Any]
        return (show?["batch"] as? [String: Any])?["state"] as? String
    }

    @Test func publishPlacesEverythingWithReadyLastAndOwnerGroupModes() throws {
        let (batch, dir) = try site.renderBatch()
        let r = try site.run(["spool", "publish", "\(batch)", "--vendor", "acme", "--reason", "nightly hand-off"])
        #expect(r.status == 0, "\(r.err)")
        let published = "\(outbox)/batch-\(batch)"
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: published))
        #expect(files == ["vol-0001.pdf", "vol-0002.pdf", "manifest.json", "manifest.csv", "rejects.csv", "SHA256SUMS", "READY"])
        #expect(!FileManager.default.fileExists(atPath: published + ".partial"))
        for f in files {
            #expect(try mode("\(published)/\(f)") == 0o640, "\(f)")
            if f != "READY" { #expect(try Tool.sha256("\(published)/\(f)") == (try Tool.sha256("\(dir)/\(f)"))) }
        }
        #expect(try mode(published) == 0o750)
        #expect(try mode(outbox) == 0o750)
        let readyTime = try FileManager.default.attributesOfItem(atPath: "\(published)/READY")[.modificationDate] as! Date
        for f in files where f != "READY" {
            #expect((try FileManager.default.attributesOfItem(atPath: "\(published)/\(f)")[.modificationDate] as! Date) <= readyTime)
        }
        #expect(try state(batch) == "published")
        // Published once; unknown vendors and batches are bad input.
        #expect(try site.run(["spool", "publish", "\(batch)", "--vendor", "acme"]).status == 2)
        #expect(try site.run(["spool", "publish", "\(batch)", "--vendor", "nobody"]).status == 2)
        #expect(try site.run(["spool", "publish", "99", "--vendor", "acme"]).status == 2)

        let ack = try site.run(["spool", "ack", "\(batch)", "--reason", "vendor phoned"])
        #expect(ack.status == 0, "\(ack.err)")
        #expect(try state(batch) == "collected")
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "spool.publish" && $0["reason"] as? String == "nightly hand-off" })
        #expect(audit.contains { $0["action"] as? String == "spool.ack" && $0["user"] as? String == "test-operator" })
    }

    @Test func anAcknowledgementChecksTheChecksums() throws {
        let (batch, _) = try site.renderBatch()
        #expect(try site.run(["spool", "publish", "\(batch)", "--vendor", "acme"]).status == 0)
        let vol = "\(outbox)/batch-\(batch)/vol-0002.pdf"
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: vol))
        try h.seekToEnd(); try h.write(contentsOf: Data("tampered".utf8)); try h.close()
        let r = try site.run(["spool", "ack", "\(batch)"])
        #expect(r.status == 1)
        #expect(r.err.contains("vol-0002.pdf"))
        #expect(try state(batch) == "published")
        let show = try site.json(["spool", "show", "\(batch)"]) as? [String: Any] ?? [:]
        #expect((show["events"] as? [[String: Any]] ?? []).contains { $0["state"] as? String == "ack-failed" })
    }

    @Test func aReceiptFileAcknowledges() throws {
        let (batch, dir) = try site.renderBatch()
        // A net step names the batch by the directory its render step wrote.
        let published = try site.run(["spool", "publish", dir, "--vendor", "acme"])
        #expect(published.status == 0, "\(published.err)")
        #expect(published.out.contains("batch \(batch): published"))
        #expect(try site.run(["spool", "show", "/no/such/dir"]).status == 2)
        #expect(try site.run(["spool", "ack", "--receipts"]).out.isEmpty)
        FileManager.default.createFile(atPath: "\(outbox)/batch-\(batch).ack", contents: Data("received\n".utf8))
        let r = try site.run(["spool", "ack", "--receipts"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("batch \(batch): collected"))
        #expect(try state(batch) == "collected")
        let show = try site.json(["spool", "show", "\(batch)"]) as? [String: Any] ?? [:]
        #expect((show["events"] as? [[String: Any]] ?? []).contains { $0["user"] as? String == "vendor:acme" })
    }

    @Test func theDaemonPicksUpAReceipt() throws {
        try FileManager.default.createDirectory(at: site.root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        let (batch, _) = try site.renderBatch()
        #expect(try site.run(["spool", "publish", "\(batch)", "--vendor", "acme"]).status == 0)
        let daemon = try site.start(["daemon"])
        defer { kill(daemon, SIGTERM); var st: Int32 = 0; waitpid(daemon, &st, 0) }
        FileManager.default.createFile(atPath: "\(outbox)/batch-\(batch)/ACK", contents: Data())
        let end = Date().addingTimeInterval(15)
        while try state(batch) != "collected" && Date() < end { usleep(200_000) }
        #expect(try state(batch) == "collected")
    }

    @Test func purgeAndRetention() throws {
        let (old, oldDir) = try site.renderBatch()
        let (recent, recentDir) = try site.renderBatch()
        #expect(try site.run(["spool", "publish", "\(recent)", "--vendor", "acme"]).status == 0)
        try site.database().write { try $0.execute(sql: "UPDATE spool_batches SET created_at = created_at - 40 * 86400 WHERE id = ?", arguments: [old]) }
        let r = try site.run(["spool", "purge", "--expired"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("batch \(old): purged"))
        #expect(!FileManager.default.fileExists(atPath: oldDir))
        #expect(FileManager.default.fileExists(atPath: recentDir))
        #expect(try state(old) == "purged")
        // A purged batch cannot be published or printed; purging by hand removes the published copy too.
        #expect(try site.run(["spool", "publish", "\(old)", "--vendor", "acme"]).status == 2)
        #expect(try site.run(["print", "\(old)", "--printer", "capture"]).status == 2)
        #expect(try site.run(["spool", "purge", "\(recent)", "--reason", "withdrawn"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: "\(outbox)/batch-\(recent)"))
        #expect(try site.run(["spool", "purge", "\(recent)"]).status == 2)
        let list = try site.json(["spool", "list"]) as? [[String: Any]] ?? []
        #expect(list.map { $0["state"] as? String } == ["purged", "purged"])
        #expect(list.allSatisfy { $0["id"] != nil && $0["form"] != nil && $0["pages"] != nil })
    }
}
