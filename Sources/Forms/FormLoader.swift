import Barcodes
import Foundation
import OperatorFiles
import PDF
import Records
import Yams

/// Loads `Forms/NAME.yaml`, reporting every problem with file:line:column.
public enum FormLoader {
    static let formKeys = ["name", "description", "paper", "orientation", "duplex", "key", "fonts", "columns", "static", "fields",
                           "group_by", "details", "continuation", "input", "gaiji", "mail", "inserter", "ivs"]
    static let fieldKeys = ["box", "value", "font", "size", "min_size", "min_scale", "align", "when", "vertical", "barcode", "lines", "line_height", "indent", "ivs",
                            "postal", "payment", "payload", "module", "ecc", "hri"]
    static let paymentParts = ["company", "free", "reissue", "deadline", "stamp", "amount"]

    public static func load(path: String, displayPath: String) throws -> Form {
        let (text, expected) = try YAMLDocument.readText(path: path, displayPath: displayPath)
        // Relative paths in a form (images) are relative to the site root, the parent of Forms/.
        let root = URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().path
        return try parse(text, file: displayPath, expectedName: expected, siteRoot: root)
    }

    public static func parse(_ text: String, file: String, expectedName: String? = nil, siteRoot: String = ".") throws -> Form {
        let doc = YAMLDocument(file: file)
        guard let root = doc.parse(text), let f = doc.mapping(root, what: "a form", allowed: formKeys) else {
            throw ValidationFailure(doc.diagnostics)
        }
        let name = f.string("name") ?? ""
        var positions: [String: Form.Position] = [:]
        func remember(_ key: String, _ node: Node?) {
            if let mark = node?.mark { positions[key] = Form.Position(line: mark.line, column: mark.column) }
        }
        if let expectedName, name != expectedName {
            doc.report(f["name"] ?? root, "the form is named '\(name)' but its file is \(expectedName).yaml; make them match")
        }
        var paper = Form.Paper(name: "A4", width: 210, height: 297)
        if let p = f["paper"] {
            if let s = p.scalar?.string {
                if let size = Form.Paper.sizes[s] { paper = Form.Paper(name: s, width: size.0, height: size.1) }
                else { doc.report(p, "unknown paper '\(s)'; use one of \(Form.Paper.sizes.keys.sorted().joined(separator: ", ")) or { width: W, height: H } in mm") }
            } else if let m = doc.mapping(p, what: "'paper'", allowed: ["width", "height"]) {
                // PDF pages are at most 14,400 units (200 in = 5080 mm) a side.
                let w = number(m["width"], doc, "'width'", above: 0, atMost: Form.Paper.maxSide, unit: " mm")
                let h = number(m["height"], doc, "'height'", above: 0, atMost: Form.Paper.maxSide, unit: " mm")
                if let w, let h { paper = Form.Paper(name: "\(Form.decimal(w))x\(Form.decimal(h))mm", width: w, height: h) }
            }
        }
        if let o = f.string("orientation") {
            if o == "landscape" { paper = Form.Paper(name: paper.name, width: paper.height, height: paper.width) }
            else if o != "portrait" { doc.report(f["orientation"], "'orientation' is portrait or landscape") }
        }
        var fonts: [String: String] = [:]
        for (alias, file) in f.stringMap("fonts") ?? ["mincho": "IPAmjMincho"] {
            // A path is relative to the site root, like every path in a form.
            let resolved = KnownFonts.files[file] ?? (file.hasPrefix("/") ? file : URL(fileURLWithPath: siteRoot).appendingPathComponent(file).path)
            let at = f.keyNode("fonts") ?? root
            if let why = RegularFile.problem(resolved) {
                doc.report(at, "font '\(alias)': \(file) \(why); use \(KnownFonts.files.keys.sorted().joined(separator: ", ")) or a font file path")
            } else if !isFontFile(resolved) {
                doc.report(at, "font '\(alias)': \(file) is not a TrueType or OpenType font (.ttf, .otf, .ttc)")
            }
            fonts[alias] = resolved
        }
        var columns: [Form.Column] = []
        if let c = f["columns"] {
            if case .mapping(let m) = c {
                for (k, v) in m {
                    guard let cname = k.scalar?.string else { continue }
                    var col = Form.Column(name: cname, required: false, type: .text)
                    if case .scalar(let sc) = v, ["", "~", "null"].contains(sc.string) {
                        // `name:` alone: an optional text column.
                    } else if case .mapping = v, let cf = doc.mapping(v, what: "column '\(cname)'", allowed: ["required", "type"]) {
                        col.required = flag(cf, "required", doc) ?? false
                        if let t = cf.string("type") {
                            if let ty = Form.ColumnType(rawValue: t) { col.type = ty }
                            else { doc.report(cf["type"], "'type' is one of \(Form.ColumnType.allCases.map(\.rawValue).joined(separator: ", "))") }
                        }
                    } else if case .scalar = v {
                        doc.report(v, "column '\(cname)' is described by a mapping such as { required: true, type: integer }, or nothing")
                    }
                    remember("column \(cname)", k)
                    columns.append(col)
                }
            } else {
                doc.report(c, "'columns' must map column names to { required: true, type: integer }")
            }
        }
        // A field without `font:` uses the first font the form lists (not an alphabetical pick).
        var defaultFont = fonts.keys.sorted().first ?? "mincho"
        if case .mapping(let m)? = f["fonts"], let first = m.first?.key.scalar?.string { defaultFont = first }
        var statics: [Form.StaticItem] = []
        if let s = f["static"] {
            if case .sequence(let items) = s {
                for item in items { if let st = staticItem(item, doc: doc, fonts: fonts, defaultFont: defaultFont, root: siteRoot, paper: paper) { statics.append(st) } }
            } else {
                doc.report(s, "'static' must be a list of rect, fill, line, text and image items")
            }
        }
        // `ivs: base` for the whole form; a field's own `ivs:` overrides it.
        let defaultIVS = ivsOption(f["ivs"], doc: doc) ?? .reject
        let fields = parseFields(f["fields"], doc: doc, fonts: fonts, defaultFont: defaultFont, paper: paper, defaultIVS: defaultIVS)
        var details: Form.Details?
        if let dn = f["details"], let d = doc.mapping(dn, what: "'details'", allowed: ["first", "next", "row_height", "columns", "from"]) {
            func area(_ key: String) -> (Double, Int)? {
                guard let n = d[key], let m = doc.mapping(n, what: "'\(key)'", allowed: ["top", "rows"]) else {
                    doc.report(dn, "'details' needs '\(key): { top: MM, rows: N }'")
                    return nil
                }
                guard let top = number(m["top"], doc, "'top'", atLeast: 0, atMost: paper.height, unit: " mm"), let rows = m.int("rows", range: 1...500) else {
                    if m["top"] == nil || m["rows"] == nil { doc.report(n, "'\(key)' needs 'top' (mm) and 'rows'") }
                    return nil
                }
                return (top, rows)
            }
            let first = area("first"), next = area("next") ?? first
            let columns = parseFields(d["columns"], doc: doc, fonts: fonts, defaultFont: defaultFont, paper: paper, defaultIVS: defaultIVS, what: "detail column")
            if columns.isEmpty { doc.report(dn, "'details' needs 'columns'") }
            if let first, let next, let h = number(d["row_height"], doc, "'row_height'", above: 0, atMost: paper.height, unit: " mm") {
                for (key, area) in [("first", first), ("next", next)] where area.0 + Double(area.1) * h > paper.height + 0.005 {
                    doc.report(d[key] ?? dn, "'\(key)': \(area.1) rows of \(format(h)) mm from \(format(area.0)) mm end at "
                               + "\(format(area.0 + Double(area.1) * h)) mm, below the \(format(paper.height)) mm tall paper; lower 'rows' or 'row_height'")
                }
                details = Form.Details(firstTop: first.0, firstRows: first.1, nextTop: next.0, nextRows: next.1, rowHeight: h, columns: columns,
                                       from: d.string("from"))
                remember("details.from", d["from"])
            } else if d["row_height"] == nil {
                doc.report(dn, "'details' needs 'row_height' (mm)")
            }
        }
        var continuationStatics: [Form.StaticItem] = []
        var continuationFields: [Form.Field] = []
        if let cn = f["continuation"], let c = doc.mapping(cn, what: "'continuation'", allowed: ["static", "fields"]) {
            if case .sequence(let items)? = c["static"] {
                for item in items { if let st = staticItem(item, doc: doc, fonts: fonts, defaultFont: defaultFont, root: siteRoot, paper: paper) { continuationStatics.append(st) } }
            }
            continuationFields = parseFields(c["fields"], doc: doc, fonts: fonts, defaultFont: defaultFont, paper: paper, defaultIVS: defaultIVS)
        }
        var input = Form.Input()
        if let inNode = f["input"], let i = doc.mapping(inNode, what: "'input'", allowed: ["format", "encoding", "record_length", "line_terminated", "fields"]) {
            if let fmt = i.string("format") {
                if let v = Form.Input.Format(rawValue: fmt) { input.format = v }
                else { doc.report(i["format"], "'format' is one of \(Form.Input.Format.allCases.map(\.rawValue).joined(separator: ", "))") }
            }
            input.encoding = i.string("encoding") ?? (input.format == .fixed ? "cp932" : "utf-8")
            if TextEncoding(name: input.encoding) == nil { doc.report(i["encoding"], "unknown encoding '\(input.encoding)'; use utf-8 or cp932 (Shift_JIS)") }
            input.lineTerminated = flag(i, "line_terminated", doc) ?? true
            if input.format == .fixed {
                input.recordLength = i.int("record_length", range: 1...1_000_000) ?? 0
                if i["record_length"] == nil { doc.report(inNode, "fixed-length input needs 'record_length' (bytes per record)") }
                if case .sequence(let items)? = i["fields"] {
                    for item in items {
                        guard let fm = doc.mapping(item, what: "an input field", allowed: ["name", "offset", "length"]),
                              let n = fm.string("name"), let o = fm.int("offset", range: 0...1_000_000), let l = fm.int("length", range: 1...1_000_000) else {
                            doc.report(item, "an input field is { name: COLUMN, offset: BYTES, length: BYTES }")
                            continue
                        }
                        if o + l > input.recordLength && input.recordLength > 0 {
                            doc.report(item, "field \(n) ends at byte \(o + l), past the record length \(input.recordLength)")
                        }
                        input.fields.append((n, o, l))
                    }
                } else {
                    doc.report(inNode, "fixed-length input needs 'fields', a list of { name, offset, length } in bytes")
                }
            }
        }
        let groupBy = f.string("group_by")
        remember("group_by", f["group_by"])
        remember("key", f["key"])
        remember("input", f["input"])
        if f["details"] != nil && groupBy == nil {
            doc.report(f["details"], "detail lines come from consecutive records of one notice: add 'group_by: COLUMN'")
        }
        let key = f.string("key") ?? ""
        if f["key"] == nil { doc.report(root, "a form needs 'key:', the column that names each notice in the manifest") }
        let known = Set(columns.map(\.name) + Form.pageVariables)
        if !columns.isEmpty {
            for field in fields + continuationFields + (details?.columns ?? []) {
                let partColumns = (field.barcode?.parts.values.flatMap(\.columns) ?? []).sorted()
                for c in field.value.columns + partColumns + [field.when?.column].compactMap({ $0 }) where !known.contains(c) {
                    doc.report(line: field.line, column: field.column, "field '\(field.name)' uses the column '\(c)', which 'columns' does not list")
                }
            }
            if !key.isEmpty && !known.contains(key) { doc.report(f["key"], "the key column '\(key)' is not listed in 'columns'") }
            if let groupBy, !known.contains(groupBy) { doc.report(f["group_by"], "the group_by column '\(groupBy)' is not listed in 'columns'") }
        }
        for (line, message) in BarcodePlacement.problems(fields: fields, statics: statics, paper: paper)
            + BarcodePlacement.problems(fields: continuationFields, statics: continuationStatics, paper: paper) {
            doc.report(line: line, column: 5, message)
        }
        var gaiji = GaijiMap()
        var gaijiFile: String?
        if let g = f["gaiji"], let rel = doc.string(g, what: "'gaiji'") {
            let path = rel.hasPrefix("/") ? rel : URL(fileURLWithPath: siteRoot).appendingPathComponent(rel).path
            if let why = RegularFile.problem(path) {
                doc.report(g, "the 外字 mapping \(rel) \(why) (paths are relative to the site root, e.g. Forms/gaiji.csv)")
            } else if let data = FileManager.default.contents(atPath: path) {
                switch GaijiMap.parse(String(decoding: data, as: UTF8.self)) {
                case .success(let m): gaiji = m; gaijiFile = rel
                case .failure(let e): doc.report(file: rel, line: e.line, column: e.column, e.message)
                }
            } else {
                doc.report(g, "the 外字 mapping \(rel) was not found (paths are relative to the site root, e.g. Forms/gaiji.csv)")
            }
        }
        var mail: Mail?
        if let m = f["mail"] {
            mail = Mail.load(m, doc: doc, siteRoot: siteRoot)
            if case .mapping(let mm) = m, let p = mm.first(where: { $0.key.scalar?.string == "postal_code" }) { remember("mail.postal_code", p.value) }
            if let mail, !columns.isEmpty, !columns.contains(where: { $0.name == mail.postalColumn }) {
                doc.report(m, "'mail' sorts by the column '\(mail.postalColumn)', which 'columns' does not list")
            }
        }
        let inserter = f["inserter"].flatMap { Inserter.load($0, doc: doc, paper: paper) }
        let duplex = flag(f, "duplex", doc) ?? false
        if !doc.diagnostics.isEmpty { throw ValidationFailure(doc.diagnostics) }
        var form = Form(name: name, description: f.string("description"), paper: paper, duplex: duplex, key: key,
                        fonts: fonts, columns: columns, statics: statics, fields: fields, groupBy: groupBy, details: details, file: file)
        form.continuationStatics = continuationStatics
        for k in ["group_by", "key", "mail", "input", "columns"] {
            if let line = f.keyNode(k)?.mark?.line { form.keyLines[k] = line }
        }
        form.continuationFields = continuationFields
        form.input = input
        form.gaiji = gaiji
        form.gaijiFile = gaijiFile
        form.mail = mail
        form.inserter = inserter
        form.positions = positions
        return form
    }

