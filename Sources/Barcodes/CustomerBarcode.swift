import Foundation

/// Japan Post customer barcode (カスタマバーコード): start code, the 7-digit postal code, 13 characters
/// of address-number data, a mod-19 check character and the stop code, each character three 4-state
/// bars. Encoded here rather than through zint so the address extraction, the check character and
/// the bars can be shown and tested on their own, and drawn at Japan Post's physical sizes.
public enum CustomerBarcode {
    public enum Bar: Character, Sendable {
        case long = "F"       // full height
        case ascender = "A"   // the timing bar plus the upper part
        case descender = "D"  // the timing bar plus the lower part
        case timing = "T"     // the short middle bar
    }

    /// The character set in code order: values 0–9, '-' = 10, CC1–CC8 = 11–18.
    static let patterns: [String] = [
        "FTT", "FFT", "FDA", "DFA", "FAD", "FTF", "DAF", "AFD", "ADF", "TFF",   // 0–9
        "TFT",                                                                 // -
        "DAT", "DTA", "ADT", "TDA", "ATD", "TAD", "TTF", "FFF",                 // CC1–CC8
    ]
    static let hyphen = 10, cc1 = 11, cc2 = 12, cc3 = 13, cc4 = 14
    static let start = "FD", stop = "DF"
    /// The same as bars, parsed once (every notice's barcode is built from them).
    static let patternBars: [[Bar]] = patterns.map { $0.compactMap(Bar.init(rawValue:)) }
    static let startBars = start.compactMap(Bar.init(rawValue:)), stopBars = stop.compactMap(Bar.init(rawValue:))

    public struct Symbol: Sendable, Equatable {
        /// Postal code and address data as encoded, e.g. "1540023" + "3-16-4-205".
        public let postalCode: String
        public let addressData: String
        /// The 20 character values after the start code, then the check character's value.
        public let values: [Int]
        public let check: Int
        public let bars: [Bar]

        public var barString: String { String(bars.map(\.rawValue)) }
    }

    /// The barcode for a postal code (with or without its hyphen) and an address: the address is
    /// reduced to its number data first (see `addressData`); data already reduced passes unchanged.
    public static func encode(postalCode: String, address: String) throws -> Symbol {
        let postal = postalCode.precomposedStringWithCompatibilityMapping.filter { $0 != "-" && $0 != " " }
        guard postal.count == 7, postal.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw BarcodeError("the postal code '\(postalCode)' is not seven digits")
        }
        let data = addressData(address)
        var values = postal.map { Int($0.asciiValue! - 48) }
        var addressValues: [Int] = []
        for ch in data {
            switch ch {
            case "0"..."9": addressValues.append(Int(ch.asciiValue! - 48))
            case "-": addressValues.append(hyphen)
            case "A"..."Z":
                // A–J: CC1 + 0–9, K–T: CC2 + 0–9, U–Z: CC3 + 0–5.
                let n = Int(ch.asciiValue! - 65)
                addressValues.append(cc1 + n / 10)
                addressValues.append(n % 10)
            default: throw BarcodeError("the address data holds '\(ch)', which the customer barcode cannot carry")
            }
        }
        // Thirteen characters: longer data is cut (a letter's control code may end it), shorter is padded with CC4.
        addressValues = Array(addressValues.prefix(13))
        while addressValues.count < 13 { addressValues.append(cc4) }
        values += addressValues
        let check = checkCharacter(values)
        var bars = startBars
        for v in values + [check] { bars += patternBars[v] }
        bars += stopBars
        return Symbol(postalCode: postal, addressData: data, values: values, check: check, bars: bars)
    }

    /// The check character: the value that makes the sum of all character values a multiple of 19.
    public static func checkCharacter(_ values: [Int]) -> Int {
        let r = values.reduce(0, +) % 19
        return r == 0 ? 0 : 19 - r
    }

    /// Address-number data (住所表示番号) from the address after the town name, by Japan Post's rules
    /// (郵便番号・バーコードマニュアル, 抜き出しの基本ルール and 補足ルール):
    /// - full-width characters become ASCII, letters upper case; &, /, ・ and . are removed;
    /// - kanji numerals right before 丁目, 丁, 番地, 番, 号, 地割, 線, の or ノ become digits (三丁目 → 3);
    /// - digits and single letters are kept; everything else before a kept character (kanji, kana,
    ///   spaces, runs of two or more letters) becomes one hyphen;
    /// - an F right after a digit means a floor: dropped, or a hyphen when more data follows;
    /// - hyphens next to a letter, leading or trailing hyphens are dropped.
    /// "緑町3丁目30番8号 郵便ビル403号" → "3-30-8-403"; data already reduced passes unchanged.
    public static func addressData(_ address: String) -> String {
        let normal = address.precomposedStringWithCompatibilityMapping.uppercased()
            .filter { !"&/・.".contains($0) }
        let chars = Array(kanjiNumeralsToDigits(normal))
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        func isLetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }
        var out: [Character] = []
        var pendingSeparator = false
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            var kept: [Character] = []
            if isDigit(ch) {
                kept = [ch]
                i += 1
            } else if isLetter(ch) {
                var j = i
                while j < chars.count && isLetter(chars[j]) { j += 1 }
                // A lone F after a digit is a floor (2F): it separates like any other word.
                if j - i == 1 && !(ch == "F" && i > 0 && isDigit(chars[i - 1])) { kept = [ch] }
                else { pendingSeparator = true }
                i = j
            } else {
                pendingSeparator = true
                i += 1
            }
            guard !kept.isEmpty else { continue }
            if pendingSeparator && !out.isEmpty { out.append("-") }
            pendingSeparator = false
            out += kept
        }
        // A hyphen beside a letter carries nothing: the letter's control code already separates.
        var cleaned: [Character] = []
        for (k, ch) in out.enumerated() {
            if ch == "-" {
                let prev = cleaned.last, next = k + 1 < out.count ? out[k + 1] : nil
                if let prev, isLetter(prev) { continue }
                if let next, isLetter(next) { continue }
            }
            cleaned.append(ch)
        }
        return String(cleaned)
    }

    static let numeralValues: [Character: Int] = [
        "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let numberSuffixes = ["丁目", "丁", "番地", "番", "号", "地割", "線", "の", "ノ"]

    /// 三丁目 → 3丁目, 二十一番 → 21番: kanji numerals only where a number suffix follows, so place
    /// names such as 四日市 or 北六条 keep their kanji (and become a hyphen like any other word).
    static func kanjiNumeralsToDigits(_ s: String) -> String {
        let chars = Array(s)
        var out = ""
        var i = 0
        while i < chars.count {
            var j = i
            while j < chars.count && (numeralValues[chars[j]] != nil || chars[j] == "十" || chars[j] == "百") { j += 1 }
            if j > i, let value = kanjiValue(chars[i..<j]),
               numberSuffixes.contains(where: { String(chars[j...].prefix($0.count)) == $0 }) {
                out += String(value)
                i = j
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    /// 二十一 → 21, 百五 → 105, 三〇五 → 305 (digit by digit when there is no 十 or 百).
    static func kanjiValue(_ chars: ArraySlice<Character>) -> Int? {
        if !chars.contains("十") && !chars.contains("百") {
            return chars.reduce(0) { $0 * 10 + (numeralValues[$1] ?? 0) }
        }
        var total = 0, current = 0
        for ch in chars {
            if let v = numeralValues[ch] { current = v }
            else if ch == "十" { total += max(current, 1) * 10; current = 0 }
            else if ch == "百" { total += max(current, 1) * 100; current = 0 }
            else { return nil }
        }
        return total + current
    }
}
