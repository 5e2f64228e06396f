import Foundation
import Printing
import Spool
import Store
import Testing

/// Which files a vendor may fetch: only its own published batches, only the names their SHA256SUMS
/// lists, matched exactly — path tricks and symlinks find nothing.
@Suite(.serialized)
final class VendorAccessTests {
    let site: SpoolSite

    init() throws {
        site = try SpoolSite(config: """
            spool:
              vendors:
                acme: { outbox: outbox/acme }
                other: { outbox: outbox/other }
            """)
    }

    func spool() throws -> Spool {
        let store = try Store(directory: site.state, tables: Spool.tables + PrintRun.tables)
        store.siteRoot = site.root
        return Spool(store: store)
    }

    func published(to vendor: String = "acme") throws -> Int64 {
        let (batch, _) = try site.renderBatch()
        let r = try site.run(["spool", "publish", "\(batch)", "--vendor", vendor])
        #expect(r.status == 0, "\(r.err)")
        return batch
    }

    func isUnknown(_ f: () throws -> Void) -> Bool {
        do { try f(); return false } catch let e as SpoolError {
            if case .unknownBatch = e { return true }
            return false
        } catch { return false }
    }

    @Test func aVendorGetsItsPublishedBatchWithTheListedFiles() throws {
        let batch = try published()
        let v = try spool().vendorBatch(batch, vendor: "acme")
        let dir = site.root.appendingPathComponent("outbox/acme/batch-\(batch)").path
        let listed = try String(contentsOfFile: "\(dir)/SHA256SUMS", encoding: .utf8).split(separator: "\n").map { String($0.dropFirst(66)) }
        #expect(v.files.map(\.name) == listed + ["SHA256SUMS"])
        #expect(Set(listed) == ["vol-0001.pdf", "vol-0002.pdf", "manifest.json", "manifest.csv", "rejects.csv"])
        for f in v.files {
            #expect(f.path == "\(dir)/\(f.name)")
            #expect(f.sha256 == (try Tool.sha256(f.path)), "\(f.name)")
            #expect(f.size == (try FileManager.default.attributesOfItem(atPath: f.path)[.size] as? NSNumber)?.int64Value)
        }
        #expect(v.tarName == "batch-\(batch).tar")
        #expect(try spool().vendorBatches(vendor: "acme").map(\.id) == [batch])
        #expect(try spool().vendorBatches(vendor: "other").isEmpty)
        // Still there once collected (a vendor may fetch a file again after pressing "received").
        #expect(try site.run(["spool", "ack", "\(batch)"]).status == 0)
        #expect(try spool().vendorBatch(batch, vendor: "acme").files.count == 6)
    }

    @Test func otherBatchesLookTheSameAsNoBatch() throws {
        let mine = try published(to: "acme")
        let theirs = try published(to: "other")
        let (unpublished, _) = try site.renderBatch()
        let purged = try published(to: "acme")
        #expect(try site.run(["spool", "purge", "\(purged)"]).status == 0)
        let spool = try spool()
        #expect(isUnknown { _ = try spool.vendorBatch(theirs, vendor: "acme") })
        #expect(isUnknown { _ = try spool.vendorBatch(unpublished, vendor: "acme") })
        #expect(isUnknown { _ = try spool.vendorBatch(purged, vendor: "acme") })
        #expect(isUnknown { _ = try spool.vendorBatch(9999, vendor: "acme") })
        #expect(isUnknown { _ = try spool.vendorBatch(mine, vendor: "ACME") })
        #expect(isUnknown { _ = try spool.vendorBatch(mine, vendor: "") })
        #expect(try spool.vendorBatches(vendor: "acme").map(\.id) == [mine])
    }

    @Test func namesFromAURLMatchOnlyListedFilesExactly() throws {
        let batch = try published()
        let v = try spool().vendorBatch(batch, vendor: "acme")
        let dir = site.root.appendingPathComponent("outbox/acme/batch-\(batch)").path
        #expect(v.file(named: "vol-0001.pdf")?.path == "\(dir)/vol-0001.pdf")
        #expect(v.file(named: "SHA256SUMS")?.path == "\(dir)/SHA256SUMS")
        let tricks = [
            "../batch-\(batch)/vol-0001.pdf", "../../nightjar.yaml", "..", ".", "", "/etc/passwd", "\(dir)/vol-0001.pdf",
            "./vol-0001.pdf", "vol-0001.pdf/", "vol-0001.pdf/.", "..%2Fvol-0001.pdf", "%2E%2E%2Fnightjar.yaml", "vol-0001%2Epdf",
            "batch-\(batch)/vol-0001.pdf", "VOL-0001.PDF", "vol-0001.pdf\u{0}", "vol-0001.pdf ", " vol-0001.pdf",
            "vol-0001.pdf\n", "READY", "batch-\(batch).ack", "manifest.csv/../READY", "..\\vol-0001.pdf",
            "vol\u{2010}0001.pdf", "ｖｏｌ-0001.pdf",
        ]
        for t in tricks { #expect(v.file(named: t) == nil, "\(t.debugDescription)") }
    }

    @Test func aSymlinkInThePublishedCopyRefusesTheBatch() throws {
        let batch = try published()
        let vol = site.root.appendingPathComponent("outbox/acme/batch-\(batch)/vol-0002.pdf").path
        try FileManager.default.removeItem(atPath: vol)
        try FileManager.default.createSymbolicLink(atPath: vol, withDestinationPath: site.root.appendingPathComponent("nightjar.yaml").path)
        #expect {
            _ = try self.spool().vendorBatch(batch, vendor: "acme")
        } throws: { ($0 as? SpoolError)?.description.contains("vol-0002.pdf is missing or not a regular file") == true }
    }

    @Test func aChangedListInTheOutboxRefusesTheBatch() throws {
        let batch = try published()
        let sums = site.root.appendingPathComponent("outbox/acme/batch-\(batch)/SHA256SUMS").path
        var text = try String(contentsOfFile: sums, encoding: .utf8)
        text += "\(String(repeating: "0", count: 64))  READY\n"
        try text.write(toFile: sums, atomically: false, encoding: .utf8)
        #expect {
            _ = try self.spool().vendorBatch(batch, vendor: "acme")
        } throws: { ($0 as? SpoolError)?.description.contains("not the list its render wrote") == true }
    }
}
