/// A set of exit codes written as ranges: `0`, `1-3`, `4-`, `1,3,5-7`.
public struct ExitCodeRanges: Hashable, Codable, Sendable, CustomStringConvertible {
    public let ranges: [ClosedRange<Int>]
    public let text: String

    public init?(_ text: String) {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let p = part.trimmingCharacters(in: .whitespaces)
            if let dash = p.firstIndex(of: "-") {
                let lo = p[..<dash], hi = p[p.index(after: dash)...]
                guard let l = Int(lo) else { return nil }
                let h = hi.isEmpty ? Int.max : Int(hi)
                guard let h, l <= h, l >= 0 else { return nil }
                ranges.append(l...h)
            } else {
                guard let v = Int(p), v >= 0 else { return nil }
                ranges.append(v...v)
            }
        }
        guard !ranges.isEmpty else { return nil }
        self.ranges = ranges
        self.text = text
    }

    public func contains(_ code: Int) -> Bool { ranges.contains { $0.contains(code) } }
    public var description: String { text }

    public init(from decoder: Decoder) throws {
        let t = try decoder.singleValueContainer().decode(String.self)
        guard let r = ExitCodeRanges(t) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad exit ranges \(t)"))
        }
        self = r
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

import Foundation
