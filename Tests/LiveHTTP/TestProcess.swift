import Foundation

/// What the tests that drive the real binaries share: the built `nightjar`, a program run to its end
/// (output through files, so no pipe fills and stalls it), where a test leaves screenshots, and what a
/// browser test needs on the machine.
public enum TestProcess {
    /// The repository's root (this file is Tests/LiveHTTP/TestProcess.swift).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `nightjar` built beside the test bundle.
    public static var nightjar: String { built("nightjar") }
    /// The `nightjar-supervise` built beside the test bundle.
    public static var supervisor: String { built("nightjar-supervise") }

    /// A product built beside the test bundle (.build/<triple>/debug/NightjarPackageTests.xctest, or
    /// a directory or two above it).
    public static func built(_ name: String) -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<3 {
            let p = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
            dir = dir.deletingLastPathComponent()
        }
        return "\(name)-not-built: run `swift build` before `swift test`"
    }

    /// `program ARGS` in `directory`, to its end.
    public static func run(_ program: String, _ args: [String], directory: URL, environment: [String: String],
                           stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        p.currentDirectoryURL = directory
        p.environment = environment
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory())
        let outFile = scratch.appendingPathComponent("nightjar-out-\(UUID().uuidString)"), errFile = scratch.appendingPathComponent("nightjar-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outFile); try? FileManager.default.removeItem(at: errFile) }
        let input = Pipe()
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: (try? Data(contentsOf: outFile)) ?? Data(), as: UTF8.self),
                String(decoding: (try? Data(contentsOf: errFile)) ?? Data(), as: UTF8.self))
    }

    /// Where a test leaves what a person may want to look at (screenshots): `.build/test-output/NAME`, emptied.
    public static func outputDirectory(_ name: String) throws -> URL {
        let dir = repository.appendingPathComponent(".build/test-output/\(name)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// What a browser test lacks (Debian's chromium and chromedriver, selenium for python3) and how to
    /// get it, or nil. A browser test that silently passes without them proves nothing: they fail it.
    public static func browserMissing() -> String? {
        let missing = ["/usr/bin/chromium", "/usr/bin/chromedriver"].filter { !FileManager.default.isExecutableFile(atPath: $0) }
        if !missing.isEmpty { return "\(missing.joined(separator: ", ")) missing: run scripts/install-deps (Debian chromium, chromium-driver)" }
        let python = try? run("/usr/bin/env", ["python3", "-c", "import selenium"], directory: repository, environment: ProcessInfo.processInfo.environment)
        if python?.status != 0 { return "python3 cannot import selenium: run scripts/install-deps (selenium from PyPI)" }
        return nil
    }

    /// The screenshots among `names` in `directory` that are not PNG images of some size.
    public static func notScreenshots(_ names: [String], in directory: URL) -> [String] {
        names.filter { name in
            let data = (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data()
            return !(data.count > 1000 && data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        }
    }
}
