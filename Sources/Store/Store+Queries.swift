import Foundation
import GRDB

extension Store {
    public func audit(limit: Int = 100) throws -> [AuditRecord] {
        try db.read { try AuditRecord.fetchAll($0, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]) }
    }

    /// Records an operator action. Called in the same transaction as the change it describes.
    /// `address`: the client address of a web request; actions from the shell have none.
    public static func audit(_ db: Database, user: String, action: String, net: String?, runID: Int64?, job: String?,
                             reason: String?, result: String?, address: String? = nil) throws {
        try db.execute(sql: """
            INSERT INTO audit (at, user, action, net, run_id, job, reason, result, address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Date().timeIntervalSince1970, user, action, net, runID, job, reason, result, address])
    }
}

extension Database {
    /// Executes one statement through the connection's statement cache: the engine issues the same few
    /// statements for every job, and preparing them anew each time would dominate large nets.
    public func run(_ sql: String, _ arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
