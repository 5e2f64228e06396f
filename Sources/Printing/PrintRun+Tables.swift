import GRDB
import Store

extension PrintRun {
    /// Printing's tables: each print of a batch and each IPP job of it (recorded before it is submitted,
    /// and again as CUPS reports on it). Only this module writes them. IF NOT EXISTS: databases made
    /// before they moved here got them from the spool's "v4-spool-print".
    public static let tables: [Store.Migration] = [
        Store.Migration("v4-print") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS print_runs (
                    id INTEGER PRIMARY KEY,
                    batch_id INTEGER NOT NULL REFERENCES spool_batches(id),
                    printer TEXT NOT NULL,
                    options TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    notices TEXT,
                    pages INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    ended_at REAL,
                    user TEXT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS print_jobs (
                    id INTEGER PRIMARY KEY,
                    print_run_id INTEGER NOT NULL REFERENCES print_runs(id),
                    batch_id INTEGER NOT NULL REFERENCES spool_batches(id),
                    seq INTEGER NOT NULL,
                    printer TEXT NOT NULL,
                    volume TEXT NOT NULL,
                    page_ranges TEXT NOT NULL,
                    pages INTEGER NOT NULL,
                    ipp_job_id INTEGER,
                    state TEXT NOT NULL,
                    message TEXT,
                    created_at REAL NOT NULL,
                    submitted_at REAL,
                    ended_at REAL,
                    UNIQUE (print_run_id, seq)
                );
                CREATE INDEX IF NOT EXISTS print_jobs_by_batch ON print_jobs(batch_id);
                """)
        },
    ]
}
