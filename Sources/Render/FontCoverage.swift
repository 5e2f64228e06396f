import Forms
import Foundation
import OperatorFiles
import Records
import Typesetting

/// Which characters of the data the form's fonts cannot draw, and in which records: the answer an
/// operator needs before a night's render, instead of learning it from rejects.csv in the morning.
public struct FontCoverage {
    public struct Finding: Codable, Sendable {
        /// The character (with its variation selector, if any) and its code points, e.g. "U+845B U+E0102".
        public var character: String
        public var codePoints: String
        /// Why: the fonts that lack it, or that it is an unmapped 外字.
        public var reason: String
        public var columns: [String]
        public var records: Int
        /// The first records holding it: input line and notice key.
        public var examples: [Example]

        enum CodingKeys: String, CodingKey { case character, reason, columns, records, examples; case codePoints = "code_points" }
    }
    public struct Example: Codable, Sendable { public var line: Int; public var key: String }

    let form: Form
    let fonts: [String: Font]
    /// How a field sets its text: a character is checked once per way of setting it.
    struct Use: Hashable, Comparable {
        var alias: String
        var ivs: Shaper.VariationFallback
        /// Vertical fields set half-width katakana full width (see `KanaWidth`).
        var vertical: Bool
        static func < (a: Use, b: Use) -> Bool {
            (a.alias, a.ivs.rawValue, a.vertical ? 1 : 0) < (b.alias, b.ivs.rawValue, b.vertical ? 1 : 0)
        }
    }
    /// Column → how the fields that print it set it.
    let columnFonts: [String: [Use]]

    public init(form: Form) throws {
        self.form = form
        var loaded: [String: Font] = [:]
        for (alias, path) in form.fonts { loaded[alias] = try Font(path: path) }
        fonts = loaded
        var map: [String: Set<Use>] = [:]
        for field in form.fields + form.continuationFields + (form.details?.columns ?? []) {
            // A 2-D code or the customer barcode prints no text; linear codes print their value beneath.
            if let b = field.barcode, b.isTwoDimensional || b.kind == .customer || !b.humanReadable { continue }
            let use = Use(alias: field.font, ivs: field.ivs == .base ? .base : .reject, vertical: field.vertical && field.barcode == nil)
            for c in field.value.columns { map[c, default: []].insert(use) }
        }
        columnFonts = map.mapValues { $0.sorted() }
    }

    public func check(_ reader: RecordReader, examplesPerCharacter: Int = 10) throws -> (records: Int, findings: [Finding]) {
        let header = reader.header.names
        let keyIndex = header.firstIndex(of: form.key)
        let shapers = fonts.mapValues { Shaper(font: $0) }
        var drawable: [Use: [Character: String?]] = [:]   // nil: drawable; else why not
        var found: [String: Finding] = [:]
        var order: [String] = []
        var records = 0
        /// `shown`: how to print a character that would break the report's line (a line break).
        func note(_ ch: String, shown: String? = nil, reason: String, column: String, line: Int, key: String) {
            let id = ch + "|" + reason
            if found[id] == nil {
                order.append(id)
                found[id] = Finding(character: shown ?? ch, codePoints: ch.unicodeScalars.map { GaijiMap.hex($0.value) }.joined(separator: " "),
                                    reason: reason, columns: [], records: 0, examples: [])
            }
            if !found[id]!.columns.contains(column) { found[id]!.columns.append(column) }
            if found[id]!.examples.last?.line != line {
                found[id]!.records += 1
                if found[id]!.examples.count < examplesPerCharacter { found[id]!.examples.append(Example(line: line, key: key)) }
            }
        }
        while true {
            let row: Record
            do {
                guard let r = try reader.next() else { break }
                row = r
            } catch let e as RecordError where e.kind == .invalidEncoding {
                records += 1
                continue
            }
            records += 1
            let key = keyIndex.flatMap { row[$0] } ?? ""
            for (i, raw) in row.fields.enumerated() where i < header.count {
                let column = header[i]
                let (value, unmapped) = form.gaiji.apply(raw)
                if let unmapped, let scalar = Unicode.Scalar(unmapped) {
                    note(String(Character(scalar)), reason: "private-use (外字) not in \(form.gaijiFile ?? "a 外字 mapping")", column: column, line: row.line, key: key)
                    continue
                }
                guard let uses = columnFonts[column], !value.isEmpty else { continue }
                if let br = value.first(where: \.isNewline) {
                    note(String(br), shown: String(br).unicodeScalars.map { $0.escaped(asASCII: true) }.joined(),
                         reason: "a line break inside the field, which a text field cannot print", column: column, line: row.line, key: key)
                }
                for ch in value where !(ch.isASCII && ch != "\u{7F}") {
                    for use in uses {
                        guard let shaper = shapers[use.alias] else { continue }
                        let why: String?
                        if let known = drawable[use]?[ch] { why = known } else {
                            let text = use.vertical ? KanaWidth.fullwidth(String(ch)) : String(ch)
                            switch shaper.shape(text, ivs: use.ivs) {
                            case .success: why = nil
                            // A variation sequence whose base the font has: the same words as the render's reject.
                            case .failure(let m) where m.baseExists: why = m.description
                            case .failure:
                                let file = form.fonts[use.alias].map(PathName.base) ?? use.alias
                                why = "not in font \(use.alias) (\(file))"
                            }
                            drawable[use, default: [:]][ch] = .some(why)
                        }
                        if let why { note(String(ch), reason: why, column: column, line: row.line, key: key) }
                    }
                }
            }
        }
        return (records, order.compactMap { found[$0] })
    }
}
