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

/// A browser's session against the live server: logs in through the form, keeps the cookies, reads
/// the CSRF token from the pages it gets, and posts forms as a browser does.
final class Browser {
    let server: LiveServer
    var cookies: [String: String] = [:]
    var csrf = ""

    init(_ server: LiveServer) { self.server = server }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    func remember(_ reply: LiveServer.Reply) {
        for (k, v) in reply.cookies() { if v.isEmpty { cookies.removeValue(forKey: k) } else { cookies[k] = v } }
        if let range = reply.text.range(of: #"name="csrf" value=""#) {
            csrf = String(reply.text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    static func form(_ fields: [String: String]) -> Data {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return Data(fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.sorted().joined(separator: "&").utf8)
    }

    func login(_ name: String, password: String = ConsoleSite.password) throws {
        let page = try server.request("GET", "/login")
        remember(page)
        let reply = try server.request("POST", "/login", headers: ["Cookie": cookieHeader, "Content-Type": "application/x-www-form-urlencoded"],
                                       body: Self.form(["name": name, "password": password, "csrf": csrf]))
        #expect(reply.status == 303, "login of \(name): \(reply.status) \(reply.text)")
        remember(reply)
    }

    func get(_ path: String) throws -> LiveServer.Reply {
        let reply = try server.request("GET", path, headers: ["Cookie": cookieHeader])
        remember(reply)
        return reply
    }

    /// POSTs a form with the page's CSRF token (unless `csrf` is false).
    func post(_ path: String, _ fields: [String: String], csrf withToken: Bool = true) throws -> LiveServer.Reply {
        var fields = fields
        if withToken { fields["csrf"] = csrf }
        let reply = try server.request("POST", path, headers: ["Cookie": cookieHeader, "Content-Type": "application/x-www-form-urlencoded"],
                                       body: Self.form(fields))
        remember(reply)
        return reply
    }
}
