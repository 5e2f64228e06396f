import Foundation

/// Login throttling and lockout as a pure decision on the times of an account's recent failed logins
/// (ascending) and the clock, so it is tested on virtual time.
///
/// The first `freeFailures` failures cost nothing; each one after that makes the next attempt wait
/// 2, 4, 8 … seconds (at most `maxDelay`) after the last failure; `maxFailures` within `window` lock
/// the account for `lockout` after the last of them. Attempts refused by a wait or a lock are not
/// checked and not counted.
public struct LoginThrottle: Sendable, Equatable {
    public var freeFailures = 2
    public var maxFailures = 5
    public var window: Double = 15 * 60
    public var lockout: Double = 15 * 60
    public var maxDelay: Double = 60

    public init() {}

    public enum Decision: Sendable, Equatable {
        case allowed
        case wait(until: Double)
        case locked(until: Double)
    }

    public func decide(failures: [Double], now: Double) -> Decision {
        guard let last = failures.last else { return .allowed }
        // Failures in the window that ends with the latest one.
        let burst = failures.filter { $0 > last - window }.count
        if burst >= maxFailures {
            return now < last + lockout ? .locked(until: last + lockout) : .allowed
        }
        if burst > freeFailures {
            let delay = min(pow(2, Double(burst - freeFailures)), maxDelay)
            if now < last + delay { return .wait(until: last + delay) }
        }
        return .allowed
    }
}
