import Foundation
import Typesetting

/// One font as used in one volume: a Type 0 font with Identity-H encoding whose CIDs are the glyph ids
/// of the original font (and, for characters that share a glyph, ids past the last glyph: see
/// `Font.cid`). Pages are written before the glyph set is known; at the end of the volume the font is
/// subset and a CIDToGIDMap maps the CIDs onto the subset's glyph ids.
public final class EmbeddedFont {
    public let font: Font
    public let resourceName: String
    public let object: Int
    let descendant: Int, descriptor: Int, file: Int, toUnicode: Int, cidMap: Int
    /// CID → its glyph and the text it stands for (for ToUnicode, so pdftotext returns the characters).
    var used: [UInt32: (glyph: UInt32, text: String)] = [:]

    public init(font: Font, resourceName: String, pdf: PDFFile) {
        self.font = font
        self.resourceName = resourceName
        object = pdf.reserve()
        descendant = pdf.reserve()
        descriptor = pdf.reserve()
        file = pdf.reserve()
        toUnicode = pdf.reserve()
        cidMap = pdf.reserve()
    }

    /// Records glyphs as used, with their text.
    public func use(_ glyphs: [ShapedGlyph]) {
        for g in glyphs where used[g.cid] == nil { used[g.cid] = (g.glyph, g.text) }
    }

    public func writeObjects(to pdf: PDFFile, subsetTag: String) throws {
        guard let (data, newID) = font.subset(glyphs: Set(used.values.map(\.glyph))) else {
            throw PDFFile.PDFError.writeFailed(pdf.path, "cannot subset the font \(font.path)")
        }
        let name = "\(subsetTag)+\(font.postScriptName)"
        let scale = 1000.0 / Double(font.unitsPerEm)
        func u(_ v: Int) -> Int { Int((Double(v) * scale).rounded()) }
        try pdf.object(object, """
            << /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H \
            /DescendantFonts [\(descendant) 0 R] /ToUnicode \(toUnicode) 0 R >>
            """)
        var widths = ""
        for (cid, g) in used.sorted(by: { $0.key < $1.key }) { widths += "\(cid) [\(u(font.advance(g.glyph)))] " }
        try pdf.object(descendant, """
            << /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) \
            /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
            /FontDescriptor \(descriptor) 0 R /DW 1000 /W [\(widths)] /CIDToGIDMap \(cidMap) 0 R >>
            """)
        let b = font.bbox
        try pdf.object(descriptor, """
            << /Type /FontDescriptor /FontName /\(name) /Flags 6 /FontBBox [\(u(b.0)) \(u(b.1)) \(u(b.2)) \(u(b.3))] \
            /ItalicAngle 0 /Ascent \(u(font.ascender)) /Descent \(u(font.descender)) /CapHeight \(u(font.capHeight)) \
            /StemV 80 /FontFile2 \(file) 0 R >>
            """)
        try pdf.stream(file, dict: " /Length1 \(data.count)", data: [UInt8](data), compress: 6)
        // CIDToGIDMap: two bytes per CID up to the highest used; mostly zeros, so it deflates to little.
        let maxCID = Int(used.keys.max() ?? 0)
        var map = [UInt8](repeating: 0, count: (maxCID + 1) * 2)
        for (cid, g) in used {
            guard let gid = newID[g.glyph] else { continue }
            map[Int(cid) * 2] = UInt8(gid >> 8)
            map[Int(cid) * 2 + 1] = UInt8(gid & 0xff)
        }
        try pdf.stream(cidMap, data: map, compress: 9)
        try pdf.stream(toUnicode, data: Array(toUnicodeCMap().utf8), compress: 6)
    }

    func toUnicodeCMap() -> String {
        var s = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let entries = used.sorted { $0.key < $1.key }
        var i = 0
        while i < entries.count {
            let chunk = entries[i..<min(i + 100, entries.count)]
            s += "\(chunk.count) beginbfchar\n"
            for (g, (_, text)) in chunk {
                s += String(format: "<%04X> <", g) + text.utf16.map { String(format: "%04X", $0) }.joined() + ">\n"
            }
            s += "endbfchar\n"
            i += 100
        }
        s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return s
    }
}
