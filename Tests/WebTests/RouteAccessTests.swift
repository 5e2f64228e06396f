import Accounts
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Web

@Suite("Web routes: authentication, roles, vendor isolation")
struct RouteAccessTests {
    /// A concrete URI for a route of the table, naming things the test site has.
    static func uri(_ path: String, run: Int64) -> String {
        path.replacingOccurrences(of: "{run}", with: "\(run)").replacingOccurrences(of: "{job}", with: "b")
            .replacingOccurrences(of: "{net}", with: "demo").replacingOccurrences(of: "{batch}", with: "1")
            .replacingOccurrences(of: "{calendar}", with: "standard").replacingOccurrences(of: "{period}", with: "2026")
            .replacingOccurrences(of: "{year}", with: "2026").replacingOccurrences(of: "{name}", with: "SHA256SUMS").replacingOccurrences(of: "{print}", with: "1")
            + (path.hasSuffix("/plan") ? "?from=2026-06-01&to=2026-06-02" : "")
    }

    @Test func everyRouteAnswers401WithoutAuthAnd403ToTheWrongRole() async throws {
        let site = try WebSite()
        let routes = site.server.apiRoutes
        let runID = site.runID
        #expect(routes.count > 25)
        try await site.test { client in
            for route in routes where route.access != .open {
                let uri = Self.uri(route.path, run: runID)
                let method = HTTPRequest.Method(route.method)!
                try await client.execute(uri: uri, method: method) { r in
                    #expect(r.status == .unauthorized, "\(route.method) \(uri) without auth")
                    #expect(String(buffer: r.body).contains("\"error\""))
                }
                for role in WebSite.roles {
                    guard let token = site.tokens[role] else { continue }
                    let allowed = route.access.allows(Role(role)!)
                    // Purge is destructive: only its refusals are checked here.
                    if allowed && route.path.hasSuffix("/purge") { continue }
                    let body = route.path.hasSuffix("/rerun") ? ByteBuffer(string: #"{"failed": true}"#)
                        : route.path.hasSuffix("/publish") ? ByteBuffer(string: #"{"vendor": "acme"}"#) : nil
                    try await client.execute(uri: uri, method: method, headers: WebSite.bearer(token), body: body) { r in
                        if allowed {
                            #expect(r.status != .unauthorized && r.status != .forbidden, "\(role) \(route.method) \(uri): \(r.status)")
                            #expect(r.status != .internalServerError, "\(role) \(route.method) \(uri): \(String(buffer: r.body))")
                        } else {
                            #expect(r.status == .forbidden, "\(role) \(route.method) \(uri) should be refused, got \(r.status)")
                        }
                    }
                }
            }
        }
        // Every refusal is in the audit trail, with the account and the route.
        let denied = try site.auditRows(action: "denied")
        #expect(denied.contains { ($0["user"] as String) == "viewer" && ($0["result"] as String).contains("POST /api/v1/runs/") })
        #expect(denied.contains { ($0["user"] as String) == "vendor-acme" && ($0["result"] as String) == "403 GET /api/v1/audit" })
    }

    @Test func aHoldThroughTheAPIIsTheCLIsHoldAuditedWithTheAccount() async throws {
        let site = try WebSite()
        let token = try #require(site.tokens["operator"])
        let runID = site.runID
        try await site.test { client in
            try await client.execute(uri: "/api/v1/runs/\(runID)/jobs/b/hold", method: .post, headers: WebSite.bearer(token),
                                      body: ByteBuffer(string: #"{"reason": "wait for the tax office"}"#)) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("b held"))
            }
            try await client.execute(uri: "/api/v1/runs/\(runID)", method: .get, headers: WebSite.bearer(token)) { r in
                let run = try JSONDecoder().decode(RunViewShape.self, from: Data(buffer: r.body))
                #expect(run.jobs.first { $0.name == "b" }?.held == true)
            }
            // Unknown job: 404 with a sentence; a job of another net's run does not exist either.
            try await client.execute(uri: "/api/v1/runs/\(runID)/jobs/zz/hold", method: .post, headers: WebSite.bearer(token)) { r in
                #expect(r.status == .notFound)
                #expect(String(buffer: r.body).contains("zz"))
            }
            try await client.execute(uri: "/api/v1/runs/999/jobs/b/hold", method: .post, headers: WebSite.bearer(token)) { r in
                #expect(r.status == .notFound)
            }
            // Malformed body: 400; a body over the limit: 413; nothing changed by either.
            try await client.execute(uri: "/api/v1/runs/\(runID)/jobs/b/release", method: .post, headers: WebSite.bearer(token),
                                      body: ByteBuffer(string: #"{"reason": "#)) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/api/v1/runs/\(runID)/jobs/b/release", method: .post, headers: WebSite.bearer(token),
                                      body: ByteBuffer(repeating: UInt8(ascii: " "), count: WebContext.bodyLimit + 1)) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
        let holds = try site.auditRows(action: "hold")
        #expect(holds.count == 1)
        #expect(holds.first?["user"] as String? == "operator")
        #expect(holds.first?["reason"] as String? == "wait for the tax office")
        #expect(try site.auditRows(action: "release").isEmpty)
    }

    @Test func aVendorSeesOnlyItsOwnBatches() async throws {
        let site = try WebSite()
        let acme = try #require(site.tokens["vendor:acme"])
        try await site.test { client in
            try await client.execute(uri: "/api/v1/vendor/batches", method: .get, headers: WebSite.bearer(acme)) { r in
                #expect(r.status == .ok)
                let ids = try JSONDecoder().decode([VendorBatchShape].self, from: Data(buffer: r.body)).map(\.id)
                #expect(ids == [1])
                #expect(!String(buffer: r.body).contains("outbox"), "no server paths for vendors")
            }
            try await client.execute(uri: "/api/v1/vendor/batches/1", method: .get, headers: WebSite.bearer(acme)) { r in #expect(r.status == .ok) }
            // Another vendor's batch, guessed ids and path tricks: all "not found", never the batch.
            for uri in ["/api/v1/vendor/batches/2", "/api/v1/vendor/batches/3", "/api/v1/vendor/batches/..%2F2", "/api/v1/vendor/batches/%2E%2E%2F2",
                        "/api/v1/vendor/batches/1%2F..%2F2", "/api/v1/vendor/batches/../batches/2", "/api/v1/vendor/batches/-1"] {
                try await client.execute(uri: uri, method: .get, headers: WebSite.bearer(acme)) { r in
                    #expect(r.status == .notFound, "\(uri): \(r.status)")
                    #expect(!String(buffer: r.body).contains("globex"))
                }
            }
            // The city's side of the spool is closed to vendors.
            for uri in ["/api/v1/batches", "/api/v1/batches/2", "/api/v1/runs", "/api/v1/audit", "/api/v1/runs/1/jobs/a/log"] {
                try await client.execute(uri: uri, method: .get, headers: WebSite.bearer(acme)) { r in #expect(r.status == .forbidden, "\(uri)") }
            }
            // The portal page lists the vendor's batch, in Japanese unless asked otherwise.
            let session = try site.accounts.startSession(for: try #require(try site.accounts.account("vendor-acme")), address: nil, now: site.clock.now)
            let cookie: HTTPFields = [.cookie: "\(Authenticator.sessionCookie)=\(session.token)"]
            try await client.execute(uri: "/vendor", method: .get, headers: cookie) { r in
                let page = String(buffer: r.body)
                #expect(r.status == .ok)
                #expect(page.contains("印刷委託業者ポータル"))
                #expect(page.contains("href=\"/vendor/batches/1\"") && !page.contains("/vendor/batches/2"))
            }
            try await client.execute(uri: "/vendor?lang=en", method: .get, headers: cookie) { r in
                #expect(String(buffer: r.body).contains("Print vendor portal"))
            }
        }
    }

    /// Found by schemathesis: a query value outside the document's enum was taken as "false".
    @Test func queryValuesOutsideTheirSetAre422WithTheValidOnes() async throws {
        let site = try WebSite()
        let token = try #require(site.tokens["viewer"])
        try await site.test { client in
            for (uri, hint) in [("/api/v1/runs?active=AAA", "true or false"), ("/api/v1/batches?state=done", "rendered, published")] {
                try await client.execute(uri: uri, method: .get, headers: WebSite.bearer(token)) { r in
                    #expect(r.status == .unprocessableContent, "\(uri)")
                    #expect(String(buffer: r.body).contains(hint), "\(uri): \(String(buffer: r.body))")
                }
            }
            try await client.execute(uri: "/api/v1/runs?active=true", method: .get, headers: WebSite.bearer(token)) { r in
                #expect(r.status == .ok)
            }
        }
    }

    @Test func theOpenAPIDocumentNamesExactlyTheRoutes() throws {
        let site = try WebSite()
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/openapi.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == OpenAPIDocument.yaml + "\n" || text == OpenAPIDocument.yaml, "docs/openapi.yaml changed: run scripts/embed-openapi")
        // paths: "  /api/v1/…:" lines, each followed by its methods at four spaces.
        var documented = Set<String>()
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /api/"), line.hasSuffix(":") { current = String(line.dropFirst(2).dropLast()); continue }
            if line.hasPrefix("components:") { current = nil }
            if let path = current, let m = ["get", "post"].first(where: { line.hasPrefix("    \($0):") }) {
                documented.insert("\(m.uppercased()) \(path)")
            }
        }
        let served = Set(site.server.apiRoutes.map { "\($0.method) \($0.path)" })
        #expect(documented == served, "only in the document: \(documented.subtracting(served)); only served: \(served.subtracting(documented))")
    }
}

/// The fields of a run the tests read back.
struct RunViewShape: Decodable {
    struct Job: Decodable { var name: String; var held: Bool }
    var id: Int64
    var jobs: [Job]
}

struct VendorBatchShape: Decodable { var id: Int64 }
