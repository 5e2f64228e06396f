import Accounts
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Operations
import Spool
import Testing
@testable import Web

/// The vendor portal's downloads, acknowledgement and the custody ledger, on the router (no socket).
@Suite("Vendor portal: downloads, Range, isolation, received, ledger")
struct VendorDownloadTests {
    /// A PDF-named file larger than one chunk (256 KiB), so a download takes several writes.
    static let volume: [UInt8] = (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
    static let manifest = Array("key,volume,first_page,pages\nA1,volume-001.pdf,1,1\n".utf8)

    /// The test site with real published copies: batch 1 (acme) and batch 2 (globex), each with a
    /// volume, a manifest and their SHA256SUMS, and beside them a file the list does not name.
    static func site() throws -> (WebSite, acme: String, globex: String) {
        let site = try WebSite()
        let acme = try site.publishFiles(batch: 1, ["volume-001.pdf": volume, "manifest.csv": manifest])
        let globex = try site.publishFiles(batch: 2, ["volume-001.pdf": Array("globex's own".utf8)])
        return (site, acme, globex)
    }

    static func sha256(_ bytes: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try Checksums.sha256(file: file.path)
    }

    static func uri(_ batch: Int64, _ rest: String) -> String { "/api/v1/vendor/batches/\(batch)/\(rest)" }

    @Test func aFileDownloadsWholeWithItsHeadersAndIsACompletedLedgerRow() async throws {
        let (site, _, _) = try Self.site()
        let acme = try #require(site.tokens["vendor:acme"])
        let tag = "\"\(try Self.sha256(Self.volume))\""
        try await site.test { client in
            try await client.execute(uri: Self.uri(1, "files/volume-001.pdf"), method: .get, headers: WebSite.bearer(acme)) { r in
                #expect(r.status == .ok)
                #expect(Array(r.body.readableBytesView) == Self.volume)
                #expect(r.headers[.contentLength] == "\(Self.volume.count)")
                #expect(r.headers[.contentType] == "application/pdf")
                #expect(r.headers[.acceptRanges] == "bytes")
                #expect(r.headers[.eTag] == tag)
                #expect(r.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"volume-001.pdf\"") == true)
            }
            try await client.execute(uri: Self.uri(1, "files/manifest.csv"), method: .get, headers: WebSite.bearer(acme)) { r in
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(Array(r.body.readableBytesView) == Self.manifest)
            }
            try await client.execute(uri: Self.uri(1, "files/SHA256SUMS"), method: .get, headers: WebSite.bearer(acme)) { r in
                #expect(String(buffer: r.body).contains("  volume-001.pdf\n"))
            }
        }
        let rows = try site.ops.ledger(batch: "1")
        let volume = try #require(rows.first { $0.file == "volume-001.pdf" })
        #expect(volume.outcome == "completed" && volume.bytes == Int64(Self.volume.count) && volume.offset == 0)
        #expect(volume.account == "vendor-acme" && volume.vendor == "acme" && volume.kind == "download")
        #expect(rows.filter { $0.outcome == "completed" }.count == 3)
    }

    @Test func rangesResumeAndBeyondTheEndIs416() async throws {
        let (site, _, _) = try Self.site()
        let acme = try #require(site.tokens["vendor:acme"])
        let n = Self.volume.count
        let tag = "\"\(try Self.sha256(Self.volume))\""
        try await site.test { client in
            func get(_ range: String, ifRange: String? = nil) async throws -> TestResponse {
                var headers = WebSite.bearer(acme)
                headers[.range] = range
                if let ifRange { headers[.ifRange] = ifRange }
                return try await client.execute(uri: Self.uri(1, "files/volume-001.pdf"), method: .get, headers: headers) { $0 }
            }
            var r = try await get("bytes=300000-")
            #expect(r.status == .partialContent)
            #expect(r.headers[.contentRange] == "bytes 300000-\(n - 1)/\(n)")
            #expect(r.headers[.contentLength] == "\(n - 300000)")
            #expect(Array(r.body.readableBytesView) == Array(Self.volume[300000...]))
            r = try await get("bytes=-10")
            #expect(r.status == .partialContent && Array(r.body.readableBytesView) == Array(Self.volume[(n - 10)...]))
            r = try await get("bytes=5-9")
            #expect(r.headers[.contentRange] == "bytes 5-9/\(n)" && Array(r.body.readableBytesView) == Array(Self.volume[5...9]))
            // If-Range: the same version resumes; another version gets the whole file, never a mix.
            r = try await get("bytes=10-", ifRange: tag)
            #expect(r.status == .partialContent)
            r = try await get("bytes=10-", ifRange: "\"an-older-version\"")
            #expect(r.status == .ok && r.body.readableBytes == n)
            // A range starting at the end: 416 with the length, a JSON error, and a refusal in the ledger.
            r = try await get("bytes=\(n)-")
            #expect(r.status == .rangeNotSatisfiable)
            #expect(r.headers[.contentRange] == "bytes */\(n)")
            #expect(String(buffer: r.body).contains("\"error\""))
        }
        let rows = try site.ops.ledger(batch: "1")
        #expect(rows.contains { $0.offset == 300000 && $0.length == Int64(n - 300000) && $0.outcome == "completed" && $0.bytes == Int64(n - 300000) })
        #expect(rows.contains { $0.outcome == "refused" && $0.file == "volume-001.pdf" && ($0.detail ?? "").contains("beyond") })
    }

    @Test func theTarHoldsTheBatchAndResumesWithARange() async throws {
        let (site, _, _) = try Self.site()
        let acme = try #require(site.tokens["vendor:acme"])
        let out = site.root.appendingPathComponent("fetched")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try await site.test { client in
            let whole = try await client.execute(uri: Self.uri(1, "tar"), method: .get, headers: WebSite.bearer(acme)) { $0 }
            #expect(whole.status == .ok)
            #expect(whole.headers[.contentType] == "application/x-tar")
            #expect(whole.headers[.contentDisposition]?.contains("batch-1.tar") == true)
            let bytes = Array(whole.body.readableBytesView)
            #expect(whole.headers[.contentLength] == "\(bytes.count)")
            // A broken download resumed from byte 700000 gives the same archive.
            var headers = WebSite.bearer(acme)
            headers[.range] = "bytes=700000-"
            headers[.ifRange] = whole.headers[.eTag] ?? ""
            let rest = try await client.execute(uri: Self.uri(1, "tar"), method: .get, headers: headers) { $0 }
            #expect(rest.status == .partialContent)
            let joined = Array(bytes[..<700000]) + Array(rest.body.readableBytesView)
            #expect(joined == bytes)
            try Data(joined).write(to: out.appendingPathComponent("batch-1.tar"))
        }
        // The system's tar and sha256sum agree with the list.
        #expect(try Tool.run(["/usr/bin/tar", "-xf", "batch-1.tar"], in: out.path).status == 0)
        let check = try Tool.run(["/usr/bin/sha256sum", "-c", "SHA256SUMS"], in: out.appendingPathComponent("batch-1").path)
        #expect(check.status == 0, "\(check.out)")
        #expect(check.out.contains("volume-001.pdf: OK") && check.out.contains("manifest.csv: OK"))
        #expect(try site.ops.ledger(batch: "1").filter { $0.file == "batch-1.tar" && $0.outcome == "completed" }.count == 2)
    }

    @Test func aVendorNeverGetsAnotherVendorsBatchOrAFileOutsideTheList() async throws {
        let (site, acmeDir, _) = try Self.site()
        let acme = try #require(site.tokens["vendor:acme"])
        // Beside the listed files: one the list does not name, and the site's own files further up.
        try "not for the vendor".write(toFile: acmeDir + "/unlisted.txt", atomically: true, encoding: .utf8)
        try await site.test { client in
            let refused = [
                Self.uri(2, "files/volume-001.pdf"), Self.uri(2, "tar"), Self.uri(2, "files"), Self.uri(3, "tar"), Self.uri(99, "files/SHA256SUMS"),
                Self.uri(1, "files/unlisted.txt"), Self.uri(1, "files/..%2F..%2F..%2Fnightjar.yaml"), Self.uri(1, "files/%2E%2E%2Fbatch-2%2Fvolume-001.pdf"),
                Self.uri(1, "files/..%2f2%2fvolume-001.pdf"), Self.uri(1, "files/%2Fetc%2Fpasswd"), Self.uri(1, "files/manifest.CSV"),
                Self.uri(1, "files/manifest.csv%00"), Self.uri(1, "files/%ZZ"), Self.uri(1, "files/.%2Fmanifest.csv"),
                "/api/v1/vendor/batches/1%2F..%2F2/tar", "/api/v1/vendor/batches/..%2F2/files/volume-001.pdf",
            ]
            for uri in refused {
                try await client.execute(uri: uri, method: .get, headers: WebSite.bearer(acme)) { r in
                    #expect(r.status == .notFound, "\(uri): \(r.status)")
                    let body = String(buffer: r.body)
                    #expect(body.hasPrefix("{\"error\""), "\(uri): \(body)")
                    #expect(!body.contains("globex's own") && !body.contains("not for the vendor") && !body.contains(acmeDir), "\(uri)")
                }
            }
            // "Received" for another vendor's batch: not found, and nothing changes.
            try await client.execute(uri: Self.uri(2, "ack"), method: .post, headers: WebSite.bearer(acme)) { r in
                #expect(r.status == .notFound)
            }
        }
        #expect(try Spool(store: site.ops.store).batch(2).state == .published)
        // Every refusal is in the ledger, under the account that asked, as a refusal.
        let refusals = try site.ops.ledger(batch: nil).filter { $0.outcome == "refused" && $0.account == "vendor-acme" }
        #expect(refusals.count >= 15)
        #expect(refusals.contains { $0.batch == 1 && $0.file == "unlisted.txt" })
        #expect(refusals.contains { $0.batch == 2 && $0.kind == "acknowledgement" })
    }

    @Test func receivedReverifiesChecksumsAndAMismatchIsRefusedNamingTheFile() async throws {
        let (site, acmeDir, _) = try Self.site()
        let acme = try #require(site.tokens["vendor:acme"])
        // The published volume is altered after publishing: one byte.
        var altered = Self.volume
        altered[500_000] ^= 0xFF
        try Data(altered).write(to: URL(fileURLWithPath: acmeDir + "/volume-001.pdf"))
        try await site.test { client in
            try await client.execute(uri: Self.uri(1, "ack"), method: .post, headers: WebSite.bearer(acme)) { r in
                #expect(r.status == .conflict)
                #expect(String(buffer: r.body).contains("volume-001.pdf"), "\(String(buffer: r.body))")
            }
        }
        #expect(try Spool(store: site.ops.store).batch(1).state == .published)
        try Data(Self.volume).write(to: URL(fileURLWithPath: acmeDir + "/volume-001.pdf"))
        try await site.test { client in
            try await client.execute(uri: Self.uri(1, "ack"), method: .post, headers: WebSite.bearer(acme),
                                     body: ByteBuffer(string: #"{"reason": "all 2 files received"}"#)) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
            }
            // Twice is refused: it is collected already.
            try await client.execute(uri: Self.uri(1, "ack"), method: .post, headers: WebSite.bearer(acme)) { r in
                #expect(r.status == .conflict)
            }
        }
        #expect(try Spool(store: site.ops.store).batch(1).state == .collected)
        let acks = try site.ops.ledger(batch: "1").filter { $0.kind == "acknowledgement" }
        #expect(acks.map(\.outcome) == ["refused", "completed", "refused"])
        #expect(acks.allSatisfy { $0.account == "vendor-acme" })
        #expect(acks.first?.detail?.contains("volume-001.pdf") == true)
        // The audit trail has the refusal and the acknowledgement, under the account: exactly `spool ack`'s rows.
        let audit = try site.auditRows(action: "spool.ack")
        #expect(audit.contains { ($0["user"] as String) == "vendor-acme" && ($0["result"] as String).contains("collected") })
    }

    @Test func aListThatCannotBeReadRefusesReceivedWithoutTheServersPaths() async throws {
        let (site, acmeDir, _) = try Self.site()
        let acme = try #require(site.tokens["vendor:acme"])
        try "0000  ../../nightjar.yaml\n".write(toFile: acmeDir + "/SHA256SUMS", atomically: true, encoding: .utf8)
        try await site.test { client in
            try await client.execute(uri: Self.uri(1, "ack"), method: .post, headers: WebSite.bearer(acme)) { r in
                let body = String(buffer: r.body)
                #expect(r.status == .conflict)
                #expect(body.contains("SHA256SUMS (unreadable)") && !body.contains(acmeDir), "\(body)")
            }
        }
        #expect(try Spool(store: site.ops.store).batch(1).state == .published)
    }

    @Test func thePortalPagesListTheFilesAndTheReceivedFormAcknowledges() async throws {
        let (site, acmeDir, _) = try Self.site()
        let session = try site.accounts.startSession(for: try #require(try site.accounts.account("vendor-acme")), address: nil, now: site.clock.now)
        let cookie: HTTPFields = [.cookie: "\(Authenticator.sessionCookie)=\(session.token)"]
        let volumeSum = try Self.sha256(Self.volume)
        try await site.test { client in
            try await client.execute(uri: "/login", method: .get) { r in
                #expect(r.status == .ok && !String(buffer: r.body).contains("nil"), "an absent error is no text at all")
            }
            try await client.execute(uri: "/vendor/batches/1", method: .get, headers: cookie) { r in
                let page = String(buffer: r.body)
                #expect(r.status == .ok)
                #expect(page.contains("volume-001.pdf") && page.contains(volumeSum) && page.contains("manifest.csv"))
                #expect(page.contains("href=\"/api/v1/vendor/batches/1/files/volume-001.pdf\"") && page.contains("href=\"/api/v1/vendor/batches/1/tar\""))
                #expect(page.contains("受領する") && page.contains("name=\"csrf\" value=\"\(session.csrf)\""))
            }
            try await client.execute(uri: "/vendor/batches/2", method: .get, headers: cookie) { r in #expect(r.status == .notFound) }
            // The form without its CSRF token is refused and changes nothing.
            var form = cookie
            form[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(uri: "/vendor/batches/1/ack", method: .post, headers: form, body: ByteBuffer(string: "csrf=forged")) { r in
                #expect(r.status == .forbidden)
            }
            // A mismatch: the page again, 409, naming the file.
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: acmeDir + "/manifest.csv"))
            try await client.execute(uri: "/vendor/batches/1/ack?lang=en", method: .post, headers: form,
                                     body: ByteBuffer(string: "csrf=\(session.csrf)")) { r in
                let page = String(buffer: r.body)
                #expect(r.status == .conflict)
                #expect(page.contains("The receipt could not be recorded") && page.contains("<code>manifest.csv</code>"))
                #expect(page.contains("id=\"received\""), "the button is still offered: the batch is not received")
            }
            try Data(Self.manifest).write(to: URL(fileURLWithPath: acmeDir + "/manifest.csv"))
            try await client.execute(uri: "/vendor/batches/1/ack", method: .post, headers: form, body: ByteBuffer(string: "csrf=\(session.csrf)")) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location] == "/vendor/batches/1?done=received")
            }
            try await client.execute(uri: "/vendor/batches/1?done=received", method: .get, headers: cookie) { r in
                let page = String(buffer: r.body)
                #expect(page.contains("受領を記録しました") && page.contains("受領済み") && !page.contains("id=\"received\""))
            }
        }
        #expect(try Spool(store: site.ops.store).batch(1).state == .collected)
    }

