import GRDB
import Store

extension Engine {
    /// The scheduler's tables: runs, jobs, attempts, events, commands, fires, alerts, net holds. Only this
    /// module writes them. Pass them to `Store(directory:tables:)` first: Spool's and Printing's follow.
    /// The migration keeps its first name, "v1", so databases made before the move open unchanged.
    public static let tables: [Store.Migration] = [
        Store.Migration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY,
                    net TEXT NOT NULL,
                    business_date TEXT NOT NULL,
                    state TEXT NOT NULL,
                    trigger TEXT NOT NULL,
                    definition TEXT NOT NULL,
                    scheduled_at REAL,
                    created_at REAL NOT NULL,
                    started_at REAL,
                    ended_at REAL,
                    owner TEXT,
                    message TEXT
                );
                CREATE INDEX runs_by_net_date ON runs(net, business_date);
                CREATE INDEX runs_by_state ON runs(state);
                CREATE TABLE jobs (
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    name TEXT NOT NULL,
                    state TEXT NOT NULL,
                    held INTEGER NOT NULL DEFAULT 0,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    exit_code INTEGER,
                    message TEXT,
                    next_at REAL,
                    started_at REAL,
                    ended_at REAL,
                    PRIMARY KEY (run_id, name)
                );
                CREATE TABLE attempts (
                    id INTEGER PRIMARY KEY,
                    run_id INTEGER NOT NULL REFERENCES runs(id),
                    job TEXT NOT NULL,
                    number INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    supervisor_pid INTEGER,
                    exit_code INTEGER,
                    signal INTEGER,
                    timed_out INTEGER NOT NULL DEFAULT 0,
                    killed INTEGER NOT NULL DEFAULT 0,
                    verdict TEXT,
                    message TEXT,
                    started_at REAL NOT NULL,
                    ended_at REAL,
                    stdout_path TEXT,
                    stderr_path TEXT,
                    UNIQUE (run_id, job, number)
                );
                CREATE INDEX attempts_open ON attempts(state);
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    run_id INTEGER,
                    job TEXT,
                    kind TEXT NOT NULL,
                    detail TEXT
                );
                CREATE INDEX events_by_run ON events(run_id);
                CREATE TABLE commands (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    run_id INTEGER NOT NULL,
                    job TEXT,
                    action TEXT NOT NULL,
                    user TEXT NOT NULL,
                    done_at REAL,
                    result TEXT
                );
                CREATE INDEX commands_pending ON commands(done_at);
                CREATE TABLE fires (
                    net TEXT NOT NULL,
                    business_date TEXT NOT NULL,
                    at_time TEXT NOT NULL,
                    due_at REAL NOT NULL,
                    decided_at REAL NOT NULL,
                    decision TEXT NOT NULL,
                    run_id INTEGER,
                    PRIMARY KEY (net, business_date, at_time)
                );
                CREATE TABLE alerts (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    net TEXT NOT NULL,
                    run_id INTEGER,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL,
                    UNIQUE (net, run_id, kind)
                );
                CREATE TABLE net_holds (
                    net TEXT PRIMARY KEY,
                    at REAL NOT NULL,
                    user TEXT NOT NULL,
                    reason TEXT
                );
                """)
        },
        // Where an attempt runs (issue 15): its executor, the unique name it was submitted under, the
        // Slurm job id (committed with the submission) and the node.
        Store.Migration("scheduler-v2-placement") { db in
            // Only what is missing: a database cut down by hand (or by a test) may lack the table.
            guard try db.tableExists("attempts") else { return }
            let have = Set(try db.columns(in: "attempts").map(\.name))
            for column in ["executor", "submit_name", "slurm_job_id", "node"] where !have.contains(column) {
                try db.execute(sql: "ALTER TABLE attempts ADD COLUMN \(column) TEXT")
            }
        },
    ]
}
