import Foundation
import Testing

/// A private cupsd (scripts/private-cupsd: loopback only, a `capture` queue keeping each job's bytes
/// and options, a cups-pdf queue `pdf`), stopped when released.
final class PrivateCUPS {
    let dir: String
    let server: String
    static let script = SpoolSite.repository.appendingPathComponent("scripts/private-cupsd").path

    init() throws {
        // mktemp -d under /tmp: lp must be able to reach DIR/capture (the script checks).
        dir = try Tool.run(["mktemp", "-d", "/tmp/nightjar-cups.XXXXXX"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.start(dir)
        let env = try String(contentsOfFile: dir + "/env", encoding: .utf8)
        let line = env.split(separator: "\n").first { $0.contains("CUPS_SERVER=") } ?? ""
        server = String(line.split(separator: "=", maxSplits: 1).last ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
    }

    deinit {
        _ = try? Tool.run([Self.script, "stop", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func start(_ dir: String) throws {
        let r = try Tool.run([script, "start", dir])
        guard r.status == 0 else { throw CUPSError(message: "private-cupsd start: \(r.err)") }
    }

    func restart() throws { try Self.start(dir) }
    func crash() throws { try Tool.run([Self.script, "crash", dir]) }

    /// cupsdisable / cupsenable and the like against this cupsd.
    @discardableResult
    func admin(_ args: [String]) throws -> Int32 { try Tool.run(args, env: ["CUPS_SERVER": server]).status }

    struct Captured { var job: Int; var title: String; var copies: Int; var options: String; var sha256: String; var pdf: String }

    /// Every job the capture backend has written (metadata last, so only complete ones).
    func captured() throws -> [Captured] {
        let cap = dir + "/capture"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: cap)) ?? []
        return try files.filter { $0.hasSuffix(".json") }.sorted().compactMap { f in
            let o = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(cap)/\(f)"))) as? [String: Any] ?? [:]
            return Captured(job: (o["job_id"] as? Int) ?? 0, title: o["title"] as? String ?? "", copies: (o["copies"] as? Int) ?? 0,
                            options: o["options"] as? String ?? "", sha256: o["sha256"] as? String ?? "", pdf: "\(cap)/\(o["file"] as? String ?? "")")
        }.sorted { $0.job < $1.job }
    }

    /// The captured jobs of one print of one batch (nightjar titles them "nightjar batch B print P job S").
    func captured(batch: Int64, print: Int64) throws -> [Captured] {
        try captured().filter { $0.title.hasPrefix("nightjar batch \(batch) print \(print) job ") }
    }

    struct CUPSError: Error { var message: String }
}