    @Test func theLedgerIsTheAdminsAndItsCSVIsTheCLIs() async throws {
        let (site, _, _) = try Self.site()
        let acme = try #require(site.tokens["vendor:acme"]), admin = try #require(site.tokens["admin"])
        try await site.test { client in
            _ = try await client.execute(uri: Self.uri(1, "files/manifest.csv"), method: .get, headers: WebSite.bearer(acme)) { $0 }
            try await client.execute(uri: "/api/v1/batches/1/ledger", method: .get, headers: WebSite.bearer(admin)) { r in
                #expect(r.status == .ok)
                let rows = try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [[String: Any]] ?? []
                #expect(rows.count == 1 && rows.first?["file"] as? String == "manifest.csv" && rows.first?["outcome"] as? String == "completed")
            }
            try await client.execute(uri: "/api/v1/ledger.csv?batch=1", method: .get, headers: WebSite.bearer(admin)) { r in
                let lines = String(buffer: r.body).split(separator: "\n")
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(lines.first.map(String.init) == LedgerView.csvHeader)
                #expect(lines.count == 2 && lines[1].contains(",manifest.csv,") && lines[1].contains(",completed,"))
            }
            try await client.execute(uri: "/api/v1/ledger.csv?batch=x", method: .get, headers: WebSite.bearer(admin)) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/batches/99/ledger", method: .get, headers: WebSite.bearer(admin)) { r in
                #expect(r.status == .notFound)
            }
        }
    }

    /// The new endpoints by role: vendors download and acknowledge, only admins read the ledger; no
    /// account is 401, any other role 403.
    @Test func roleMatrixOfThePortalsEndpoints() async throws {
        let (site, _, _) = try Self.site()
        let cases: [(HTTPRequest.Method, String, allowed: Set<String>)] = [
            (.get, Self.uri(1, "files/manifest.csv"), ["vendor:acme"]),
            (.get, Self.uri(1, "files"), ["vendor:acme"]),
            (.get, Self.uri(1, "tar"), ["vendor:acme"]),
            (.get, "/api/v1/batches/1/ledger", ["admin"]),
            (.get, "/api/v1/ledger.csv", ["admin"]),
        ]
        try await site.test { client in
            for (method, uri, allowed) in cases {
                try await client.execute(uri: uri, method: method) { r in #expect(r.status == .unauthorized, "\(uri)") }
                for role in WebSite.roles {
                    let token = try #require(site.tokens[role])
                    try await client.execute(uri: uri, method: method, headers: WebSite.bearer(token)) { r in
                        let expected: HTTPResponse.Status = allowed.contains(role) ? .ok : role == "vendor:globex" && !uri.contains("ledger") ? .notFound : .forbidden
                        #expect(r.status == expected, "\(role) \(method) \(uri)")
                    }
                }
            }
            for role in ["admin", "operator", "viewer"] {
                let token = try #require(site.tokens[role])
                try await client.execute(uri: Self.uri(1, "ack"), method: .post, headers: WebSite.bearer(token)) { r in
                    #expect(r.status == .forbidden, "\(role) ack")
                }
            }
            try await client.execute(uri: Self.uri(1, "ack"), method: .post) { r in #expect(r.status == .unauthorized) }
        }
        #expect(try Spool(store: site.ops.store).batch(1).state == .published)
    }

    /// A client that goes away midway: the write fails, the ledger row is closed broken off with the
    /// bytes written so far, and the error goes on up (the server closes the connection).
    @Test func aClientGoneMidwayIsABrokenOffRow() async throws {
        let (site, _, _) = try Self.site()
        let batch = try site.ops.vendorBatch(1, vendor: "acme")
        let file = try #require(batch.file(named: "volume-001.pdf"))
        let download = Download(name: file.name, stream: file.stream, entityTag: "\"x\"", contentType: "application/pdf", batch: 1,
                                actor: LedgerActor(account: "vendor-acme", vendor: "acme", client: "192.0.2.7"))
        var writer: any ResponseBodyWriter = FailingWriter(failAfter: 2)
        await #expect(throws: FailingWriter.Gone.self) {
            try await download.send(offset: 0, count: file.size, to: &writer, ops: site.ops)
        }
        let row = try #require(try site.ops.ledger(batch: "1").last)
        #expect(row.outcome == "broken-off")
        #expect(row.bytes == Int64(2 * Download.chunkSize))
        #expect(row.client == "192.0.2.7" && row.detail == "the client went away")
    }
}

