import Foundation
import Testing

/// The real `nightjar serve` process and the real `nightjar` CLI: a vendor downloads a rendered and
/// published 2,000-page batch over loopback, checks it with `sha256sum -c`, breaks a download midway,
/// resumes it with Range, and the custody ledger shows both.
@Suite("Vendor portal on the real server", .serialized)
struct RealServerDownloadTests {
    struct FileEntry: Decodable { var name: String; var size: Int64; var sha256: String; var url: String }
    struct FileList: Decodable { var batch: Int64; var files: [FileEntry]; var tar: String; var tar_name: String; var tar_size: Int64 }
    struct LedgerRow: Decodable { var file: String?; var kind: String; var offset: Int64; var length: Int64?; var bytes: Int64; var outcome: String; var account: String; var client: String? }

    @Test func aVendorDownloadsA2000PageBatchResumesABrokenDownloadAndTheLedgerShowsBoth() throws {
        let site = try PortalSite()
        let batch = try site.renderAndPublish(notices: 2000, volumePages: 500)
        // A larger batch for the broken download: loopback TCP buffers several megabytes (4 MiB of
        // send buffer here), so only a download well past that is still being written when the client
        // goes away; anything smaller is, correctly, in the kernel's hands and counted as sent.
        let big = try site.renderAndPublish(notices: 7000, volumePages: 1000)
        let token = try site.vendorAccount("acme-staff")
        try site.serve()
        let base = site.base

        // Every file of the list, one request each, then the vendor's own check.
        let listed = try site.curl(["\(base)/api/v1/vendor/batches/\(batch)/files"], token: token)
        #expect(listed.status == 0, "\(listed.out) \(listed.err)")
        let list = try JSONDecoder().decode(FileList.self, from: Data(listed.out.utf8))
        #expect(list.files.filter { $0.name.hasSuffix(".pdf") }.count == 4, "2,000 pages in volumes of 500: \(list.files.map(\.name))")
        #expect(list.files.contains { $0.name == "SHA256SUMS" })
        let fetched = site.root.appendingPathComponent("fetched")
        try FileManager.default.createDirectory(at: fetched, withIntermediateDirectories: true)
        for f in list.files {
            let r = try site.curl(["-o", f.name, "\(base)\(f.url)"], token: token, in: fetched)
            #expect(r.status == 0, "\(f.name): \(r.err)")
        }
        let check = try site.run(["-c", "SHA256SUMS"], program: "/usr/bin/sha256sum", in: fetched)
        #expect(check.status == 0, "\(check.out)\(check.err)")
        #expect(check.out.split(separator: "\n").count == list.files.count - 1 && !check.out.contains("FAILED"))

        // The larger batch as a tar, broken off midway: the client closes its socket after 1 MB.
        let bigList = try JSONDecoder().decode(FileList.self, from: Data(try site.curl(["\(base)/api/v1/vendor/batches/\(big)/files"], token: token).out.utf8))
        let tarLength = bigList.tar_size
        #expect(tarLength > 8 << 20, "the tar must be larger than what the sockets buffer: \(tarLength)")
        let head = try Self.readPartially(port: site.port, path: bigList.tar, token: token, bytes: 1 << 20)
        let partial = fetched.appendingPathComponent(bigList.tar_name)
        try Data(head).write(to: partial)
        // The server sees the broken connection at its next write: wait for the ledger to say so.
        var rows: [LedgerRow] = []
        let sawBreak = try site.waitFor(30) {
            rows = try Self.ledger(site, big)
            return rows.contains { $0.file == bigList.tar_name && $0.outcome == "broken-off" }
        }
        #expect(sawBreak, "the broken download is in the ledger: \(rows)")

        // Resumed with Range (curl -C -: from the size of the partial file) and checked as a whole.
        let resumed = try site.curl(["-C", "-", "-o", bigList.tar_name, "\(base)\(bigList.tar)"], token: token, in: fetched)
        #expect(resumed.status == 0, "\(resumed.err)")
        let attributes = try FileManager.default.attributesOfItem(atPath: partial.path)
        #expect((attributes[.size] as? NSNumber)?.int64Value == tarLength)
        let extracted = site.root.appendingPathComponent("extracted")
        try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
        #expect(try site.run(["-xf", partial.path], program: "/usr/bin/tar", in: extracted).status == 0)
        let tarCheck = try site.run(["-c", "SHA256SUMS"], program: "/usr/bin/sha256sum", in: extracted.appendingPathComponent("batch-\(big)"))
        #expect(tarCheck.status == 0, "\(tarCheck.out)\(tarCheck.err)")

        // The ledger (the CLI's, read while the server runs): every file of the 2,000-page batch
        // completed; the big tar broken off from 0 and completed from where it stopped; all by the
        // vendor's account from loopback.
        let files = try Self.ledger(site, batch)
        #expect(files.filter { $0.kind == "download" && $0.outcome == "completed" }.count == list.files.count)
        rows = try Self.ledger(site, big)
        let tarRows = rows.filter { $0.file == bigList.tar_name }
        let broken = try #require(tarRows.first { $0.outcome == "broken-off" })
        #expect(broken.offset == 0 && broken.bytes < tarLength && broken.bytes >= Int64(head.count))
        let completed = try #require(tarRows.first { $0.outcome == "completed" })
        #expect(completed.offset == Int64(head.count) && completed.bytes == tarLength - Int64(head.count))
        #expect((files + rows).allSatisfy { $0.account == "acme-staff" && $0.client == "127.0.0.1" })
        let csv = try site.run(["spool", "ledger", "\(big)", "--csv"])
        #expect(csv.status == 0)
        #expect(csv.out.contains(",\(bigList.tar_name),") && csv.out.contains(",broken-off,") && csv.out.contains(",completed,"))
        #expect(csv.out.hasPrefix("id,batch,kind,vendor,account,file,size,offset,length,bytes,client,started_at,ended_at,outcome,detail\n"))
    }

    /// The ledger of `batch` as `spool ledger --json` prints it.
    static func ledger(_ site: PortalSite, _ batch: Int64) throws -> [LedgerRow] {
        try JSONDecoder().decode([LedgerRow].self, from: Data(try site.run(["spool", "ledger", "\(batch)", "--json"]).out.utf8))
    }

    /// A GET over a raw socket that reads the headers and `bytes` bytes of the body, then closes:
    /// the client going away midway. Returns the body bytes read.
    static func readPartially(port: Int, path: String, token: String, bytes: Int) throws -> [UInt8] {
        let fd = try PortalSite.connect(port, receiveBuffer: 64 << 10)
        defer { close(fd) }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var bodyStart: Int?
        while bodyStart.map({ received.count - $0 < bytes }) ?? true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            received += buffer[0..<n]
            if bodyStart == nil, let end = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                bodyStart = end.upperBound
                #expect(String(decoding: received[..<end.lowerBound], as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            }
        }
        let start = try #require(bodyStart)
        return Array(received[start..<min(received.count, start + bytes)])
    }
}
