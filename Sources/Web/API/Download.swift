import BatchFiles
import Downloads
import Foundation
import HTTPTypes
import Hummingbird
import Operations
import Spool

/// One file of a batch (or the whole batch as a tar) sent to its vendor: streamed from disk in chunks,
/// with HTTP Range for resuming, and every answer in the custody ledger. A download's ledger entry
/// begins when its first byte is about to be written and is closed on every path out of the writer:
/// completed only when every byte of the range went out, broken off when the client went away or a
/// file could not be read.
struct Download: Sendable {
    /// The name the vendor sees (and the ledger records): the file's name, or `batch-N.tar`.
    var name: String
    var stream: ByteStream
    /// The strong validator, quotes included: the file's SHA-256 (the tar's is derived from the list's).
    var entityTag: String
    var contentType: String
    var batch: Int64
    var actor: LedgerActor

    /// How often the bytes sent are written to the ledger while a download runs: a server that dies
    /// midway leaves a row saying how far it got, without a database write per chunk.
    static let progressEvery: Int64 = 8 << 20
    static let chunkSize = 256 << 10

    /// The answer to `request`: 200 (whole), 206 (one range) or 416 (a range beyond the end, refused
    /// in the ledger too).
    func response(to request: Request, ops: Operations) async throws -> Response {
        let length = stream.length
        let range = RangeRequest(header: request.headers[.range], length: length, ifRange: request.headers[.ifRange], entityTag: entityTag)
        guard let (offset, count) = range.bytes(length: length) else {
            let actor = actor, batch = batch, name = name, asked = request.headers[.range] ?? ""
            try await blocking { try ops.recordRefusedDownload(actor, batch: batch, file: name, reason: "range \(asked.prefix(100)) is beyond its \(length) bytes") }
            throw WebError(.rangeNotSatisfiable, "the range asked for starts beyond the end of \(name), which has \(length) bytes; ask for bytes=0- or fewer",
                           headers: [.contentRange: "bytes */\(length)", .acceptRanges: "bytes"])
        }
        var headers: HTTPFields = [
            .contentType: contentType, .acceptRanges: "bytes", .eTag: entityTag, .cacheControl: "private, no-store",
            .contentDisposition: Self.attachment(name), HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if let contentRange = range.contentRange(length: length) { headers[.contentRange] = contentRange }
        let download = self
        let body = ResponseBody(contentLength: Int(count)) { writer in
            try await download.send(offset: offset, count: count, to: &writer, ops: ops)
        }
        return Response(status: range.status == 206 ? .partialContent : .ok, headers: headers, body: body)
    }

    /// Writes the bytes, recording the download from its first byte to its end, whichever way it ends.
    func send(offset: Int64, count: Int64, to writer: inout any ResponseBodyWriter, ops: Operations) async throws {
        let source = ChunkSource(try stream.reader(offset: offset, count: count, chunkSize: Self.chunkSize))
        let actor = actor, batch = batch, name = name, size = stream.length
        let entry = try await blocking { try ops.beginDownload(actor, batch: batch, file: name, size: size, offset: offset, length: count) }
        var sent: Int64 = 0, recorded: Int64 = 0
        do {
            while let chunk = try await blocking({ try source.next() }) {
                try await writer.write(ByteBuffer(bytes: chunk))
                sent += Int64(chunk.count)
                if sent - recorded >= Self.progressEvery {
                    let bytes = sent
                    try? await blocking { try ops.recordProgress(entry: entry, bytes: bytes) }
                    recorded = sent
                }
            }
            try await writer.finish(nil)
        } catch {
            // The ledger names the cause, never the content: a read failure names the file, a write
            // failure means the client went away (the connection closed or was reset).
            let detail = error is ByteStreamError ? "the server could not read \(name) (it changed on disk)" : "the client went away"
            let bytes = sent
            _ = try? await blocking { try ops.finishDownload(entry: entry, bytes: bytes, detail: detail) }
            throw error
        }
        let bytes = sent
        _ = try? await blocking { try ops.finishDownload(entry: entry, bytes: bytes) }
    }

    /// `attachment` with the name: an ASCII fallback (anything else becomes `_`) and the exact name as
    /// RFC 5987 `filename*`, so a header can never be broken by what a list holds.
    static func attachment(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7F ? Character($0) : "_" })
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// The Content-Type by the file's extension: the kinds a batch holds (volumes, manifest,
    /// report, checksum list), anything else as bytes.
    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "pdf": return "application/pdf"
        case "csv": return "text/csv; charset=utf-8"
        case "json": return "application/json"
        case "txt", "log": return "text/plain; charset=utf-8"
        case "tar": return "application/x-tar"
        default: return name == "SHA256SUMS" ? "text/plain; charset=utf-8" : "application/octet-stream"
        }
    }
}

/// Hands a `ByteStreamReader` (not Sendable: it owns a file descriptor and a position) to the blocking
/// pool one chunk at a time. `Download.send` awaits each `next()` before asking for the next, so the
/// reader is never used by two threads at once; that is what makes the unchecked conformance sound.
final class ChunkSource: @unchecked Sendable {
    private let reader: ByteStreamReader
    init(_ reader: ByteStreamReader) { self.reader = reader }
    func next() throws -> [UInt8]? { try reader.next() }
}
