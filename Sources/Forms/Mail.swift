import Foundation
import OperatorFiles
import Yams

/// Mail preparation for a form (`mail:`): notices sorted by delivery office and postal code, bundle
/// breaks, volumes split by sheets per envelope, and the counts that decide postage discounts.
public struct Mail: Sendable {
    public var postalColumn: String
    /// Postal-code prefix → delivery-office group (longest prefix wins); without a table, the first
    /// three digits (the 郵便区番号's leading part) name the group.
    public var offices: [(prefix: String, office: String)] = []
    /// Pieces per bundle at most; a bundle also breaks where the office changes.
    public var bundle = 100
    /// Sheets-per-envelope groups, ascending: [1, 2, 3] means 1, 2, and 3 or more.
    public var envelopes = [1, 2, 3]
    public var discounts: Discounts?
    public var discountsFile: String?

    public func office(postalCode: String) -> String {
        let digits = postalCode.filter { $0.isASCII && $0.isNumber }
        var best: (Int, String)?
        for (p, o) in offices where digits.hasPrefix(p) && p.count > (best?.0 ?? -1) { best = (p.count, o) }
        return best?.1 ?? String(digits.prefix(3))
    }

    /// The envelope group of a notice: "1", "2", "3+".
    public func envelope(sheets: Int) -> String {
        let top = envelopes.last ?? 1
        if sheets >= top { return envelopes.count > 1 || top > 1 ? "\(top)+" : "\(top)" }
        return String(envelopes.last { $0 <= sheets } ?? envelopes.first ?? 1)
    }

    /// Envelope groups in sheet order ("1", "2", "3+"), for volumes and the manifest alike.
    public static func ordered<S: Sequence>(_ groups: S) -> [String] where S.Element == String {
        groups.sorted { (Int($0.filter(\.isNumber)) ?? 0) < (Int($1.filter(\.isNumber)) ?? 0) }
    }

    /// Japan Post's bulk discounts, from a file because their rates change: barcode discount from a
    /// minimum of identical pieces; 区分 (presort) discount tiers by pieces, plus an addition when every
    /// piece is barcoded. Rates are percentages.
    public struct Discounts: Sendable, Codable {
        public var asOf: String
        public var barcodeMinimum: Int
        public var barcodeRate: Double
        public var presortMinimum: Int
        public var presortTiers: [Tier]
        public var presortBarcodeAddition: Double
        public struct Tier: Sendable, Codable { public var from: Int; public var rate: Double }
    }

    static let keys = ["postal_code", "offices", "bundle", "envelopes", "discounts"]

    static func load(_ node: Node, doc: YAMLDocument, siteRoot: String) -> Mail? {
        guard let m = doc.mapping(node, what: "'mail'", allowed: keys) else { return nil }
        guard let postal = m.string("postal_code") else {
            doc.report(node, "'mail' needs 'postal_code: COLUMN'")
            return nil
        }
        var mail = Mail(postalColumn: postal)
        if let b = m.int("bundle", range: 1...100_000) { mail.bundle = b }
        if let e = m["envelopes"] {
            let items = doc.stringList(e, what: "'envelopes'") ?? []
            let values = items.compactMap { Int($0) }
            // A non-number among them is an error too, not dropped.
            if values.isEmpty || values.count != items.count || values != values.sorted() || (values.first ?? 0) < 1 || Set(values).count != values.count {
                doc.report(e, "'envelopes' lists sheets per envelope in ascending order, e.g. [1, 2, 3] for 1, 2 and 3 or more")
            } else {
                mail.envelopes = values
            }
        }
        func path(_ rel: String) -> String { rel.hasPrefix("/") ? rel : URL(fileURLWithPath: siteRoot).appendingPathComponent(rel).path }
        if let o = m.string("offices") {
            if let why = RegularFile.problem(path(o)) {
                doc.report(m["offices"], "the delivery-office table \(o) \(why) (paths are relative to the site root)")
            } else if let text = try? String(contentsOfFile: path(o), encoding: .utf8) {
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let t = line.trimmingCharacters(in: .whitespacesAndNewlines)
                    if t.isEmpty || t.hasPrefix("#") || (n == 0 && t.hasPrefix("prefix")) { continue }
                    let cells = t.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard cells.count == 2, !cells[0].isEmpty, cells[0].allSatisfy({ $0.isASCII && $0.isNumber }), cells[0].count <= 7, !cells[1].isEmpty else {
                        doc.report(file: o, line: n + 1, column: 1, "expected prefix,office with a postal-code prefix of 1–7 digits, e.g. 586,夜鷹北")
                        continue
                    }
                    mail.offices.append((cells[0], cells[1]))
                }
            } else {
                doc.report(m["offices"], "the delivery-office table \(o) is not UTF-8 text; save it as UTF-8")
            }
        }
        if let d = m.string("discounts") {
            mail.discountsFile = d
            mail.discounts = loadDiscounts(path(d), display: d, doc: doc, at: m["discounts"])
        }
        return mail
    }

    static func loadDiscounts(_ path: String, display: String, doc outer: YAMLDocument, at: Node?) -> Discounts? {
        if let why = RegularFile.problem(path) {
            outer.report(at, "the discount rules \(display): the file \(why) (paths are relative to the site root)")
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            outer.report(at, "the discount rules \(display) are not UTF-8 text; save them as UTF-8")
            return nil
        }
        let doc = YAMLDocument(file: display)
        defer { for d in doc.diagnostics { outer.report(file: d.file, line: d.line, column: d.column, d.message) } }
        guard let root = doc.parse(text), let m = doc.mapping(root, what: "discount rules", allowed: ["as_of", "source", "barcode", "presort"]) else { return nil }
        guard let asOf = m.string("as_of") else { doc.report(root, "discount rules need 'as_of: YYYY-MM-DD' (rates change; say when these were checked)"); return nil }
        func rate(_ f: YAMLDocument.Fields, _ key: String) -> Double? {
            guard let n = f[key] else { doc.report(f.node, "needs '\(key)' (a percentage)"); return nil }
            guard let v = n.scalar.flatMap({ Double($0.string) }), v >= 0, v < 100 else { doc.report(n, "'\(key)' is a percentage from 0 to 100"); return nil }
            return v
        }
        guard let bn = m["barcode"], let b = doc.mapping(bn, what: "'barcode'", allowed: ["min_pieces", "rate"]),
              let pn = m["presort"], let p = doc.mapping(pn, what: "'presort'", allowed: ["min_pieces", "tiers", "barcode_addition"]) else {
            doc.report(root, "discount rules need 'barcode: { min_pieces, rate }' and 'presort: { min_pieces, tiers, barcode_addition }'")
            return nil
        }
        var tiers: [Discounts.Tier] = []
        if case .sequence(let items)? = p["tiers"] {
            for item in items {
                guard let t = doc.mapping(item, what: "a tier", allowed: ["from", "rate"]), let from = t.int("from", range: 1...100_000_000), let r = rate(t, "rate") else { continue }
                tiers.append(.init(from: from, rate: r))
            }
        } else {
            doc.report(pn, "'presort' needs 'tiers', a list of { from: PIECES, rate: PERCENT }")
        }
        guard let bm = b.int("min_pieces", range: 1...100_000_000), let br = rate(b, "rate"),
              let pm = p.int("min_pieces", range: 1...100_000_000), let pa = rate(p, "barcode_addition"), !tiers.isEmpty else { return nil }
        return Discounts(asOf: asOf, barcodeMinimum: bm, barcodeRate: br, presortMinimum: pm,
                         presortTiers: tiers.sorted { $0.from < $1.from }, presortBarcodeAddition: pa)
    }
}
