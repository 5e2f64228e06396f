import Foundation

/// Maps text to glyphs through the font's cmap, the fast path that suits Japanese forms: one glyph per
/// character, no kerning or ligatures. A character followed by an Ideographic Variation Selector takes
/// the variant glyph from the font's format-14 cmap; the selector draws nothing. Lookups are cached per
/// shaper (one shaper per thread).
public final class Shaper {
    public let font: Font
    var cache: [UInt32: (UInt32, Int, UInt32)?] = [:]

    public init(font: Font) { self.font = font }

    public struct Missing: Error, CustomStringConvertible, Equatable {
        public let character: String
        /// The font's name, when the message names it (a variation sequence whose base it has).
        public var font: String? = nil
        /// The character has a variation selector the font lacks, while the font has its base character.
        public var baseExists = false

        public init(character: String, font: String? = nil, baseExists: Bool = false) {
            self.character = character
            self.font = font
            self.baseExists = baseExists
        }

        public var description: String {
            let scalars = Array(character.unicodeScalars)
            let codes = scalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
            if baseExists, scalars.count == 2 {
                // The variant is what the data asks for; say so, and how to print the base instead.
                return "\(scalars[0]) with variation selector \(String(format: "U+%04X", scalars[1].value)) (\(codes)) is not in "
                    + "\(font ?? "the font"); the base character is: set `ivs: base` on the field or map it in the 外字 file"
            }
            return "the character \(codes) is not in the font"
        }
    }

    /// What to do with a variation sequence the font lacks when it has the base character.
    public enum VariationFallback: String, Sendable, CaseIterable {
        /// The character cannot be drawn as the data asks: the record is rejected.
        case reject
        /// Print the base character (and give it back as text without the selector).
        case base
    }

    /// Glyphs for `text`, or the first character the font cannot draw.
    public func shape(_ text: String, ivs: VariationFallback = .reject) -> Result<[ShapedGlyph], Missing> {
        var out: [ShapedGlyph] = []
        out.reserveCapacity(text.unicodeScalars.count)
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if i + 1 < scalars.count, Self.isVariationSelector(scalars[i + 1]) {
                let vs = scalars[i + 1]
                if let g = font.glyph(for: s, selector: vs) {
                    out.append(ShapedGlyph(glyph: g, advance: font.advance(g), text: String(String.UnicodeScalarView([s, vs]))))
                    i += 2
                    continue
                }
                let sequence = String(String.UnicodeScalarView([s, vs]))
                guard font.glyph(for: s) != nil else { return .failure(Missing(character: sequence)) }
                guard ivs == .base else { return .failure(Missing(character: sequence, font: font.postScriptName, baseExists: true)) }
                // The base character below; the selector is dropped, so the text read back is what is printed.
                i += 1
            }
            let entry: (UInt32, Int, UInt32)?
            if let cached = cache[s.value] {
                entry = cached
            } else {
                entry = font.glyph(for: s).map { ($0, font.advance($0), font.cid(glyph: $0, text: String(s))) }
                cache[s.value] = .some(entry)
            }
            guard let (g, adv, cid) = entry else { return .failure(Missing(character: String(s))) }
            out.append(ShapedGlyph(glyph: g, advance: adv, text: String(s), cid: cid))
            i += 1
        }
        return .success(out)
    }

    /// Width in points at `size`.
    public func width(_ glyphs: [ShapedGlyph], size: Double) -> Double {
        Double(glyphs.reduce(0) { $0 + $1.advance }) * size / Double(font.unitsPerEm)
    }

    static func isVariationSelector(_ s: Unicode.Scalar) -> Bool {
        (0xFE00...0xFE0F).contains(s.value) || (0xE0100...0xE01EF).contains(s.value)
    }
}
