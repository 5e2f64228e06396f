import Calendars
import Executors
import Foundation
import GRDB
import JobNets
import OperatorFiles
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
    /// Each net's starts under its calendar, rebuilt with the nets.
    var schedules: [String: Schedule] = [:]
    var reported: Set<String> = []
    /// Per invalid net file, the problems last alerted about (kept in `meta`, so a restart does not
    /// alert again about the same problems); nil until read.
    var invalidAlerted: [String: String]?
    var lastHousekeeping = 0.0
    var lastReload = 0.0
    /// The last nightjar.yaml problem alerted about on SIGHUP (one alert per distinct problem).
    var lastSettingsProblem: String?
    let log: (String) -> Void
    /// Other periodic work (the spool's receipts and retention), called with the time about once a second.
    public var housekeepingTasks: [(Double) -> Void] = []

    /// How far back the daemon looks for starts it missed while it was down. Starts older than this
    /// are neither run nor recorded (a note goes to the log).
    public var lookBack: Double = 35 * 86_400

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
        let clock = engine.clock
        let previousBeat = Double(try store.meta("daemon.heartbeat") ?? "") ?? clock.now()
        try store.setMeta("daemon.started", String(clock.now()))
        log("daemon started (pid \(getpid())); state in \(store.directory.path)")
        try housekeeping(now: clock.now(), since: previousBeat)
        var idle = 0.001
        while !shouldStop() {
            let now = clock.now()
            if now - lastHousekeeping >= 1 { try housekeeping(now: now, since: lastHousekeeping) }
            if try engine.step(now: now) { idle = 0.0005; continue }
            idle = min(idle * 2, engine.activeRunIDs.isEmpty ? 0.2 : 0.05)
            engine.launcher.waitForActivity(idle)
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
        engine.checkPredictedEnds(now: now)
        for task in housekeepingTasks { task(now) }
    }

    /// Loads every valid net and calendar; an invalid net file is reported once and its last good
    /// version is kept (with the schedule it had).
    func reload() {
        let v = site.validation(paths: [])
        var fresh: [String: JobNet] = [:]
        var freshSchedules: [String: Schedule] = [:]
        for net in v.nets {
            guard let schedule = site.schedule(of: net, calendars: v.calendars, defaultZone: engine.config.timezone) else { continue }
            fresh[net.name] = net
            freshSchedules[net.name] = schedule
        }
        for p in v.problems where !reported.contains(p.description) {
            reported.insert(p.description)
            log("not loading: \(p)")
        }
        // A net whose own file has problems keeps its last good version.
        let bad = Set(v.problems.filter { !$0.file.hasPrefix("Jobs/calendars/") }
            .map { PathName.stem($0.file) })
        for name in bad where fresh[name] == nil {
            fresh[name] = nets[name]
            freshSchedules[name] = schedules[name]
        }
        alertInvalidNets(v.problems, bad: bad, keptOld: Set(nets.keys))
        nets = fresh.compactMapValues { $0 }
        schedules = freshSchedules.compactMapValues { $0 }
    }

    /// Raises a `net-invalid` alert when a net file stops loading, once per change of its problems:
    /// a line in the daemon's log is easy to miss, and the net silently runs its old definition.
    func alertInvalidNets(_ problems: [Diagnostic], bad: Set<String>, keptOld: Set<String>) {
        do {
            var alerted = try invalidAlerted ?? store.db.read { db in
                Dictionary(try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key LIKE 'net-invalid.%' AND value != ''")
                    .map { (String(($0["key"] as String).dropFirst("net-invalid.".count)), $0["value"] as String) },
                           uniquingKeysWith: { a, _ in a })
            }
            let names = Set(site.netNames())
            for name in bad where names.contains(name) {
                let mine = problems.filter { ($0.file as NSString).lastPathComponent == "\(name).yaml" }
                guard let first = mine.first else { continue }
                let signature = mine.map(\.description).joined(separator: "\n")
                guard alerted[name] != signature else { continue }
                alerted[name] = signature
                try store.setMeta("net-invalid.\(name)", signature)
                let more = mine.count > 1 ? " (and \(mine.count - 1) more problem\(mine.count > 2 ? "s" : ""); see `nightjar validate`)" : ""
                let kept = keptOld.contains(name) ? "the daemon keeps running its last good definition"
                    : "it is not scheduled until the file is fixed"
                engine.record(Alert(kind: "net-invalid", net: name, runID: nil, date: nil,
                                   message: "\(name) no longer loads — \(first)\(more); \(kept)"))
                log("alert: \(name) no longer loads; \(kept)")
            }
            // A file that loads again (or is gone) may alert again the next time it breaks.
            for name in alerted.keys where !bad.contains(name) {
                alerted[name] = nil
                try store.setMeta("net-invalid.\(name)", "")
            }
            invalidAlerted = alerted
        } catch {
            log("cannot record a net-invalid alert: \(error)")
        }
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

    /// Starts a run for every schedule slot that has come due since `since` (the previous heartbeat
    /// when the daemon has just started). Each start is recorded in `fires` — in the same
    /// transaction as its run when it runs — so a restart can never fire a slot twice.
    ///
    /// A start more than a minute overdue was missed (the daemon was down or stalled): the net's
    /// `missed:` policy decides whether it runs late or is recorded as missed (see `MissedRunPolicy`).
    func fireSchedules(now: Double, since: Double) throws {
        // A margin before `since`: a slot due just before a crash may not have been recorded.
        let from = max(since - 2, now - lookBack)
        if since < now - lookBack, !reported.contains("lookback \(Int(since))") {
            reported.insert("lookback \(Int(since))")
            log("the daemon was down since \(isoText(since)); starts before \(isoText(from)) are not examined")
        }
        let nowDate = Date(timeIntervalSince1970: now)
        for net in nets.values.sorted(by: { $0.name < $1.name }) where !net.schedule.isEmpty {
            guard let schedule = schedules[net.name] else { continue }
            let due = schedule.starts(after: Date(timeIntervalSince1970: from), through: nowDate)
            guard !due.isEmpty else { continue }
            let fired = try store.db.read { db in
                try Set(String.fetchAll(db, sql: """
                    SELECT business_date || ' ' || at_time FROM fires WHERE net = ? AND business_date BETWEEN ? AND ?
                    """, arguments: [net.name, due.first!.businessDate.description, due.last!.businessDate.description]))
            }
            let pending = due.filter { !fired.contains("\($0.businessDate) \($0.slot)") }
            for (start, decision) in net.missedPolicy.decide(pending, now: nowDate) {
                let dueAt = start.instant.timeIntervalSince1970
                let what = "\(net.name) \(start.businessDate) \(start.slot)"
                switch decision {
                case .missed:
                    try store.db.write { db in
                        try db.execute(sql: """
                            INSERT OR IGNORE INTO fires (net, business_date, at_time, due_at, decided_at, decision) VALUES (?, ?, ?, ?, ?, 'missed')
                            """, arguments: [net.name, start.businessDate.description, start.slot, dueAt, now])
                        try Store.event(db, runID: nil, job: nil, kind: "fire.missed",
                                        detail: "\(what): due \(isoText(dueAt)) while the daemon was down; not run (missed: \(net.missedPolicy.rawValue))")
                    }
                    log("\(what): missed while the daemon was down; not run (missed: \(net.missedPolicy.rawValue))")
                case .late, .onTime:
                    do {
                        let id = try engine.startRun(net: net, date: start.businessDate, trigger: "schedule", scheduledAt: dueAt,
                                                     fire: .init(atTime: start.slot, dueAt: dueAt, decision: decision.rawValue))
                        if decision == .late {
                            try store.db.write { db in
                                try Store.event(db, runID: id, job: nil, kind: "fire.late",
                                                detail: "\(what): due \(isoText(dueAt)) while the daemon was down; started late (missed: \(net.missedPolicy.rawValue))")
                            }
                        }
                        log("\(what): run \(id) started" + (decision == .late ? " late (the daemon was down)" : ""))
                    } catch {
                        log("\(what): cannot start: \(error)")
                    }
                }
            }
        }
    }
}

extension Daemon {
    /// An instant as written in log lines and events: RFC 3339 with the site zone's offset, like
    /// the CLI's JSON, so a time in the log reads the same as one in `status --json`.
    func isoText(_ t: Double) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: engine.config.timezone) ?? TimeZone(identifier: JobNet.defaultTimeZone) ?? .current
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: t))
    }
}
