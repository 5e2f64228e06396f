import Foundation

/// A `bench/` script run by a test (the short crash sweeps run in `make test` this way).
public enum BenchScript {
    /// The repository's top directory.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `bench/NAME ARGUMENTS` with bash; its exit status and everything it printed (stdout and stderr).
    public static func run(_ name: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [repository.appendingPathComponent("bench/\(name)").path] + arguments
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
