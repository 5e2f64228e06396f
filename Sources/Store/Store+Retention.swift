import Foundation
import GRDB

/// The audit trail's retention and the database file's upkeep, for `nightjar gc`. The audit table is
/// this module's: only code here removes rows from it, and only rows older than the audit period.
extension Store {
    public struct AuditPruning: Codable, Sendable, Equatable {
        public var rows = 0
        /// The oldest and newest removed rows' times (nil when none), and how many of each action went,
        /// so the gc's own audit row says exactly what left the trail.
        public var oldest: Double?
        public var newest: Double?
        public var actions: [String: Int] = [:]
        public init() {}
    }

    /// Audit rows older than `cutoff`; removed unless `dryRun`.
    public func pruneAudit(before cutoff: Double, dryRun: Bool) throws -> AuditPruning {
        let summarize = { (db: Database) throws -> AuditPruning in
            var p = AuditPruning()
            for row in try Row.fetchAll(db, sql: "SELECT action, COUNT(*) AS n, MIN(at) AS lo, MAX(at) AS hi FROM audit WHERE at < ? GROUP BY action",
                                        arguments: [cutoff]) {
                let n: Int = row["n"]
                p.rows += n
                p.actions[row["action"]] = n
                let lo: Double = row["lo"], hi: Double = row["hi"]
                p.oldest = min(p.oldest ?? lo, lo)
                p.newest = max(p.newest ?? hi, hi)
            }
            return p
        }
        if dryRun { return try db.read(summarize) }
        return try db.write { db in
            let p = try summarize(db)
            try db.execute(sql: "DELETE FROM audit WHERE at < ?", arguments: [cutoff])
            return p
        }
    }

    public struct FileSize: Codable, Sendable, Equatable {
        /// The database file, its write-ahead log, and the pages SQLite holds free inside the file.
        public var databaseBytes = 0, walBytes = 0, freeBytes = 0
    }

    public func fileSize() throws -> FileSize {
        let path = directory.appendingPathComponent("nightjar.db").path
        let size = { (p: String) in ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.intValue ?? 0 }
        let free = try db.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0) * (try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
        }
        return FileSize(databaseBytes: size(path), walBytes: size(path + "-wal"), freeBytes: free)
    }

    /// Gives free pages back to the file system when they are at least a fifth of the file (VACUUM
    /// rewrites the whole database, so it is not worth it for a few pages), then truncates the WAL.
    /// VACUUM holds the write lock while it runs — about a second for a three-year state directory.
    /// Returns whether it vacuumed.
    @discardableResult
    public func compact() throws -> Bool {
        let size = try fileSize()
        let worth = size.databaseBytes > 0 && size.freeBytes * 5 >= size.databaseBytes
        if worth { try db.vacuum() }
        _ = try db.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        return worth
    }
}
