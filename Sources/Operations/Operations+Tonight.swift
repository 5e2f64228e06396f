import Calendars
import Foundation
import GRDB
import JobNets
import Scheduler
import Store

/// The Tonight read model: one query for the runs (with their jobs counted in SQL, never read one by
/// one), one for the net holds, the schedule's starts from the site's files, and a prediction for what
/// is still waiting or running.
extension Operations {
    /// Every net's runs and planned starts of its current business date at `now` (by its own
    /// `business_day_starts` and zone), or of `date` when given; runs still waiting or running are
    /// shown whatever their date, since they are tonight's work too.
    public func tonight(now: Double, date: LocalDate? = nil) throws -> TonightView {
        let v = site.validation(paths: [])
        var dateOf: [String: LocalDate] = [:]
        var nets: [String: JobNet] = [:]
        var planned: [(net: JobNet, date: LocalDate, at: Double)] = []
        let siteClock = ZonedClock(zone: zone)
        for net in v.nets {
            nets[net.name] = net
            let clock = ZonedClock(zoneIdentifier: net.timezone ?? config.timezone) ?? siteClock
            let d = date ?? clock.businessDate(of: Date(timeIntervalSince1970: now), dayStarts: net.dayStarts)
            dateOf[net.name] = d
            guard !net.schedule.isEmpty, let schedule = site.schedule(of: net, calendars: v.calendars, defaultZone: config.timezone) else { continue }
            for s in schedule.starts(businessDates: d, through: d) { planned.append((net, d, s.instant.timeIntervalSince1970)) }
        }
        let siteDate = date ?? siteClock.businessDate(of: Date(timeIntervalSince1970: now))
        let dates = Set(dateOf.values.map(\.description) + [siteDate.description])
        let (rows, held) = try store.db.read { db -> ([Row], Set<String>) in
            let marks = dates.map { _ in "?" }.joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.id, r.net, r.business_date, r.state, r.scheduled_at, r.created_at, r.started_at, r.ended_at, r.message,
                       coalesce(j.total, 0) AS total, coalesce(j.ended, 0) AS ended, coalesce(j.held, 0) AS held
                FROM runs r LEFT JOIN (
                    SELECT run_id, count(*) AS total,
                           sum(state IN ('normal','warning','abnormal','skipped','not-run')) AS ended,
                           sum(held = 1 AND state IN ('waiting','retry-wait')) AS held
                    FROM jobs WHERE run_id IN (SELECT id FROM runs WHERE business_date IN (\(marks)) OR state IN ('waiting','running'))
                    GROUP BY run_id) j ON j.run_id = r.id
                WHERE r.business_date IN (\(marks)) OR r.state IN ('waiting','running')
                ORDER BY r.id
                """, arguments: StatementArguments(Array(dates) + Array(dates)))
            return (rows, Set(try String.fetchAll(db, sql: "SELECT net FROM net_holds")))
        }
        var out: [TonightView.Row] = []
        var matched = Set<String>()
        for row in rows {
            let name: String = row["net"], businessDate: String = row["business_date"], raw: String = row["state"]
            let state = RunState(rawValue: raw) ?? .waiting
            let active = !state.isEnded
            guard active || businessDate == (dateOf[name] ?? siteDate).description else { continue }
            let id: Int64 = row["id"]
            let scheduledAt: Double? = row["scheduled_at"], createdAt: Double = row["created_at"]
            let net = nets[name]
            let day = LocalDate(businessDate) ?? siteDate
            var deadline: Double?
            if let net, let d = net.endDeadline {
                deadline = Engine.deadlineInstant(d, net: net, date: day, anchor: scheduledAt ?? createdAt, siteZone: config.timezone)
            }
            if let scheduledAt { matched.insert("\(name) \(Int(scheduledAt.rounded()))") }
            var shown: TonightView.State
            switch state {
            case .waiting: shown = .waiting
            case .running: shown = .running
            case .normal: shown = .normal
            case .warning: shown = .warning
            case .abnormal: shown = .abnormal
            }
            if active && (held.contains(name) || (row["held"] as Int) > 0) { shown = .held }
            let endedAt: Double? = row["ended_at"]
            var r = TonightView.Row(net: name, runID: id, businessDate: businessDate, state: shown, planned: scheduledAt,
                                    start: row["started_at"], end: endedAt, deadline: deadline, predictedEnd: nil, predictedHigh: nil,
                                    late: false, jobs: row["total"], jobsEnded: row["ended"], message: row["message"])
            if active, let record = try store.run(id) {
                let p = try RunForecast.forecast(store: store, run: record, now: now)
                r.predictedEnd = p.end
                r.predictedHigh = p.highEnd
            }
            if let deadline, let end = r.end ?? r.predictedEnd { r.late = end > deadline }
            out.append(r)
        }
        for p in planned where !matched.contains("\(p.net.name) \(Int(p.at.rounded()))") {
            // A start whose time has passed without a run (the daemon was down, or the start was
            // missed) is shown as planned too: the operator sees the gap.
            let prediction = try RunForecast.forecast(store: store, net: p.net, date: p.date, start: p.at, now: now)
            let deadline = p.net.endDeadline.map { Engine.deadlineInstant($0, net: p.net, date: p.date, anchor: p.at, siteZone: config.timezone) }
            out.append(TonightView.Row(net: p.net.name, runID: nil, businessDate: p.date.description, state: held.contains(p.net.name) ? .held : .planned,
                                       planned: p.at, start: nil, end: nil, deadline: deadline, predictedEnd: prediction.end,
                                       predictedHigh: prediction.highEnd, late: deadline.map { prediction.end > $0 } ?? false,
                                       jobs: p.net.jobs.count, jobsEnded: 0, message: nil))
        }
        // Grouped by net, the nets in the order their night begins; within a net, in time order.
        func begins(_ r: TonightView.Row) -> Double { r.planned ?? r.start ?? r.end ?? now }
        var first: [String: Double] = [:]
        for r in out { first[r.net] = min(first[r.net] ?? .infinity, begins(r)) }
        out.sort { a, b in
            let fa = first[a.net] ?? 0, fb = first[b.net] ?? 0
            if fa != fb { return fa < fb }
            if a.net != b.net { return a.net < b.net }
            return (begins(a), a.runID ?? .max) < (begins(b), b.runID ?? .max)
        }
        return TonightView(now: now, dates: dates.sorted(), rows: out, zone: zone)
    }
}
