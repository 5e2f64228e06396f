import Foundation
import LiveHTTP
import Testing
import JobNets
import Scheduler
import Store

/// A throwaway site root and state directory with real files, a real SQLite database and the real
/// supervisor binary.
struct TestSite {
    let root: URL
    let site: Site
    let store: Store

    init(_ nets: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        site = Site(root: root.path)
        store = try Store(directory: root.appendingPathComponent(".nightjar").path, tables: Engine.tables)
        for (name, text) in nets { try write("Jobs/\(name).yaml", text) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) -> String? { try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    static var supervisor: String { TestProcess.supervisor }

    func engine(config: SiteConfig = SiteConfig()) -> Engine {
        Engine(store: store, site: site, config: config, supervisorPath: Self.supervisor)
    }

    /// Loads a net and runs it to its end with a fresh engine.
    func run(_ name: String, date: String = "2026-06-10", from: String? = nil) throws -> (id: Int64, state: RunState) {
        let net = try site.loadNet(name)
        let e = engine()
        let id = try e.startRun(net: net, date: LocalDateParse(date), trigger: "manual", from: from)
        return (id, try e.runToEnd(id))
    }

    /// Runs a net on virtual time: whenever a step changes nothing, the clock moves on by `tick`
    /// (processes still take their real, short time; delays and waits cost nothing).
    func runVirtual(_ name: String, clock: ManualTime, tick: Double = 1, date: String = "2026-06-10") throws -> (id: Int64, state: RunState) {
        let e = Engine(store: store, site: site, config: SiteConfig(), supervisorPath: Self.supervisor, clock: clock)
        let id = try e.startRun(net: try site.loadNet(name), date: LocalDateParse(date), trigger: "manual")
        var idle = 0
        while e.isActive(id) {
            if try e.step() { idle = 0; continue }
            idle += 1
            // A real process may be running: give it a moment before time moves on.
            if idle % 4 == 0 { clock.advance(by: tick) } else { usleep(1_000) }
        }
        return (id, try store.run(id)?.state ?? .abnormal)
    }

    func jobs(_ run: Int64) throws -> [String: JobRecord] {
        Dictionary(uniqueKeysWithValues: try store.jobs(ofRun: run).map { ($0.name, $0) })
    }
}

import Calendars
func LocalDateParse(_ s: String) -> LocalDate { LocalDate(s) ?? LocalDate(dayNumber: 0) }

/// Polls until `condition` holds or `seconds` pass.
func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
