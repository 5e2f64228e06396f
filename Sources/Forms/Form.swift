import Foundation
import Records

/// A notice layout from `Forms/NAME.yaml`: paper, fonts, a static layer drawn once per volume, and
/// fields filled from each record. Lengths are millimetres from the top-left corner of the page.
public struct Form: Sendable {
    public var name: String
    public var description: String?
    public var paper: Paper
    public var duplex: Bool
    /// The column naming each notice in the manifest.
    public var key: String
    /// Font name in the form → font file.
    public var fonts: [String: String]
    public var columns: [Column]
    public var statics: [StaticItem]
    public var fields: [Field]
    /// Consecutive records with the same value here form one notice (default: one record, one notice).
    public var groupBy: String?
    /// Where top-level keys stand in the form's file, for messages about the data that name them.
    public var keyLines: [String: Int] = [:]
    public var groupByLine: Int { keyLines["group_by"] ?? 1 }
    /// Detail lines, one per record of the notice, flowing onto continuation pages.
    public var details: Details?
    /// What continuation pages carry instead of the first page's static layer and fields.
    public var continuationStatics: [StaticItem] = []
    public var continuationFields: [Field] = []
    /// How the records arrive (default: CSV with a header row, UTF-8).
    public var input = Input()
    /// 外字: private-use characters of legacy data → Unicode (with IVS); unmapped ones reject their record.
    public var gaiji = GaijiMap()
    public var gaijiFile: String?
    /// Mail preparation: postal sort, bundles, envelope groups, discount counts.
    public var mail: Mail?
    /// Inserter control: OMR marks and/or a 2-D code on the front of every sheet.
    public var inserter: Inserter?
    public var file: String
    /// Where some keys are in the form's file ("group_by", "key", "mail.postal_code", "input",
    /// "details.from", "column NAME"), so errors found once the data's header is known point there.
    public var positions: [String: Position] = [:]

