import Foundation
import GRDB

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

    /// Runs, newest first.
    public func runs(net: String? = nil, limit: Int = 50, activeOnly: Bool = false) throws -> [RunRecord] {
        try db.read { db in
            var sql = "SELECT * FROM runs"
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

    public func audit(limit: Int = 100) throws -> [AuditRecord] {
        try db.read { try AuditRecord.fetchAll($0, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]) }
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

    /// Records an operator action. Called in the same transaction as the change it describes.
    /// `address`: the client address of a web request (its `audit.address` column comes with the
    /// Operations module's tables; actions from the shell have none).
    public static func audit(_ db: Database, user: String, action: String, net: String?, runID: Int64?, job: String?,
                             reason: String?, result: String?, address: String? = nil) throws {
        if let address {
            try db.execute(sql: """
                INSERT INTO audit (at, user, action, net, run_id, job, reason, result, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Date().timeIntervalSince1970, user, action, net, runID, job, reason, result, address])
            return
        }
        try db.execute(sql: """
            INSERT INTO audit (at, user, action, net, run_id, job, reason, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Date().timeIntervalSince1970, user, action, net, runID, job, reason, result])
    }

    public static func event(_ db: Database, runID: Int64?, job: String?, kind: String, detail: String?, at: Double = Date().timeIntervalSince1970) throws {
        try db.run("INSERT INTO events (at, run_id, job, kind, detail) VALUES (?, ?, ?, ?, ?)", [at, runID, job, kind, detail])
    }
}

extension Database {
    /// Executes one statement through the connection's statement cache: the engine issues the same few
    /// statements for every job, and preparing them anew each time would dominate large nets.
    public func run(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
