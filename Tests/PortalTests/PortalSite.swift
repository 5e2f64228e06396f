import Foundation
import LiveHTTP
import Testing

/// A throwaway site (the repository's Forms, a vendor `acme` in nightjar.yaml) driving the real
/// `nightjar` binary, with `nightjar serve` on a free loopback port.
final class PortalSite {
    let root: URL
    var state: String { root.appendingPathComponent(".nightjar").path }
    var server: Process?
    var port = 0
    var base: String { "http://127.0.0.1:\(port)" }
    static var repository: URL { TestProcess.repository }
    static let password = "correct horse battery staple"

    init() throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightjar-portal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("Forms"), withDestinationURL: Self.repository.appendingPathComponent("Forms"))
        try "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n".write(to: root.appendingPathComponent("nightjar.yaml"), atomically: true, encoding: .utf8)
    }

    deinit {
        if let server, server.isRunning { server.terminate(); server.waitUntilExit() }
        try? FileManager.default.removeItem(at: root)
    }

    static var binary: String { TestProcess.nightjar }

    /// `nightjar ARGS` (or another program with `program`) in the site root, to its end.
    @discardableResult
    func run(_ args: [String], program: String? = nil, stdin: String? = nil, in dir: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = state
        env["NIGHTJAR_USER"] = "test-operator"
        return try TestProcess.run(program ?? Self.binary, program == nil ? args + ["--root", root.path] : args, directory: dir ?? root,
                                   environment: env, stdin: stdin)
    }

    /// Renders `notices` one-page postcard notices into volumes of `volumePages` and publishes the
    /// batch to acme; returns the batch id.
    func renderAndPublish(notices: Int, volumePages: Int) throws -> Int64 {
        let name = UUID().uuidString
        let data = root.appendingPathComponent("data-\(name).csv").path
        var r = try run(["sample-data", "postcard-notice", "-n", "\(notices)", "--out", data])
        #expect(r.status == 0, "\(r.err)")
        r = try run(["render", "--form", "postcard-notice", "--data", data, "--out", root.appendingPathComponent("out-\(name)").path, "--volume-pages", "\(volumePages)"])
        #expect(r.status == 0, "\(r.err)")
        let list = try JSONSerialization.jsonObject(with: Data(try run(["spool", "list", "--json"]).out.utf8)) as? [[String: Any]] ?? []
        let id = try #require((list.last?["id"] as? NSNumber)?.int64Value)
        r = try run(["spool", "publish", "\(id)", "--vendor", "acme"])
        #expect(r.status == 0, "\(r.err)")
        return id
    }

    /// A vendor account of acme with a known password and an API token; returns the token.
    func vendorAccount(_ name: String) throws -> String {
        var r = try run(["user", "add", name, "--role", "vendor:acme", "--password-stdin"], stdin: Self.password + "\n")
        #expect(r.status == 0, "\(r.err)")
        r = try run(["token", "create", "--user", name])
        #expect(r.status == 0, "\(r.err)")
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
    }

    /// Starts `nightjar serve` on a free loopback port and waits until it accepts connections.
    func serve() throws {
        port = try Self.freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["serve", "--listen", "127.0.0.1:\(port)", "--root", root.path]
        p.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = state
        p.environment = env
        let log = root.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: log)
        p.standardError = p.standardOutput
        try p.run()
        server = p
        // Polling for the port to accept: the server's start-up time is not what is tested.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, p.isRunning {
            if Self.accepts(port) { return }
            usleep(50_000)
        }
        Issue.record("nightjar serve did not start listening: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    static func freePort() throws -> Int { try LiveServer.freePort() }

    static func accepts(_ port: Int) -> Bool {
        guard let fd = try? connect(port) else { return false }
        close(fd)
        return true
    }

    /// A TCP connection to 127.0.0.1:port with a small receive buffer, so what the client has not
    /// read stays on the server's side and a close midway is seen there as a broken connection.
    static func connect(_ port: Int, receiveBuffer: Int32? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let ok = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard ok else { close(fd); throw POSIXError(.ECONNREFUSED) }
        return fd
    }

    /// `curl ARGS` with the token (fails on HTTP errors).
    @discardableResult
    func curl(_ args: [String], token: String, in dir: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        try run(["-sS", "--fail-with-body", "-H", "Authorization: Bearer \(token)"] + args, program: "/usr/bin/curl", in: dir)
    }

    /// Waits (polling, up to `seconds`) for `condition`.
    func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    static func outputDirectory(_ name: String) throws -> URL { try TestProcess.outputDirectory(name) }
}
