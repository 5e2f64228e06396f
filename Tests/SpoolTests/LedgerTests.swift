import Foundation
import GRDB
import Printing
import Spool
import Store
import Testing

/// The custody ledger: downloads begun and finished (or broken off, also by a server that died),
/// refusals, vendor acknowledgements through `acknowledge(ledger:)`, and `spool ledger` printing it.
@Suite(.serialized)
final class LedgerTests {
    let site: SpoolSite
    let acme = LedgerActor(account: "acme-staff1", vendor: "acme", client: "203.0.113.7")

    init() throws {
        site = try SpoolSite(config: """
            spool:
              vendors:
                acme: { outbox: outbox/acme }
                other: { outbox: outbox/other }
            """)
    }

    /// The state directory opened in this process, as the web server will open it.
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

    @Test func downloadsAndRefusalsAreRecordedWithTheirBytes() throws {
        let batch = try published()
        let spool = try spool()
        let t0 = Date(timeIntervalSince1970: 1_780_000_000)
        let whole = try spool.beginDownload(acme, batch: batch, file: "vol-0001.pdf", size: 5000, length: 5000, now: t0)
        #expect(try spool.ledger(batch: batch).last?.outcome == .inProgress)
        #expect(try spool.finishDownload(entry: whole, bytes: 5000, now: t0.addingTimeInterval(2)) == .completed)
        // Resumed from byte 1000 and broken off again after 1500 bytes.
        let resumed = try spool.beginDownload(acme, batch: batch, file: "vol-0002.pdf", size: 5000, offset: 1000, length: 4000, now: t0)
        #expect(try spool.finishDownload(entry: resumed, bytes: 1500, now: t0.addingTimeInterval(1)) == .brokenOff)
        // Closed once: a late second finish changes nothing.
        #expect(try spool.finishDownload(entry: resumed, bytes: 4000) == .brokenOff)
        try spool.recordRefusedDownload(acme, batch: 999, file: "../../etc/passwd", reason: "no such file in the batch", now: t0)
        #expect(throws: SpoolError.self) { try spool.beginDownload(self.acme, batch: batch, file: "x", size: 10, offset: 8, length: 5) }

        let all = try spool.ledger()
        #expect(all.map(\.outcome) == [.completed, .brokenOff, .refused])
        #expect(all.map(\.bytes) == [5000, 1500, 0])
        #expect(all[1].offset == 1000 && all[1].length == 4000 && all[1].size == 5000)
        #expect(all[1].endedAt == t0.addingTimeInterval(1).timeIntervalSince1970)
        #expect(all.allSatisfy { $0.account == "acme-staff1" && $0.client == "203.0.113.7" && $0.kind == .download })
        #expect(try spool.ledger(batch: batch).count == 2)
        #expect(try spool.ledger(batch: 999).map(\.file) == ["../../etc/passwd"])
    }

    @Test func aDownloadWhoseServerDiedIsBrokenOffNotLost() throws {
        let batch = try published()
        let spool = try spool()
        let t0 = Date(timeIntervalSince1970: 1_780_000_000)
        let id = try spool.beginDownload(acme, batch: batch, file: "vol-0001.pdf", size: 9000, length: 9000, now: t0)
        try spool.recordProgress(entry: id, bytes: 4096, now: t0.addingTimeInterval(3))
        // Served by this live process: still in progress, also after a "server start" closes abandoned rows.
        #expect(try spool.closeAbandonedDownloads() == 0)
        #expect(try spool.ledger().first?.outcome == .inProgress)
        // The serving process dies (a process that has ended: its pid with a start time it never had).
        let dead = try Tool.spawn(["/bin/true"], env: [:], wait: true).pid
        try spool.store.db.write { try $0.execute(sql: "UPDATE spool_ledger SET owner = ? WHERE id = ?", arguments: ["\(dead):1", id]) }
        let shown = try #require(try spool.ledger().first)
        #expect(shown.outcome == .brokenOff)
        #expect(shown.bytes == 4096)
        #expect(shown.endedAt == t0.addingTimeInterval(3).timeIntervalSince1970)
        // Read-only so far; closing writes it for good, and a late finish cannot turn it into completed.
        #expect(try spool.store.db.read { try String.fetchOne($0, sql: "SELECT outcome FROM spool_ledger WHERE id = ?", arguments: [id]) } == "in-progress")
        #expect(try spool.closeAbandonedDownloads() == 1)
        #expect(try spool.store.db.read { try String.fetchOne($0, sql: "SELECT outcome FROM spool_ledger WHERE id = ?", arguments: [id]) } == "broken-off")
        #expect(try spool.finishDownload(entry: id, bytes: 9000) == .brokenOff)
    }

