import Foundation
import OperatorFiles
import Yams

/// Site-wide settings from `nightjar.yaml` at the site root (optional).
///
/// ```yaml
/// notify: [Jobs/bin/notify-operators]   # run for every alert, details in NIGHTJAR_ALERT_* variables
/// logs: /var/log/nightjar               # job logs, default STATE/logs
/// timezone: Asia/Tokyo                  # default for nets that name none
/// spool:
///   retention_days: 30                  # spool files of a batch are purged this long after render
///   vendors:                            # print vendors: where `spool publish --vendor V` puts batches
///     acme-print: { outbox: /srv/nightjar/outbox/acme-print }   # relative paths: to the site root
/// executors:                          # where jobs may run besides here (see ExecutorConfig)
///   hpc: { type: slurm, partition: batch, account: tax }
/// retention: { history_days: 400, audit_years: 5 }   # see RetentionSettings
/// tls:                                # `nightjar serve` over HTTPS (needed off loopback)
///   cert: /etc/nightjar/server.crt    # PEM certificate chain; relative paths: to the site root
///   key: /etc/nightjar/server.key     # PEM private key
/// ```
public struct SiteConfig: Sendable {
    public var notify: [String]?
    public var logDirectory: String?
    public var timezone: String = JobNet.defaultTimeZone
    /// Days a batch's spool files are kept (nil: kept until purged by hand).
    public var retentionDays: Int?
    /// Vendor name → absolute outbox directory.
    public var vendorOutboxes: [String: String] = [:]
    /// PEM certificate chain and private key for the web server (absolute paths).
    public var tls: (cert: String, key: String)?
    /// Executors by name (`executors:`); `local` is always there.
    public var executors: [String: ExecutorConfig] = [ExecutorConfig.localName: ExecutorConfig(name: ExecutorConfig.localName, kind: .local)]
    /// Job logs, run history and audit rows: how long each is kept (`nightjar gc`).
    public var retention = RetentionSettings()

    public init() {}

    public static func load(site: Site) throws -> SiteConfig {
        let path = site.root.appendingPathComponent("nightjar.yaml").path
        var config = SiteConfig()
        guard let data = FileManager.default.contents(atPath: path) else { return config }
        let doc = YAMLDocument(file: "nightjar.yaml")
        guard let root = doc.parse(String(decoding: data, as: UTF8.self)),
              let f = doc.mapping(root, what: "nightjar.yaml", allowed: ["notify", "logs", "timezone", "spool", "tls", "executors", "retention"]) else {
            throw ValidationFailure(doc.diagnostics)
        }
        config.notify = f.stringList("notify")
        config.logDirectory = f.string("logs")
        // The notify command is exec'd and the log directory opened: a NUL would cut either short.
        for arg in config.notify ?? [] { JobNetLoader.refuseNUL(arg, at: f["notify"], what: "this 'notify' argument", doc: doc) }
        if let logs = config.logDirectory { JobNetLoader.refuseNUL(logs, at: f["logs"], what: "'logs'", doc: doc) }
        if let tz = f.string("timezone") {
            if TimeZone(identifier: tz) == nil { doc.report(f["timezone"], "unknown time zone '\(tz)'") }
            config.timezone = tz
        }
        if let spoolNode = f["spool"],
           let spool = doc.mapping(spoolNode, what: "spool", allowed: ["retention_days", "vendors"]) {
            config.retentionDays = spool.int("retention_days", range: 0...36_500)
            if let vendorsNode = spool["vendors"] {
                if case .mapping(let m) = vendorsNode {
                    for (k, v) in m {
                        guard let name = k.scalar?.string, !name.isEmpty else { doc.report(k, "vendor names must be plain names"); continue }
                        guard let vf = doc.mapping(v, what: "vendor '\(name)'", allowed: ["outbox"]) else { continue }
                        guard let outbox = vf.string("outbox"), !outbox.isEmpty else {
                            doc.report(v, "vendor '\(name)' needs an outbox directory")
                            continue
                        }
                        config.vendorOutboxes[name] = outbox.hasPrefix("/") ? outbox : site.root.appendingPathComponent(outbox).path
                    }
                } else {
                    doc.report(vendorsNode, "'vendors' must be a mapping of vendor names to { outbox: DIR }")
                }
            }
        }
        if let tlsNode = f["tls"], let tls = doc.mapping(tlsNode, what: "tls", allowed: ["cert", "key"]) {
            let absolute = { (p: String) in p.hasPrefix("/") ? p : site.root.appendingPathComponent(p).path }
            if let cert = tls.string("cert"), let key = tls.string("key"), !cert.isEmpty, !key.isEmpty {
                config.tls = (absolute(cert), absolute(key))
            } else {
                doc.report(tlsNode, "'tls' needs both 'cert' and 'key' (PEM files)")
            }
        }
        if let node = f["executors"] { config.executors.merge(parseExecutors(node, doc: doc)) { $1 } }
        if let retention = f["retention"] { config.retention = RetentionSettings.parse(retention, doc: doc) }
        if !doc.diagnostics.isEmpty { throw ValidationFailure(doc.diagnostics) }
        return config
    }
}