    /// Font sizes a form may ask for, in points.
    static let maxPointSize = 500.0

    /// `ivs: reject | base`: what a variation sequence the font lacks (while it has the base character) does.
    static func ivsOption(_ node: Node?, doc: YAMLDocument) -> Form.IVS? {
        guard let node else { return nil }
        if let v = node.scalar?.string, let ivs = Form.IVS(rawValue: v) { return ivs }
        doc.report(node, "'ivs' is reject (a variation sequence the font lacks rejects the record; the default) "
                   + "or base (print the base character instead)")
        return nil
    }

    static func parseFields(_ node: Node?, doc: YAMLDocument, fonts: [String: String], defaultFont: String, paper: Form.Paper,
                            defaultIVS: Form.IVS = .reject,
                            what: String = "field") -> [Form.Field] {
        guard let fl = node else { return [] }
        guard case .mapping(let m) = fl else {
            doc.report(fl, "'fields' must map field names to fields")
            return []
        }
        var fields: [Form.Field] = []
        for (k, v) in m {
            guard let fname = k.scalar?.string, let ff = doc.mapping(v, what: "\(what) '\(fname)'", allowed: fieldKeys) else { continue }
            guard let box = numbers(ff["box"], count: 4, doc, "'box' [x, y, width, height] in mm") else {
                if ff["box"] == nil { doc.report(k, "\(what) '\(fname)' needs 'box: [x, y, width, height]' in mm") }
                continue
            }
            // A detail column's y is ignored: its rows are placed by the details' top and row height.
            _ = Self.box(box, ff["box"], doc, paper: paper, what: "the box of \(what) '\(fname)'", ignoreY: what == "detail column")
            let template: Template
            if let valueNode = ff["value"] {
                guard let text = doc.string(valueNode, what: "'value'") else { continue }
                switch Template.parse(text) {
                case .success(let t): template = t
                case .failure(let why):
                    doc.report(valueNode, why.message)
                    continue
                }
            } else if ff["payment"] != nil {
                // A payment code is built from its parts alone.
                template = Template(parts: [.literal("payment")])
            } else {
                doc.report(k, "\(what) '\(fname)' needs 'value', for example \"{name} 様\"")
                continue
            }
            let font = ff.string("font") ?? defaultFont
            if fonts[font] == nil { doc.report(ff["font"] ?? k, "unknown font '\(font)'; the form's fonts are \(fonts.keys.sorted().joined(separator: ", "))") }
            var align = Form.Align.left
            if let a = ff.string("align") {
                if let v = Form.Align(rawValue: a) { align = v }
                else { doc.report(ff["align"], "'align' is one of \(Form.Align.allCases.map(\.rawValue).joined(separator: ", "))") }
            }
            let size = number(ff["size"], doc, "'size'", above: 0, atMost: maxPointSize, unit: " pt") ?? 10
            let minSize = number(ff["min_size"], doc, "'min_size'", above: 0, atMost: size, unit: " pt") ?? size
            let minScale = number(ff["min_scale"], doc, "'min_scale' (the narrowest horizontal scale, 1 = none)", above: 0, atMost: 1) ?? 1
            var condition: Form.Condition?
            if let w = ff.string("when") {
                condition = Form.Condition.parse(w)
                if condition == nil { doc.report(ff["when"], "'when' is COLUMN, COLUMN == VALUE, COLUMN != VALUE, or COLUMN < N (also <=, >, >=)") }
            }
            var field = Form.Field(name: fname, value: template, x: box[0], y: box[1], width: box[2], height: box[3],
                                   font: font, size: size, minSize: minSize, minScale: minScale, align: align,
                                   line: k.mark?.line ?? 0, when: condition)
            field.column = k.mark?.column ?? 1
            field.vertical = ff["vertical"].flatMap { $0.scalar?.string } == "true"
            field.ivs = ivsOption(ff["ivs"], doc: doc) ?? defaultIVS
            field.lines = ff.int("lines", range: 1...100)
            field.lineHeight = number(ff["line_height"], doc, "'line_height' (a multiple of the size)", above: 0, atMost: 10) ?? 1.4
            if let b = ff.string("barcode") {
                if let kind = Form.Barcode.Kind(rawValue: b) {
                    field.barcode = barcode(kind, ff, field: &field, doc: doc, name: fname, key: k)
                } else {
                    doc.report(ff["barcode"], "'barcode' is one of \(Form.Barcode.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            } else {
                for key in ["postal", "payment", "payload", "module", "ecc", "hri"] where ff[key] != nil {
                    doc.report(ff.keyNode(key) ?? k, "'\(key)' belongs to a barcode field; add 'barcode: KIND'")
                }
            }
            if field.vertical && align == .right { doc.report(ff["align"], "a vertical field aligns top (left), center or distribute") }
            verticalColumns(&field, ff, doc: doc)
            fields.append(field)
        }
        return fields
    }

    /// `vertical`, and what `lines`, `line_height` and `indent` mean for it: columns from the right edge
    /// of the box leftwards, one `line_height` × size apart, continuation columns `indent` characters lower.
    static func verticalColumns(_ field: inout Form.Field, _ ff: YAMLDocument.Fields, doc: YAMLDocument) {
        if let v = ff.string("vertical"), v != "true", v != "false" {
            doc.report(ff["vertical"], "'vertical' is true (縦書き) or false, not '\(v)'")
        }
        if field.barcode != nil, ff["lines"] != nil {
            doc.report(ff.keyNode("lines"), "'lines' wraps text; a barcode field has no lines to wrap: remove 'lines'")
        }
        if let n = ff["indent"], let v = number(n, doc, "'indent'") {
            if !field.vertical || (field.lines ?? 1) < 2 || field.barcode != nil {
                doc.report(ff.keyNode("indent"), "'indent' (字下げ, in characters) lowers the continuation columns of a vertical text field; "
                           + "it needs 'vertical: true' and 'lines: N' (2 or more), or remove it")
            } else if v < 0 || (v + 1) * field.size > field.height * ptPerMM {
                doc.report(n, "'indent' is in characters (1 lowers the continuation columns by one character); "
                           + "it must be 0 or more and leave room for a character of \(format(field.size)) pt in the \(format(field.height)) mm tall box")
            } else {
                field.indent = v
            }
        }
        guard field.vertical, field.barcode == nil, let lines = field.lines else { return }
        if field.lineHeight < 1 {
            doc.report(ff["line_height"], "'line_height' is the column pitch of a vertical field as a multiple of the size; "
                       + "below 1 (here \(format(field.lineHeight))) the columns overlap: use 1 or more (1.4 by default)")
            return
        }
        // The columns sit in slots one pitch wide from the right edge; the last one needs half a slot and half a character.
        let needed = (Double(lines - 1) * field.lineHeight + (field.lineHeight + 1) / 2) * field.minSize / ptPerMM
        if needed > field.width + 0.005 {
            doc.report(ff["lines"], "\(lines) column\(lines == 1 ? "" : "s") of \(format(field.minSize)) pt (min_size) at line_height \(format(field.lineHeight)) "
                       + "need \(format(needed)) mm across, but the box is \(format(field.width)) mm wide: widen the box to the left, "
                       + "or lower 'lines', 'min_size' or 'line_height'")
        }
    }

    static let ptPerMM = 72 / 25.4

    static func format(_ v: Double) -> String { Form.decimal(v) }

    /// The barcode part of a field: each kind's own keys, checked here so a bad form fails before rendering.
    static func barcode(_ kind: Form.Barcode.Kind, _ ff: YAMLDocument.Fields, field: inout Form.Field, doc: YAMLDocument,
                        name: String, key: Node) -> Form.Barcode {
        var b = Form.Barcode(kind: kind)
        func template(_ node: Node) -> Template? {
            guard let text = doc.string(node, what: "a barcode part") else { return nil }
            switch Template.parse(text) {
            case .success(let t): return t
            case .failure(let why): doc.report(node, why.message); return nil
            }
        }
        func parts(_ node: Node, allowed: [String]?, what: String) {
            guard case .mapping(let m) = node else { doc.report(node, "'\(what)' maps part names to values"); return }
            for (k, v) in m {
                guard let pname = k.scalar?.string else { continue }
                if pname == "builder", kind == .elQR { b.builder = v.scalar?.string; continue }
                if let allowed, !allowed.contains(pname) {
                    doc.report(k, "unknown part '\(pname)' in '\(what)'; the parts are \(allowed.joined(separator: ", "))")
                    continue
                }
                if let t = template(v) { b.parts[pname] = t }
            }
        }
        switch kind {
        case .customer:
            if let p = ff["postal"], let t = template(p) { b.parts["postal"] = t }
            else if ff["postal"] == nil { doc.report(key, "a customer barcode needs 'postal', e.g. \"{postal_code}\", and 'value' for the address") }
            if !(8...11.5).contains(field.size) {
                doc.report(ff["size"] ?? key, "the customer barcode is printed at 8 to 11.5 pt (Japan Post); 'size' is \(field.size)")
            }
        case .gs1_128:
            if let p = ff["payment"] {
                parts(p, allowed: paymentParts, what: "payment")
                for part in paymentParts where b.parts[part] == nil {
                    doc.report(p, "the payment code needs '\(part)' (parts: \(paymentParts.joined(separator: ", ")))")
                }
            }
        case .elQR:
            if let p = ff["payload"] { parts(p, allowed: nil, what: "payload") }
            let known = ELQRBuilders.names
            if let builder = b.builder {
                if let spec = ELQRBuilders.named(builder) {
                    for part in spec.parts where b.parts[part] == nil {
                        doc.report(ff["payload"] ?? key, "the \(builder) payload needs '\(part)' (parts: \(spec.parts.joined(separator: ", ")))")
                    }
                    for part in b.parts.keys.sorted() where !spec.parts.contains(part) {
                        doc.report(ff["payload"] ?? key, "the \(builder) payload has no part '\(part)'; its parts are \(spec.parts.joined(separator: ", "))")
                    }
                } else {
                    doc.report(ff["payload"] ?? key, "unknown eL-QR builder '\(builder)'; known: \(known.joined(separator: ", "))")
                }
            } else if ff["payload"] != nil {
                doc.report(ff["payload"] ?? key, "'payload' needs 'builder: NAME'; builders: \(known.joined(separator: ", "))")
            }
        default: break
        }
        if ff["postal"] != nil && kind != .customer { doc.report(ff.keyNode("postal") ?? key, "'postal' belongs to a customer barcode") }
        if ff["payment"] != nil && kind != .gs1_128 { doc.report(ff.keyNode("payment") ?? key, "'payment' belongs to a gs1-128 barcode") }
        if ff["payload"] != nil && kind != .elQR { doc.report(ff.keyNode("payload") ?? key, "'payload' belongs to an el-qr barcode") }
        if let m = number(ff["module"], doc, "'module'") {
            if m < 0.1 || m > 2 { doc.report(ff["module"], "'module' (the narrowest bar, mm) should be between 0.1 and 2") }
            b.module = m
        }
        if let e = ff.string("ecc") {
            if ["L", "M", "Q", "H"].contains(e) { b.errorCorrection = e } else { doc.report(ff["ecc"], "'ecc' is L, M, Q or H") }
        }
        if let h = flag(ff, "hri", doc) { b.humanReadable = h }
        return b
    }

    /// No length, size or ratio in a form comes near this; a larger value is a typo, and 1e309 is
    /// infinity, which traps wherever it later becomes an integer.
    static let maxMagnitude = 100_000.0

    /// A finite number of sane size; `atLeast` / `above` / `atMost` bound it further.
    static func number(_ n: Node?, _ doc: YAMLDocument, _ what: String,
                       atLeast: Double? = nil, above: Double? = nil, atMost: Double? = nil, unit: String = "") -> Double? {
        guard let n else { return nil }
        // "inf" and "nan" parse as Doubles but are no length.
        guard let text = n.scalar?.string, let v = Double(text.replacingOccurrences(of: "mm", with: "")), v.isFinite else {
            doc.report(n, "\(what) must be a number")
            return nil
        }
        let bounded = atLeast != nil || above != nil || atMost != nil
        guard v.isFinite, abs(v) <= maxMagnitude || bounded else {
            doc.report(n, "\(what) is \(text), which is not a usable number; write a finite number no larger than \(Int(maxMagnitude))")
            return nil
        }
        let outside = abs(v) > maxMagnitude || atLeast.map { v < $0 } == true || above.map { v <= $0 } == true || atMost.map { v > $0 } == true
        return outside ? bounds(n, doc, what, text, atLeast: atLeast, above: above, atMost: atMost, unit: unit) : v
    }

    /// Reports a number outside its bounds, saying what they are; returns nil.
    static func bounds(_ n: Node, _ doc: YAMLDocument, _ what: String, _ text: String,
                       atLeast: Double?, above: Double?, atMost: Double?, unit: String) -> Double? {
        var parts: [String] = []
        if let lo = atLeast { parts.append("at least \(format(lo))\(unit)") }
        if let lo = above { parts.append("more than \(format(lo))\(unit)") }
        if let hi = atMost { parts.append("at most \(format(hi))\(unit)") }
        doc.report(n, "\(what) must be \(parts.joined(separator: " and ")); it is \(text)\(unit)")
        return nil
    }

    static func numbers(_ n: Node?, count: Int, _ doc: YAMLDocument, _ what: String) -> [Double]? {
        guard let n else { return nil }
        guard case .sequence(let seq) = n, seq.count == count else {
            doc.report(n, "\(what) must be a list of \(count) numbers")
            return nil
        }
        // Infinite and NaN values stay in, to be named with their position just below.
        let values = seq.compactMap { $0.scalar.flatMap { Double($0.string) } }
        guard values.count == count else {
            doc.report(n, "\(what) must be a list of \(count) numbers")
            return nil
        }
        if let bad = values.firstIndex(where: { !$0.isFinite || abs($0) > maxMagnitude }) {
            doc.report(seq[bad], "\(what): \(seq[bad].scalar?.string ?? "") is not a usable number; write a finite number no larger than \(Int(maxMagnitude))")
            return nil
        }
        return values
    }

    /// A box [x, y, width, height] that has an area and lies on the paper; `ignoreY` for detail
    /// columns, whose rows are placed by the details' own top and row height.
    static func box(_ v: [Double], _ node: Node?, _ doc: YAMLDocument, paper: Form.Paper, what: String, ignoreY: Bool = false) -> Bool {
        guard v[2] > 0, v[3] > 0 else {
            doc.report(node, "\(what) is \(format(v[2])) × \(format(v[3])) mm; its width and height must be more than 0")
            return false
        }
        let slack = 0.005
        if v[0] < 0 || v[0] + v[2] > paper.width + slack || (!ignoreY && (v[1] < 0 || v[1] + v[3] > paper.height + slack)) {
            doc.report(node, "\(what) [\(v.map(format).joined(separator: ", "))] reaches outside the \(paper.name) paper "
                       + "(\(format(paper.width)) × \(format(paper.height)) mm); x and y are from the top-left corner, in mm")
            return false
        }
        return true
    }

    /// A point [x, y] on the paper.
    static func point(_ x: Double, _ y: Double, _ node: Node?, _ doc: YAMLDocument, paper: Form.Paper, what: String) -> Bool {
        if x < 0 || y < 0 || x > paper.width + 0.005 || y > paper.height + 0.005 {
            doc.report(node, "\(what) [\(format(x)), \(format(y))] is off the \(paper.name) paper (\(format(paper.width)) × \(format(paper.height)) mm)")
            return false
        }
        return true
    }

    /// `true` or `false`; anything else (yes, 1, ture) is reported rather than read as false.
    static func flag(_ f: YAMLDocument.Fields, _ key: String, _ doc: YAMLDocument) -> Bool? {
        guard let v = f.string(key) else { return nil }
        switch v {
        case "true": return true
        case "false": return false
        default:
            doc.report(f[key], "'\(key)' is true or false, not '\(v)'")
            return nil
        }
    }

    static func staticItem(_ node: Node, doc: YAMLDocument, fonts: [String: String], defaultFont: String, root: String,
                           paper: Form.Paper) -> Form.StaticItem? {
        guard let m = doc.mapping(node, what: "a static item",
                                  allowed: ["rect", "fill", "line", "text", "width", "radius", "gray", "dash", "at", "font", "size", "image", "box"]) else { return nil }
        // Stroke widths in mm: 0 is the thinnest line the device draws; a negative one is not a width.
        func strokeWidth() -> Double? { number(m["width"], doc, "'width' (the line's thickness)", atLeast: 0, atMost: 50, unit: " mm") }
        if let i = m["image"], let rel = doc.string(i, what: "'image'") {
            guard let v = numbers(m["box"], count: 4, doc, "'box' [x, y, width, height]") else {
                if m["box"] == nil { doc.report(i, "an image needs 'box: [x, y, width, height]' in mm") }
                return nil
            }
            guard box(v, m["box"], doc, paper: paper, what: "the image's box") else { return nil }
            let path = rel.hasPrefix("/") ? rel : URL(fileURLWithPath: root).appendingPathComponent(rel).path
            if let why = RegularFile.problem(path) {
                doc.report(i, "image \(rel) \(why) (paths are relative to the site root, e.g. Forms/assets/seal.png)")
                return nil
            }
            // Decoded now, so a truncated or unsupported image fails validation instead of the night's render.
            do { _ = try ImageFile.load(path: path) } catch {
                doc.report(i, "image \(rel): \(error is ImageFile.ImageError ? Self.imageProblem(error, path: path) : "\(error)"); "
                           + "save it again as a PNG or baseline JPEG")
                return nil
            }
            return .image(path: path, x: v[0], y: v[1], w: v[2], h: v[3])
        }
        if let r = m["rect"] {
            guard let v = numbers(r, count: 4, doc, "'rect' [x, y, width, height]"), box(v, r, doc, paper: paper, what: "the rect") else { return nil }
            let line = strokeWidth() ?? 0.3
            let radius = number(m["radius"], doc, "'radius' (of the corners)", atLeast: 0, atMost: min(v[2], v[3]) / 2, unit: " mm") ?? 0
            return .rect(x: v[0], y: v[1], w: v[2], h: v[3], line: line, radius: radius)
        }
        if let r = m["fill"] {
            guard let v = numbers(r, count: 4, doc, "'fill' [x, y, width, height]"), box(v, r, doc, paper: paper, what: "the fill") else { return nil }
            return .fill(x: v[0], y: v[1], w: v[2], h: v[3], gray: number(m["gray"], doc, "'gray' (0 black to 1 white)", atLeast: 0, atMost: 1) ?? 0.9)
        }
        if let r = m["line"] {
            guard let v = numbers(r, count: 4, doc, "'line' [x1, y1, x2, y2]") else { return nil }
            guard point(v[0], v[1], r, doc, paper: paper, what: "the line's start"), point(v[2], v[3], r, doc, paper: paper, what: "the line's end") else { return nil }
            var dash: [Double] = []
            if let d = m["dash"] {
                // PDF forbids a dash array of zeros (and negative lengths): viewers hang or refuse the page.
                if case .sequence(let seq) = d, !seq.isEmpty, seq.count <= 16 {
                    let values = seq.compactMap { number($0, doc, "a dash length", atLeast: 0, atMost: 1000, unit: " mm") }
                    if values.count == seq.count {
                        if values.allSatisfy({ $0 == 0 }) { doc.report(d, "'dash' lengths are all 0; give at least one length above 0, e.g. [2, 1] (2 mm on, 1 mm off)") }
                        else { dash = values }
                    }
                } else {
                    doc.report(d, "'dash' is a list of 1 to 16 lengths in mm, on and off in turn, e.g. [2, 1]")
                }
            }
            return .line(x1: v[0], y1: v[1], x2: v[2], y2: v[3], width: strokeWidth() ?? 0.3, dash: dash)
        }
        if let t = m["text"], let s = doc.string(t, what: "'text'") {
            guard let at = numbers(m["at"], count: 2, doc, "'at' [x, y] (the baseline start, in mm)") else {
                if m["at"] == nil { doc.report(t, "a static text needs 'at: [x, y]'") }
                return nil
            }
            guard point(at[0], at[1], m["at"], doc, paper: paper, what: "the text's position") else { return nil }
            if s.contains(where: \.isNewline) {
                doc.report(t, "a static text is one line (a line break cannot be printed); write one text item per line")
            }
            let font = m.string("font") ?? defaultFont
            if fonts[font] == nil { doc.report(m["font"] ?? t, "unknown font '\(font)'") }
            let size = number(m["size"], doc, "'size'", above: 0, atMost: maxPointSize, unit: " pt") ?? 10
            return .text(s, x: at[0], y: at[1], font: font, size: size)
        }
        doc.report(node, "a static item is one of rect, fill, line, text or image")
        return nil
    }
}

extension FormLoader {
    /// An image error's reason without the path, which the message already names.
    static func imageProblem(_ error: Error, path: String) -> String {
        let text = "\(error)"
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }

    /// TrueType, OpenType or a collection, by the first four bytes; a stray file fails here rather than mid-render.
    static func isFontFile(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let magic = [UInt8]((try? h.read(upToCount: 4)) ?? Data())
        return [[0, 1, 0, 0], Array("OTTO".utf8), Array("true".utf8), Array("ttcf".utf8)].contains(magic)
    }
}
