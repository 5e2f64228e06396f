import Barcodes
import Forms
import Typesetting

/// Barcode fields: the encoders give bars or modules; this draws them as filled rectangles at the
/// sizes their specifications set, with the human-readable text beneath where a code has one.
extension PageComposer {
    /// Japan Post customer barcode at 10 pt: bars 0.6 mm wide on a 1.2 mm pitch, a long bar 3.6 mm,
    /// the timing bar the middle third; other point sizes scale all of it.
    static let customerPitch = 1.2, customerBar = 0.6, customerLong = 3.6
    /// Quiet zones in modules, and the narrowest module a print reader is expected to resolve.
    static let linearQuiet = 10.0, qrQuiet = 4.0, dataMatrixQuiet = 1.0
    static let minLinearModule = 0.19, minMatrixModule = 0.25

    func placeBarcode(_ spec: Form.Barcode, value: String, field: Form.Field, lookup: (String) -> String?,
                      shaper: Shaper, resource: String, into c: inout ContentBuilder, used: inout [String: [ShapedGlyph]]) throws {
        func part(_ name: String) throws -> String {
            guard let t = spec.parts[name] else { return "" }
            return try t.evaluate(lookup)
        }
        do {
            switch spec.kind {
            case .customer:
                let symbol = try CustomerBarcode.encode(postalCode: try part("postal"), address: value)
                drawCustomer(symbol, field: field, into: &c)
            case .gs1_128 where spec.isPayment:
                let code = try ConveniencePayment(company: try part("company"), free: try part("free"), reissue: try part("reissue"),
                                                  deadline: try part("deadline"), stamp: try part("stamp"), amount: try part("amount"))
                let matrix = try Zint.encode(.gs1_128, code.gs1Input)
                try drawLinear(matrix, lines: spec.humanReadable ? code.humanReadable : [], spec: spec, field: field,
                               shaper: shaper, resource: resource, into: &c, used: &used)
            case .gs1_128, .code128, .code39, .nw7:
                let (symbology, data, text) = linearInput(spec.kind, value)
                let matrix = try Zint.encode(symbology, data)
                try drawLinear(matrix, lines: spec.humanReadable ? [text] : [], spec: spec, field: field,
                               shaper: shaper, resource: resource, into: &c, used: &used)
            case .qr, .elQR, .datamatrix:
                var data = value
                // An eL-QR without a builder carries its value as the tax system issued it.
                if spec.kind == .elQR, let name = spec.builder, let builder = ELQRBuilders.named(name) {
                    var values: [String: String] = [:]
                    for p in builder.parts { values[p] = try part(p) }
                    data = try builder.payload(values)
                }
                let level = QRErrorCorrection(rawValue: spec.errorCorrection) ?? .M
                let matrix = spec.kind == .datamatrix ? try Zint.encode(.dataMatrix, data) : try QRCode.symbol(data, level: level)
                try drawMatrix(matrix, quiet: spec.kind == .datamatrix ? Self.dataMatrixQuiet : Self.qrQuiet, spec: spec, field: field, into: &c)
            }
        } catch let e as BarcodeError {
            throw Reject(reason: "field \(field.name): \(e.description)")
        }
    }

