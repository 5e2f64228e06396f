import Foundation
import Render

/// Mutates seed inputs the way a fuzzer would, biased towards what breaks parsers of text formats:
/// bit flips, byte inserts and deletes, splices of two seeds, duplicated runs (long lines, deep
/// nesting), and tokens such as huge numbers, NUL, control characters and lone quotes.
public struct Mutator {
    /// SampleData is the project's seeded SplitMix64: the same seed gives the same mutations on every
    /// machine, so the seeded pass in `swift test` cannot be flaky.
    public var rng: SampleData
    public let seeds: [[UInt8]]
    /// Inputs never grow past this, to keep one pass fast.
    public var maxLength = 64 * 1024

    public init(seed: UInt64, seeds: [[UInt8]]) {
        rng = SampleData(seed: seed)
        self.seeds = seeds.isEmpty ? [[]] : seeds
    }

    static let tokens: [[UInt8]] = [
        "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "1e999", "1e300", "-1e300", "inf", "nan", "-0", "0x7fffffff",
        "\u{0}", "\r", "\r\n", "\n", "\t", "\u{1B}[2J", "\u{7F}", "\u{202E}", "\"", "\"\"", "'", "{", "}", "[", "]",
        "{{", "}}", "|", "||", ":", ": ", "- ", "#", "&a", "*a", "!!binary", "---", "...", "? ", ",", ";", "\\", "\\u",
        "\\uD800", "\\uDC00", "{x|pad:999999999999}", "{x|digit:0}", "{x| |}", "{x|:}", "{}", "{|}", "2026-02-30",
        "9999-12-31", "0000-01-01", "24:00", "-1", "0", "65536", "\u{FEFF}", "\u{FFFD}", "　",
    ].map { Array($0.utf8) } + [
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0x81], [0x82, 0xA0], [0x81, 0x7F], [0xF0, 0x40], [0xC0, 0x80], [0xED, 0xA0, 0x80],
        [0xFF], [0x80], [0xE0, 0x80],
    ]

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(rng.next() % UInt64(n)) }

    /// One input: a seed changed by one to four mutations.
    public mutating func next() -> [UInt8] {
        var b = seeds[below(seeds.count)]
        for _ in 0...below(4) { mutate(&b) }
        if b.count > maxLength { b.removeLast(b.count - maxLength) }
        return b
    }

    mutating func mutate(_ b: inout [UInt8]) {
        let at = below(b.count + 1)
        switch below(10) {
        case 0: // flip a bit
            if !b.isEmpty { b[below(b.count)] ^= 1 << UInt8(below(8)) }
        case 1: // random byte
            if !b.isEmpty { b[below(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
        case 2: // insert random bytes
            b.insert(contentsOf: (0...below(4)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        case 3: // delete a run
            if !b.isEmpty { b.removeSubrange(at..<min(b.count, at + 1 + below(16))) }
        case 4, 5: // insert a token
            b.insert(contentsOf: Self.tokens[below(Self.tokens.count)], at: at)
        case 6: // splice with another seed
            let other = seeds[below(seeds.count)]
            let from = below(other.count + 1)
            b = Array(b[..<at]) + other[from...]
        case 7: // repeat a short run many times: long lines, deep nesting, many fields
            let len = 1 + below(min(8, max(1, b.count - at)))
            let run = at < b.count ? Array(b[at..<min(b.count, at + len)]) : [UInt8(ascii: "[")]
            let times = [2, 10, 100, 1000, 5000][below(5)]
            b.insert(contentsOf: Array([[UInt8]](repeating: run, count: times).joined()), at: at)
        case 8: // duplicate a line
            let lines = b.split(separator: 0x0A, omittingEmptySubsequences: false)
            if let line = lines.randomElement(using: &rng) { b.insert(contentsOf: Array(line) + [0x0A], at: at) }
        default: // swap two bytes
            if b.count > 1 { b.swapAt(below(b.count), below(b.count)) }
        }
    }
}
