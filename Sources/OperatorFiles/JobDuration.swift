/// Parses operator durations: `90s`, `30m`, `1h30m`, `2h`, `500ms`, `1d`. A bare number is refused
/// because "timeout: 30" is ambiguous (seconds? minutes?).
public enum JobDuration {
    /// The longest duration any key accepts. Longer values are typos, and huge ones overflowed the
    /// whole-second conversions that timers and messages make (a trap, not an error).
    public static let maximum: Double = 366 * 86_400

    /// Why a parsed duration cannot be used, or nil if it can.
    public static func rangeProblem(_ seconds: Double) -> String? {
        seconds.isFinite && seconds <= maximum ? nil : "is longer than Nightjar accepts; durations go up to 366d"
    }

    /// The seconds a duration spells; it may exceed `maximum` (see `rangeProblem`), nil if it is not a duration.
    public static func seconds(_ text: String) -> Double? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += value / 1000
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            case "d": total += value * 86400
            default: return nil
            }
        }
        return total
    }

    /// The shortest spelling of a number of seconds, for messages and `--json`.
    public static func format(_ seconds: Double) -> String {
        // Int(_:) traps beyond its range; a value that large is never a loaded duration anyway.
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds)s" }
        if seconds < 1 { return "\(Int(seconds * 1000))ms" }
        let s = Int(seconds.rounded())
        if s % 3600 == 0 { return "\(s / 3600)h" }
        if s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }
}

import Foundation
