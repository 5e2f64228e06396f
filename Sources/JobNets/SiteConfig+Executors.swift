import OperatorFiles
import Yams

extension SiteConfig {
    static let executorKeys = ["type", "partition", "account", "qos", "extra", "poll", "jobcomp"]

    /// `executors:` in nightjar.yaml: each problem reported where it is.
    static func parseExecutors(_ node: Node, doc: YAMLDocument) -> [String: ExecutorConfig] {
        guard case .mapping(let m) = node else {
            doc.report(node, "'executors' must be a mapping of executor names to { type: slurm, partition: … }")
            return [:]
        }
        var out: [String: ExecutorConfig] = [:]
        for (k, v) in m {
            guard let name = k.scalar?.string, JobNetLoader.isName(name) else {
                doc.report(k, "executor names use letters, digits, '-', '_' and '.'")
                continue
            }
            guard let f = doc.mapping(v, what: "executor '\(name)'", allowed: executorKeys) else { continue }
            guard let typeText = f.string("type") else {
                doc.report(k, "executor '\(name)' needs 'type:' (\(ExecutorConfig.Kind.allCases.map(\.rawValue).joined(separator: " or ")))")
                continue
            }
            guard let kind = ExecutorConfig.Kind(rawValue: typeText) else {
                doc.report(f["type"], "executor '\(name)' has type '\(typeText)'; the types are \(ExecutorConfig.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                continue
            }
            if name == ExecutorConfig.localName && kind != .local {
                doc.report(k, "'local' is this machine's executor; give the Slurm executor another name, such as hpc")
                continue
            }
            var config = ExecutorConfig(name: name, kind: kind)
            for key in ["partition", "account", "qos"] {
                guard let value = f.string(key) else { continue }
                // Passed to sbatch as one argument: an empty value or one starting with '-' would be read as an option.
                if value.isEmpty || value.hasPrefix("-") || value.contains(where: { $0.isWhitespace || $0 == "\0" }) {
                    doc.report(f[key], "'\(key)' must be a Slurm name without spaces, not starting with '-'")
                    continue
                }
                switch key {
                case "partition": config.partition = value
                case "account": config.account = value
                default: config.qos = value
                }
            }
            if let extraNode = f["extra"], let extra = doc.stringList(extraNode, what: "'extra'") {
                let items: [Node]
                if case .sequence(let seq) = extraNode { items = Array(seq) } else { items = [extraNode] }
                for (item, option) in zip(items, extra) {
                    let flag = String(option.prefix { $0 != "=" })
                    if !option.hasPrefix("-") {
                        doc.report(item, "items of 'extra' are sbatch options such as \"--exclusive\" or \"--constraint=ssd\", one option per item")
                    } else if ExecutorConfig.reservedOptions.contains(flag) {
                        doc.report(item, "'\(flag)' is set by Nightjar for each attempt (from the job's timeout, cpus, memory, log and working directory, or this executor's keys); remove it from 'extra'")
                    } else if option.contains("\0") || option.contains("\n") {
                        doc.report(item, "sbatch options must be one line without NUL characters")
                    }
                }
                config.extra = extra
            }
            if let poll = f.duration("poll") {
                if poll < 0.1 { doc.report(f["poll"], "'poll' must be at least 100ms, for example 1s: every poll is a query of slurmctld") }
                config.poll = max(poll, 0.1)
            }
            if let jobcomp = f.string("jobcomp") {
                if !jobcomp.hasPrefix("/") { doc.report(f["jobcomp"], "'jobcomp' must be an absolute path (Slurm's JobCompLoc)") }
                config.jobcomp = jobcomp
            }
            if kind == .local && (config.partition != nil || config.account != nil || config.qos != nil || !config.extra.isEmpty) {
                doc.report(k, "executor '\(name)' is local: 'partition', 'account', 'qos' and 'extra' are for type slurm")
            }
            out[name] = config
        }
        return out
    }
}
