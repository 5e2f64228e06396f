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
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(nets: [String: String], config: String = "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n") throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightjar-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        for (name, text) in nets { try text.write(to: root.appendingPathComponent("Jobs/\(name).yaml"), atomically: true, encoding: .utf8) }
        try config.write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("Forms"), withDestinationURL: Self.repository.appendingPathComponent("Forms"))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<3 {
            let p = dir.appendingPathComponent("nightjar").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
            dir = dir.deletingLastPathComponent()
        }
        return "nightjar-not-built: run `swift build` before `swift test`"
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = state
        env["NIGHTJAR_USER"] = "test-operator"
        return env.merging(extraEnvironment) { $1 }
    }

    /// `nightjar ARGS` (or `program`) in the site root, to its end; output through files so no pipe fills.
    @discardableResult
    func run(_ args: [String], program: String? = nil, stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program ?? Self.binary)
        p.arguments = program == nil ? args + ["--root", root.path] : args
        p.currentDirectoryURL = root
        p.environment = environment
        let outFile = root.appendingPathComponent("out-\(UUID().uuidString)"), errFile = root.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
        let input = Pipe()
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: (try? Data(contentsOf: outFile)) ?? Data(), as: UTF8.self),
                String(decoding: (try? Data(contentsOf: errFile)) ?? Data(), as: UTF8.self))
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

    /// Where a test leaves what a person may want to look at (screenshots): `.build/test-output/NAME`.
    static func outputDirectory(_ name: String) throws -> URL {
        let dir = repository.appendingPathComponent(".build/test-output/\(name)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

