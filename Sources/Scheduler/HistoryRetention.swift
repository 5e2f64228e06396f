import Foundation
import GRDB
import Store

/// Pruning of the scheduler's history (runs and their jobs, attempts, events, commands, fires and
/// alerts) and compression of job logs, for `nightjar gc`. Only this module writes these tables.
///
/// What is never pruned: a run that has not ended (waiting or running, whatever its age), and a run
/// that an audit row still inside the audit period names — the audit trail must keep pointing at
/// the run an operator acted on for as long as the audit row itself is kept.
public struct HistoryRetention {
    public let store: Store
    public init(store: Store) { self.store = store }

    public struct Counts: Codable, Sendable, Equatable {
        public var runs = 0, jobs = 0, attempts = 0, events = 0, commands = 0, fires = 0, alerts = 0
        /// Runs old enough to go but named by an audit row inside the audit period.
        public var keptForAudit = 0
        /// Log files of the pruned attempts removed with them, and their bytes.
        public var logFiles = 0, logBytes = 0
        public init() {}
    }

    static let endedStates = RunState.allCases.filter(\.isEnded).map { "'\($0.rawValue)'" }.joined(separator: ",")

    /// Ended runs that ended before `cutoff`, minus those an audit row at or after `auditCutoff` names.
    func candidates(cutoff: Double, auditCutoff: Double) throws -> (prune: [Int64], keptForAudit: Int) {
        try store.db.read { db in
            let old = try Int64.fetchAll(db, sql: """
                SELECT id FROM runs WHERE state IN (\(Self.endedStates)) AND COALESCE(ended_at, created_at) < ? ORDER BY id
                """, arguments: [cutoff])
            let audited = try Set(Int64.fetchAll(db, sql: "SELECT DISTINCT run_id FROM audit WHERE run_id IS NOT NULL AND at >= ?",
                                                 arguments: [auditCutoff]))
            let prune = old.filter { !audited.contains($0) }
            return (prune, old.count - prune.count)
        }
    }

    /// What `prune` would remove, without removing anything.
    public func plan(cutoff: Double, auditCutoff: Double) throws -> Counts {
        let (ids, kept) = try candidates(cutoff: cutoff, auditCutoff: auditCutoff)
        var c = Counts()
        c.keptForAudit = kept
        for chunk in ids.chunked(500) {
            try store.db.read { db in
                let list = chunk.map(String.init).joined(separator: ",")
                c.runs += chunk.count
                c.jobs += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE run_id IN (\(list))") ?? 0
                c.attempts += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attempts WHERE run_id IN (\(list))") ?? 0
                c.events += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE run_id IN (\(list))") ?? 0
                c.commands += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM commands WHERE run_id IN (\(list))") ?? 0
                c.fires += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fires WHERE run_id IN (\(list))") ?? 0
                c.alerts += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts WHERE run_id IN (\(list))") ?? 0
                for path in try Self.logPaths(db, list) where JobLogFile.existing(path) != nil {
                    c.logFiles += 1
                    c.logBytes += JobLogFile.size(path)
                }
            }
        }
        // Events and alerts that belong to no run (a missed start, a net that stopped loading), and fires
        // recorded as missed, go by their own age.
        try store.db.read { db in
            c.events += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE run_id IS NULL AND at < ?", arguments: [cutoff]) ?? 0
            c.alerts += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts WHERE run_id IS NULL AND at < ?", arguments: [cutoff]) ?? 0
            c.fires += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fires WHERE run_id IS NULL AND decided_at < ?", arguments: [cutoff]) ?? 0
        }
        return c
    }

