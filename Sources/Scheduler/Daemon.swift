import Calendars
import Executors
import Foundation
import GRDB
import JobNets
import Store
#if canImport(Glibc)
import Glibc
#endif

/// The long-running scheduler: starts runs when their schedule fires, adopts runs whose executor
/// died, raises deadline alerts, and executes everything through one engine.
public final class Daemon {
    public let engine: Engine
    let site: Site
    let store: Store
    var nets: [String: JobNet] = [:]
    var reported: Set<String> = []
    var lastHousekeeping = 0.0
    var lastReload = 0.0
    let log: (String) -> Void

    /// Fires due longer ago than this when the daemon comes back are recorded as missed, not run.
    public var catchUpWindow: Double = 6 * 3600

    public init(engine: Engine, log: @escaping (String) -> Void) {
        self.engine = engine
        site = engine.site
        store = engine.store
        self.log = log
    }

    /// Takes the state directory's daemon lock; nil if another daemon holds it.
    public static func lock(store: Store) -> Int32? {
        let path = store.directory.appendingPathComponent("daemon.lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else { return nil }
        _ = ftruncate(fd, 0)
        let text = "\(getpid())\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        return fd
    }

    /// Runs until `shouldStop` returns true.
    public func run(shouldStop: () -> Bool) throws {
        let previousBeat = Double(try store.meta("daemon.heartbeat") ?? "") ?? Date().timeIntervalSince1970
        try store.setMeta("daemon.started", String(Date().timeIntervalSince1970))
        log("daemon started (pid \(getpid())); state in \(store.directory.path)")
        try housekeeping(now: Date().timeIntervalSince1970, since: previousBeat)
        var idle = 0.001
        while !shouldStop() {
            let now = Date().timeIntervalSince1970
            if now - lastHousekeeping >= 1 { try housekeeping(now: now, since: lastHousekeeping) }
            if try engine.step(now: now) { idle = 0.0005; continue }
            idle = min(idle * 2, engine.activeRunIDs.isEmpty ? 0.2 : 0.05)
            usleep(useconds_t(idle * 1_000_000))
        }
        try engine.flush()
        log("daemon stopping; running jobs carry on under their supervisors and will be picked up on restart")
    }

    func housekeeping(now: Double, since: Double) throws {
        lastHousekeeping = now
        try store.setMeta("daemon.heartbeat", String(now))
        if now - lastReload >= 5 || nets.isEmpty {
            lastReload = now
            reload()
        }
        try adoptOrphans()
        try fireSchedules(now: now, since: since)
        engine.checkStartDeadlines(now: now)
    }

    /// Loads every valid net; an invalid file is reported once and its last good version is kept.
    func reload() {
        let (loaded, problems) = site.validate(paths: [])
        var fresh: [String: JobNet] = [:]
        for net in loaded { fresh[net.name] = net }
        for p in problems where !reported.contains(p.description) {
            reported.insert(p.description)
            log("not loading: \(p)")
        }
        let bad = Set(problems.map { ($0.file as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "") })
        for name in bad where fresh[name] == nil { fresh[name] = nets[name] }
        nets = fresh.compactMapValues { $0 }
    }

    /// Runs that are not ended and whose executor is gone: a crashed daemon's, or a foreground
    /// `nightjar run` that was killed, or one left for the daemon by `rerun --queue`.
    func adoptOrphans() throws {
        let candidates = try store.db.read { db in
            try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE state IN ('waiting','running') ORDER BY id")
        }
        for r in candidates where !engine.isActive(r.id) && !ProcessIdentity.isAlive(r.owner) {
            do {
                try engine.adopt(r.id)
                log("run \(r.id) (\(r.net) \(r.businessDate)) taken over")
            } catch {
                log("cannot take over run \(r.id): \(error)")
            }
        }
    }

    /// Starts a run for every schedule slot that has come due. A slot is recorded in `fires` in the
    /// same transaction as its run, so a restart can never fire it twice.
    func fireSchedules(now: Double, since: Double) throws {
        for net in nets.values.sorted(by: { $0.name < $1.name }) where !net.schedule.isEmpty {
            let clock = ZonedClock(zoneIdentifier: net.timezone ?? engine.config.timezone) ?? ZonedClock(zone: .current)
            let today = clock.date(of: Date(timeIntervalSince1970: now))
            for date in [today.adding(days: -1), today] {
                for entry in net.schedule {
                    let due = clock.instant(on: date, at: entry.at).timeIntervalSince1970
                    guard due <= now else { continue }
                    let done = try store.db.read { db in
                        try Bool.fetchOne(db, sql: "SELECT 1 FROM fires WHERE net = ? AND business_date = ? AND at_time = ?",
                                          arguments: [net.name, date.description, entry.at.description]) ?? false
                    }
                    if done { continue }
                    // Slots before the daemon's previous heartbeat were seen (or did not exist) then.
                    if due < since - 1 { continue }
                    if now - due > catchUpWindow {
                        try store.db.write { db in
                            try db.execute(sql: """
                                INSERT OR IGNORE INTO fires (net, business_date, at_time, due_at, decided_at, decision) VALUES (?, ?, ?, ?, ?, 'missed')
                                """, arguments: [net.name, date.description, entry.at.description, due, now])
                            try Store.event(db, runID: nil, job: nil, kind: "fire.missed",
                                            detail: "\(net.name) \(date) \(entry.at): the daemon was down; not run")
                        }
                        log("\(net.name) \(date) \(entry.at): missed while the daemon was down; not run")
                        continue
                    }
                    let late = now - due > 60
                    do {
                        let id = try engine.startRun(net: net, date: date, trigger: "schedule", scheduledAt: due,
                                                     fire: .init(atTime: entry.at.description, dueAt: due, decision: late ? "late" : "on-time"))
                        log("\(net.name) \(date) \(entry.at): run \(id) started" + (late ? " late (the daemon was down)" : ""))
                    } catch {
                        log("\(net.name) \(date) \(entry.at): cannot start: \(error)")
                    }
                }
            }
        }
    }
}
