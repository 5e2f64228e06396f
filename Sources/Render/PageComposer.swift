import Forms
import Foundation
import PDF
import Records
import Typesetting

/// Lays out one record on one page: evaluates each field, shapes its text, fits it into its box
/// (shrink down to the minimum size, then squeeze horizontally down to the minimum scale), and writes
/// the page's content stream. A record that cannot be drawn exactly becomes a reject with the reason.
final class PageComposer {
    let form: Form
    let geometry: PageGeometry
    /// Per font alias: a shaper (with its cache) and the resource name in the volume.
    let shapers: [String: Shaper]
    let resourceNames: [String: String]
    let columnIndex: [String: Int]

    init(form: Form, fonts: [String: Font], resourceNames: [String: String], header: [String]) {
        self.form = form
        geometry = PageGeometry(heightPt: form.paper.height * PageGeometry.ptPerMM)
        shapers = fonts.mapValues { Shaper(font: $0) }
        self.resourceNames = resourceNames
        columnIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    struct Reject: Error {
        let reason: String
    }

    /// The content stream for one record, and the glyphs it used per font alias.
    func compose(_ row: Record) throws -> (content: [UInt8], used: [String: [ShapedGlyph]]) {
        var c = ContentBuilder()
        var used: [String: [ShapedGlyph]] = [:]
        c.op("q /S Do Q\nBT\n")
        let lookup: (String) -> String? = { name in
            guard let i = self.columnIndex[name], i < row.fields.count else { return nil }
            return row.fields[i]
        }
        for field in form.fields {
            let text: String
            do { text = try field.value.evaluate(lookup) } catch { throw Reject(reason: "field \(field.name): \(error)") }
            if text.isEmpty { continue }
            guard let shaper = shapers[field.font], let res = resourceNames[field.font] else { continue }
            let glyphs: [ShapedGlyph]
            switch shaper.shape(text) {
            case .success(let g): glyphs = g
            case .failure(let missing): throw Reject(reason: "field \(field.name): \(missing)")
            }
            try place(glyphs, field: field, shaper: shaper, resource: res, into: &c)
            used[field.font, default: []].append(contentsOf: glyphs)
        }
        c.op("ET\n")
        return (c.bytes, used)
    }

    func place(_ glyphs: [ShapedGlyph], field: Form.Field, shaper: Shaper, resource: String, into c: inout ContentBuilder) throws {
        let boxW = geometry.len(field.width), boxH = geometry.len(field.height)
        var size = min(field.size, boxH / 0.88)
        var width = shaper.width(glyphs, size: size)
        var scale = 1.0
        if width > boxW {
            size = max(field.minSize, size * boxW / width)
            width = shaper.width(glyphs, size: size)
            if width > boxW {
                scale = boxW / width
                if scale < field.minScale {
                    throw Reject(reason: "field \(field.name): the text is too long for its box even at \(Int(field.minSize)) pt and \(Int(field.minScale * 100))% width")
                }
                width = boxW
            }
        }
        let font = shaper.font
        // Centre the cap height in the box: notices are read by eye, and a centred line looks right.
        let capPt = Double(font.capHeight) * size / Double(font.unitsPerEm)
        let baseline = geometry.y(field.y) - (boxH + capPt) / 2
        var x = geometry.x(field.x)
        var spacing = 0.0
        switch field.align {
        case .left: break
        case .right: x += boxW - width
        case .center: x += (boxW - width) / 2
        case .distribute where glyphs.count > 1: spacing = (boxW - width) / Double(glyphs.count - 1)
        case .distribute: x += (boxW - width) / 2
        }
        c.text("/\(resource) ")
        c.num(size)
        c.op("Tf\n")
        if scale != 1 { c.num(scale * 100); c.op("Tz\n") }
        if spacing != 0 { c.num(spacing); c.op("Tc\n") }
        c.op("1 0 0 1 ")
        c.num(x)
        c.num(baseline)
        c.op("Tm\n")
        c.glyphs(glyphs.map(\.glyph))
        if scale != 1 { c.op("100 Tz\n") }
        if spacing != 0 { c.op("0 Tc\n") }
    }
}
