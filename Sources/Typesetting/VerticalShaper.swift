import CHarfBuzz
import Foundation

/// Top-to-bottom glyphs for 縦書き. Characters are looked up exactly as in horizontal text (the cmap
/// fast path, with IVS): shaping whole names through HarfBuzz would normalise compatibility ideographs
/// (﨑 U+FA11 becomes 崎) and print a different name. Only characters that have vertical forms
/// (ー, 、。, brackets, dashes) are shaped, one at a time, through HarfBuzz's `vert` feature.
public final class VerticalShaper {
    public let font: Font
    let horizontal: Shaper
    var verticalForms: [UInt32: Glyph?] = [:]

    public init(font: Font) {
        self.font = font
        horizontal = Shaper(font: font)
    }

    /// One glyph of vertical text: its id, the advance down the column, its offsets and its text.
    public struct Glyph: Sendable, Equatable {
        public var glyph: UInt32
        public var advance: Int
        public var xOffset: Int
        public var yOffset: Int
        public var text: String
        /// See `ShapedGlyph.cid`.
        public var cid: UInt32
    }

    /// Characters whose upright or rotated vertical form differs from the horizontal one.
    static let hasVerticalForm: Set<UInt32> = Set(
        [0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x30FC, 0x2015, 0x2014, 0x2025, 0x2026, 0x301C, 0xFF5E, 0xFF1D, 0xFF0D, 0x2212, 0xFF3F,
         0x3008, 0x3009, 0x300A, 0x300B, 0x300C, 0x300D, 0x300E, 0x300F, 0x3010, 0x3011, 0x3014, 0x3015, 0x3016, 0x3017,
         0xFF08, 0xFF09, 0xFF3B, 0xFF3D, 0xFF5B, 0xFF5D, 0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
         0x3087, 0x308E, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6]
        .map { UInt32($0) })

    /// Half-width katakana are set full width first (see `KanaWidth`): the glyphs' text, and so what
    /// `pdftotext` returns, is the full-width text the column shows.
    public func shape(_ text: String, ivs: Shaper.VariationFallback = .reject) -> Result<[Glyph], Shaper.Missing> {
        let base: [ShapedGlyph]
        switch horizontal.shape(KanaWidth.fullwidth(text), ivs: ivs) {
        case .success(let g): base = g
        case .failure(let m): return .failure(m)
        }
        let ascender = font.ascender, upem = font.unitsPerEm
        return .success(base.map { g in
            if let scalar = g.text.unicodeScalars.first, g.text.unicodeScalars.count == 1,
               Self.hasVerticalForm.contains(scalar.value), let v = verticalForm(scalar) {
                return v
            }
            // An ideograph stands upright, centred on the column, its top at the pen.
            return Glyph(glyph: g.glyph, advance: upem, xOffset: -g.advance / 2, yOffset: -ascender, text: g.text, cid: g.cid)
        })
    }

    /// The `vert` form of one character and its vertical position, through HarfBuzz.
    func verticalForm(_ scalar: Unicode.Scalar) -> Glyph? {
        if let cached = verticalForms[scalar.value] { return cached }
        var result: Glyph?
        if let buffer = hb_buffer_create() {
            var cp = scalar.value
            hb_buffer_add_utf32(buffer, &cp, 1, 0, 1)
            hb_buffer_set_direction(buffer, HB_DIRECTION_TTB)
            hb_buffer_set_script(buffer, HB_SCRIPT_HAN)
            hb_buffer_set_language(buffer, hb_language_from_string("ja", -1))
            hb_shape(font.font, buffer, nil, 0)
            var count: UInt32 = 0
            if let infos = hb_buffer_get_glyph_infos(buffer, &count), let pos = hb_buffer_get_glyph_positions(buffer, &count),
               count == 1, infos[0].codepoint != 0 {
                let advance = pos[0].y_advance != 0 ? -Int(pos[0].y_advance) : font.unitsPerEm
                let glyph = infos[0].codepoint
                result = Glyph(glyph: glyph, advance: advance, xOffset: Int(pos[0].x_offset),
                               yOffset: Int(pos[0].y_offset), text: String(scalar), cid: font.cid(glyph: glyph, text: String(scalar)))
            }
            hb_buffer_destroy(buffer)
        }
        verticalForms[scalar.value] = .some(result)
        return result
    }
}
