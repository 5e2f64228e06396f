import ArgumentParser
import Foundation
import JobNets
import Logging
import Operations
import Scheduler
import Spool
import Store
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var stopRequested: sig_atomic_t = 0
nonisolated(unsafe) var reloadRequested: sig_atomic_t = 0

/// One daily gc at a time (it runs beside the scheduling loop).
final class GCInProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    func begin() -> Bool { lock.lock(); defer { lock.unlock() }; if running { return false }; running = true; return true }
    func end() { lock.lock(); running = false; lock.unlock() }
}

/// The settings in force in the daemon: read at start, replaced on SIGHUP when nightjar.yaml loads.
final class DaemonSettings {
    var config: SiteConfig
    init(_ config: SiteConfig) { self.config = config }
}

struct Daemon: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scheduler: start nets when their schedule fires, take over orphaned runs, raise alerts.",
        discussion: """
            One daemon per state directory. SIGTERM or SIGINT stops it; running jobs carry on under their
            supervisors, and the next daemon records how they ended. SIGHUP reloads nets, calendars and
            nightjar.yaml (a file that does not load raises an alert; the last good version stays). Operator
            verbs (hold, release, skip, kill) reach it within a second. Logs one line per event to stderr,
            with journald priorities under systemd; tells systemd when it is ready (Type=notify).
            """)

    @OptionGroup var site: SiteOptions
    @Option(help: "Also serve the web pages and API on ADDR:PORT, in this process (see `nightjar serve`).") var http: String?
    @Flag(help: "With --http: allow plain HTTP on a non-loopback address (prints a warning).") var insecureHttp = false

    func run() throws {
        let store = try site.openStore()
        guard Scheduler.Daemon.lock(store: store) != nil else {
            throw Failure.badInput("another daemon is running on \(store.directory.path)")
        }
        // Every line of the process (the scheduler's, and the web server's with --http) through one handler.
        let zone = site.zone
        LoggingSystem.bootstrap { _ in JournalLogHandler(zone: zone) }
        // The web server runs beside the scheduler loop; it stops with the process.
        if let http { _ = try WebLaunch(site: site, listen: http, insecureHTTP: insecureHttp).start(handleSignals: false) }
        let settings = DaemonSettings(try site.siteConfig())
        let engine = Engine(store: store, site: site.site, config: settings.config)
        let logger = Logger(label: "nightjar.daemon")
        let log: @Sendable (String) -> Void = { line in logger.log(level: DaemonLogLevel.of(line), "\(line)") }
        let daemon = Scheduler.Daemon(engine: engine, log: log)
        daemon.housekeepingTasks.append(Self.spoolTask(store: store, settings: settings, log: log))
        daemon.housekeepingTasks.append(Self.gcTask(site: site, store: store, settings: settings, log: log))
        let notifier = ServiceNotifier()
        var ready = false
        daemon.housekeepingTasks.append { _ in
            // The first housekeeping has adopted orphans and fired due starts: ready for systemd.
            if !ready { ready = true; notifier.notify("READY=1\nSTATUS=scheduling") }
            guard reloadRequested != 0 else { return }
            reloadRequested = 0
            notifier.notify("RELOADING=1")
            let loaded = Result { try SiteConfig.load(site: site.site) }
            let outcome = daemon.reloadNow(settings: loaded)
            if case .success(let config) = loaded { settings.config = config }
            if let problem = outcome.settingsProblem {
                log("reload: nightjar.yaml refused, the daemon keeps its last good settings: \(problem)")
            }
            if !outcome.needsRestart.isEmpty {
                log("reload: \(outcome.needsRestart.joined(separator: ", ")) changed; that takes a restart to apply")
            }
            log("reloaded: \(outcome.nets) nets" + (outcome.settingsProblem == nil ? ", settings from nightjar.yaml" : ""))
            notifier.notify("READY=1\nSTATUS=scheduling")
        }
        let handler: @convention(c) (Int32) -> Void = { _ in stopRequested = 1 }
        signal(SIGTERM, handler)
        signal(SIGINT, handler)
        signal(SIGHUP, { _ in reloadRequested = 1 })
        // A parent may have started us with these blocked (some process launchers do); a daemon that
        // cannot be stopped by SIGTERM is worse than useless.
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGTERM)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGHUP)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        defer { notifier.notify("STOPPING=1") }
        try daemon.run(shouldStop: {
            if stopRequested != 0 && ready { ready = false; notifier.notify("STOPPING=1") }
            return stopRequested != 0
        })
    }

    /// The daily gc (`retention: gc_at:` in nightjar.yaml), checked once a minute and run on a thread of
    /// its own: on a busy disk it can take tens of seconds, and starts must not wait for it (its deletes
    /// go 500 runs per transaction; only the final VACUUM holds the write lock for longer).
    static func gcTask(site: SiteOptions, store: Store, settings: DaemonSettings, log: @escaping @Sendable (String) -> Void) -> (Double) -> Void {
        var lastCheck = 0.0
        let busy = GCInProgress()
        let root = site.site
        return { now in
            guard now - lastCheck >= 60, settings.config.retention.gcAt != nil, busy.begin() else { return }
            lastCheck = now
            let config = settings.config
            let ops = Operations(store: store, site: root, config: config, zone: Operations.zone(of: config))
            guard (try? ops.nightlyGCDue(now: now)) != nil else { busy.end(); return }
            DispatchQueue.global(qos: .utility).async {
                defer { busy.end() }
                do {
                    try ops.nightlyGC(now: now)?.forEach { log("gc: \($0)") }
                } catch {
                    log("gc: failed: \(error)")
                }
            }
        }
    }

    /// Vendors' receipt files every 5 seconds; retention once an hour (and at start).
    static func spoolTask(store: Store, settings: DaemonSettings, log: @escaping (String) -> Void) -> (Double) -> Void {
        let spool = Spool(store: store)
        var lastReceipts = 0.0, lastRetention = 0.0
        return { now in
            if now - lastReceipts >= 5 {
                lastReceipts = now
                do { try spool.collectReceipts().forEach { log("spool: \($0)") } } catch { log("spool: cannot check receipts: \(error)") }
            }
            if let days = settings.config.retentionDays, now - lastRetention >= 3600 {
                lastRetention = now
                do { try spool.purgeExpired(days: days, user: "nightjar-daemon").forEach { log("spool: \($0)") } } catch { log("spool: retention: \(error)") }
            }
        }
    }
}
