import GRDB
import Store

extension Spool {
    /// The spool's tables in the state database (batches, their events, the custody ledger), which only this module
    /// writes. Pass them to `Store(directory:tables:)`, before Printing's.
    public static let tables: [Store.Migration] = [
        Store.Migration("v3-spool") { db in
            try db.execute(sql: """
                CREATE TABLE spool_batches (
                    id INTEGER PRIMARY KEY,
                    form TEXT NOT NULL,
                    input TEXT NOT NULL,
                    input_sha256 TEXT NOT NULL,
                    directory TEXT NOT NULL,
                    state TEXT NOT NULL,
                    records INTEGER NOT NULL,
                    notices INTEGER NOT NULL,
                    rejected INTEGER NOT NULL,
                    pages INTEGER NOT NULL,
                    volumes INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    user TEXT NOT NULL
                );
                CREATE TABLE spool_events (
                    id INTEGER PRIMARY KEY,
                    batch_id INTEGER NOT NULL REFERENCES spool_batches(id),
                    at REAL NOT NULL,
                    state TEXT NOT NULL,
                    user TEXT NOT NULL,
                    detail TEXT
                );
                """)
        },
        // Named for its history: it once created the print tables too (now Printing's own "v4-print").
        Store.Migration("v4-spool-print") { db in
            // The vendor a batch was handed to and where its published copy lives.
            try db.execute(sql: """
                ALTER TABLE spool_batches ADD COLUMN vendor TEXT;
                ALTER TABLE spool_batches ADD COLUMN published_path TEXT;
                CREATE INDEX spool_events_by_batch ON spool_events(batch_id);
                """)
        },
        Store.Migration("v5-batch-integrity") { db in
            // The digest of the SHA256SUMS a render wrote, so a batch only ever hands over the files it
            // rendered; and the later batch that replaced its directory (render --replace).
            try db.execute(sql: """
                ALTER TABLE spool_batches ADD COLUMN sums_sha256 TEXT;
                ALTER TABLE spool_batches ADD COLUMN replaced_by INTEGER;
                CREATE INDEX spool_batches_by_directory ON spool_batches(directory);
                """)
        },
        Store.Migration("v6-spool-ledger") { db in
            // The custody ledger (情報管理台帳): every download and acknowledgement by a vendor account.
            // No foreign key on batch_id: a refused request for a batch that does not exist is kept too.
            try db.execute(sql: """
                CREATE TABLE spool_ledger (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    batch_id INTEGER NOT NULL,
                    vendor TEXT NOT NULL,
                    account TEXT NOT NULL,
                    file TEXT,
                    size INTEGER,
                    offset INTEGER NOT NULL DEFAULT 0,
                    length INTEGER,
                    bytes INTEGER NOT NULL DEFAULT 0,
                    client TEXT,
                    started_at REAL NOT NULL,
                    ended_at REAL,
                    updated_at REAL NOT NULL,
                    outcome TEXT NOT NULL,
                    detail TEXT,
                    owner TEXT
                );
                CREATE INDEX spool_ledger_by_batch ON spool_ledger(batch_id);
                CREATE INDEX spool_ledger_in_progress ON spool_ledger(outcome) WHERE outcome = 'in-progress';
                """)
        },
    ]
}
