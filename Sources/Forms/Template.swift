import Foundation

/// A field value: literal text with `{column}` or `{column|filter|filter:arg}` parts.
///
/// Filters: `comma` (1,234,500), `yen` (￥1,234,500), `wareki` (2026-06-10 → 令和8年6月10日),
/// `pad:N` (zero padding), `postal` (1234567 → 〒123-4567), `trim`, `digits` (only the ASCII digits),
/// `digit:N` (the Nth digit), `kansuji`.
public struct Template: Sendable {
    public enum Part: Sendable {
        case literal(String)
        case column(String, filters: [Filter])
    }

    public struct Filter: Sendable {
        public var name: String
        public var argument: String?
    }

    public let parts: [Part]
    public static let filterNames = ["comma", "yen", "wareki", "pad", "postal", "trim", "kansuji", "digit", "digits"]
    /// The widest `pad:N` and the furthest `digit:N`: no printed code is longer.
    public static let maxWidth = 64

    /// Parses a template; returns an error sentence for a bad one.
    public static func parse(_ text: String) -> Result<Template, EvaluationError> {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else { return .failure(EvaluationError(message: "'{' without a closing '}'")) }
            let inner = rest[rest.index(after: open)..<close].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let column = inner.first, !column.isEmpty else { return .failure(EvaluationError(message: "empty {} in a value")) }
            var filters: [Filter] = []
            for f in inner.dropFirst() {
                let pieces = f.split(separator: ":", maxSplits: 1).map(String.init)
                // A blank filter ("{x| |}", "{x|:}") splits into nothing.
                guard let first = pieces.first, filterNames.contains(first) else {
                    if pieces.isEmpty { return .failure(EvaluationError(message: "empty filter after '|' in {\(column)}")) }
                    return .failure(EvaluationError(message: "unknown filter '\(pieces[0])'; known: \(filterNames.joined(separator: ", "))"))
                }
                // Widths and positions are capped: pad:99999999999 would allocate gigabytes per record.
                let argument = Int(pieces.count > 1 ? pieces[1] : "")
                if pieces[0] == "digit", argument.map({ (1...maxWidth).contains($0) }) != true {
                    return .failure(EvaluationError(message: "digit needs a position from 1 to \(maxWidth), as in digit:3"))
                }
                if pieces[0] == "pad", argument.map({ (1...maxWidth).contains($0) }) != true {
                    return .failure(EvaluationError(message: "pad needs a width from 1 to \(maxWidth), as in pad:8"))
                }
                filters.append(Filter(name: pieces[0], argument: pieces.count > 1 ? pieces[1] : nil))
            }
            parts.append(.column(column, filters: filters))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return .success(Template(parts: parts))
    }

    public var columns: [String] {
        parts.compactMap { if case .column(let c, _) = $0 { return c } else { return nil } }
    }

    public struct EvaluationError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The text for one record; `lookup` gives a column's value.
    public func evaluate(_ lookup: (String) -> String?) throws -> String {
        var out = ""
        for p in parts {
            switch p {
            case .literal(let s): out += s
            case let .column(name, filters):
                var v = lookup(name) ?? ""
                for f in filters { v = try Self.apply(f, v, column: name) }
                out += v
            }
        }
        return out
    }

    static func apply(_ f: Filter, _ v: String, column: String) throws -> String {
        switch f.name {
        case "trim": return v.trimmingCharacters(in: .whitespaces)
        case "digits": return v.filter { $0.isASCII && $0.isNumber }   // T000123 → 000123, for numeric codes
        case "digit":
            // The Nth digit, for codes printed one digit per box (the postal code on a postcard).
            let digits = v.filter(\.isNumber)
            let n = Int(f.argument ?? "") ?? 1
            guard n >= 1, n <= digits.count else { return "" }
            return String(digits[digits.index(digits.startIndex, offsetBy: n - 1)])
        case "kansuji":
            // Vertical addresses write numbers in kanji, digit by digit (1丁目23番 → 一丁目二三番), and
            // a hyphen as a long vowel mark, which a vertical font turns upright.
            let digits: [Character: Character] = ["0": "〇", "1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六",
                                                  "7": "七", "8": "八", "9": "九", "０": "〇", "１": "一", "２": "二", "３": "三",
                                                  "４": "四", "５": "五", "６": "六", "７": "七", "８": "八", "９": "九", "-": "ー", "－": "ー"]
            return String(v.map { digits[$0] ?? $0 })
        case "comma", "yen":
            guard let n = Int64(v.trimmingCharacters(in: .whitespaces)) else {
                throw EvaluationError(message: "\(column) is not a whole number")
            }
            return (f.name == "yen" ? "￥" : "") + grouped(n)
        case "pad":
            let width = Int(f.argument ?? "") ?? 0
            return v.count >= width ? v : String(repeating: "0", count: width - v.count) + v
        case "postal":
            let digits = v.filter(\.isNumber)
            guard digits.count == 7 else { throw EvaluationError(message: "\(column) is not a 7-digit postal code") }
            return "〒" + digits.prefix(3) + "-" + digits.suffix(4)
        case "wareki":
            guard let (y, m, d) = Self.date(v) else { throw EvaluationError(message: "\(column) is not a date YYYY-MM-DD") }
            return Wareki.format(year: y, month: m, day: d)
        default:
            return v
        }
    }

    static func grouped(_ n: Int64) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    public static func date(_ v: String) -> (Int, Int, Int)? {
        let p = v.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]), (1...31).contains(p[2]) else { return nil }
        return (p[0], p[1], p[2])
    }
}

/// Japanese era dates as printed on notices.
public enum Wareki {
    static let eras: [(name: String, start: (Int, Int, Int))] = [
        ("令和", (2019, 5, 1)), ("平成", (1989, 1, 8)), ("昭和", (1926, 12, 25)), ("大正", (1912, 7, 30)), ("明治", (1868, 1, 25)),
    ]

    public static func format(year: Int, month: Int, day: Int) -> String {
        for era in eras where (year, month, day) >= era.start {
            let n = year - era.start.0 + 1
            return "\(era.name)\(n == 1 ? "元" : String(n))年\(month)月\(day)日"
        }
        return "\(year)年\(month)月\(day)日"
    }
}
