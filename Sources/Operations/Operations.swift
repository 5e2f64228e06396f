import Foundation
import JobNets
import Printing
import Scheduler
import Spool
import Store

/// The operations layer: operator actions (hold, release, skip, kill, rerun, publish, ack, purge, cancel
/// a print) and the read models (runs, events, logs, alerts, audit, starts, calendars, batches, prints)
/// that the CLI and the web server both call. Actions take the `Actor` and audit with its name and
/// address; they call the scheduler's `RunControl` and the `Spool`, which own the rules.
public struct Operations: Sendable {
    public let store: Store
    public let site: Site
    public let config: SiteConfig
    /// The site's zone for times in JSON.
    public let zone: TimeZone
    /// Prints this process executes in the background (the web's); shared by every copy of this value.
    public let printExecutions = PrintExecutions()

    public init(store: Store, site: Site, config: SiteConfig, zone: TimeZone) {
        self.store = store
        self.site = site
        self.config = config
        self.zone = zone
    }

    /// The site's zone (`timezone:` in nightjar.yaml, else Asia/Tokyo).
    public static func zone(of config: SiteConfig) -> TimeZone {
        TimeZone(identifier: config.timezone) ?? TimeZone(identifier: JobNet.defaultTimeZone) ?? .current
    }

    /// Every module's tables the operations reach, in order: the scheduler's, the spool's, printing's.
    public static var tables: [Store.Migration] { Engine.tables + Spool.tables + PrintRun.tables }

    /// Schedules and calendars of this site.
    public var schedules: SiteSchedules { SiteSchedules(site: site, config: config) }

    /// A NET argument names a net of this site's Jobs/, never a path (`../x`, `a/b`).
    func checkNet(_ name: String) throws {
        if let problem = site.netNameProblem(name) { throw OperationError(.badInput, "error: \(problem)") }
    }
}
