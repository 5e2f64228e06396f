import Forms
import Foundation
import PDF
import Typesetting

/// One PDF volume: the form's static layer once as a Form XObject, then a page object and a content
/// stream per page; fonts are subset and written when the volume closes.
final class VolumeWriter {
    let pdf: PDFFile
    let form: Form
    let catalog: Int, pagesRoot: Int, resources: Int, staticLayer: Int, continuationLayer: Int, info: Int
    let fonts: [String: EmbeddedFont]
    var pageObjects: [Int] = []
    let geometry: PageGeometry
    /// Image XObjects of the static layers, by path: written once per volume.
    var images: [String: (name: String, object: Int)] = [:]

    init(path: String, form: Form, fonts: [String: Font], images loaded: [String: ImageFile] = [:],
         observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        pdf = try PDFFile(path: path, observe: observe)
        self.form = form
        catalog = pdf.reserve()
        pagesRoot = pdf.reserve()
        resources = pdf.reserve()
        staticLayer = pdf.reserve()
        continuationLayer = pdf.reserve()
        info = pdf.reserve()
        var embedded: [String: EmbeddedFont] = [:]
        for (i, alias) in fonts.keys.sorted().enumerated() {
            guard let f = fonts[alias] else { continue }
            embedded[alias] = EmbeddedFont(font: f, resourceName: "F\(i + 1)", pdf: pdf)
        }
        self.fonts = embedded
        geometry = PageGeometry(heightPt: form.paper.height * PageGeometry.ptPerMM)
        for (i, path) in loaded.keys.sorted().enumerated() {
            guard let image = loaded[path] else { continue }
            let object = pdf.reserve()
            var smask = ""
            if let alpha = image.alpha {
                let mask = pdf.reserve()
                try pdf.stream(mask, dict: " /Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
                               data: alpha, compress: nil)
                smask = " /SMask \(mask) 0 R"
            }
            try pdf.stream(object, dict: " /Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) \(image.dict)\(smask)",
                           data: image.data, compress: nil)
            images[path] = ("Im\(i + 1)", object)
        }
        try writeLayer(form.statics, object: staticLayer, fonts: fonts)
        try writeLayer(form.continuationStatics, object: continuationLayer, fonts: fonts)
    }

    var resourceNames: [String: String] { fonts.mapValues(\.resourceName) }

    /// A static layer as a Form XObject: written once per volume, drawn by every page with one `Do`.
    func writeLayer(_ items: [Form.StaticItem], object: Int, fonts: [String: Font]) throws {
        var c = ContentBuilder()
        var shapers: [String: Shaper] = [:]
        for item in items {
            switch item {
            case let .rect(x, y, w, h, line, radius):
                c.num(geometry.len(line)); c.op("w\n")
                if radius > 0 {
                    roundedRect(&c, x: geometry.x(x), y: geometry.y(y + h), w: geometry.len(w), h: geometry.len(h), r: geometry.len(radius))
                } else {
                    c.num(geometry.x(x)); c.num(geometry.y(y + h)); c.num(geometry.len(w)); c.num(geometry.len(h)); c.op("re\n")
                }
                c.op("S\n")
            case let .fill(x, y, w, h, gray):
                c.op("q "); c.num(gray); c.op("g\n")
                c.num(geometry.x(x)); c.num(geometry.y(y + h)); c.num(geometry.len(w)); c.num(geometry.len(h)); c.op("re f Q\n")
            case let .line(x1, y1, x2, y2, width, dash):
                c.op("q "); c.num(geometry.len(width)); c.op("w ")
                if !dash.isEmpty { c.op("["); dash.forEach { c.num(geometry.len($0)) }; c.op("] 0 d ") }
                c.num(geometry.x(x1)); c.num(geometry.y(y1)); c.op("m "); c.num(geometry.x(x2)); c.num(geometry.y(y2)); c.op("l S Q\n")
            case let .image(path, x, y, w, h):
                guard let image = images[path] else { continue }
                c.op("q "); c.num(geometry.len(w)); c.op("0 0 "); c.num(geometry.len(h)); c.num(geometry.x(x)); c.num(geometry.y(y + h))
                c.op("cm /"); c.text(image.name); c.op(" Do Q\n")
            case let .text(text, x, y, fontAlias, size):
                guard let font = fonts[fontAlias], let embedded = self.fonts[fontAlias] else { continue }
                let shaper = shapers[fontAlias] ?? Shaper(font: font)
                shapers[fontAlias] = shaper
                switch shaper.shape(text) {
                case .success(let glyphs):
                    embedded.use(glyphs)
                    c.op("BT /"); c.text(embedded.resourceName); c.op(" "); c.num(size); c.op("Tf 1 0 0 1 ")
                    c.num(geometry.x(x)); c.num(geometry.y(y)); c.op("Tm\n"); c.glyphs(glyphs.map(\.cid)); c.op("ET\n")
                case .failure(let missing):
                    throw PDFFile.PDFError.writeFailed(pdf.path, "static text '\(text)' in \(form.file): \(missing)")
                }
            }
        }
        let w = geometry.len(form.paper.width), h = geometry.heightPt
        try pdf.stream(object, dict: " /Type /XObject /Subtype /Form /BBox [0 0 \(fmt(w)) \(fmt(h))] /Resources \(resources) 0 R",
                       data: c.bytes, compress: 6)
    }

