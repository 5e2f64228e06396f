import Foundation
import GRDB
import Store

/// The scheduler's reads of its own tables, and the one writer of its event log.
extension Store {
    public func run(_ id: Int64) throws -> RunRecord? {
        try db.read { try RunRecord.fetchOne($0, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) }
    }

    public func jobs(ofRun id: Int64) throws -> [JobRecord] {
        try db.read { try JobRecord.fetchAll($0, sql: "SELECT * FROM jobs WHERE run_id = ? ORDER BY rowid", arguments: [id]) }
    }

    public func attempts(ofRun id: Int64, job: String? = nil) throws -> [AttemptRecord] {
        try db.read { db in
            if let job {
                return try AttemptRecord.fetchAll(db, sql: "SELECT * FROM attempts WHERE run_id = ? AND job = ? ORDER BY number",
                                                  arguments: [id, job])
            }
            return try AttemptRecord.fetchAll(db, sql: "SELECT * FROM attempts WHERE run_id = ? ORDER BY id", arguments: [id])
        }
    }

    public func events(ofRun id: Int64) throws -> [EventRecord] {
        try db.read { try EventRecord.fetchAll($0, sql: "SELECT * FROM events WHERE run_id = ? ORDER BY id", arguments: [id]) }
    }

    /// Runs, newest first. `definitions: false` leaves each run's net snapshot out (it is then empty):
    /// lists that only show runs need not read a whole net per row.
    public func runs(net: String? = nil, limit: Int = 50, activeOnly: Bool = false, definitions: Bool = true) throws -> [RunRecord] {
        try db.read { db in
            var sql = definitions ? "SELECT * FROM runs"
                : "SELECT id, net, business_date, state, trigger, scheduled_at, created_at, started_at, ended_at, owner, message FROM runs"
            var clauses: [String] = []
            var args: [DatabaseValueConvertible] = []
            if let net { clauses.append("net = ?"); args.append(net) }
            if activeOnly { clauses.append("state IN ('waiting','running')") }
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY id DESC LIMIT ?"
            args.append(limit)
            return try RunRecord.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        }
    }

    /// The newest run of a net, preferring one that has not ended.
    public func currentRun(net: String) throws -> RunRecord? {
        try db.read { db in
            try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE net = ? AND state IN ('waiting','running') ORDER BY id DESC LIMIT 1",
                                   arguments: [net])
                ?? RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE net = ? ORDER BY id DESC LIMIT 1", arguments: [net])
        }
    }

    public func alerts(limit: Int = 100) throws -> [AlertRecord] {
        try db.read { try AlertRecord.fetchAll($0, sql: "SELECT * FROM alerts ORDER BY id DESC LIMIT ?", arguments: [limit]) }
    }

    public func netHold(_ net: String) throws -> (user: String, reason: String?)? {
        try db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT user, reason FROM net_holds WHERE net = ?", arguments: [net]) else { return nil }
            return (row["user"], row["reason"])
        }
    }

    public static func event(_ db: Database, runID: Int64?, job: String?, kind: String, detail: String?, at: Double = Date().timeIntervalSince1970) throws {
        try db.run("INSERT INTO events (at, run_id, job, kind, detail) VALUES (?, ?, ?, ?, ?)", [at, runID, job, kind, detail])
    }
}
