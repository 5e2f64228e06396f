import Foundation
@testable import Records

/// A fresh directory under the system temp dir, removed when released.
final class TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("RecordsTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }
}

/// Reads every record, failing on the first error.
func readAll(_ reader: some RecordReader) throws -> [Record] {
    var out: [Record] = []
    while let r = try reader.next() { out.append(r) }
    return out
}

/// Runs `body` and returns the `RecordError` it throws, or nil.
func recordError(_ body: () throws -> Void) -> RecordError? {
    do { try body() } catch let e as RecordError { return e } catch { return nil }
    return nil
}

/// The python3 executable on PATH, if any.
let python3: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/python3"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}()

/// Runs python3 with `script` and returns its standard output.
func runPython(_ script: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python3!)
    p.arguments = ["-c", script]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