    public struct Position: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public init(line: Int, column: Int) { self.line = line; self.column = column }
    }

    public struct Input: Sendable {
        public enum Format: String, Sendable, CaseIterable { case csv, tsv, fixed, jsonl }
        public var format: Format = .csv
        public var encoding = "utf-8"
        /// Fixed-length records: bytes per record, whether each ends with a newline, and the fields.
        public var recordLength = 0
        public var lineTerminated = true
        public var fields: [(name: String, offset: Int, length: Int)] = []
        public init() {}
    }

    public struct Details: Sendable {
        /// Top of the first detail row on the first page, and how many rows fit there.
        public var firstTop: Double
        public var firstRows: Int
        /// The same on continuation pages.
        public var nextTop: Double
        public var nextRows: Int
        public var rowHeight: Double
        /// One field per column; its box's y is ignored (rows are placed by row), its height is the row's.
        public var columns: [Field]
        /// For JSON Lines input: the array in each record whose elements are the detail lines.
        public var from: String?

        /// Pages a notice of `rows` detail rows takes.
        public func pages(rows: Int) -> Int {
            rows <= firstRows ? 1 : 1 + (rows - firstRows + nextRows - 1) / nextRows
        }
    }

    public struct Paper: Sendable, Equatable {
        public var name: String
        public var width: Double
        public var height: Double

        /// PDF's largest page is 14,400 user units (200 inches) a side.
        public static let maxSide = 5080.0

        public static let sizes: [String: (Double, Double)] = [
            "A4": (210, 297), "A5": (148, 210), "B5": (182, 257), "A3": (297, 420),
            "postcard": (100, 148), "hagaki": (100, 148),
            "chou3": (120, 235), "kaku2": (240, 332),
        ]
    }

    public struct Column: Sendable {
        public var name: String
        public var required: Bool
        public var type: ColumnType
    }

    public enum ColumnType: String, Sendable, CaseIterable {
        case text, integer, date
    }

    public enum StaticItem: Sendable {
        case rect(x: Double, y: Double, w: Double, h: Double, line: Double, radius: Double)
        case fill(x: Double, y: Double, w: Double, h: Double, gray: Double)
        case line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double, dash: [Double])
        case text(String, x: Double, y: Double, font: String, size: Double)
        /// A PNG or JPEG (a logo, the mayor's seal), scaled into the box.
        case image(path: String, x: Double, y: Double, w: Double, h: Double)
    }

    public struct Field: Sendable {
        public var name: String
        public var value: Template
        /// The box the text must fit: x, y of the top-left, width and height.
        public var x: Double, y: Double, width: Double, height: Double
        public var font: String
        public var size: Double
        /// Shrink down to this size before squeezing.
        public var minSize: Double
        /// The narrowest horizontal scale allowed (長体), 1 = none.
        public var minScale: Double
        public var align: Align
        public var line: Int
        /// The column of the field's name in the form, for positions in errors found at render time.
        public var column = 1
        /// Shown only when this holds for the record.
        public var when: Condition?
        /// 縦書き: top to bottom, centred in the box; with `lines`, in up to that many columns from the
        /// right edge of the box leftwards.
        public var vertical = false
        /// Drawn as a barcode instead of text: `value` is the data (for the customer barcode, the address).
        public var barcode: Barcode?
        /// Wrap onto at most this many lines inside the box (with 禁則), instead of one line; for a
        /// vertical field, columns.
        public var lines: Int?
        /// Line spacing as a multiple of the size (for a vertical field, the column pitch).
        public var lineHeight = 1.4
        /// 字下げ of a vertical field's continuation columns, in characters.
        public var indent = 0.0
        /// A variation sequence (辻󠄀 = 辻 U+E0100) the font lacks while it has the base character.
        public var ivs = IVS.reject
    }

    /// `ivs:` on a field or the whole form.
    public enum IVS: String, Sendable, CaseIterable {
        /// Reject the record, saying the variation sequence is missing (the default: a name is printed as asked or not at all).
        case reject
        /// Print the base character; text extraction gives back the base character too.
        case base
    }

    /// A barcode field: its symbology and what it needs besides the field's value.
    public struct Barcode: Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            /// Japan Post カスタマバーコード: `value` is the address, `postal` the postal code; `size` is its point size (8–11.5).
            case customer
            /// GS1-128: `value` in GS1 bracket syntax, or the convenience-store payment code built from `payment`.
            case gs1_128 = "gs1-128"
            case qr
            /// 地方税統一QRコード: the payload comes from a named builder fed with `payload` parts.
            case elQR = "el-qr"
            case code128, code39, nw7, datamatrix
        }
        public var kind: Kind
        /// Named parts: `postal` for the customer barcode, the payment code's parts, or the eL-QR builder's parts.
        public var parts: [String: Template] = [:]
        /// The payload builder of an eL-QR field.
        public var builder: String?
        /// Narrowest bar or module in mm; default: as large as the box allows.
        public var module: Double?
        public var errorCorrection = "M"
        /// Print the data beneath the bars (linear codes; on by default).
        public var humanReadable = true

        public init(kind: Kind) { self.kind = kind }
        public var isPayment: Bool { kind == .gs1_128 && !parts.isEmpty }
        public var isTwoDimensional: Bool { kind == .qr || kind == .elQR || kind == .datamatrix }
    }

    /// `column` (non-empty and not "0"), `column == value`, `column != value`, or a numeric comparison
    /// `column < N`, `<=`, `>`, `>=` (a value that is not a number fails every comparison).
    public struct Condition: Sendable {
        public enum Test: Sendable {
            case present, equals(String), differs(String)
            case less(Double), lessOrEqual(Double), greater(Double), greaterOrEqual(Double)
        }
        public var column: String
        public var test: Test

        public static func parse(_ text: String) -> Condition? {
            // Operator characters are never part of a column or an unquoted value: `a === 0` or
            // `a => 1` is a typo, not a comparison with "= 0".
            let operators = CharacterSet(charactersIn: "=<>!")
            func unquote(_ s: String) -> String? {
                var v = s.trimmingCharacters(in: .whitespaces)
                if v.count >= 2, v.first == "\"" || v.first == "'", v.last == v.first { v = String(v.dropFirst().dropLast()) }
                else if v.rangeOfCharacter(from: operators) != nil || v.first == "\"" || v.first == "'" { return nil }
                return v
            }
            func column(_ s: String) -> String? {
                let c = s.trimmingCharacters(in: .whitespaces)
                return c.isEmpty || c.rangeOfCharacter(from: operators.union(.whitespaces)) != nil ? nil : c
            }
            // The first operator splits; anything operator-like left on either side makes it malformed.
            func split(_ op: String) -> (String, String)? {
                text.range(of: op).map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) }
            }
            for (op, make) in [("==", Test.equals), ("!=", Test.differs)] {
                if let (lhs, rhs) = split(op) {
                    guard let c = column(lhs), let v = unquote(rhs) else { return nil }
                    return Condition(column: c, test: make(v))
                }
            }
            let numeric: [(String, (Double) -> Test)] = [("<=", Test.lessOrEqual), (">=", Test.greaterOrEqual), ("<", Test.less), (">", Test.greater)]
            for (op, make) in numeric {
                if let (lhs, rhs) = split(op) {
                    guard let c = column(lhs), let v = unquote(rhs),
                          let n = Double(v.replacingOccurrences(of: ",", with: "")), n.isFinite else { return nil }
                    return Condition(column: c, test: make(n))
                }
            }
            return column(text).map { Condition(column: $0, test: .present) }
        }

        public func holds(_ value: String?) -> Bool {
            let number = value.flatMap { Double($0.replacingOccurrences(of: ",", with: "")) }
            switch test {
            case .present: return !(value ?? "").isEmpty && value != "0"
            case .equals(let v): return (value ?? "") == v
            case .differs(let v): return (value ?? "") != v
            case .less(let n): return number.map { $0 < n } ?? false
            case .lessOrEqual(let n): return number.map { $0 <= n } ?? false
            case .greater(let n): return number.map { $0 > n } ?? false
            case .greaterOrEqual(let n): return number.map { $0 >= n } ?? false
            }
        }
    }

    public enum Align: String, Sendable, CaseIterable {
        case left, center, right
        /// 均等割付: characters spread evenly across the box.
        case distribute
    }

    /// A length or size as messages print it: one decimal at most (79.8, 60).
    public static func decimal(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e15 else { return String(v) }  // Int(v) would trap
        let r = (v * 10).rounded() / 10
        // Int(r) traps beyond Int's range (a 1e300 mm box in a message); such values print as Doubles.
        return r == r.rounded() && r.magnitude < 1e15 ? String(Int(r)) : String(r)
    }

    /// Pages of a notice with `rows` records.
    public func pages(rows: Int) -> Int { details?.pages(rows: rows) ?? 1 }

    /// Names that values may use besides the record's columns.
    public static let pageVariables = ["page", "pages"]

    public var column: [String: Column] { Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
}

/// Standard font names for the Debian packages Nightjar installs.
public enum KnownFonts {
    public static let files: [String: String] = [
        "IPAmjMincho": "/usr/share/fonts/truetype/ipamj/ipamjm.ttf",
        "IPAexMincho": "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
        "IPAexGothic": "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    ]
}
