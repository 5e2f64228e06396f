import Accounts
import Calendars
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import JobNets
import Operations
import Scheduler
import Store
@testable import Web

/// A clock the tests move by hand: sessions and throttling are judged on it, never on the wall clock.
final class VirtualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(_ start: Double) { value = start }
    var now: Double { lock.withLock { value } }
    func advance(_ seconds: Double) { lock.withLock { value += seconds } }
}

/// A throwaway site with a real SQLite state directory, one waiting run of `demo`, two vendors'
/// batches, and one account (with an API token) per role.
struct WebSite {
    let root: URL
    let ops: Operations
    let accounts: Accounts
    let clock = VirtualClock(2_000_000_000)
    /// Role name → bearer token.
    var tokens: [String: String] = [:]
    let runID: Int64

    static let password = "correct horse battery"
    static let roles = ["admin", "operator", "viewer", "vendor:acme", "vendor:globex"]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-web-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        try """
            name: demo
            jobs:
              a: { run: [sleep, "30"] }
              b: { needs: [a], shell: echo b }
            """.write(to: root.appendingPathComponent("Jobs/demo.yaml"), atomically: true, encoding: .utf8)
        try """
            spool:
              vendors:
                acme: { outbox: outbox/acme }
                globex: { outbox: outbox/globex }
            """.write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
        let site = Site(root: root.path)
        let store = try Store(directory: root.appendingPathComponent(".nightjar").path, tables: Operations.tables + Accounts.tables)
        store.siteRoot = site.root
        let config = try SiteConfig.load(site: site)
        ops = Operations(store: store, site: site, config: config, zone: Operations.zone(of: config))
        accounts = Accounts(store: store)
        // A run nobody executes: actions on it are applied directly, no process is started.
        let engine = Engine(store: store, site: site, config: config)
        runID = try engine.startRun(net: try site.loadNet("demo"), date: LocalDate("2026-06-10")!, trigger: "manual")
        try engine.releaseAll()
        // Batch 1 published to acme, batch 2 to globex (rows only: the routes here read the records).
        try store.db.write { db in
            for (id, vendor) in [(1, "acme"), (2, "globex")] {
                try db.execute(sql: """
                    INSERT INTO spool_batches (id, form, input, input_sha256, directory, state, records, notices, rejected, pages, volumes,
                                               created_at, user, vendor, published_path)
                    VALUES (?, 'resident-tax-notice', 'in.csv', 'x', 'work/b', 'published', 3, 3, 0, 6, 1, 0, 'test', ?, 'outbox/batch')
                    """, arguments: [id, vendor])
            }
        }
        let vendors: Set<String> = ["acme", "globex"]
        for role in Self.roles {
            let name = role.replacingOccurrences(of: ":", with: "-")
            try accounts.add(name: name, role: Role(role)!, password: Self.password, vendors: vendors, by: "test")
            tokens[role] = try accounts.createToken(user: name, lifetime: nil, by: "test", now: clock.now)
        }
    }

    var server: WebServer {
        var s = WebServer(ops: ops, accounts: accounts)
        let clock = clock
        s.clock = { clock.now }
        return s
    }

    /// Runs `body` against the router (no socket).
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: server.router())
        try await app.test(.router, body)
    }

    func auditRows(action: String) throws -> [Row] {
        try ops.store.db.read { try Row.fetchAll($0, sql: "SELECT * FROM audit WHERE action = ? ORDER BY id", arguments: [action]) }
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
}
