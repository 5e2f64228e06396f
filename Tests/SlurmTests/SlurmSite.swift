import Calendars
import Foundation
import LiveHTTP
import JobNets
@testable import Scheduler
import Store

/// A throwaway site whose nightjar.yaml defines the slurm executor `hpc`, with a real state directory,
/// and engines pointed at the test cluster.
struct SlurmSite {
    let root: URL
    let site: Site
    let store: Store
    let cluster: SlurmCluster.Started

    init(_ nets: [String: String], cluster: SlurmCluster.Started, poll: String = "200ms") throws {
        self.cluster = cluster
        // Inside the cluster's directory, which goes when the test process ends.
        root = URL(fileURLWithPath: "\(cluster.directory)/sites/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        site = Site(root: root.path)
        store = try Store(directory: root.appendingPathComponent(".nightjar").path, tables: Engine.tables)
        try write("nightjar.yaml", "executors:\n  hpc: { type: slurm, partition: main, poll: \(poll) }\n")
        for (name, text) in nets { try write("Jobs/\(name).yaml", text) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) -> String? { try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    func engine() throws -> Engine {
        let e = Engine(store: store, site: site, config: try SiteConfig.load(site: site), supervisorPath: Self.supervisor)
        e.slurm.client = cluster.client
        return e
    }

    func start(_ net: String, _ e: Engine) throws -> Int64 {
        try e.startRun(net: try site.loadNet(net), date: LocalDate("2026-06-10") ?? LocalDate(dayNumber: 0), trigger: "manual")
    }

    func jobs(_ run: Int64) throws -> [String: JobRecord] {
        Dictionary(uniqueKeysWithValues: try store.jobs(ofRun: run).map { ($0.name, $0) })
    }

    static var supervisor: String { TestProcess.supervisor }
}