    func roundedRect(_ c: inout ContentBuilder, x: Double, y: Double, w: Double, h: Double, r: Double) {
        let k = 0.5523 * r   // Bézier control distance for a quarter circle
        c.num(x + r); c.num(y); c.op("m ")
        c.num(x + w - r); c.num(y); c.op("l ")
        c.num(x + w - r + k); c.num(y); c.num(x + w); c.num(y + r - k); c.num(x + w); c.num(y + r); c.op("c ")
        c.num(x + w); c.num(y + h - r); c.op("l ")
        c.num(x + w); c.num(y + h - r + k); c.num(x + w - r + k); c.num(y + h); c.num(x + w - r); c.num(y + h); c.op("c ")
        c.num(x + r); c.num(y + h); c.op("l ")
        c.num(x + r - k); c.num(y + h); c.num(x); c.num(y + h - r + k); c.num(x); c.num(y + h - r); c.op("c ")
        c.num(x); c.num(y + r); c.op("l ")
        c.num(x); c.num(y + r - k); c.num(x + r - k); c.num(y); c.num(x + r); c.num(y); c.op("c h\n")
    }

    /// Adds a notice's pages; returns the number of its first page in the volume.
    func addNotice(pages: [[UInt8]], used: [String: [ShapedGlyph]]) throws -> Int {
        for (alias, glyphs) in used { fonts[alias]?.use(glyphs) }
        let first = pageObjects.count + 1
        for content in pages {
            let page = pdf.reserve(), contents = pdf.reserve()
            try pdf.object(page, "<< /Type /Page /Parent \(pagesRoot) 0 R /Resources \(resources) 0 R /Contents \(contents) 0 R >>")
            try pdf.stream(contents, data: content, compress: 1)
            pageObjects.append(page)
        }
        return first
    }

    /// Writes fonts, resources, the page tree and the trailer. `id` makes the output reproducible.
    func finish(title: String, id: String) throws {
        let tag = String(id.prefix(6)).uppercased().map { c -> Character in
            // A subset tag is six capital letters, derived from the volume id so reruns match byte for byte.
            let v = c.asciiValue.map { Int($0) % 26 } ?? 0
            return Character(UnicodeScalar(UInt8(65 + v)))
        }
        for alias in fonts.keys.sorted() { try fonts[alias]?.writeObjects(to: pdf, subsetTag: String(tag)) }
        let fontDict = fonts.keys.sorted().compactMap { a in fonts[a].map { "/\($0.resourceName) \($0.object) 0 R" } }.joined(separator: " ")
        try pdf.object(resources, "<< /Font << \(fontDict) >> /XObject << /S \(staticLayer) 0 R /C \(continuationLayer) 0 R\(images.values.sorted { $0.name < $1.name }.map { " /\($0.name) \($0.object) 0 R" }.joined()) >> /ProcSet [/PDF /Text /ImageB /ImageC /ImageI] >>")
        let w = geometry.len(form.paper.width), h = geometry.heightPt
        try pdf.object(pagesRoot, "<< /Type /Pages /Count \(pageObjects.count) /MediaBox [0 0 \(fmt(w)) \(fmt(h))] /Kids [\(pageObjects.map { "\($0) 0 R" }.joined(separator: " "))] >>")
        try pdf.object(info, "<< /Title \(PDFFile.textString(title)) /Producer (Nightjar) >>")
        try pdf.object(catalog, "<< /Type /Catalog /Pages \(pagesRoot) 0 R >>")
        try pdf.finish(root: catalog, info: info, id: id)
    }

    func fmt(_ v: Double) -> String {
        var c = ContentBuilder(capacity: 16)
        c.num(v)
        return String(decoding: c.bytes.dropLast(), as: UTF8.self)
    }
}
