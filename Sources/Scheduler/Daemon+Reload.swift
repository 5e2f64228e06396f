import Foundation
import JobNets
import OperatorFiles

/// SIGHUP: what a service manager's `reload` does. Nets and calendars are read again at once (the
/// daemon also does so every 5 seconds), and nightjar.yaml's settings — which are otherwise read only
/// at start — are replaced by the file's, if it loads. A file that does not load raises an alert and
/// the last good version stays in force: a typo must not stop the night.
extension Daemon {
    public struct ReloadOutcome: Sendable {
        public var nets: Int
        /// nil when the settings were applied; otherwise why they were refused.
        public var settingsProblem: String?
        /// Settings that changed but take effect only after a restart.
        public var needsRestart: [String]
    }

    public func reloadNow(settings: Result<SiteConfig, Error>) -> ReloadOutcome {
        var outcome = ReloadOutcome(nets: 0, settingsProblem: nil, needsRestart: [])
        switch settings {
        case .success(let config):
            // The log root is fixed when the engine starts: runs in progress write where they began.
            if config.logDirectory != engine.config.logDirectory { outcome.needsRestart.append("logs") }
            engine.config = config
            lastSettingsProblem = nil
        case .failure(let error):
            let problem = (error as? ValidationFailure)?.diagnostics.first?.description ?? "\(error)"
            outcome.settingsProblem = problem
            if lastSettingsProblem != problem {
                lastSettingsProblem = problem
                engine.record(Alert(kind: "settings-invalid", net: "nightjar.yaml", runID: nil, date: nil,
                                    message: "nightjar.yaml no longer loads — \(problem); the daemon keeps its last good settings"))
                try? engine.flush()
            }
        }
        reload()
        try? engine.flush()
        outcome.nets = nets.count
        return outcome
    }
}
