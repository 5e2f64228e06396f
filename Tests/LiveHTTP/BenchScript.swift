import Foundation

/// A `bench/` script run by a test (the short crash sweeps run in `make test` this way).
public enum BenchScript {
    /// Runs `bench/NAME ARGUMENTS` with bash; its exit status and everything it printed (stdout and stderr).
    public static func run(_ name: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        try TestProcess.merged("/bin/bash", [TestProcess.repository.appendingPathComponent("bench/\(name)").path] + arguments, environment: environment)
    }
}

extension TestProcess {
    /// `program ARGS` to its end; its exit status and its stdout and stderr as one text, in the order written.
    public static func merged(_ program: String, _ args: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.environment = environment
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }
}
