import Foundation
import LiveHTTP
import Testing

/// `serve`, `user` and `token` as an administrator meets them: the real binary, a real port, real TLS
/// (a certificate made with openssl), curl as the client.
@Suite(.serialized) struct WebCommandTests {
    /// A loopback port nobody listens on now (the kernel picks it).
    func freePort() throws -> Int { try LiveServer.freePort() }

    /// Runs a tool to its end; returns its status and stdout (stderr is kept with it for messages).
    @discardableResult
    func tool(_ path: String, _ args: [String], stdin: String? = nil) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `nightjar ARGS` with a line on stdin (for --password-stdin).
    func nightjar(_ cli: CLI, _ args: [String], stdin: String) throws -> (status: Int32, out: String) {
        let p = cli.process(args)
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func curl(_ args: [String]) throws -> (status: Int32, out: String) { try tool("/usr/bin/curl", ["-s", "--max-time", "10"] + args) }

    func waitForPort(_ port: Int, scheme: String = "http") throws -> Bool {
        try waitFor(20) { try curl(["-k", "-o", "/dev/null", "\(scheme)://127.0.0.1:\(port)/login"]).status == 0 }
    }

    @Test func offLoopbackNeedsTLSOrAnExplicitInsecureFlag() throws {
        let cli = try CLI([:])
        let port = try freePort()
        let refused = try cli.run(["serve", "--listen", "0.0.0.0:\(port)"])
        #expect(refused.status == 2)
        #expect(refused.err.contains("needs TLS") && refused.err.contains("--insecure-http"), "\(refused.err)")
        let bad = try cli.run(["serve", "--listen", "localhost"])
        #expect(bad.status == 2 && bad.err.contains("ADDR:PORT"), "\(bad.err)")

        let log = cli.root.appendingPathComponent("serve.log")
        let server = try cli.start(["serve", "--listen", "0.0.0.0:\(port)", "--insecure-http"], stderr: log)
        defer { kill(server.processIdentifier, SIGKILL) }
        #expect(try waitForPort(port))
        #expect(cli.read("serve.log")?.contains("warning: serving plain HTTP") == true)
        // A second server on the same port cannot bind: exit 1 with the address and the reason.
        let second = try cli.run(["serve", "--listen", "127.0.0.1:\(port)"])
        #expect(second.status == 1, "\(second)")
        #expect(second.err.contains("127.0.0.1:\(port)"), "\(second.err)")
    }

    @Test func tlsFromNightjarYamlServesHTTPSWithSecureCookies() throws {
        let cli = try CLI([:])
        let made = try tool("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                 "-keyout", cli.root.appendingPathComponent("server.key").path,
                                                 "-out", cli.root.appendingPathComponent("server.crt").path,
                                                 "-days", "2", "-subj", "/CN=127.0.0.1"])
        try #require(made.status == 0, "\(made.out)")
        try cli.write("nightjar.yaml", "tls: { cert: server.crt, key: server.key }\n")
        let port = try freePort()
        let server = try cli.start(["serve", "--listen", "127.0.0.1:\(port)"], stderr: cli.root.appendingPathComponent("serve.log"))
        defer { kill(server.processIdentifier, SIGKILL) }
        #expect(try waitForPort(port, scheme: "https"))
        let headers = try curl(["-k", "-D", "-", "-o", "/dev/null", "https://127.0.0.1:\(port)/login"])
        let cookie = headers.out.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie:") } ?? ""
        #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "\(headers.out)")
        let doc = try curl(["-k", "https://127.0.0.1:\(port)/api/v1/openapi.yaml"])
        #expect(doc.out.hasPrefix("openapi: 3"), "\(doc.out.prefix(200))")
        // Plain HTTP to the TLS port gets no API answer.
        #expect(try curl(["http://127.0.0.1:\(port)/api/v1/openapi.yaml"]).out.hasPrefix("openapi") == false)

        try cli.write("nightjar.yaml", "tls: { cert: missing.crt, key: server.key }\n")
        let broken = try cli.run(["serve", "--listen", "127.0.0.1:\(try freePort())"])
        #expect(broken.status == 2 && broken.err.contains("missing.crt"), "\(broken.err)")
    }

    @Test func accountsAndTokensFromTheCommandLine() throws {
        let cli = try CLI([:])
        let pw = "correct horse battery\n"
        #expect(try nightjar(cli, ["user", "add", "ops1", "--role", "operator", "--password-stdin"], stdin: pw).status == 0)
        let badRole = try nightjar(cli, ["user", "add", "x", "--role", "root", "--password-stdin"], stdin: pw)
        #expect(badRole.status == 2 && badRole.out.contains("operator"), "\(badRole.out)")
        let noVendor = try nightjar(cli, ["user", "add", "v1", "--role", "vendor:nobody", "--password-stdin"], stdin: pw)
        #expect(noVendor.status == 2, "\(noVendor.out)")
        let short = try nightjar(cli, ["user", "add", "ops2", "--role", "viewer", "--password-stdin"], stdin: "short\n")
        #expect(short.status == 2, "\(short.out)")
        let again = try nightjar(cli, ["user", "add", "ops1", "--role", "viewer", "--password-stdin"], stdin: pw)
        #expect(again.status == 2, "\(again.out)")

        let list = try cli.json(["user", "list"]) as? [[String: Any]] ?? []
        #expect(list.count == 1 && list.first?["name"] as? String == "ops1" && list.first?["role"] as? String == "operator", "\(list)")
        #expect(!"\(list)".contains("correct horse"))

        let token = try cli.run(["token", "create", "--user", "ops1", "--expires", "90d"])
        #expect(token.status == 0)
        let secret = token.out.split(whereSeparator: \.isWhitespace).map(String.init).max { $0.count < $1.count } ?? ""
        #expect(secret.count >= 32, "\(token.out)")
        // Kept hashed: the secret is nowhere in the database file.
        let db = try Data(contentsOf: URL(fileURLWithPath: cli.state + "/nightjar.db"))
        #expect(db.range(of: Data(secret.utf8)) == nil)

        let port = try freePort()
        let server = try cli.start(["serve", "--listen", "127.0.0.1:\(port)"])
        defer { kill(server.processIdentifier, SIGKILL) }
        #expect(try waitForPort(port))
        let me = try curl(["-H", "Authorization: Bearer \(secret)", "http://127.0.0.1:\(port)/api/v1/me"])
        #expect(me.out.contains("ops1"), "\(me.out)")
        #expect(try cli.run(["user", "disable", "ops1"]).status == 0)
        let after = try curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(secret)", "http://127.0.0.1:\(port)/api/v1/me"])
        #expect(after.out == "401", "\(after.out)")

        let audit = try cli.json(["audit"]) as? [[String: Any]] ?? []
        let actions = Set(audit.compactMap { $0["action"] as? String })
        #expect(actions.isSuperset(of: ["user.add", "token.create", "user.disable"]), "\(actions)")
    }
}
