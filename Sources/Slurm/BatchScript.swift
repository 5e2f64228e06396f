import Foundation

/// The batch script sbatch reads from stdin: one `exec` of the job's argv, every argument single-quoted,
/// so the node's shell reads only literals and the job runs without a shell of its own (as locally).
public enum BatchScript {
    public static func exec(_ argv: [String]) -> String {
        "#!/bin/sh\n# Nightjar attempt: the job's argv, quoted; no shell sees its text.\nexec " + argv.map(quote).joined(separator: " ") + "\n"
    }

    /// POSIX single quoting: everything literal; a quote itself becomes '\''.
    public static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
