import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Calendars
import JobNets
import Operations
import Scheduler
import Testing
@testable import Web

/// The run list and a vendor's batch list are encoded once per state of the database: an answer asked
/// for again is the same bytes, and a change through the web or the CLI shows at the next request.
@Suite struct AnswerCacheTests {
    @Test func theRunListShowsARunStartedElsewhereAtTheNextRequest() async throws {
        let site = try WebSite()
        let viewer = try #require(site.tokens["viewer"])
        try await site.test { client in
            func list() async throws -> String {
                try await client.execute(uri: "/api/v1/runs", method: .get, headers: WebSite.bearer(viewer)) { r in String(buffer: r.body) }
            }
            let first = try await list()
            #expect(try await list() == first)
            #expect(!first.contains("2026-06-11"))
            // A run started by another process, as the CLI or the daemon would (its events change the token).
            let config = try SiteConfig.load(site: site.ops.site)
            let engine = Engine(store: site.ops.store, site: site.ops.site, config: config)
            _ = try engine.startRun(net: try site.ops.site.loadNet("demo"), date: LocalDate("2026-06-11")!, trigger: "manual")
            try engine.releaseAll()
            #expect(try await list().contains("2026-06-11"))
        }
    }

    @Test func aVendorsListChangesWhenABatchIsPublishedToIt() async throws {
        let site = try WebSite()
        let acme = try #require(site.tokens["vendor:acme"])
        try await site.test { client in
            func list() async throws -> String {
                try await client.execute(uri: "/api/v1/vendor/batches", method: .get, headers: WebSite.bearer(acme)) { r in String(buffer: r.body) }
            }
            let first = try await list()
            #expect(first.contains("\"id\":1") && !first.contains("\"id\":3"))
            try await site.ops.store.db.write { db in
                try db.execute(sql: """
                    INSERT INTO spool_batches (id, form, input, input_sha256, directory, state, records, notices, rejected, pages, volumes,
                                               created_at, user, vendor, published_path)
                    VALUES (3, 'resident-tax-notice', 'in.csv', 'x', 'work/c', 'published', 3, 3, 0, 6, 1, 0, 'test', 'acme', 'outbox/c')
                    """)
                try db.execute(sql: "INSERT INTO audit (at, user, action, result) VALUES (1, 'test', 'spool.publish', 'ok')")
            }
            #expect(try await list().contains("\"id\":3"))
        }
    }
}
