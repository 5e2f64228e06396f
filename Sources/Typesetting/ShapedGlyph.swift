/// One glyph of laid-out text: the glyph id, its advance in font units, and the text it draws.
public struct ShapedGlyph: Sendable, Equatable {
    public var glyph: UInt32
    public var advance: Int
    public var text: String
    /// What a PDF shows for it: the glyph id, or an id of its own past the font's glyphs when the
    /// font draws several characters with this glyph (see `Font.cid`).
    public var cid: UInt32

    public init(glyph: UInt32, advance: Int, text: String, cid: UInt32? = nil) {
        self.glyph = glyph
        self.advance = advance
        self.text = text
        self.cid = cid ?? glyph
    }
}
