import Foundation
import LiveHTTP
import Testing

/// Runs the real `nightjar` binary in a throwaway site.
struct CLI {
    let root: URL
    var state: String { root.appendingPathComponent(".nightjar").path }

    init(_ nets: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Jobs"), withIntermediateDirectories: true)
        for (name, text) in nets { try write("Jobs/\(name).yaml", text) }
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) -> String? { try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    static var binary: String { TestProcess.nightjar }

    /// `nightjar ARGS` in the site root, with the site's state directory and a known operator name.
    func process(_ args: [String]) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = args
        p.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env["NIGHTJAR_STATE"] = state
        env["NIGHTJAR_USER"] = "test-operator"
        p.environment = env
        return p
    }

    /// Starts `nightjar ARGS` and returns the process without waiting.
    func start(_ args: [String], stderr: URL? = nil) throws -> Process {
        let p = process(args)
        p.standardOutput = FileHandle.nullDevice
        if let stderr {
            FileManager.default.createFile(atPath: stderr.path, contents: nil)
            p.standardError = try FileHandle(forWritingTo: stderr)
        } else {
            p.standardError = FileHandle.nullDevice
        }
        try p.run()
        return p
    }

    /// Runs `nightjar ARGS` to its end; returns exit status and output.
    @discardableResult
    func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = process(args)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func json(_ args: [String]) throws -> Any {
        let r = try run(args + ["--json"])
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }
}

func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
