/// One glyph of laid-out text: the glyph id, its advance in font units, and the text it draws.
public struct ShapedGlyph: Sendable, Equatable {
    public var glyph: UInt32
    public var advance: Int
    public var text: String

    public init(glyph: UInt32, advance: Int, text: String) {
        self.glyph = glyph
        self.advance = advance
        self.text = text
    }
}
