import ArgumentParser
import Foundation
import Scheduler
import Spool
import Store
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

struct Daemon: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scheduler: start nets when their schedule fires, take over orphaned runs, raise alerts.",
        discussion: """
            One daemon per state directory. SIGTERM or SIGINT stops it; running jobs carry on under their
            supervisors, and the next daemon records how they ended. Operator verbs (hold, release, skip,
            kill) reach it within a second.
            """)

    @OptionGroup var site: SiteOptions
    @Option(help: "Also serve the web pages and API on ADDR:PORT, in this process (see `nightjar serve`).") var http: String?
    @Flag(help: "With --http: allow plain HTTP on a non-loopback address (prints a warning).") var insecureHttp = false

    func run() throws {
        let store = try site.openStore()
        guard Scheduler.Daemon.lock(store: store) != nil else {
            throw Failure.badInput("another daemon is running on \(store.directory.path)")
        }
        // The web server runs beside the scheduler loop; it stops with the process.
        if let http { _ = try WebLaunch(site: site, listen: http, insecureHTTP: insecureHttp).start(handleSignals: false) }
        let engine = Engine(store: store, site: site.site, config: try site.siteConfig())
        let stamps = ISO8601DateFormatter()
        stamps.timeZone = site.zone   // the log's times in the site zone with its offset, like --json
        let log: (String) -> Void = { line in
            let stamp = stamps.string(from: Date())
            FileHandle.standardError.write(Data("\(stamp) \(line)\n".utf8))
        }
        let daemon = Scheduler.Daemon(engine: engine, log: log)
        daemon.housekeepingTasks.append(Self.spoolTask(store: store, retentionDays: try site.siteConfig().retentionDays, log: log))
        let handler: @convention(c) (Int32) -> Void = { _ in stopRequested = 1 }
        signal(SIGTERM, handler)
        signal(SIGINT, handler)
        // A parent may have started us with these blocked (some process launchers do); a daemon that
        // cannot be stopped by SIGTERM is worse than useless.
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGTERM)
        sigaddset(&mask, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        try daemon.run(shouldStop: { stopRequested != 0 })
    }

    /// Vendors' receipt files every 5 seconds; retention once an hour (and at start).
    static func spoolTask(store: Store, retentionDays: Int?, log: @escaping (String) -> Void) -> (Double) -> Void {
        let spool = Spool(store: store)
        var lastReceipts = 0.0, lastRetention = 0.0
        return { now in
            if now - lastReceipts >= 5 {
                lastReceipts = now
                do { try spool.collectReceipts().forEach { log("spool: \($0)") } } catch { log("spool: cannot check receipts: \(error)") }
            }
            if let days = retentionDays, now - lastRetention >= 3600 {
                lastRetention = now
                do { try spool.purgeExpired(days: days, user: "nightjar-daemon").forEach { log("spool: \($0)") } } catch { log("spool: retention: \(error)") }
            }
        }
    }
}
