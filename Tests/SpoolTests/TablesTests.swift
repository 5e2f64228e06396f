import Foundation
import GRDB
import Printing
import Spool
import Store
import Testing

/// Each module's tables are migrated from its own definitions; a database made when Store still
/// created the spool and print tables itself opens unchanged.
@Suite struct TablesTests {
    func tempState() -> String { NSTemporaryDirectory() + "nightjar-tables-\(UUID().uuidString)" }

    func tables(_ store: Store) throws -> Set<String> {
        Set(try store.db.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") })
    }

    @Test func aNewDatabaseGetsEveryModulesTables() throws {
        let dir = tempState()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(directory: dir, tables: Spool.tables + PrintRun.tables)
        #expect(try tables(store).isSuperset(of: ["audit", "meta", "spool_batches", "spool_events", "spool_ledger", "print_runs", "print_jobs"]))
        // The scheduler's tables come only with its own migrations (SchedulerTables).
        #expect(try tables(store).isDisjoint(with: ["runs", "jobs", "attempts"]))
        let columns = try store.db.read { try Row.fetchAll($0, sql: "PRAGMA table_info(spool_batches)").map { $0["name"] as String } }
        #expect(Set(columns).isSuperset(of: ["vendor", "published_path", "sums_sha256", "replaced_by"]))
    }

    @Test func aDatabaseFromBeforeTheMoveOpensAsItIs() throws {
        let dir = tempState()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // As an earlier Nightjar left it: every migration applied under the old names, the print tables
        // created by "v4-spool-print", and a batch with a print in it.
        do {
            let store = try Store(directory: dir, tables: Spool.tables)
            try store.db.write { db in
                try db.execute(sql: """
                    CREATE TABLE print_runs (id INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL, printer TEXT NOT NULL, options TEXT NOT NULL,
                        kind TEXT NOT NULL, notices TEXT, pages INTEGER NOT NULL, state TEXT NOT NULL, created_at REAL NOT NULL, ended_at REAL,
                        user TEXT NOT NULL);
                    CREATE TABLE print_jobs (id INTEGER PRIMARY KEY, print_run_id INTEGER NOT NULL, batch_id INTEGER NOT NULL, seq INTEGER NOT NULL,
                        printer TEXT NOT NULL, volume TEXT NOT NULL, page_ranges TEXT NOT NULL, pages INTEGER NOT NULL, ipp_job_id INTEGER,
                        state TEXT NOT NULL, message TEXT, created_at REAL NOT NULL, submitted_at REAL, ended_at REAL, UNIQUE (print_run_id, seq));
                    INSERT INTO spool_batches (form, input, input_sha256, directory, state, records, notices, rejected, pages, volumes, created_at, user)
                        VALUES ('f', 'in.csv', '-', 'out', 'printed', 1, 1, 0, 1, 1, 0, 'op');
                    INSERT INTO print_runs (batch_id, printer, options, kind, pages, state, created_at, user) VALUES (1, 'q', '', 'batch', 1, 'completed', 0, 'op');
                    """)
            }
        }
        let reopened = try Store(directory: dir, tables: Spool.tables + PrintRun.tables)
        #expect(try reopened.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM print_runs") } == 1)
        #expect(try reopened.db.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }.contains("v4-print"))
    }
}
