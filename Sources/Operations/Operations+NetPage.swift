import Calendars
import Foundation
import GRDB
import JobNets
import Scheduler
import Store

/// The read model of a net's page: its definition, schedule and calendar, its next starts, the
/// states of its latest run's jobs and its recent runs. Three queries, whatever the net's size.
public struct NetPageView: Sendable {
    public struct PastRun: Sendable {
        public var id: Int64
        public var businessDate: String
        public var state: RunState
        public var trigger: String
        public var start: Double?
        public var end: Double?
    }

    public var net: JobNet
    /// Each schedule line as written: "22:30 every operating day".
    public var schedule: [String]
    /// The calendar's name; nil for the standard city-office calendar.
    public var calendar: String?
    public var next: [Schedule.Start]
    /// The net's run in progress, else its latest; with its jobs' states.
    public var latest: PastRun?
    public var jobStates: [String: JobState]
    public var heldJobs: Set<String>
    public var history: [PastRun]
    /// Nets that wait for this one (`after:` naming it).
    public var dependents: [String]
    public var zone: TimeZone
}

extension Operations {
    public func netPage(_ name: String, now: Date = Date(), history limit: Int = 30) throws -> NetPageView {
        try checkNet(name)
        let net: JobNet
        do { net = try site.loadNet(name) } catch {
            throw OperationError(.notFound, "error: no net named '\(name)': \(error)")
        }
        let next = (try? schedules.next(net: name, count: 5, now: now)) ?? SiteSchedules.Next(net: net, schedule: nil, starts: [])
        let dependents = site.netNames().filter { $0 != name }.compactMap { try? site.loadNet($0) }.filter { $0.after.contains(name) }.map(\.name)
        let (runs, jobs) = try store.db.read { db -> ([NetPageView.PastRun], [Row]) in
            let runs = try Row.fetchAll(db, sql: """
                SELECT id, business_date, state, trigger, started_at, ended_at FROM runs WHERE net = ? ORDER BY id DESC LIMIT ?
                """, arguments: [name, limit]).map { row in
                NetPageView.PastRun(id: row["id"], businessDate: row["business_date"], state: RunState(rawValue: row["state"]) ?? .waiting,
                                    trigger: row["trigger"], start: row["started_at"], end: row["ended_at"])
            }
            let current = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE net = ? AND state IN ('waiting','running') ORDER BY id DESC LIMIT 1",
                                             arguments: [name]) ?? runs.first?.id
            let jobs = try current.map { try Row.fetchAll(db, sql: "SELECT name, state, held FROM jobs WHERE run_id = ?", arguments: [$0]) } ?? []
            return (runs, jobs)
        }
        var states: [String: JobState] = [:], held: Set<String> = []
        for row in jobs {
            let job: String = row["name"]
            states[job] = JobState(rawValue: row["state"]) ?? .waiting
            if (row["held"] as Bool) { held.insert(job) }
        }
        let latest = runs.first { !$0.state.isEnded } ?? runs.first
        let lines = net.schedule.map { entry -> String in
            var text = entry.at.description
            switch entry.days {
            case .everyOperatingDay: text += " every operating day"
            default: text += " \(entry.days)"
            }
            if let months = entry.months { text += " in months \(months.map(String.init).joined(separator: ","))" }
            return text
        }
        return NetPageView(net: net, schedule: lines, calendar: net.calendar, next: next.starts, latest: latest, jobStates: states,
                           heldJobs: held, history: runs, dependents: dependents.sorted(),
                           zone: next.schedule?.clock.zone ?? zone)
    }
}
