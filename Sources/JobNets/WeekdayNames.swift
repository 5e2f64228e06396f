import Foundation
import OperatorFiles
import Yams

/// Weekday names as operators write them in YAML: `mon`, `Monday`, `月`, `月曜`, `月曜日`, or a number
/// (0 = Sunday … 6 = Saturday, 7 = Sunday), and ranges such as `mon-fri`.
enum WeekdayNames {
    static let english = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
    static let englishLong = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    static let japanese = ["日", "月", "火", "水", "木", "金", "土"]

    /// 0 … 6 for one name, nil if it is not a weekday.
    static func number(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let n = Int(t), (0...7).contains(n) { return n % 7 }
        if let i = english.firstIndex(of: t) ?? englishLong.firstIndex(of: t) { return i }
        for suffix in ["曜日", "曜", ""] where t.hasSuffix(suffix) {
            if let i = japanese.firstIndex(of: String(t.dropLast(suffix.count))) { return i }
        }
        return nil
    }

    /// The weekdays of one item: a name or a range `a-b` (wrapping past Saturday: `sat-sun`).
    static func numbers(_ text: String) -> [Int]? {
        if let n = number(text) { return [n] }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = number(String(parts[0])), let b = number(String(parts[1])) else { return nil }
        return (0...((b - a + 7) % 7)).map { (a + $0) % 7 }
    }

    /// Reads a weekday list (`[mon, thu]`, `mon-fri`, `[]`), reporting bad items at their position.
    static func list(_ node: Node, key: String, doc: YAMLDocument) -> Set<Int>? {
        let items: [Node]
        switch node {
        case .sequence(let seq): items = Array(seq)
        case .scalar: items = [node]
        default:
            doc.report(node, "'\(key)' must be a list of weekdays, for example [sat, sun]")
            return nil
        }
        var result = Set<Int>()
        var ok = true
        for item in items {
            guard let text = item.scalar?.string, let days = numbers(text) else {
                doc.report(item, "'\(item.scalar?.string ?? "?")' is not a weekday; write sun, mon, tue, wed, thu, fri, sat (or 日 … 土, or mon-fri)")
                ok = false
                continue
            }
            result.formUnion(days)
        }
        return ok ? result : nil
    }
}
