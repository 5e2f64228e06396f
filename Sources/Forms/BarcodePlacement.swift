import Barcodes

/// Placement rules checked when a form is loaded, so a layout that no reader or sorting machine can
/// use fails at `validate` instead of at the vendor:
/// - the customer barcode fits its box at its point size and keeps Japan Post's 2 mm quiet zone clear
///   of every other field and static item, 10 mm inside the paper's edges;
/// - the convenience-store code is at most 60 mm wide with its quiet zones, and its bars at least 10 mm tall;
/// - no barcode's box overlaps other fields or static drawing.
enum BarcodePlacement {
    struct Rect {
        var x, y, w, h: Double
        func intersects(_ o: Rect) -> Bool { x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h }
        func inset(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, w: w - 2 * d, h: h - 2 * d) }
    }

    static let quietZone = 2.0, edgeMargin = 10.0
    static let paymentMaxWidth = 60.0, paymentMinBarHeight = 10.0

    /// The customer barcode's bars at a point size: 67 bars on a 1.2 mm pitch at 10 pt.
    static func customerSize(points: Double) -> (width: Double, height: Double) {
        let k = points / 10
        return (66 * 1.2 * k + 0.6 * k, 3.6 * k)
    }

    static func problems(fields: [Form.Field], statics: [Form.StaticItem], paper: Form.Paper) -> [(line: Int, message: String)] {
        var out: [(Int, String)] = []
        let ptPerMM = 72.0 / 25.4
        for field in fields {
            guard let spec = field.barcode else { continue }
            let box = Rect(x: field.x, y: field.y, w: field.width, h: field.height)
            var keepClear = box
            switch spec.kind {
            case .customer:
                var size = customerSize(points: field.size)
                if field.vertical { size = (size.height, size.width) }
                if size.width > field.width + 0.01 || size.height > field.height + 0.01 {
                    out.append((field.line, "the customer barcode at \(fmt(field.size)) pt is \(fmt(size.width)) × \(fmt(size.height)) mm; its box is \(fmt(field.width)) × \(fmt(field.height)) mm"))
                }
                let bars = field.vertical
                    ? Rect(x: field.x + max(0, (field.width - size.width) / 2), y: field.y, w: size.width, h: size.height)
                    : Rect(x: field.x, y: field.y + max(0, (field.height - size.height) / 2), w: size.width, h: size.height)
                keepClear = bars.inset(-quietZone)
                if bars.x < edgeMargin || bars.y < edgeMargin || bars.x + bars.w > paper.width - edgeMargin || bars.y + bars.h > paper.height - edgeMargin {
                    out.append((field.line, "the customer barcode must be more than \(Int(edgeMargin)) mm inside the paper's edges (Japan Post)"))
                }
            case .gs1_128 where spec.isPayment:
                if field.width > paymentMaxWidth + 0.01 {
                    out.append((field.line, "the convenience-store code is at most \(Int(paymentMaxWidth)) mm wide with its quiet zones; the box is \(fmt(field.width)) mm"))
                }
                let text = spec.humanReadable ? 2 * field.size * 1.15 / ptPerMM : 0
                if field.height - text < paymentMinBarHeight - 0.01 {
                    out.append((field.line, "the convenience-store code's bars must be at least \(Int(paymentMinBarHeight)) mm tall; the box leaves \(fmt(field.height - text)) mm under two lines of \(fmt(field.size)) pt text"))
                }
                if let m = try? Zint.encode(.gs1_128, "[91]" + String(repeating: "0", count: 42)) {
                    let need = (Double(m.columns) + 20) * 0.19
                    if field.width < need - 0.01 {
                        out.append((field.line, "the convenience-store code needs \(fmt(need)) mm at the narrowest bar of 0.19 mm; the box is \(fmt(field.width)) mm"))
                    }
                }
            default: break
            }
            for other in fields where other.name != field.name {
                // Two fields shown on conditions of the same column take turns in one place (the code, or a note why there is none).
                if let a = field.when?.column, a == other.when?.column { continue }
                if keepClear.intersects(Rect(x: other.x, y: other.y, w: other.width, h: other.height)) {
                    out.append((field.line, "field \(other.name) is inside \(field.name)'s \(spec.kind == .customer ? "quiet zone (2 mm around the bars)" : "box"); move one of them"))
                }
            }
            for item in statics {
                for r in bounds(item, ptPerMM: ptPerMM) where keepClear.intersects(r) {
                    out.append((field.line, "static \(describe(item)) is inside \(field.name)'s \(spec.kind == .customer ? "quiet zone (2 mm around the bars)" : "box"); move one of them"))
                    break
                }
            }
        }
        return out
    }

    /// What a static item paints: a rectangle outline as its four strokes, so a barcode may sit inside it.
    static func bounds(_ item: Form.StaticItem, ptPerMM: Double) -> [Rect] {
        switch item {
        case .rect(let x, let y, let w, let h, let line, _):
            let t = line / ptPerMM
            return [Rect(x: x, y: y - t / 2, w: w, h: t), Rect(x: x, y: y + h - t / 2, w: w, h: t),
                    Rect(x: x - t / 2, y: y, w: t, h: h), Rect(x: x + w - t / 2, y: y, w: t, h: h)]
        case .fill(let x, let y, let w, let h, _): return [Rect(x: x, y: y, w: w, h: h)]
        case .line(let x1, let y1, let x2, let y2, let width, _):
            let t = width / ptPerMM
            return [Rect(x: min(x1, x2) - t / 2, y: min(y1, y2) - t / 2, w: abs(x2 - x1) + t, h: abs(y2 - y1) + t)]
        case .text(let s, let x, let y, _, let size):
            // Full-width characters are one em wide, ASCII about half: an upper bound is enough here.
            let em = size / ptPerMM
            let width = s.unicodeScalars.reduce(0.0) { $0 + ($1.isASCII ? 0.55 : 1) } * em
            return [Rect(x: x, y: y - em * 0.88, w: width, h: em)]
        case .image(_, let x, let y, let w, let h): return [Rect(x: x, y: y, w: w, h: h)]
        }
    }

    static func describe(_ item: Form.StaticItem) -> String {
        switch item {
        case .rect(let x, let y, _, _, _, _): return "rect at [\(fmt(x)), \(fmt(y))]"
        case .fill(let x, let y, _, _, _): return "fill at [\(fmt(x)), \(fmt(y))]"
        case .line(let x1, let y1, _, _, _, _): return "line from [\(fmt(x1)), \(fmt(y1))]"
        case .text(let s, _, _, _, _): return "text '\(s.prefix(12))'"
        case .image(let p, _, _, _, _): return "image \(p.split(separator: "/").last ?? "")"
        }
    }

    static func fmt(_ v: Double) -> String { Form.decimal(v) }
}
