import Foundation
import LiveHTTP
import Testing

/// A throwaway site driving the real `nightjar` binary: nets written for the test, accounts of each
/// role with a known password, and `nightjar serve` on a free loopback port (LiveHTTP).
final class ConsoleSite {
    let root: URL
    var state: String { root.appendingPathComponent(".nightjar").path }
    var extraEnvironment: [String: String] = [:]
    static let password = "correct horse battery staple"
    static var repository: URL { TestProcess.repository }

    init(nets: [String: String], config: String = "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n") throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightjar-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        for (name, text) in nets { try text.write(to: root.appendingPathComponent("Jobs/\(name).yaml"), atomically: true, encoding: .utf8) }
        try config.write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("Forms"), withDestinationURL: Self.repository.appendingPathComponent("Forms"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static var binary: String { TestProcess.nightjar }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = state
        env["NIGHTJAR_USER"] = "test-operator"
        return env.merging(extraEnvironment) { $1 }
    }

    /// `nightjar ARGS` (or `program`) in the site root, to its end.
    @discardableResult
    func run(_ args: [String], program: String? = nil, stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        try TestProcess.run(program ?? Self.binary, program == nil ? args + ["--root", root.path] : args, directory: root,
                            environment: environment, stdin: stdin)
    }

    /// Starts `nightjar ARGS` without waiting (a run in the foreground that the test acts on).
    func start(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args + ["--root", root.path]
        p.currentDirectoryURL = root
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func json(_ args: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try run(args + ["--json"]).out.utf8))
    }

    func addUser(_ name: String, role: String) throws {
        let r = try run(["user", "add", name, "--role", role, "--password-stdin"], stdin: Self.password + "\n")
        #expect(r.status == 0, "\(r.err)")
    }

    /// A queued run of `net` (left for a daemon, which this test never starts): its jobs wait.
    func queue(_ net: String, date: String = "2026-06-10") throws -> Int64 {
        let r = try run(["run", net, "--queue", "--date", date])
        #expect(r.status == 0, "\(r.err)")
        let runs = try json(["history"]) as? [[String: Any]] ?? []
        return try #require((runs.first { $0["net"] as? String == net }?["id"] as? NSNumber)?.int64Value)
    }

    func serve() throws -> LiveServer {
        try LiveServer(binary: Self.binary, arguments: ["--root", root.path], environment: environment, directory: root)
    }

    static func outputDirectory(_ name: String) throws -> URL { try TestProcess.outputDirectory(name) }
}
