import Foundation
import LiveHTTP
import GRDB
import Testing

/// A throwaway site (Forms linked from the repository, its own nightjar.yaml and state directory)
/// driving the real `nightjar` binary.
final class SpoolSite {
    let root: URL
    var cupsServer: String?
    var state: String { root.appendingPathComponent(".nightjar").path }
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    init(config: String = "") throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightjar-spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("Forms"), withDestinationURL: Self.repository.appendingPathComponent("Forms"))
        try config.write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    static var binary: String { TestProcess.nightjar }

    /// `nightjar ARGS` in the site root; exit status and output.
    @discardableResult
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = state
        env["NIGHTJAR_USER"] = "test-operator"
        if let cupsServer { env["CUPS_SERVER"] = cupsServer }
        // The site root by --root (every verb takes it) rather than the working directory.
        return try Tool.spawn([Self.binary] + args + ["--root", root.path], env: env)
    }

    /// Starts `nightjar ARGS` in the background (output discarded); returns its pid.
    func start(_ args: [String]) throws -> pid_t {
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = state
        env["NIGHTJAR_USER"] = "test-operator"
        if let cupsServer { env["CUPS_SERVER"] = cupsServer }
        return try Tool.spawn([Self.binary] + args + ["--root", root.path], env: env, wait: false).pid
    }

    func json(_ args: [String]) throws -> Any {
        let r = try run(args + ["--json"])
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }

    /// Renders N postcard notices (one page each) into volumes of `volumePages`; returns the batch id and directory.
    func renderBatch(notices: Int = 30, volumePages: Int = 20) throws -> (id: Int64, dir: String) {
        let data = root.appendingPathComponent("data-\(UUID().uuidString).csv").path
        let out = root.appendingPathComponent("out-\(UUID().uuidString)").path
        #expect(try run(["sample-data", "postcard-notice", "-n", "\(notices)", "--out", data]).status == 0)
        let r = try run(["render", "--form", "postcard-notice", "--data", data, "--out", out, "--volume-pages", "\(volumePages)"])
        #expect(r.status == 0, "\(r.err)")
        let list = try json(["spool", "list"]) as? [[String: Any]] ?? []
        return ((list.last?["id"] as? NSNumber)?.int64Value ?? 0, out)
    }

    func database() throws -> DatabaseQueue { try DatabaseQueue(path: state + "/nightjar.db") }

    /// The manifest's rows: key, volume, first page, pages.
    static func manifest(_ dir: String) throws -> [(key: String, volume: String, first: Int, pages: Int)] {
        try String(contentsOfFile: dir + "/manifest.csv", encoding: .utf8).split(separator: "\n").dropFirst().map {
            let f = $0.split(separator: ",").map(String.init)
            return (f[0], f[1], Int(f[2])!, Int(f[3])!)
        }
    }
}

/// External tools (qpdf, pdftotext, cupsenable …) run to their end.
enum Tool {
    /// Runs a program to its end with posix_spawn and waitpid (Foundation's Process sometimes never
    /// notices the end of a child that left a daemon behind, as private-cupsd does), output to files.
    static func spawn(_ args: [String], env: [String: String]) throws -> (status: Int32, out: String, err: String) {
        let r = try spawn(args, env: env, wait: true)
        return (r.status, r.out, r.err)
    }

    static func spawn(_ args: [String], env: [String: String], wait: Bool) throws -> (pid: pid_t, status: Int32, out: String, err: String) {
        let base = NSTemporaryDirectory() + "nightjar-tool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = args.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let path = args[0].hasPrefix("/") ? args[0] : "/usr/bin/env"
        let finalArgv = args[0].hasPrefix("/") ? argv : [strdup("env")] + argv
        let rc = posix_spawn(&pid, path, &actions, nil, finalArgv, envp)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        if !wait { return (pid, 0, "", "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = FileManager.default.contents(atPath: base + ".out") ?? Data()
        let err = FileManager.default.contents(atPath: base + ".err") ?? Data()
        return (pid, code, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @discardableResult
    static func run(_ args: [String], env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        try spawn(args, env: ProcessInfo.processInfo.environment.merging(env) { $1 })
    }

    static func pages(_ pdf: String) throws -> Int { Int(try run(["qpdf", "--show-npages", pdf]).out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }

    static func text(_ pdf: String, first: Int? = nil, last: Int? = nil) throws -> String {
        var args = ["pdftotext", "-layout"]
        if let first, let last { args += ["-f", "\(first)", "-l", "\(last)"] }
        return try run(args + [pdf, "-"]).out
    }

    static func sha256(_ path: String) throws -> String { String(try run(["sha256sum", path]).out.prefix(64)) }
}
