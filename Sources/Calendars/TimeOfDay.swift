import Foundation

/// A wall-clock time in a net's time zone, `HH:MM` or `HH:MM:SS`.
/// Hours up to 47 are allowed so that a business day can run past midnight ("25:30").
public struct TimeOfDay: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let secondsFromMidnight: Int

    public init(hour: Int, minute: Int, second: Int = 0) {
        secondsFromMidnight = hour * 3600 + minute * 60 + second
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 || ($0.count == 1) }),
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let s, (0...47).contains(h), (0...59).contains(m), (0...59).contains(s) else { return nil }
        self.init(hour: h, minute: m, second: s)
    }

    public var description: String {
        let h = secondsFromMidnight / 3600, m = secondsFromMidnight / 60 % 60, s = secondsFromMidnight % 60
        return s == 0 ? String(format: "%02d:%02d", h, m) : String(format: "%02d:%02d:%02d", h, m, s)
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.secondsFromMidnight < b.secondsFromMidnight }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let t = TimeOfDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a time: \(text)"))
        }
        self = t
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