/// A response body writer whose connection breaks after `failAfter` chunks.
struct FailingWriter: ResponseBodyWriter {
    struct Gone: Error {}
    var failAfter: Int
    var written = 0
    init(failAfter: Int) { self.failAfter = failAfter }
    mutating func write(_ buffer: ByteBuffer) async throws {
        guard written < failAfter else { throw Gone() }
        written += 1
    }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension WebSite {
    /// Gives batch `id` a real published copy: these files and their SHA256SUMS in a directory of
    /// its own. Returns the directory.
    func publishFiles(batch id: Int64, _ files: [String: [UInt8]]) throws -> String {
        let dir = root.appendingPathComponent("outbox/batch-\(id)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var sums = ""
        for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
            sums += "\(try Checksums.sha256(file: dir.appendingPathComponent(name).path))  \(name)\n"
        }
        try sums.write(to: dir.appendingPathComponent("SHA256SUMS"), atomically: true, encoding: .utf8)
        try ops.store.db.write { try $0.execute(sql: "UPDATE spool_batches SET published_path = ? WHERE id = ?", arguments: [dir.path, id]) }
        return dir.path
    }
}

/// A command run to its end in a directory.
enum Tool {
    static func run(_ args: [String], in dir: String) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: args[0])
        p.arguments = Array(args.dropFirst())
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }
}
