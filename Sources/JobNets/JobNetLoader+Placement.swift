import OperatorFiles

extension JobNetLoader {
    /// `executor:` (net or job): a name; whether nightjar.yaml defines it is checked across files.
    static func executorName(_ f: YAMLDocument.Fields, doc: YAMLDocument) -> String? {
        guard let name = f.string("executor") else { return nil }
        if !isName(name) { doc.report(f["executor"], "'executor' must be the name of an executor in nightjar.yaml, such as hpc"); return nil }
        return name
    }

    /// A job's `executor:`, `cpus:` and `memory:`.
    static func parsePlacement(_ f: YAMLDocument.Fields, doc: YAMLDocument) -> (executor: String?, cpus: Int?, memoryMB: Int?) {
        let executor = executorName(f, doc: doc)
        let cpus = f.int("cpus", range: 1...4096)
        var memory: Int?
        if let n = f["memory"], let text = doc.string(n, what: "'memory'") {
            memory = MemorySize.megabytes(text)
            if memory == nil { doc.report(n, "'memory' must be a size such as 512M or 4G (K, M, G, T; a plain number is megabytes)") }
        }
        return (executor, cpus, memory)
    }
}
