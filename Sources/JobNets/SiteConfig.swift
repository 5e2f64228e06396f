import Foundation
import Yams

/// Site-wide settings from `nightjar.yaml` at the site root (optional).
///
/// ```yaml
/// notify: [Jobs/bin/notify-operators]   # run for every alert, details in NIGHTJAR_ALERT_* variables
/// logs: /var/log/nightjar               # job logs, default STATE/logs
/// timezone: Asia/Tokyo                  # default for nets that name none
/// ```
public struct SiteConfig: Sendable {
    public var notify: [String]?
    public var logDirectory: String?
    public var timezone: String = JobNet.defaultTimeZone

    public init() {}

    public static func load(site: Site) throws -> SiteConfig {
        let path = site.root.appendingPathComponent("nightjar.yaml").path
        var config = SiteConfig()
        guard let data = FileManager.default.contents(atPath: path) else { return config }
        let doc = YAMLDocument(file: "nightjar.yaml")
        guard let root = doc.parse(String(decoding: data, as: UTF8.self)),
              let f = doc.mapping(root, what: "nightjar.yaml", allowed: ["notify", "logs", "timezone"]) else {
            throw ValidationFailure(doc.diagnostics)
        }
        config.notify = f.stringList("notify")
        config.logDirectory = f.string("logs")
        if let tz = f.string("timezone") {
            if TimeZone(identifier: tz) == nil { doc.report(f["timezone"], "unknown time zone '\(tz)'") }
            config.timezone = tz
        }
        if !doc.diagnostics.isEmpty { throw ValidationFailure(doc.diagnostics) }
        return config
    }
}
