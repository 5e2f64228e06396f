import Calendars
import Foundation
import JobNets
import Scheduler
import Store

/// Predicted ends (issue 14): for a run in progress, from its jobs as they stand; for a net with no run
/// in progress, for its next scheduled start.
extension Operations {
    public func forecast(run id: Int64, now: Double = Date().timeIntervalSince1970) throws -> ForecastView {
        guard let record = try store.run(id) else { throw OperationError(.notFound, "error: run \(id) does not exist; see `nightjar history`") }
        let net = try JSONDecoder().decode(JobNet.self, from: Data(record.definition.utf8))
        let prediction = try RunForecast.forecast(store: store, run: record, now: now)
        let date = LocalDate(record.businessDate) ?? LocalDate(dayNumber: 0)
        let deadline = net.endDeadline.map {
            Engine.deadlineInstant($0, net: net, date: date, anchor: record.scheduledAt ?? record.createdAt, siteZone: config.timezone)
        }
        return ForecastView(run: id, net: record.net, businessDate: record.businessDate, prediction: prediction, deadline: deadline, zone: zone)
    }

    /// The net's run in progress; else a run of its next scheduled start (or one starting now, for a
    /// net with no schedule).
    public func forecast(net name: String, now: Date = Date()) throws -> ForecastView {
        try checkNet(name)
        if let active = try store.runs(net: name, limit: 1, activeOnly: true).first {
            return try forecast(run: active.id, now: now.timeIntervalSince1970)
        }
        let next = try schedules.next(net: name, count: 1, now: now)
        let start = next.starts.first
        // No schedule: a run started now, for the business date it would get now.
        let clock = ZonedClock(zoneIdentifier: next.net.timezone ?? config.timezone) ?? ZonedClock(zone: zone)
        let date = start?.businessDate ?? clock.businessDate(of: now, dayStarts: next.net.dayStarts)
        let at = start?.instant.timeIntervalSince1970 ?? now.timeIntervalSince1970
        let prediction = try RunForecast.forecast(store: store, net: next.net, date: date, start: at, now: now.timeIntervalSince1970)
        let deadline = next.net.endDeadline.map { Engine.deadlineInstant($0, net: next.net, date: date, anchor: at, siteZone: config.timezone) }
        return ForecastView(run: nil, net: name, businessDate: date.description, prediction: prediction, deadline: deadline, zone: zone)
    }
}
