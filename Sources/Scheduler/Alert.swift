import Calendars
import Executors
import Foundation
import GRDB
import JobNets
import Store

/// Something operators must hear about: a start deadline passed, an end delayed, a run ended abnormally.
public struct Alert: Sendable {
    public var kind: String
    public var net: String
    public var runID: Int64?
    public var date: LocalDate?
    public var message: String
}

extension Engine {
    /// Records an alert (once per net, run and kind: the table's key) and, after the commit, runs the
    /// site's notify command for it. A run's alerts are raised once by `RunMachine`, which keeps the kinds
    /// raised: a deadline that has passed is true on every step, and must not queue a write each time.
    func record(_ alert: Alert) {
        let at = clock.now()
        writes.append { [weak self] db in
            try db.execute(sql: "INSERT OR IGNORE INTO alerts (at, net, run_id, kind, message) VALUES (?, ?, ?, ?, ?)",
                           arguments: [at, alert.net, alert.runID, alert.kind, alert.message])
            if db.changesCount > 0 {
                try Store.event(db, runID: alert.runID, job: nil, kind: "alert.\(alert.kind)", detail: alert.message)
                self?.uncommittedAlerts.append(alert)
            }
        }
    }

    /// Runs the notify command with the alert in its environment (never in its arguments or a shell).
    func sendAlerts() {
        let pending = alertsToSend
        alertsToSend = []
        guard let notify = config.notify, !notify.isEmpty else { return }
        for alert in pending {
            var env = ProcessInfo.processInfo.environment
            env["NIGHTJAR_ALERT"] = alert.kind
            env["NIGHTJAR_NET"] = alert.net
            env["NIGHTJAR_RUN_ID"] = alert.runID.map(String.init) ?? ""
            env["NIGHTJAR_DATE"] = alert.date?.description ?? ""
            env["NIGHTJAR_MESSAGE"] = alert.message
            var command = notify
            let local = site.root.appendingPathComponent(command[0]).path
            if !command[0].hasPrefix("/") && FileManager.default.isExecutableFile(atPath: local) { command[0] = local }
            // Run from the site root, like jobs. The shell text is fixed; the directory and the command
            // are its positional arguments, so no value is ever parsed by the shell.
            let argv = ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "nightjar-notify", site.root.path] + command
            do {
                notifiers.insert(try Launcher.spawn(argv, environment: env.map { "\($0.key)=\($0.value)" }))
            } catch {
                writes.append { db in
                    try Store.event(db, runID: alert.runID, job: nil, kind: "alert.notify-failed", detail: "\(error)")
                }
            }
        }
    }

    func deadlineInstant(_ d: Deadline, run: ActiveRun) -> Double {
        Self.deadlineInstant(d, net: run.net, date: run.date, anchor: run.scheduledAt ?? run.createdAt, siteZone: config.timezone)
    }

    /// A deadline as an instant: a time of day falls on the business date (before `business_day_starts`,
    /// in the night after it, as start times do); a duration counts from `anchor` (the scheduled start,
    /// else the run's creation).
    public static func deadlineInstant(_ d: Deadline, net: JobNet, date: LocalDate, anchor: Double, siteZone: String) -> Double {
        switch d {
        case .at(let t):
            let clock = ZonedClock(zoneIdentifier: net.timezone ?? siteZone) ?? ZonedClock(zone: .current)
            let s = Schedule.offset(of: t, dayStarts: net.dayStarts)
            return clock.instant(on: date, at: TimeOfDay(hour: s / 3600, minute: s / 60 % 60, second: s % 60)).timeIntervalSince1970
        case .after(let s):
            return anchor + s
        }
    }
}