    /// Removes the runs `plan` names, 500 runs per transaction so that a running daemon's writes wait at
    /// most a moment; their log files go after the transaction that removed their rows has committed
    /// (a crash in between leaves files no row names, never a row whose log is gone).
    public func prune(cutoff: Double, auditCutoff: Double) throws -> Counts {
        let (ids, kept) = try candidates(cutoff: cutoff, auditCutoff: auditCutoff)
        var c = Counts()
        c.keptForAudit = kept
        for chunk in ids.chunked(500) {
            let list = chunk.map(String.init).joined(separator: ",")
            let paths: [String] = try store.db.write { db in
                // Re-check inside the transaction: a run may have been reopened (skip, rerun) since.
                let still = try Int64.fetchAll(db, sql: "SELECT id FROM runs WHERE id IN (\(list)) AND state IN (\(Self.endedStates))")
                let list = still.map(String.init).joined(separator: ",")
                guard !still.isEmpty else { return [] }
                let paths = try Self.logPaths(db, list)
                for (table, counter) in [("events", \Counts.events), ("commands", \Counts.commands), ("fires", \Counts.fires),
                                         ("alerts", \Counts.alerts), ("attempts", \Counts.attempts), ("jobs", \Counts.jobs)] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE run_id IN (\(list))")
                    c[keyPath: counter] += db.changesCount
                }
                try db.execute(sql: "DELETE FROM runs WHERE id IN (\(list))")
                c.runs += db.changesCount
                return paths
            }
            for path in paths {
                let freed = JobLogFile.remove(path)
                if freed > 0 { c.logFiles += 1; c.logBytes += freed }
            }
            // The run's log directory (LOGS/NET/RUN) is empty now; remove it so directories do not pile up either.
            for dir in Set(paths.map { ($0 as NSString).deletingLastPathComponent }) { rmdir(dir) }
        }
        try store.db.write { db in
            try db.execute(sql: "DELETE FROM events WHERE run_id IS NULL AND at < ?", arguments: [cutoff])
            c.events += db.changesCount
            try db.execute(sql: "DELETE FROM alerts WHERE run_id IS NULL AND at < ?", arguments: [cutoff])
            c.alerts += db.changesCount
            try db.execute(sql: "DELETE FROM fires WHERE run_id IS NULL AND decided_at < ?", arguments: [cutoff])
            c.fires += db.changesCount
        }
        return c
    }

    static func logPaths(_ db: Database, _ runList: String) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT stdout_path, stderr_path FROM attempts WHERE run_id IN (\(runList))")
            .flatMap { [$0["stdout_path"] as String?, $0["stderr_path"] as String?] }.compactMap { $0 }
    }

    public struct LogCounts: Codable, Sendable, Equatable {
        public var compressed = 0, bytesBefore = 0, bytesAfter = 0
        public var deleted = 0, bytesDeleted = 0
        public var failed: [String] = []
        public init() {}
    }

    /// Logs smaller than a file system block are left as they are: gzip would not free a byte of disk,
    /// and a log of a few lines comes out larger than it went in.
    public static let smallestCompressed = 4096

    /// Job logs of attempts that ended before `compressBefore` are gzipped (from 4 KiB up), those that ended before
    /// `deleteBefore` removed (the attempt rows stay until their run is pruned). With `dryRun`, only counted.
    public func logs(compressBefore: Double?, deleteBefore: Double?, dryRun: Bool) throws -> LogCounts {
        var c = LogCounts()
        guard let oldest = [compressBefore, deleteBefore].compactMap({ $0 }).max() else { return c }
        let rows = try store.db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT ended_at, stdout_path, stderr_path FROM attempts WHERE ended_at IS NOT NULL AND ended_at < ?
                """, arguments: [oldest])
        }
        for row in rows {
            let ended: Double = row["ended_at"]
            for path in [row["stdout_path"] as String?, row["stderr_path"] as String?].compactMap({ $0 }) {
                guard let actual = JobLogFile.existing(path) else { continue }
                if let d = deleteBefore, ended < d {
                    c.deleted += 1
                    c.bytesDeleted += dryRun ? JobLogFile.size(path) : JobLogFile.remove(path)
                    // The run's log directory goes with its last log (rmdir leaves a directory that still holds some).
                    if !dryRun { rmdir((path as NSString).deletingLastPathComponent) }
                } else if let k = compressBefore, ended < k, actual == path, JobLogFile.size(path) >= Self.smallestCompressed {
                    let before = JobLogFile.size(path)
                    c.compressed += 1
                    c.bytesBefore += before
                    if dryRun { continue }
                    do { c.bytesAfter += try JobLogFile.compress(path) } catch {
                        c.compressed -= 1
                        c.bytesBefore -= before
                        c.failed.append("\(error)")
                    }
                }
            }
        }
        return c
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
