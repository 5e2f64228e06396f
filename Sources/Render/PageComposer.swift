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
    let verticalShapers: [String: VerticalShaper]
    let resourceNames: [String: String]
    let columnIndex: [String: Int]

    init(form: Form, fonts: [String: Font], resourceNames: [String: String], header: [String]) {
        self.form = form
        geometry = PageGeometry(heightPt: form.paper.height * PageGeometry.ptPerMM)
        shapers = fonts.mapValues { Shaper(font: $0) }
        verticalShapers = fonts.mapValues { VerticalShaper(font: $0) }
        self.resourceNames = resourceNames
        columnIndex = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    struct Reject: Error {
        let reason: String
    }

    /// The content streams of one notice (its records: one, or a group with detail lines), and the
    /// glyphs they use per font alias. Any record that cannot be drawn exactly rejects the notice.
    func compose(_ rows: [Record]) throws -> (pages: [[UInt8]], used: [String: [ShapedGlyph]]) {
        guard let first = rows.first else { return ([], [:]) }
        let pageCount = form.pages(rows: rows.count)
        var used: [String: [ShapedGlyph]] = [:]
        var pages: [[UInt8]] = []
        var next = 0   // the next detail row
        for page in 1...pageCount {
            var c = ContentBuilder()
            c.op(page == 1 ? "q /S Do Q\nBT\n" : "q /C Do Q\nBT\n")
            let vars = ["page": String(page), "pages": String(pageCount)]
            try draw(page == 1 ? form.fields : form.continuationFields, row: first, vars: vars, dy: 0, into: &c, used: &used)
            if let details = form.details {
                let top = page == 1 ? details.firstTop : details.nextTop
                let capacity = page == 1 ? details.firstRows : details.nextRows
                var slot = 0
                while slot < capacity && next < rows.count {
                    // Columns' boxes are positioned relative to the first row; each row moves down one height.
                    let dy = top - (details.columns.first?.y ?? top) + Double(slot) * details.rowHeight
                    try draw(details.columns, row: rows[next], vars: vars, dy: dy, into: &c, used: &used, line: rows[next].line)
                    slot += 1
                    next += 1
                }
            }
            c.op("ET\n")
            pages.append(c.bytes)
        }
        return (pages, used)
    }

    func draw(_ fields: [Form.Field], row: Record, vars: [String: String], dy: Double, into c: inout ContentBuilder,
              used: inout [String: [ShapedGlyph]], line: Int? = nil) throws {
        let lookup: (String) -> String? = { name in
            if let i = self.columnIndex[name], i < row.fields.count { return row.fields[i] }
            return vars[name]
        }
        let at = line.map { " (line \($0))" } ?? ""
        for var field in fields {
            if let condition = field.when, !condition.holds(lookup(condition.column)) { continue }
            field.y += dy
            let text: String
            do { text = try field.value.evaluate(lookup) } catch { throw Reject(reason: "field \(field.name)\(at): \(error)") }
            if text.isEmpty { continue }
            // A quoted CSV field may hold a line break; a text field has no way to print it (and the font
            // has no glyph for U+000A), so say what it is rather than "U+000A is not in the font".
            if field.barcode == nil, text.contains(where: \.isNewline) {
                let from = field.value.columns.filter { lookup($0)?.contains(where: \.isNewline) == true }
                throw Reject(reason: "field \(field.name)\(at): a line break inside field \(field.name)"
                             + (from.isEmpty ? "" : " (from column \(from.joined(separator: ", ")))")
                             + "; text fields print one line or wrap by themselves: remove the line break from the data")
            }
            guard let shaper = shapers[field.font], let res = resourceNames[field.font] else { continue }
            if let spec = field.barcode {
                try placeBarcode(spec, value: text, field: field, lookup: lookup, shaper: shaper, resource: res, into: &c, used: &used)
                continue
            }
            if field.vertical, let vshaper = verticalShapers[field.font] {
                switch vshaper.shape(text, ivs: field.ivs == .base ? .base : .reject) {
                case .success(let g):
                    do { try placeVertical(g, field: field, font: vshaper.font, resource: res, into: &c) } catch let r as Reject {
                        throw Reject(reason: r.reason.replacingOccurrences(of: "field \(field.name):", with: "field \(field.name)\(at):"))
                    }
                    used[field.font, default: []].append(contentsOf: g.map { ShapedGlyph(glyph: $0.glyph, advance: 0, text: $0.text, cid: $0.cid) })
                case .failure(let missing): throw Reject(reason: "field \(field.name)\(at): \(missing)")
                }
                continue
            }
            let glyphs: [ShapedGlyph]
            switch shaper.shape(text, ivs: field.ivs == .base ? .base : .reject) {
            case .success(let g): glyphs = g
            case .failure(let missing): throw Reject(reason: "field \(field.name)\(at): \(missing)")
            }
            do {
                if field.lines != nil {
                    try placeWrapped(glyphs, field: field, shaper: shaper, resource: res, into: &c)
                    used[field.font, default: []].append(contentsOf: glyphs)
                    continue
                }
                try place(glyphs, field: field, shaper: shaper, resource: res, into: &c)
            } catch let r as Reject {
                throw Reject(reason: r.reason.replacingOccurrences(of: "field \(field.name):", with: "field \(field.name)\(at):"))
            }
            used[field.font, default: []].append(contentsOf: glyphs)
        }
    }

    /// Text wrapped onto up to `field.lines` lines inside the box, shrinking in half points down to the
    /// minimum size when it does not fit. The largest size whose breaks keep words whole (see
    /// `LineBreaker.Layout.splitsWord`) is taken; failing that, the largest that fits at all.
    func placeWrapped(_ glyphs: [ShapedGlyph], field: Form.Field, shaper: Shaper, resource: String, into c: inout ContentBuilder) throws {
        let boxW = geometry.len(field.width), boxH = geometry.len(field.height)
        let limit = field.lines ?? 1
        var size = field.size
        var whole: (size: Double, lines: [Range<Int>])?
        var split: (size: Double, lines: [Range<Int>])?
        while true {
            let layout = LineBreaker.layout(glyphs, width: boxW, size: size, unitsPerEm: shaper.font.unitsPerEm, limit: limit)
            let lines = layout.lines
            if lines.count <= limit && Double(lines.count) * size * field.lineHeight <= boxH + size * (field.lineHeight - 1) {
                if !layout.splitsWord { whole = (size, lines); break }
                if split == nil { split = (size, lines) }
            }
            if size - 0.5 < field.minSize { break }
            size -= 0.5
        }
        guard let (chosen, lines) = whole ?? split else {
            throw Reject(reason: "field \(field.name): the text needs more than \(limit) line\(limit == 1 ? "" : "s") even at \(Int(field.minSize)) pt")
        }
        var line = field
        line.height = chosen * field.lineHeight / PageGeometry.ptPerMM
        line.size = chosen
        line.minSize = chosen
        for (i, range) in lines.enumerated() {
            line.y = field.y + Double(i) * line.height
            // A space at a break hangs past the line: drawn, it would shift right or centred text.
            try place(Array(glyphs[LineBreaker.trimmed(glyphs, range)]), field: line, shaper: shaper, resource: resource, into: &c)
        }
    }

    /// 縦書き: each glyph placed on its own, down the centre of the box; too long a column shrinks, then
    /// is flattened (平体) down to the minimum scale. With `lines`, see `placeColumns`.
    func placeVertical(_ glyphs: [VerticalShaper.Glyph], field: Form.Field, font: Font, resource: String, into c: inout ContentBuilder) throws {
        if field.lines != nil {
            try placeColumns(glyphs, field: field, font: font, resource: resource, into: &c)
            return
        }
        let boxW = geometry.len(field.width), boxH = geometry.len(field.height)
        let upem = Double(font.unitsPerEm)
        let units = Double(glyphs.reduce(0) { $0 + $1.advance })
        var size = min(field.size, boxW)
        var scale = 1.0
        if units * size / upem > boxH {
            size = max(field.minSize, boxH * upem / units)
            let height = units * size / upem
            if height > boxH {
                scale = boxH / height
                if scale < field.minScale {
                    throw Reject(reason: "field \(field.name): the text is too long for its box even at \(Int(field.minSize)) pt and \(Int(field.minScale * 100))% height")
                }
            }
        }
        c.text("/\(resource) ")
        c.num(size)
        c.op("Tf\n")
        drawColumn(glyphs[...], centre: geometry.x(field.x) + boxW / 2, top: geometry.y(field.y), height: boxH,
                   size: size, scale: scale, unitsPerEm: upem, align: field.align, spread: true, into: &c)
    }

    /// 縦書き in up to `field.lines` columns, read right to left. Like wrapped horizontal lines from the
    /// top of the box, the columns stand in slots one pitch (size × line_height) wide from the right edge
    /// of the box leftwards, each centred in its slot and as tall as the box (continuation columns
    /// `indent` characters shorter, from lower down). The text takes as few columns as it needs at its
    /// size; then the size shrinks in half points down to the minimum, then the columns are flattened
    /// (平体) down to the minimum scale. Breaks: see `ColumnBreaker`.
    func placeColumns(_ glyphs: [VerticalShaper.Glyph], field: Form.Field, font: Font, resource: String, into c: inout ContentBuilder) throws {
        let boxW = geometry.len(field.width), boxH = geometry.len(field.height)
        let upem = Double(font.unitsPerEm)
        let limit = field.lines ?? 1
        let texts = glyphs.map(\.text)
        func columns(size: Double, scale: Double) -> [Range<Int>]? {
            let pitch = size * field.lineHeight
            // Columns whose glyphs stay inside the box: the last needs half a slot and half a character.
            var fit = 0
            while fit < limit && Double(fit) * pitch + (pitch + size) / 2 <= boxW + 0.01 { fit += 1 }
            guard fit > 0 else { return nil }
            let k = size * scale / upem
            return ColumnBreaker.columns(glyphs.map { Double($0.advance) * k }, texts: texts,
                                         first: boxH, next: boxH - field.indent * size * scale, limit: fit)
        }
        let top = min(field.size, boxW)
        var sizes = Array(stride(from: top, through: field.minSize, by: -0.5))
        if sizes.last.map({ $0 > field.minSize }) ?? true { sizes.append(field.minSize) }
        var found: (size: Double, scale: Double, columns: [Range<Int>])?
        for size in sizes {
            if let cols = columns(size: size, scale: 1) { found = (size, 1, cols); break }
        }
        if found == nil, let size = sizes.last {
            var scales = Array(stride(from: 0.99, through: field.minScale, by: -0.01))
            if field.minScale < 1 && (scales.last ?? 1) > field.minScale + 1e-9 { scales.append(field.minScale) }
            for scale in scales {
                if let cols = columns(size: size, scale: scale) { found = (size, scale, cols); break }
            }
        }
        guard let (size, scale, cols) = found else {
            throw Reject(reason: "field \(field.name): the text needs more than \(limit) column\(limit == 1 ? "" : "s") even at "
                         + "\(Int(field.minSize)) pt and \(Int(field.minScale * 100))% height")
        }
        let pitch = size * field.lineHeight
        let right = geometry.x(field.x) + boxW
        c.text("/\(resource) ")
        c.num(size)
        c.op("Tf\n")
        for (i, range) in cols.enumerated() {
            let drop = i == 0 ? 0 : field.indent * size * scale
            // 均等割付 spreads every column but the last of several (a paragraph's last line stays solid).
            drawColumn(glyphs[range], centre: right - pitch / 2 - Double(i) * pitch, top: geometry.y(field.y) - drop, height: boxH - drop,
                       size: size, scale: scale, unitsPerEm: upem, align: field.align, spread: cols.count == 1 || i < cols.count - 1, into: &c)
        }
    }

    /// One column of vertical glyphs, `top` and `centre` in points; the font and size are already set.
    func drawColumn(_ glyphs: ArraySlice<VerticalShaper.Glyph>, centre: Double, top: Double, height boxH: Double, size: Double, scale: Double,
                    unitsPerEm upem: Double, align: Form.Align, spread: Bool, into c: inout ContentBuilder) {
        let k = size / upem
        let height = Double(glyphs.reduce(0) { $0 + $1.advance }) * k * scale
        var pen = top
        var gap = 0.0
        switch align {
        case .center: pen -= (boxH - height) / 2
        case .distribute where glyphs.count > 1 && spread: gap = (boxH - height) / Double(glyphs.count - 1)
        default: break
        }
        for g in glyphs {
            c.op("1 0 0 ")
            c.num(scale)
            c.num(centre + Double(g.xOffset) * k)
            c.num(pen + Double(g.yOffset) * k * scale)
            c.op("Tm\n")
            c.glyphs([g.cid])
            pen -= Double(g.advance) * k * scale + gap
        }
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
        c.glyphs(glyphs.map(\.cid))
        if scale != 1 { c.op("100 Tz\n") }
        if spacing != 0 { c.op("0 Tc\n") }
    }
}
