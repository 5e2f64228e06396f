import Downloads
import Foundation
import Hummingbird
import Operations
import Spool

/// The vendor's downloads and "received", and the city's custody ledger.
///
/// Downloads are for vendor accounts only (their own batches): the custody ledger is a record of
/// what left the city, by whom, and an admin or operator has the files on the server already.
extension API {
    var vendorDownloads: [Endpoint] {
        let ops = ops
        return [
            Endpoint(method: .get, path: "\(Self.prefix)/vendor/batches/{batch}/files/{name}", access: .vendor) { request, context, identity in
                let (batch, actor) = try await Self.vendorBatch(context, identity, ops: ops, asked: "files/\(context.parameters.get("name") ?? "")")
                // The name is looked up in the batch's published list, byte for byte after percent-decoding:
                // it is never joined to a path, so `..%2F`, encoded slashes and absolute names find nothing.
                let raw = context.parameters.get("name") ?? ""
                guard let name = raw.removingPercentEncoding, let file = batch.file(named: name) else {
                    let shown = String((raw.removingPercentEncoding ?? raw).prefix(200))
                    try await blocking { try ops.recordRefusedDownload(actor, batch: batch.batch.id, file: shown, reason: "not a file of the batch's list") }
                    throw WebError(.notFound, "batch \(batch.batch.id) has no file \(shown); its files are listed at \(Self.prefix)/vendor/batches/\(batch.batch.id)/files")
                }
                let download = Download(name: file.name, stream: file.stream, entityTag: RangeRequest.entityTag(file.sha256),
                                        contentType: Download.contentType(of: file.name), batch: batch.batch.id, actor: actor)
                return try await download.response(to: request, ops: ops)
            },
            Endpoint(method: .get, path: "\(Self.prefix)/vendor/batches/{batch}/files", access: .vendor) { _, context, identity in
                let (batch, _) = try await Self.vendorBatch(context, identity, ops: ops, asked: "files")
                return try HTTPIO.json(try VendorFileList(batch))
            },
            Endpoint(method: .get, path: "\(Self.prefix)/vendor/batches/{batch}/tar", access: .vendor) { request, context, identity in
                let (batch, actor) = try await Self.vendorBatch(context, identity, ops: ops, asked: "tar")
                let tar = try batch.tar()
                // The tar's bytes follow from the list (and the batch's render time, fixed): the list's digest identifies them.
                let sums = batch.file(named: "SHA256SUMS")?.sha256 ?? String(batch.batch.id)
                let download = Download(name: batch.tarName, stream: tar.stream, entityTag: RangeRequest.entityTag("tar-\(sums)"),
                                        contentType: "application/x-tar", batch: batch.batch.id, actor: actor)
                return try await download.response(to: request, ops: ops)
            },
            Endpoint(method: .post, path: "\(Self.prefix)/vendor/batches/{batch}/ack", access: .vendor) { request, context, identity in
                let input = try await HTTPIO.body(ActionRequest.self, request, context, empty: .empty).checked()
                guard let identity, let vendor = identity.account.role.vendor else { throw WebError.unauthorized() }
                let id = try HTTPIO.id(context, "batch", what: "batch")
                let actor = Actor.web(account: identity.account.name, address: context.address)
                try await blocking { try ops.acknowledge(batch: id, vendor: vendor, reason: input.reason, by: actor) }
                return try HTTPIO.json(ActionResult(result: "batch \(id): received; checksums of the published copy verified", batch: id))
            },
        ]
    }

    /// The custody ledger for the city's admin: what each vendor account took, and acknowledged.
    var custodyLedger: [Endpoint] {
        let ops = ops
        return [
            Endpoint(method: .get, path: "\(Self.prefix)/batches/{batch}/ledger", access: .admin) { _, context, _ in
                let id = try HTTPIO.id(context, "batch", what: "batch")
                return try await blocking { try HTTPIO.json(try ops.ledger(batch: String(id))) }
            },
            Endpoint(method: .get, path: "\(Self.prefix)/ledger.csv", access: .admin) { request, _, _ in
                let batch = try request.uri.queryParameters.get("batch").map { text -> String in
                    guard let id = Int64(text), id > 0 else { throw WebError(.unprocessableContent, "?batch=\(text): give a batch id (a positive number)") }
                    return String(id)
                }
                let views = try await blocking { try ops.ledger(batch: batch) }
                return HTTPIO.text(LedgerView.csv(views), contentType: "text/csv; charset=utf-8",
                                   headers: [.cacheControl: "no-store",
                                             .contentDisposition: "attachment; filename=\"ledger\(batch.map { "-batch-\($0)" } ?? "").csv\""])
            },
        ]
    }

    /// The batch named in the path as the calling vendor may fetch it, and the ledger's actor. Any other
    /// batch is 404 and a refused download in the ledger.
    static func vendorBatch(_ context: WebContext, _ identity: Identity?, ops: Operations, asked: String) async throws -> (VendorBatch, LedgerActor) {
        guard let identity, let vendor = identity.account.role.vendor else { throw WebError.unauthorized() }
        let actor = LedgerActor(account: identity.account.name, vendor: vendor, client: context.address)
        let id = try HTTPIO.id(context, "batch", what: "batch")
        do {
            return (try await blocking { try ops.vendorBatch(id, vendor: vendor) }, actor)
        } catch let e as OperationError where e.kind == .notFound {
            try await blocking { try ops.recordRefusedDownload(actor, batch: id, file: nil, reason: "no batch \(id) for \(vendor) (\(asked.prefix(200)))") }
            throw e
        }
    }
}

/// The files of a batch as its vendor fetches them: name, size, SHA-256, and where to download it.
struct VendorFileList: Encodable, Sendable {
    struct File: Encodable, Sendable { var name: String; var size: Int64; var sha256: String; var url: String }
    var batch: Int64
    var files: [File]
    var tar: String
    var tar_name: String
    var tar_size: Int64

    init(_ b: VendorBatch) throws {
        let base = "\(API.prefix)/vendor/batches/\(b.batch.id)"
        batch = b.batch.id
        files = b.files.map { File(name: $0.name, size: $0.size, sha256: $0.sha256, url: "\(base)/files/\(Self.pathSegment($0.name))") }
        tar = "\(base)/tar"
        tar_name = b.tarName
        tar_size = try b.tar().length
    }

    /// A name as one URL path segment (everything but unreserved characters percent-encoded).
    static func pathSegment(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? name
    }
}