    /// What zint encodes for a linear code, and the text printed beneath it.
    func linearInput(_ kind: Form.Barcode.Kind, _ value: String) -> (Symbology, String, String) {
        switch kind {
        case .gs1_128:
            return (.gs1_128, value, value.replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")"))
        case .code39: return (.code39, value.uppercased(), "*\(value.uppercased())*")
        case .nw7:
            // NW-7 (Codabar) needs start and stop characters A–D; plain data gets A…A.
            let v = value.uppercased()
            let framed = v.count >= 2 && "ABCD".contains(v.first!) && "ABCD".contains(v.last!) ? v : "A\(v)A"
            return (.codabar, framed, framed)
        default: return (.code128, value, value)
        }
    }

    /// Horizontal, or with `vertical: true` turned a quarter clockwise (read top to bottom, the bars'
    /// tops to the right), as Japan Post allows beside a vertical address.
    func drawCustomer(_ symbol: CustomerBarcode.Symbol, field: Form.Field, into c: inout ContentBuilder) {
        let k = field.size / 10
        let pitch = Self.customerPitch * k, bar = Self.customerBar * k, long = Self.customerLong * k
        let top = field.y + max(0, (field.height - long) / 2)
        c.op("ET\nq 0 g\n")
        for (i, b) in symbol.bars.enumerated() {
            let along = Double(i) * pitch
            let (from, to): (Double, Double)
            switch b {
            case .long: (from, to) = (0, long)
            case .ascender: (from, to) = (0, long * 2 / 3)
            case .descender: (from, to) = (long / 3, long)
            case .timing: (from, to) = (long / 3, long * 2 / 3)
            }
            if field.vertical {
                let left = field.x + max(0, (field.width - long) / 2)
                rect(x: left + long - to, top: field.y + along, width: to - from, height: bar, into: &c)
            } else {
                rect(x: field.x + along, top: top + from, width: bar, height: to - from, into: &c)
            }
        }
        c.op("f\nQ\nBT\n")
    }

    func drawLinear(_ m: ModuleMatrix, lines: [String], spec: Form.Barcode, field: Form.Field, shaper: Shaper, resource: String,
                    into c: inout ContentBuilder, used: inout [String: [ShapedGlyph]]) throws {
        let total = Double(m.columns) + 2 * Self.linearQuiet
        let module = min(spec.module ?? .infinity, field.width / total)
        guard module >= Self.minLinearModule else {
            throw Reject(reason: "field \(field.name): the code needs \(fmt(total * Self.minLinearModule)) mm at the narrowest bar of \(Self.minLinearModule) mm; the box is \(fmt(field.width)) mm wide")
        }
        let lineHeight = field.size * 1.15 / PageGeometry.ptPerMM
        let barHeight = field.height - Double(lines.count) * lineHeight
        guard barHeight >= 3 else {
            throw Reject(reason: "field \(field.name): the box leaves \(fmt(barHeight)) mm for the bars under \(lines.count) line(s) of text; make it taller")
        }
        let left = field.x + (field.width - Double(m.columns) * module) / 2
        // In module units under a transform: whole numbers keep the content short and quick to write.
        c.op("ET\nq 0 g ")
        moduleSpace(left: left, top: field.y, width: module, height: barHeight, into: &c)
        for run in m.runs() where run.row == 0 { intRect(run.start, 0, run.length, 1, into: &c) }
        c.op("f\nQ\nBT\n")
        var label = field
        label.align = .center
        label.height = lineHeight
        label.minSize = max(4, field.size * 0.6)
        label.minScale = 0.5
        for (i, line) in lines.enumerated() where !line.isEmpty {
            label.y = field.y + barHeight + Double(i) * lineHeight
            guard case .success(let glyphs) = shaper.shape(line) else {
                throw Reject(reason: "field \(field.name): the font cannot draw the text under the barcode")
            }
            try place(glyphs, field: label, shaper: shaper, resource: resource, into: &c)
            used[field.font, default: []].append(contentsOf: glyphs)
        }
    }

    func drawMatrix(_ m: ModuleMatrix, quiet: Double, spec: Form.Barcode, field: Form.Field, into c: inout ContentBuilder) throws {
        let side = min(field.width, field.height)
        let module = min(spec.module ?? .infinity, side / (Double(m.columns) + 2 * quiet))
        guard module >= Self.minMatrixModule else {
            throw Reject(reason: "field \(field.name): this \(m.columns)×\(m.rows) code needs a \(fmt((Double(m.columns) + 2 * quiet) * Self.minMatrixModule)) mm square at \(Self.minMatrixModule) mm modules; the box allows \(fmt(side)) mm")
        }
        c.op("ET\nq 0 g ")
        moduleSpace(left: field.x + quiet * module, top: field.y + quiet * module, width: module, height: module, into: &c)
        for run in m.runs() { intRect(run.start, run.row, run.length, 1, into: &c) }
        c.op("f\nQ\nBT\n")
    }

    /// A transform to module units: x in modules of `width` mm from `left`, y in `height` mm down from `top`.
    func moduleSpace(left: Double, top: Double, width: Double, height: Double, into c: inout ContentBuilder) {
        let w = geometry.len(width), h = geometry.len(height)
        // Four decimals: a module is under a point, and rounding it to 0.01 pt would add up across a symbol.
        c.text(String(format: "%.4f 0 0 %.4f ", w, -h))
        c.num(geometry.x(left)); c.num(geometry.y(top))
        c.op("cm\n")
    }

    func intRect(_ x: Int, _ y: Int, _ w: Int, _ h: Int, into c: inout ContentBuilder) {
        c.appendInt(x); c.bytes.append(32); c.appendInt(y); c.bytes.append(32)
        c.appendInt(w); c.bytes.append(32); c.appendInt(h); c.op(" re\n")
    }

    /// One rectangle given in millimetres from the top-left.
    func rect(x: Double, top: Double, width: Double, height: Double, into c: inout ContentBuilder) {
        c.num(geometry.x(x)); c.num(geometry.y(top + height))
        c.num(geometry.len(width)); c.num(geometry.len(height))
        c.op("re\n")
    }

    func fmt(_ v: Double) -> String { Form.decimal(v) }
}

extension PageComposer {
    /// OMR marks and the 2-D code on the front page of each sheet of a notice. The sequence counts
    /// sheets through the volume (the inserter's job), so a lost or swapped sheet breaks it.
    func addInserterMarks(_ pages: inout [[UInt8]], key: String, sheetsBefore: inout Int) throws {
        guard let ins = form.inserter else { return }
        let step = form.duplex ? 2 : 1
        let sheets = (pages.count + step - 1) / step
        for sheet in 1...sheets {
            sheetsBefore += 1
            var c = ContentBuilder(capacity: 512)
            let on = ins.marksOn(sheet: sheet, of: sheets, sequence: sheetsBefore)
            c.op("q 0 g\n")
            for (i, mark) in on.enumerated() where mark {
                rect(x: ins.x, top: ins.y + Double(i) * ins.pitch, width: ins.length, height: ins.thickness, into: &c)
            }
            c.op("f\nQ\n")
            if let code = ins.code {
                let matrix = try Zint.encode(.dataMatrix, Inserter.payload(key: key, sheet: sheet, of: sheets, sequence: sheetsBefore))
                let module = code.size / Double(matrix.columns)
                c.op("q 0 g ")
                moduleSpace(left: code.x, top: code.y, width: module, height: module, into: &c)
                for run in matrix.runs() { intRect(run.start, run.row, run.length, 1, into: &c) }
                c.op("f\nQ\n")
            }
            pages[(sheet - 1) * step] += c.bytes
        }
    }
}
