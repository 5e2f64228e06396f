import Foundation
import GRDB
@testable import Scheduler
import Store
import Testing

/// The scheduler owns its tables; a state directory made while Store created them (audit among them,
/// in one migration "v1") opens unchanged, its history intact.
@Suite struct SchedulerTablesTests {
    func tempState() -> String { NSTemporaryDirectory() + "nightjar-sched-tables-\(UUID().uuidString)" }

    func tables(_ store: Store) throws -> Set<String> {
        Set(try store.db.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") })
    }

    @Test func aNewDatabaseGetsTheSchedulersTablesFromItsOwnMigration() throws {
        let dir = tempState()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bare = try Store(directory: dir)
        #expect(try tables(bare).isSuperset(of: ["audit", "meta"]))
        #expect(try tables(bare).isDisjoint(with: ["runs", "jobs", "attempts", "events", "commands", "fires", "alerts", "net_holds"]))
        let store = try Store(directory: dir, tables: Engine.tables)
        #expect(try tables(store).isSuperset(of: ["runs", "jobs", "attempts", "events", "commands", "fires", "alerts", "net_holds"]))
    }

    @Test func aDatabaseFromBeforeTheMoveOpensWithItsHistory() throws {
        let dir = tempState()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // As Store's old "v1" left it: the scheduler's tables and the audit trail, recorded as applied.
        do {
            let queue = try DatabaseQueue(path: dir + "/nightjar.db")
            try queue.write { db in
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1'), ('v2-meta')")
                try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                try db.execute(sql: """
                    CREATE TABLE audit (id INTEGER PRIMARY KEY, at REAL NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL,
                        net TEXT, run_id INTEGER, job TEXT, reason TEXT, result TEXT);
                    INSERT INTO audit (at, user, action, net, run_id) VALUES (1, 'op', 'hold', 'tax', 1);
                    CREATE TABLE runs (id INTEGER PRIMARY KEY, net TEXT NOT NULL, business_date TEXT NOT NULL, state TEXT NOT NULL,
                        trigger TEXT NOT NULL, definition TEXT NOT NULL, scheduled_at REAL, created_at REAL NOT NULL, started_at REAL,
                        ended_at REAL, owner TEXT, message TEXT);
                    INSERT INTO runs (net, business_date, state, trigger, definition, created_at) VALUES ('tax', '2026-06-10', 'normal', 'manual', '{}', 1);
                    """)
            }
        }
        let store = try Store(directory: dir, tables: Engine.tables)
        #expect(try store.run(1)?.state == .normal)
        #expect(try store.audit().map(\.action) == ["hold"])
        let applied = try store.db.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(Set(applied) == ["v1", "v1-audit", "v2-meta", "v6-audit-address", "scheduler-v2-placement"])
        #expect(try store.audit().first?.address == nil)
    }
}
