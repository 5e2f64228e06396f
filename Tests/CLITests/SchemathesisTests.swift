import Foundation
import LiveHTTP
import Testing

/// schemathesis (PyPI) against the real `nightjar serve` and the OpenAPI document it serves: every
/// documented operation with generated valid and invalid input, on a throwaway site with runs, a batch
/// and an admin token. No answer may be a 5xx, every answer must match the document (status code,
/// content type, body schema), and input the document calls invalid must be refused.
@Suite struct SchemathesisTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The schemathesis command, if installed (scripts/install-deps pins it).
    static func schemathesis() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/schemathesis" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Two ended runs and a waiting one, a rendered batch and one published to a vendor, an admin token.
    static func seededSite() throws -> (CLI, token: String) {
        let cli = try CLI([
            "demo": "name: demo\njobs:\n  a: { shell: echo a }\n  b: { needs: [a], shell: echo b }\n",
            "slow": "name: slow\njobs:\n  a: { run: [sleep, \"30\"] }\n  b: { needs: [a], shell: echo b }\n",
        ])
        try FileManager.default.createSymbolicLink(at: cli.root.appendingPathComponent("Forms"),
                                                   withDestinationURL: repository.appendingPathComponent("Forms"))
        try cli.write("nightjar.yaml", "spool:\n  vendors:\n    acme: { outbox: outbox/acme }\n")
        for args in [["run", "demo", "-q"], ["run", "demo", "-q"], ["run", "slow", "--queue"],
                     ["sample-data", "postcard-notice", "-n", "5", "--out", "data.csv"],
                     ["render", "--form", "postcard-notice", "--data", "data.csv", "--out", "out1"],
                     ["render", "--form", "postcard-notice", "--data", "data.csv", "--out", "out2"],
                     ["spool", "publish", "2", "--vendor", "acme"]] {
            let r = try cli.run(args)
            #expect(r.status == 0, "\(args): \(r.err)")
        }
        let added = try cli.run(["user", "add", "admin", "--role", "admin", "--password-stdin"], input: "correct horse battery\n")
        #expect(added.status == 0, "\(added.err)")
        let token = try cli.run(["token", "create", "--user", "admin"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        return (cli, token)
    }

    /// scripts/private-cupsd in a directory of its own; its CUPS_SERVER.
    static func privateCUPS() throws -> (dir: String, server: String) {
        let dir = "/tmp/nightjar-cups-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let start = try CLI.tool([repository.appendingPathComponent("scripts/private-cupsd").path, "start", dir])
        guard start == 0, let env = try? String(contentsOfFile: dir + "/env", encoding: .utf8),
              let line = env.split(separator: "\n").first(where: { $0.contains("CUPS_SERVER=") }) else {
            throw LiveServer.ServerError(message: "scripts/private-cupsd start \(dir) failed")
        }
        let server = String(line.split(separator: "=", maxSplits: 1).last ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
        return (dir, server)
    }

    static func stop(cups dir: String) {
        _ = try? CLI.tool([repository.appendingPathComponent("scripts/private-cupsd").path, "stop", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func everyAnswerOfTheLiveServerMatchesItsOpenAPIDocument() throws {
        guard let schemathesis = Self.schemathesis() else {
            Issue.record("schemathesis is not installed: run scripts/install-deps (it pins the version this test expects)")
            return
        }
        let (cli, token) = try Self.seededSite()
        // A private cupsd behind the server, so that a print of a generated queue name is the operator's
        // mistake (422), not a printer server out of reach (503).
        let cups = try Self.privateCUPS()
        defer { Self.stop(cups: cups.dir) }
        let server = try LiveServer(cli, environment: ["CUPS_SERVER": cups.server])
        let output = cli.root.appendingPathComponent("schemathesis.txt")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: schemathesis)
        p.currentDirectoryURL = cli.root
        p.arguments = [
            "run", "http://127.0.0.1:\(server.port)/api/v1/openapi.yaml",
            "--header", "Authorization: Bearer \(token)",
            "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection",
            // Bounded and repeatable: a fixed seed, no example database carried between runs.
            "--max-examples", "20", "--seed", "20261130", "--generation-database", "none",
            // Purge deletes the batch's files: destructive, and covered by the route tests.
            "--exclude-path-regex", "/purge$",
            // One worker: several threads trip a race in hypothesis on this Python.
            "--workers", "1", "--no-color", "--request-timeout", "10",
        ]
        var env = ProcessInfo.processInfo.environment
        env["SCHEMATHESIS_TELEMETRY"] = "false"
        p.environment = env
        let out = try FileHandle(forWritingTo: output)
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(p.terminationStatus == 0, "schemathesis exited \(p.terminationStatus):\n\(text)")
        #expect(text.contains("passed"), "no test case ran:\n\(text)")
        // The server survived it all and still answers.
        #expect(try server.json("GET", "/api/v1/runs", token: token).status == 200)
    }
}
