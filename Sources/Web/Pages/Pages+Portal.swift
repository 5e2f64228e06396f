import Foundation
import Hummingbird
import Operations
import Spool

/// The print vendor's portal: its batches, a batch's files with sizes and SHA-256 and download links
/// (the API's downloads, which the session cookie authorises), and the "received" form, which is the
/// API's acknowledgement (`Operations.acknowledge`), so the same checks, audit row and ledger row.
extension Pages {
    func vendorPortal(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await signedIn(request, context, .vendor) else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        guard let vendor = identity.account.role.vendor else { throw WebError.unauthorized() }
        let ops = ops
        let batches = try await blocking { try ops.vendorBatches(vendor: vendor) }
        let language = Language(request), labels = language.allLabels
        // Those waiting for collection first, then the received ones; newest first within each.
        let ordered = batches.filter { $0.state == "published" }.reversed() + batches.filter { $0.state != "published" }.reversed()
        let rows: [[String: Any]] = ordered.map { b in
            ["id": b.id, "state": b.state, "stateLabel": labels[b.state] ?? b.state, "form": b.form, "notices": b.notices,
             "pages": b.pages, "volumes": b.volumes, "rendered": Self.shortTime(b.renderedAt), "query": Self.query(request)]
        }
        var values = common(request, identity, title: labels["portal"] ?? "")
        values["vendor"] = vendor
        values["batches"] = rows
        values["hasBatches"] = !rows.isEmpty
        return html(PageTemplates.render("vendor", values))
    }

    func vendorBatchPage(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await signedIn(request, context, .vendor) else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        return try await batchPage(request, context, identity, received: request.uri.queryParameters.get("done") == "received", refusal: nil)
    }

    /// The "received" button: the same acknowledgement as `POST /api/v1/vendor/batches/{batch}/ack`
    /// (the CSRF middleware has checked the form's token). Accepted: back to the batch page, which
    /// says so. Refused: the batch page again, naming the cause and, for a checksum mismatch, the files.
    func vendorReceived(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let identity = try await signedIn(request, context, .vendor) else { return Response(status: .seeOther, headers: [.location: "/login"]) }
        guard let vendor = identity.account.role.vendor else { throw WebError.unauthorized() }
        let id = try HTTPIO.id(context, "batch", what: "batch")
        let ops = ops, actor = Actor.web(account: identity.account.name, address: context.address)
        let labels = Language(request).allLabels
        do {
            try await blocking { try ops.acknowledge(batch: id, vendor: vendor, reason: "received (vendor portal)", by: actor) }
        } catch SpoolError.checksumMismatch(_, let files) {
            return try await batchPage(request, context, identity, received: false, refusal: (labels["mismatch"] ?? "", files), status: .conflict)
        } catch let e as SpoolError where OperationError.classify(e).kind == .refused {
            return try await batchPage(request, context, identity, received: false, refusal: (WebError.from(OperationError.classify(e)).message, []),
                                       status: .conflict)
        }
        let query = Self.query(request)
        return Response(status: .seeOther, headers: [.location: "/vendor/batches/\(id)\(query.isEmpty ? "?" : query + "&")done=received"])
    }

    func batchPage(_ request: Request, _ context: WebContext, _ identity: Identity, received: Bool, refusal: (String, [String])?,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let vendor = identity.account.role.vendor else { throw WebError.unauthorized() }
        let id = try HTTPIO.id(context, "batch", what: "batch")
        let ops = ops
        let batch = try await blocking { try ops.vendorBatch(id, vendor: vendor) }
        let labels = Language(request).allLabels
        let b = batch.batch
        let listed = try VendorFileList(batch)
        var values = common(request, identity, title: "\(labels["batch"] ?? "") \(b.id) — \(labels["portal"] ?? "")")
        values["id"] = b.id
        values["state"] = b.state.rawValue
        values["stateLabel"] = labels[b.state.rawValue] ?? b.state.rawValue
        values["form"] = b.form
        values["notices"] = b.notices
        values["pages"] = b.pages
        values["volumes"] = b.volumes
        values["rendered"] = Self.shortTime(Timestamp.iso(b.createdAt, ops.zone))
        values["totalSize"] = Self.size(batch.totalBytes)
        values["fileCount"] = batch.files.count
        values["files"] = zip(batch.files, listed.files).map { f, l -> [String: Any] in
            ["name": f.name, "size": Self.size(f.size), "bytes": "\(f.size)", "sha256": f.sha256, "url": l.url]
        }
        values["tarURL"] = listed.tar
        values["tarName"] = batch.tarName
        values["tarSize"] = Self.size(listed.tar_size)
        values["canAck"] = b.state == .published
        values["received"] = received
        if let refusal {
            values["refusal"] = refusal.0
            values["badFiles"] = refusal.1
            values["hasBadFiles"] = !refusal.1.isEmpty
        }
        return html(PageTemplates.render("vendor-batch", values), status: status)
    }

    /// What every portal page has: the words, the account, its CSRF token, the language switch.
    func common(_ request: Request, _ identity: Identity, title: String) -> [String: Any] {
        let language = Language(request)
        return ["l": language.allLabels, "title": title, "account": identity.account.name, "csrf": identity.session?.csrf ?? "",
                "query": Self.query(request), "otherLanguage": "\(request.uri.path)?lang=\(language == .ja ? "en" : "ja")"]
    }

    /// `?lang=…` when the page was asked for in a given language, so links keep it.
    static func query(_ request: Request) -> String {
        request.uri.queryParameters.get("lang").map { "?lang=\($0 == "en" ? "en" : "ja")" } ?? ""
    }

    /// `2026-11-29T23:19:10.123+09:00` as `2026-11-29 23:19` (the site's zone, as the API gives it).
    static func shortTime(_ iso: String?) -> String {
        guard let iso, iso.count >= 16 else { return iso ?? "" }
        return iso.prefix(10) + " " + iso.dropFirst(11).prefix(5)
    }

    /// Bytes for people: `812 B`, `1.4 MB` (powers of 1024, as file managers show them).
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }
}
