import Forms
import Foundation

/// Realistic fictional records for a form's columns, for demos, tests and benchmarks. Deterministic
/// for a seed. Names include the characters that break lesser systems: 𠮷 (outside the BMP), 髙 and 﨑
/// (compatibility ideographs), and 葛󠄀 (an Ideographic Variation Sequence).
public struct SampleData: RandomNumberGenerator {
    var state: UInt64

    public init(seed: UInt64 = 2026) { state = seed &+ 0x9E3779B97F4A7C15 }

    /// SplitMix64: also a seeded generator for tests that need reproducible random input.
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }

    static let surnames = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田",
                           "髙橋", "山﨑", "𠮷田", "葛\u{E0102}城", "長谷川", "五十嵐", "佐々木", "勅使河原"]
    static let given = ["太郎", "花子", "一郎", "美咲", "健太", "陽子", "翔", "さくら", "大輔", "由美", "惣右衛門", "ひかり"]
    static let towns = ["本町", "栄町", "緑町", "旭町", "若葉台", "夜鷹ニュータウン東", "南夜鷹"]
    static let buildings = ["", "", "", "", "コーポ夜鷹 101", "夜鷹パークハイツ 1203", "グランドメゾン夜鷹駅前第二 505"]

    /// One record's values by column name.
    mutating func value(for column: String, index: Int, record: inout [String: String]) -> String {
        switch column {
        case "taxpayer_id", "notice_id", "key": return String(format: "T%09d", index + 1)
        case "name":
            // Every 50th name is long, so the form's shrink and squeeze rules are exercised.
            if index % 50 == 49 { return "\(pick(Self.surnames))\(pick(Self.surnames)) \(pick(Self.given))\(pick(Self.given))" }
            return "\(pick(Self.surnames)) \(pick(Self.given))"
        case "postal_code":
            // Most of the city's residents live in its own two delivery areas; some are elsewhere.
            switch int(0...19) {
            case 0...12: return String(format: "586-%04d", int(0...99) * 10)
            case 13...17: return String(format: "587-%04d", int(0...60) * 10)
            default: return String(format: "%03d-%04d", int(100...999), int(0...9999))
            }
        case "address":
            var b = pick(Self.buildings)
            // Every tenth address from the third on is in a building, so a postcard's second address column shows early.
            if b.isEmpty && index % 10 == 2 { b = Self.buildings[4 + (index / 10) % 3] }
            return "夜鷹県夜鷹市\(pick(Self.towns))\(int(1...5))丁目\(int(1...30))番\(int(1...20))号" + (b.isEmpty ? "" : "　" + b)
        case "income":
            let v = int(1_000_000...9_000_000)
            record["income"] = String(v)
            return String(v)
        case "taxable":
            let income = Int(record["income"] ?? "") ?? 3_000_000
            return String(max(0, (income - 760_000) / 1000 * 1000))
        case "income_levy":
            let income = Int(record["income"] ?? "") ?? 3_000_000
            return String(max(0, (income - 760_000) / 1000 * 1000) / 10 / 100 * 100)
        case "per_capita": return "5000"
        case "note":
            // Most notices carry no note; some a sentence or two that must wrap (with 禁則).
            guard int(0...4) == 0 else { return "" }
            return pick(["前年度に未納の税額があります。納付がお済みでない方は、至急お近くの金融機関またはコンビニエンスストアで納付してください。",
                         "口座振替を申し込まれている方は、納期限の日に指定の口座から引き落とします。残高のご確認をお願いします。",
                         "令和8年度から、森林環境税（国税）1,000円が均等割と併せて課税されています。"])
        case "el_number":
            // Fictional: the real eL番号 is issued by the tax system with the notice.
            return String(format: "%04d-%04d-%04d-%04d", 1203, 2026, (index / 10000) % 10000, index % 10000)
        case "el_qr":
            // A stand-in for the issued payload (its layout belongs to the local tax agency).
            let amount = record["total"] ?? "0"
            return String(format: "ELQR1203%016d", index + 1) + "2026063" + String(repeating: "0", count: max(0, 10 - amount.count)) + amount
        case "owner_id": return String(format: "K%08d", index + 1)
        case "location": return "夜鷹市\(pick(Self.towns))\(int(1...5))丁目\(int(1...3000))番\(pick(["", "", "1", "2", "の3"]))"
        case "category": return pick(["宅地", "宅地", "田", "畑", "山林", "雑種地", "居宅", "共同住宅", "店舗"])
        case "area": return String(format: "%d.%02d", int(30...2000), int(0...99))
        case "assessed_value":
            let v = int(100...50_000) * 1000
            record["assessed_value"] = String(v)
            return String(v)
        case "tax": return String((Int(record["assessed_value"] ?? "") ?? 0) * 14 / 1000)
        case "total":
            let income = Int(record["income"] ?? "") ?? 3_000_000
            return String(max(0, (income - 760_000) / 1000 * 1000) / 10 / 100 * 100 + 5000)
        default: return "\(column)-\(index + 1)"
        }
    }

    /// `v` if the column accepts it, else a value of the column's declared type: a form's own sample
    /// data must pass its own checks (a new form's `amount: { type: integer }` got "amount-1").
    mutating func conforming(_ v: String, to column: Form.Column?, index: Int) -> String {
        guard let column else { return v }
        switch column.type {
        case .integer where Int64(v) == nil: return String(int(1...99_999) * 100)
        case .date where Template.date(v) == nil: return String(format: "2026-%02d-%02d", int(1...12), int(1...28))
        default: return column.required && v.isEmpty ? "\(column.name)-\(index + 1)" : v
        }
    }

    /// Writes `count` notices as UTF-8 CSV with a header row. A form that groups records gets 1–40
    /// detail records per notice (most owners have a few properties, some have many).
    public mutating func writeCSV(form: Form, count: Int, to handle: FileHandle) throws {
        // A form without a column list gets every column it uses, so its sample renders.
        var columns = form.columns.map(\.name)
        if columns.isEmpty {
            for c in form.columnUses.map(\.column) where !columns.contains(c) { columns.append(c) }
        }
        let declared = form.column
        // The group_by column stays the same through a notice's records, or each record would be a notice.
        let notice = Set(form.fields.flatMap(\.value.columns) + [form.key] + [form.groupBy].compactMap { $0 })
            .subtracting(form.details?.columns.flatMap(\.value.columns) ?? [])
        var out = columns.joined(separator: ",") + "\n"
        for i in 0..<count {
            let rows = form.groupBy == nil ? 1 : (int(0...9) == 0 ? int(10...40) : int(1...4))
            var fixed: [String: String] = [:]
            var lines: [[String: String]] = []
            for _ in 0..<rows {
                var record: [String: String] = [:]
                for c in columns where !notice.contains(c) || fixed[c] == nil {
                    let v = conforming(value(for: c, index: i, record: &record), to: declared[c], index: i)
                    record[c] = v
                    if notice.contains(c) { fixed[c] = v }
                }
                lines.append(record)
            }
            let total = lines.compactMap { Int($0["tax"] ?? "") }.reduce(0, +)
            for line in lines {
                let values = columns.map { c -> String in
                    let v = c == "total_tax" ? String(total) : (fixed[c] ?? line[c] ?? "")
                    return v.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
                        ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
                }
                out += values.joined(separator: ",") + "\n"
            }
            if out.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(out.utf8))
                out = ""
            }
        }
        try handle.write(contentsOf: Data(out.utf8))
    }
}
