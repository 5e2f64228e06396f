import Foundation

/// Checks a batch's files against the SHA256SUMS its render wrote, on a background thread: the small
/// files (manifests) first, then the volumes in order. A print sends each volume as soon as it is
/// known good while the next one is being hashed, so the check costs no time beside CUPS — yet nothing
/// that differs from what was rendered is ever sent.
public final class VolumeVerifier: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [String: String?] = [:]   // file → nil when good, else why not
    private let order: [String]

    init(directory: String, entries: [(file: String, sha256: String)]) {
        let sorted = entries.filter { !$0.file.hasPrefix("vol-") } + entries.filter { $0.file.hasPrefix("vol-") }
        order = sorted.map(\.file)
        let thread = Thread { [self] in
            for e in sorted {
                let path = "\(directory)/\(e.file)"
                let why: String?
                do {
                    switch try Checksums.matches(e.file, sha256: e.sha256, in: directory) {
                    case nil: why = "\(path) is missing"
                    case true?: why = nil
                    case false?: why = "\(path) no longer matches the batch's SHA256SUMS"
                    }
                } catch {
                    why = "cannot read \(path)"
                }
                condition.lock()
                results[e.file] = .some(why)
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.start()
    }

    /// Waits until `file` has been checked; throws if it differs from what the render wrote (or is not
    /// one of the batch's files at all).
    public func check(_ file: String) throws {
        guard order.contains(file) else { throw SpoolError.io("\(file) is not listed in the batch's SHA256SUMS; nothing unlisted is sent") }
        condition.lock()
        while results[file] == nil { condition.wait() }
        let why = results[file] ?? nil
        condition.unlock()
        if let why { throw SpoolError.io("\(why); it was not sent") }
    }
}

extension Spool {
    /// Starts checking a batch's files against the list its render wrote (the list itself is checked
    /// first, at once: a replaced batch or a changed list is refused here).
    public func verifier(for b: Batch) throws -> VolumeVerifier {
        let (_, entries) = try renderedFiles(of: b)
        return VolumeVerifier(directory: b.directory, entries: entries)
    }
}
