import BatchFiles
import Foundation
import Printing
import Spool
import Store
import Testing

/// A rendered, published batch streamed as one tar, as a vendor downloads it: the system's `tar -x`
/// and `sha256sum -c SHA256SUMS` inside must both pass, also for a download broken off and resumed.
@Suite(.serialized)
final class BatchTarTests {
    let site: SpoolSite

    init() throws {
        site = try SpoolSite(config: """
            spool:
              vendors:
                acme: { outbox: outbox/acme }
            """)
    }

    /// A new batch of three volumes, published to acme, as acme may fetch it.
    func vendorBatch() throws -> VendorBatch {
        let (batch, _) = try site.renderBatch(notices: 60, volumePages: 25)
        #expect(try site.run(["spool", "publish", "\(batch)", "--vendor", "acme"]).status == 0)
        return try reopened(batch)
    }

    /// The batch as a later request (a new process's spool) finds it.
    func reopened(_ batch: Int64) throws -> VendorBatch {
        let store = try Store(directory: site.state, tables: Spool.tables + PrintRun.tables)
        store.siteRoot = site.root
        return try Spool(store: store).vendorBatch(batch, vendor: "acme")
    }

    /// Streams `count` bytes from `offset` into `file` (appending), chunk by chunk, as a server would.
    func download(_ stream: ByteStream, offset: Int64 = 0, count: Int64? = nil, into file: String) throws -> Int64 {
        if !FileManager.default.fileExists(atPath: file) { FileManager.default.createFile(atPath: file, contents: nil) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        defer { try? out.close() }
        try out.seekToEnd()
        let reader = try stream.reader(offset: offset, count: count)
        while let chunk = try reader.next() {
            #expect(chunk.count <= 256 << 10)
            try out.write(contentsOf: Data(chunk))
        }
        return reader.sent
    }

    func extractAndCheck(_ tar: String, batch: Int64) throws {
        let dest = site.root.appendingPathComponent("extract-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        let x = try Tool.run(["tar", "-xf", tar, "-C", dest])
        #expect(x.status == 0, "\(x.err)")
        let check = try Tool.run(["sh", "-c", "cd \"$1\" && sha256sum -c SHA256SUMS", "sh", "\(dest)/batch-\(batch)"])
        #expect(check.status == 0, "\(check.out)\(check.err)")
        #expect(check.out.contains("vol-0003.pdf: OK") && check.out.contains("manifest.csv: OK"))
    }

    @Test func theWholeBatchAsOneTarExtractsAndVerifies() throws {
        let v = try vendorBatch()
        let tar = try v.tar()
        let file = site.root.appendingPathComponent(v.tarName).path
        #expect(try download(tar.stream, into: file) == tar.length)
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value == tar.length)
        // The length is known up front from the listed sizes: headers, padded contents, the end blocks.
        let padded = v.files.reduce(Int64(0)) { $0 + 512 + ($1.size + 511) / 512 * 512 }
        #expect(tar.length == 512 + padded + 1024)
        try extractAndCheck(file, batch: v.batch.id)
        let names = try Tool.run(["tar", "-tf", file]).out.split(separator: "\n").map(String.init)
        #expect(names.first == "batch-\(v.batch.id)/" && names.dropFirst().first == "batch-\(v.batch.id)/SHA256SUMS")
        #expect(names.count == v.files.count + 1)
    }

    @Test func aBrokenTarDownloadResumesWithARange() throws {
        let v = try vendorBatch()
        let tar = try v.tar()
        let file = site.root.appendingPathComponent(v.tarName).path
        // Broken off in the middle of a volume, then resumed from the byte after the last one kept.
        let kept = tar.length / 2 + 123
        #expect(try download(tar.stream, count: kept, into: file) == kept)
        #expect(try Tool.run(["tar", "-tf", file]).status != 0)    // truncated: not a whole archive
        // Asked again: a new listing and archive, byte for byte the same (same members, same times).
        let again = try reopened(v.batch.id).tar()
        #expect(again.length == tar.length)
        #expect(try download(again.stream, offset: kept, into: file) == tar.length - kept)
        try extractAndCheck(file, batch: v.batch.id)
    }

    @Test func aSingleFileStreamsAsItIsOnDisk() throws {
        let v = try vendorBatch()
        let vol = try #require(v.file(named: "vol-0002.pdf"))
        let copy = site.root.appendingPathComponent("copy.pdf").path
        #expect(try download(vol.stream, offset: 0, count: 1000, into: copy) == 1000)
        #expect(try download(vol.stream, offset: 1000, into: copy) == vol.size - 1000)
        #expect(try Tool.sha256(copy) == vol.sha256)
    }
}
