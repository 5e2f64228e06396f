import Accounts
import ArgumentParser
import Executors
import Foundation
import Printing
import Spool
import JobNets
import OperatorFiles
import Operations
import Scheduler
import Store

/// Where the site and its state are; shared by every verb.
struct SiteOptions: ParsableArguments {
    @Option(help: "The site root holding Jobs/ and Forms/ (default: the current directory).")
    var root: String?

    @Option(help: "The state directory (default: $NIGHTJAR_STATE, else ./.nightjar).")
    var state: String?

    var site: Site { Site(root: root ?? FileManager.default.currentDirectoryPath) }

    var stateDirectory: String {
        if let state { return state }
        if let env = ProcessInfo.processInfo.environment["NIGHTJAR_STATE"], !env.isEmpty { return env }
        return site.root.appendingPathComponent(".nightjar").path
    }

    func openStore() throws -> Store {
        do {
            // Every module's tables: the scheduler's, the spool's, printing's, then the web accounts'.
            let store = try Store(directory: stateDirectory, tables: Operations.tables + Accounts.tables)
            store.siteRoot = site.root
            return store
        } catch {
            throw Failure.badInput("cannot open the state directory \(stateDirectory): \(error)")
        }
    }

    func siteConfig() throws -> SiteConfig {
        do {
            return try SiteConfig.load(site: site)
        } catch let v as ValidationFailure {
            throw Failure.badInput(v.description)
        }
    }

    /// NET arguments name nets in this site's Jobs/, never paths: every verb taking NET checks it first.
    func checkNet(_ name: String?) throws {
        if let name, let problem = site.netNameProblem(name) { throw Failure.badInput("error: \(problem)") }
    }

    /// The site's time zone (`timezone:` in nightjar.yaml, else Asia/Tokyo) for times in tables and
    /// JSON. A broken nightjar.yaml must not stop the read verbs, so it falls back to the default.
    var zone: TimeZone {
        let id = (try? SiteConfig.load(site: site))?.timezone ?? JobNet.defaultTimeZone
        return TimeZone(identifier: id) ?? TimeZone(identifier: JobNet.defaultTimeZone) ?? .current
    }

    /// The operations layer on this site and state directory, as the operator at the shell.
    func operations() throws -> Operations {
        let store = try openStore()
        let config = try siteConfig()
        return Operations(store: store, site: site, config: config, zone: zone)
    }

    /// The operations layer for verbs that do not need nightjar.yaml (a broken one must not stop them).
    func operationsWithoutConfig() throws -> Operations {
        Operations(store: try openStore(), site: site, config: (try? SiteConfig.load(site: site)) ?? SiteConfig(), zone: zone)
    }
}

/// Wraps Scheduler and Store errors into operator messages with exit 2.
func operatorError(_ error: Error) -> Error {
    if error is Failure || error is ExitCode { return error }
    if let v = error as? ValidationFailure { return Failure.badInput(v.description) }
    // The operations layer's refusals carry the operator's sentence already.
    if let o = error as? OperationError { return Failure.badInput(o.message) }
    return Failure.badInput("error: \(error)")
}
