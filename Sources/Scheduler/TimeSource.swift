import Foundation

/// Where the engine reads the time: the system clock in service, a hand-moved one in tests, so retries,
/// timeouts of file waits, deadlines and alerts are tested on virtual time without sleeping.
public protocol TimeSource: AnyObject, Sendable {
    /// Seconds since 1970.
    func now() -> Double
}

public final class SystemTime: TimeSource {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that moves only when told to.
public final class ManualTime: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Double

    public init(_ start: Double = 1_781_000_000) { current = start }

    public func now() -> Double {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(by seconds: Double) {
        lock.lock()
        current += seconds
        lock.unlock()
    }
}
