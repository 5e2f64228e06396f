import Foundation
import GRDB

/// The state directory: one SQLite database (WAL) plus job logs, supervisor records and the spool.
///
/// Every state change of a run is written here in a transaction before it is acted upon, so any
/// process that opens the same directory later sees the whole history.
public final class Store: @unchecked Sendable {
    public let directory: URL
    public let db: DatabasePool

    /// A schema step of a module that owns tables in the state database (Scheduler, Spool, Printing). Names are
    /// permanent: a database records which it has applied.
    public struct Migration: Sendable {
        public let name: String
        public let apply: @Sendable (Database) throws -> Void
        public init(_ name: String, _ apply: @escaping @Sendable (Database) throws -> Void) {
            self.name = name
            self.apply = apply
        }
    }

    /// Opens (creating if needed) the state directory and migrates the database: the tables this module
    /// owns (audit, meta), then `tables`, the other modules' own (the scheduler's, the spool's, printing's,
    /// accounts'), in order.
    public init(directory: String, tables: [Migration] = []) throws {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL
        let fm = FileManager.default
        for sub in ["", "control", "logs"] {
            try fm.createDirectory(at: self.directory.appendingPathComponent(sub), withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o750])
        }
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            // WAL + NORMAL: a committed transaction survives a crash of any process; only a power loss
            // can drop the last few, and never leaves the database inconsistent.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        // Two processes opening a new state directory at once (a daemon and an operator's first verb)
        // would race on switching to WAL and on the migrations: open and migrate under a file lock.
        let lockPath = self.directory.appendingPathComponent("open.lock").path
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard lock >= 0 else { throw StoreError.cannotLock(lockPath, String(cString: strerror(errno))) }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            if errno != EINTR { throw StoreError.cannotLock(lockPath, String(cString: strerror(errno))) }
        }
        defer { flock(lock, LOCK_UN) }
        db = try DatabasePool(path: self.directory.appendingPathComponent("nightjar.db").path, configuration: config)
        var migrator = Self.migrator
        for t in tables { migrator.registerMigration(t.name, migrate: t.apply) }
        try migrator.migrate(db)
    }

    public enum StoreError: Error, CustomStringConvertible {
        case cannotLock(String, String)
        public var description: String {
            switch self {
            case let .cannotLock(p, why): return "cannot lock \(p): \(why)"
            }
        }
    }

    /// The site root the verbs run against. Paths inside it are stored relative to it, so a site copied
    /// with its state directory (to a test machine, a restore) acts on its own files, not the old site's.
    public var siteRoot: URL?

    /// How a path is kept in the database: relative to the site root when it is inside it.
    public func storedPath(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let root = siteRoot?.standardizedFileURL.path else { return absolute }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
    }

    /// A path as kept in the database, made absolute again against the current site root.
    public func resolvedPath(_ stored: String) -> String {
        if stored.hasPrefix("/") { return stored }
        return (siteRoot ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).appendingPathComponent(stored).standardizedFileURL.path
    }

    public var controlDirectory: URL { directory.appendingPathComponent("control") }
    public var defaultLogDirectory: URL { directory.appendingPathComponent("logs") }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        // The audit trail is every module's (scheduler, spool, printing, accounts): it lives here. It was
        // part of "v1" before the scheduler's tables moved to Scheduler, hence IF NOT EXISTS.
        m.registerMigration("v1-audit") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS audit (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    user TEXT NOT NULL,
                    action TEXT NOT NULL,
                    net TEXT,
                    run_id INTEGER,
                    job TEXT,
                    reason TEXT,
                    result TEXT
                );
                """)
        }
        m.registerMigration("v2-meta") { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
        // Web actions carry the client's address into the audit trail beside the account.
        m.registerMigration("v6-audit-address") { db in
            try db.execute(sql: "ALTER TABLE audit ADD COLUMN address TEXT")
        }
        return m
    }

    public func meta(_ key: String) throws -> String? {
        try db.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try db.write { try $0.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value]) }
    }
}
