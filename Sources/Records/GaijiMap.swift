import Foundation

/// 外字: legacy systems keep characters outside JIS in the private-use area (CP932's user-defined
/// codes F040–F9FC decode to U+E000–U+E757). A mapping file turns each into a real Unicode character,
/// with an IVS variation selector where the variant matters. A private-use character left unmapped
/// makes its record a reject: it would otherwise print as a blank box or someone else's glyph.
public struct GaijiMap: Sendable {
    public struct Entry: Sendable, Equatable {
        public var replacement: String
        public var note: String
        public var line: Int
    }
    public private(set) var entries: [UInt32: Entry] = [:]

    public init() {}

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let line: Int, column: Int
        public let message: String
        public var description: String { message }
    }

    /// Parses `code,unicode[,note]` lines (a header row and # comments are skipped).
    /// code: `U+E000` (the private-use code point as decoded) or `SJIS:F040` (the legacy CP932 code);
    /// unicode: `U+9AD9`, `U+845B U+E0102` (base and variation selector), or the characters themselves.
    public static func parse(_ text: String) -> Result<GaijiMap, LoadError> {
        var map = GaijiMap()
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.trimmingCharacters(in: [" ", "\t"])
            if trimmed.isEmpty || trimmed.hasPrefix("#") || (n == 0 && trimmed.lowercased().hasPrefix("code")) { continue }
            let cells = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: [" ", "\t"]) }
            guard cells.count >= 2 else {
                return .failure(LoadError(line: n + 1, column: 1, message: "expected code,unicode[,note], e.g. U+E000,U+9AD9,髙"))
            }
            guard let code = privateUseCode(cells[0]) else {
                return .failure(LoadError(line: n + 1, column: 1, message: "'\(cells[0])' is not a private-use code: write U+E000…U+F8FF (or planes 15–16) or SJIS:F040…F9FC"))
            }
            guard let replacement = unicodeText(cells[1]), !replacement.unicodeScalars.contains(where: { isPrivateUse($0.value) }) else {
                return .failure(LoadError(line: n + 1, column: cells[0].count + 2, message: "'\(cells[1])' is not Unicode text outside the private-use area: write U+9AD9, U+845B U+E0102 or the character itself"))
            }
            if let earlier = map.entries[code] {
                return .failure(LoadError(line: n + 1, column: 1, message: "\(hex(code)) is mapped twice (first on line \(earlier.line))"))
            }
            map.entries[code] = Entry(replacement: replacement, note: cells.count > 2 ? cells[2] : "", line: n + 1)
        }
        return .success(map)
    }

    public static func isPrivateUse(_ v: UInt32) -> Bool {
        (0xE000...0xF8FF).contains(v) || (0xF0000...0xFFFFD).contains(v) || (0x100000...0x10FFFD).contains(v)
    }

    public static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// CP932 user-defined code → the private-use code point Windows decodes it to.
    static func privateUseCode(_ s: String) -> UInt32? {
        let u = s.uppercased()
        if u.hasPrefix("SJIS:") || u.hasPrefix("0X") && u.count == 6 {
            guard let code = UInt32(u.hasPrefix("SJIS:") ? String(u.dropFirst(5)) : String(u.dropFirst(2)), radix: 16) else { return nil }
            let lead = code >> 8, trail = code & 0xFF
            guard (0xF0...0xF9).contains(lead), (0x40...0xFC).contains(trail), trail != 0x7F else { return nil }
            return 0xE000 + (lead - 0xF0) * 188 + trail - 0x40 - (trail > 0x7F ? 1 : 0)
        }
        guard u.hasPrefix("U+"), let v = UInt32(u.dropFirst(2), radix: 16), isPrivateUse(v) else { return nil }
        return v
    }

    static func unicodeText(_ s: String) -> String? {
        guard s.uppercased().hasPrefix("U+") else { return s.isEmpty ? nil : s }
        var out = ""
        for part in s.split(separator: " ") {
            guard part.uppercased().hasPrefix("U+"), let v = UInt32(part.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(v) else { return nil }
            out.unicodeScalars.append(scalar)
        }
        return out.isEmpty ? nil : out
    }

    /// The value with every mapped private-use character replaced; the first unmapped one is returned
    /// instead when there is one. Values without private-use characters (nearly all) return at once.
    public func apply(_ value: String) -> (value: String, unmapped: UInt32?) {
        // Private-use code points are E000–F8FF (UTF-8 lead bytes EE, EF) and planes 15–16 (F3, F4).
        guard value.utf8.contains(where: { $0 == 0xEE || $0 == 0xEF || $0 == 0xF3 || $0 == 0xF4 }) else { return (value, nil) }
        var out = String.UnicodeScalarView()
        for s in value.unicodeScalars {
            guard Self.isPrivateUse(s.value) else { out.append(s); continue }
            guard let e = entries[s.value] else { return (value, s.value) }
            out.append(contentsOf: e.replacement.unicodeScalars)
        }
        return (String(out), nil)
    }
}
