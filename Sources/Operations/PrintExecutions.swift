import Foundation

/// The prints this process is executing in the background (for the web), and why one stopped when it
/// failed. Only in memory: after a restart the recorded print itself tells how far it got.
public final class PrintExecutions: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Set<Int64> = []
    private var errors: [Int64: String] = [:]

    public init() {}

    func begin(_ id: Int64) {
        lock.withLock {
            running.insert(id)
            errors[id] = nil
        }
    }

    func end(_ id: Int64, error: String?) {
        lock.withLock {
            running.remove(id)
            errors[id] = error
        }
    }

    func status(_ id: Int64) -> (executing: Bool, error: String?) {
        lock.withLock { (running.contains(id), errors[id]) }
    }
}