    @Test func vendorAcknowledgementsAreRecordedAcceptedOrRefused() throws {
        let batch = try published()
        let spool = try spool()
        // Another vendor's account is told the batch does not exist; the ledger keeps the attempt.
        let other = LedgerActor(account: "other-staff", vendor: "other", client: "198.51.100.2")
        #expect {
            try spool.acknowledge(batch, user: "other-staff", reason: nil, via: "web", ledger: other)
        } throws: { ($0 as? SpoolError)?.description == SpoolError.unknownBatch(batch).description }
        // A tampered volume refuses the acknowledgement and names the file.
        let vol = site.root.appendingPathComponent("outbox/acme/batch-\(batch)/vol-0002.pdf").path
        let original = try Data(contentsOf: URL(fileURLWithPath: vol))
        try (original + Data("x".utf8)).write(to: URL(fileURLWithPath: vol))
        #expect(throws: SpoolError.self) { try spool.acknowledge(batch, user: "acme-staff1", reason: nil, via: "web", ledger: self.acme) }
        try original.write(to: URL(fileURLWithPath: vol))
        try spool.acknowledge(batch, user: "acme-staff1", reason: nil, via: "web", ledger: acme)
        #expect(try spool.batch(batch).state == .collected)
        // Twice: refused, the batch is collected already.
        #expect(throws: SpoolError.self) { try spool.acknowledge(batch, user: "acme-staff1", reason: nil, via: "web", ledger: self.acme) }

        let acks = try spool.ledger(batch: batch)
        #expect(acks.map(\.kind) == [.acknowledgement, .acknowledgement, .acknowledgement, .acknowledgement])
        #expect(acks.map(\.outcome) == [.refused, .refused, .completed, .refused])
        #expect(acks.map(\.vendor) == ["other", "acme", "acme", "acme"])
        #expect(acks[0].detail?.contains("not published to vendor other") == true)
        #expect(acks[1].detail?.contains("vol-0002.pdf") == true)
        #expect(acks[2].client == "203.0.113.7" && acks[2].endedAt != nil)
        // The audit trail has the same actions as `spool ack`'s.
        let audit = try site.json(["audit"]) as? [[String: Any]] ?? []
        #expect(audit.contains { $0["action"] as? String == "spool.ack" && $0["user"] as? String == "acme-staff1" && $0["result"] as? String == "collected (web)" })
    }

    @Test func theOperatorsAckWritesNoLedgerRowAReceiptDoes() throws {
        let byOperator = try published()
        #expect(try site.run(["spool", "ack", "\(byOperator)"]).status == 0)
        let byReceipt = try published()
        FileManager.default.createFile(atPath: site.root.appendingPathComponent("outbox/acme/batch-\(byReceipt).ack").path, contents: Data())
        #expect(try site.run(["spool", "ack", "--receipts"]).status == 0)
        let rows = try spool().ledger()
        #expect(rows.count == 1)
        #expect(rows.first?.batch == byReceipt && rows.first?.account == "receipt batch-\(byReceipt).ack" && rows.first?.outcome == .completed)
    }

    @Test func spoolLedgerPrintsCSVJSONAndATable() throws {
        let batch = try published()
        let spool = try spool()
        let t0 = Date(timeIntervalSince1970: 1_780_000_000)   // 2026-05-28T20:26:40Z
        let id = try spool.beginDownload(acme, batch: batch, file: "vol-0001.pdf", size: 800, offset: 200, length: 600, now: t0)
        try spool.finishDownload(entry: id, bytes: 600, now: t0.addingTimeInterval(1.5))
        let comma = LedgerActor(account: "acme, night \"shift\"", vendor: "acme", client: nil)
        try spool.recordRefusedDownload(comma, batch: batch, file: "batch-\(batch).tar", reason: "range bytes=900- beyond 800", now: t0)

        let csv = try site.run(["spool", "ledger", "\(batch)", "--csv"])
        #expect(csv.status == 0, "\(csv.err)")
        let lines = csv.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == "id,batch,kind,vendor,account,file,size,offset,length,bytes,client,started_at,ended_at,outcome,detail")
        #expect(lines[1] == "1,\(batch),download,acme,acme-staff1,vol-0001.pdf,800,200,600,600,203.0.113.7,2026-05-29T05:26:40.000+09:00,2026-05-29T05:26:41.500+09:00,completed,")
        #expect(lines[2].hasPrefix("2,\(batch),download,acme,\"acme, night \"\"shift\"\"\",batch-\(batch).tar,,0,,0,,"))
        #expect(lines[2].hasSuffix(",refused,range bytes=900- beyond 800"))

        let json = try site.json(["spool", "ledger"]) as? [[String: Any]] ?? []
        #expect(json.map { $0["outcome"] as? String } == ["completed", "refused"])
        #expect(json.first?["started_at"] as? String == "2026-05-29T05:26:40.000+09:00")
        #expect(json.first?["offset"] as? Int == 200)

        let table = try site.run(["spool", "ledger"])
        #expect(table.status == 0)
        #expect(table.out.contains("STARTED (JST)"))
        #expect(table.out.contains("bytes 200-799/800"))

        #expect(try site.run(["spool", "ledger", "--csv", "--json"]).status == 2)
        let unknown = try site.run(["spool", "ledger", "4242"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("no batch 4242"))
        #expect(try site.run(["spool", "ledger", "\(try published())", "--csv"]).out == lines[0] + "\n")
    }
}
