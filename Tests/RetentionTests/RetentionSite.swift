import Calendars
import Foundation
import LiveHTTP
import GRDB
import JobNets
import Operations
import Scheduler
import Store

/// A site whose state directory holds `nights` generated nights: one real run of a small net (real
/// supervisor processes, real logs), copied back night by night with HistoryGenerator.
struct RetentionSite {
    let root: URL
    let site: Site
    let store: Store
    /// When the real run was made; the generated nights are whole days before it.
    let templateTime: Double

    static let net = """
        name: night
        jobs:
          extract: { shell: 'echo "extracted 1200 rows"; seq 1 2000; echo "warning: 3 rows skipped" >&2' }
          assess: { needs: [extract], shell: 'echo "assessed"' }
          notify: { needs: [assess], shell: 'echo "done"' }
        """

    init(nights: Int, settings: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        try Self.net.write(to: root.appendingPathComponent("Jobs/night.yaml"), atomically: true, encoding: .utf8)
        try settings.write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
        site = Site(root: root.path)
        // The template night, run for real in a state directory of its own.
        let template = try Store(directory: root.appendingPathComponent("template").path, tables: Engine.tables)
        let engine = Engine(store: template, site: site, config: SiteConfig(), supervisorPath: Self.supervisor)
        templateTime = Date().timeIntervalSince1970
        let id = try engine.startRun(net: try site.loadNet("night"), date: LocalDate("2029-06-10") ?? LocalDate(dayNumber: 0), trigger: "manual")
        _ = try engine.runToEnd(id)
        store = try Store(directory: root.appendingPathComponent("state").path, tables: Operations.tables)
        try HistoryGenerator(store: store, logRoot: store.defaultLogDirectory.path)
            .generate(templateState: template.directory.path, nights: nights, auditEvery: 7)
    }

    func operations() throws -> Operations {
        let config = try SiteConfig.load(site: site)
        return Operations(store: store, site: site, config: config, zone: Operations.zone(of: config))
    }

    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try store.db.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    static var supervisor: String { TestProcess.supervisor }
}
