/// Line breaking for Japanese text with 禁則処理: a line never starts with a closing bracket, small
/// kana, a long vowel mark or punctuation (行頭禁則), and never ends with an opening bracket (行末禁則);
/// the break moves earlier instead (追い出し). Latin words and numbers stay whole.
///
/// Where a line is full, a break in its second half is preferred, best first:
/// 1. at a space (ASCII or U+3000): addresses separate the building name with one, and the name
///    should go whole to the next line. Of several, the earliest after which the rest still fits, as
///    `ColumnBreaker` does for vertical text. The space hangs at the end of the line (`trimmed` drops it).
/// 2. after an address unit, 丁目 / 番地 / 番 / 号 (but 四番町, 一番館, 三号棟, 番地の5 stay whole).
/// 3. where the script changes (kanji, hiragana, katakana with ー, Latin and digits, punctuation), so a
///    katakana name or a hiragana place name (みなとみらい) is not split; not after a number (2丁目).
/// A preferred break is taken only when the rest still fits in the lines left; otherwise the line breaks
/// where it is full. A break in the first half would leave a stub line and is not preferred.
public enum LineBreaker {
    /// 行頭禁則: characters that may not start a line.
    static let noStart: Set<Character> = Set("、。，．・：；？！゛゜ヽヾゝゞ々ー）］｝」』】〕〉》〙〗’”ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ…‥〜～,.)]}:;?!%％｡｣､･ｰﾞﾟｧｨｩｪｫｯｬｭｮ")
    /// 行末禁則: characters that may not end a line.
    static let noEnd: Set<Character> = Set("（［｛「『【〔〈《〘〖‘“([{｢")

    /// The glyph ranges of each line for a box `width` points wide at `size`, in at most `limit` lines
    /// when the text allows (the caller shrinks the size when more come back). A line that ends at a
    /// space keeps it at its end; no line but the first starts with one.
    public static func lines(_ glyphs: [ShapedGlyph], width: Double, size: Double, unitsPerEm: Int, limit: Int = .max) -> [Range<Int>] {
        layout(glyphs, width: width, size: size, unitsPerEm: unitsPerEm, limit: limit).lines
    }

    public struct Layout: Sendable {
        public var lines: [Range<Int>]
        /// Some line was broken where it was full inside a run of katakana or of hiragana, or between a
        /// number and its unit (みな / とみらい, フロントタ / ワー, 2 / 丁目): a smaller size may avoid it.
        public var splitsWord: Bool
    }

    /// `lines`, and whether a word had to be split.
    public static func layout(_ glyphs: [ShapedGlyph], width: Double, size: Double, unitsPerEm: Int, limit: Int = .max) -> Layout {
        let b = Breaker(glyphs: glyphs, width: width, scale: size / Double(unitsPerEm))
        var out: [Range<Int>] = []
        var split = false
        // A leading U+3000 is the writer's indent; leading ASCII spaces are not meant to show.
        var start = 0
        while start < glyphs.count && glyphs[start].text == " " { start += 1 }
        while start < glyphs.count {
            let end = b.fit(start)
            if end == glyphs.count { out.append(start..<end); break }
            let left = limit == .max ? Int.max : limit - out.count - 1
            let brk: Int
            if let p = b.preferred(start, end, linesLeft: left) { brk = p } else {
                brk = b.full(start, end)
                if b.splitsWord(brk) { split = true }
            }
            out.append(start..<brk)
            start = b.skipSpaces(brk)
        }
        return Layout(lines: out, splitsWord: split)
    }

    /// `range` without the spaces hanging at its end.
    public static func trimmed(_ glyphs: [ShapedGlyph], _ range: Range<Int>) -> Range<Int> {
        var e = range.upperBound
        while e > range.lowerBound && isSpace(glyphs[e - 1].text) { e -= 1 }
        return range.lowerBound..<e
    }

    struct Breaker {
        let glyphs: [ShapedGlyph]
        let width: Double
        let scale: Double

        func advance(_ i: Int) -> Double { Double(glyphs[i].advance) * scale }
        func text(_ i: Int) -> String { glyphs[i].text }

        func skipSpaces(_ i: Int) -> Int {
            var i = i
            while i < glyphs.count && isSpace(glyphs[i].text) { i += 1 }
            return i
        }

        /// The end of the longest line from `start` that fits the width (one glyph at least).
        func fit(_ start: Int) -> Int {
            var used = 0.0
            var end = start
            while end < glyphs.count && used + advance(end) <= width + 0.001 {
                used += advance(end)
                end += 1
            }
            return max(end, start + 1)
        }

        /// 禁則 allows a break before `b` (after the spaces there).
        func allowed(_ b: Int) -> Bool {
            let next = skipSpaces(b)
            return !isNoEnd(text(b - 1)) && (next == glyphs.count || !isNoStart(text(next)))
        }

        /// Where the line is full (`end` from `fit`), moved earlier so as not to split a Latin word or
        /// number, and for 禁則.
        func full(_ start: Int, _ end: Int) -> Int {
            var brk = end
            if isWordChar(text(brk)) && isWordChar(text(brk - 1)) {
                var b = brk
                while b > start + 1 && isWordChar(text(b - 1)) { b -= 1 }
                if b > start + 1 || !isWordChar(text(start)) { brk = b }
            }
            while brk > start + 1, isNoStart(text(brk)) || isNoEnd(text(brk - 1)) { brk -= 1 }
            return brk
        }

        /// Whether the text from `start` fits in `lines` lines broken where full.
        func fits(from start: Int, lines: Int) -> Bool {
            if lines == .max { return true }
            var s = skipSpaces(start)
            var used = 0
            while s < glyphs.count {
                if used == lines { return false }
                used += 1
                let end = fit(s)
                if end == glyphs.count { return true }
                s = skipSpaces(full(s, end))
            }
            return true
        }

        /// The best preferred break of the line from `start` (full at `end`), or nil.
        func preferred(_ start: Int, _ end: Int, linesLeft: Int) -> Int? {
            let half = width / 2
            // 1. The earliest space in the second half after which the rest fits; a space just past a
            // full line counts too.
            var h = 0.0
            for p in start...end {
                if p > start, h >= half, isSpace(text(p)), !isSpace(text(p - 1)), allowed(p) {
                    let after = skipSpaces(p)
                    if fits(from: after, lines: linesLeft) { return after }
                }
                if p < end { h += advance(p) }
            }
            // 2. and 3.: the latest in the second half that leaves the rest room (it fills the line best).
            for rule in 0..<2 {
                var w = h
                var p = end
                while p > start, w >= half {
                    if rule == 0 ? afterAddressUnit(p) : scriptChange(p), allowed(p), fits(from: p, lines: linesLeft) { return p }
                    p -= 1
                    w -= advance(p)
                }
            }
            return nil
        }

        /// A break before `b` splits a katakana or hiragana word or a number, or a number from its unit.
        func splitsWord(_ b: Int) -> Bool {
            guard b >= 1, b < glyphs.count else { return false }
            let a = kind(text(b - 1)), c = kind(text(b))
            return (a == c && (a == .katakana || a == .hiragana)) || (a == .alnum && c != .space && c != .other)
        }

        /// A break before `b` follows 丁目, 番地, 番 or 号: not before hiragana (番地の5), nor where the unit
        /// is part of a name (四番町, 一番街, 一番館, 三号棟, 二号室, 国道一号線).
        func afterAddressUnit(_ b: Int) -> Bool {
            guard b >= 1, b < glyphs.count else { return false }
            let next = text(b)
            if kind(next) == .hiragana { return false }
            switch next {
            case "町", "街", "館", "棟", "室", "線", "地", "丁": return false
            default: break
            }
            switch text(b - 1) {
            case "番", "号": return true
            case "目": return b >= 2 && text(b - 2) == "丁"
            case "地": return b >= 2 && text(b - 2) == "番"
            default: return false
            }
        }

        /// The script changes before `b`, and not after a number (2丁目, 20号, 3F stay whole).
        func scriptChange(_ b: Int) -> Bool {
            guard b >= 1, b < glyphs.count else { return false }
            let a = kind(text(b - 1)), c = kind(text(b))
            return a != c && a != .alnum && a != .space && c != .space
        }
    }

    enum Kind { case kanji, hiragana, katakana, alnum, space, other }

    /// The script of one glyph's text, by its first scalar. ヶ and 々 count as kanji (霞ヶ関, 佐々木).
    static func kind(_ s: String) -> Kind {
        guard let u = s.unicodeScalars.first?.value else { return .other }
        switch u {
        case 0x20, 0x3000: return .space
        case 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0xFF10...0xFF19: return .alnum
        case 0x41...0x5A, 0x61...0x7A, 0xFF21...0xFF3A, 0xFF41...0xFF5A: return .alnum
        case 0x3041...0x3096, 0x309D, 0x309E: return .hiragana
        case 0x30F5, 0x30F6, 0x3005, 0x3006, 0x3007: return .kanji
        case 0x30A1...0x30FA, 0x30FC...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .katakana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: return .kanji
        default: return .other
        }
    }

    static func isSpace(_ s: String) -> Bool { s == " " || s == "\u{3000}" }
    static func isNoStart(_ s: String) -> Bool { s.count == 1 && (s.first.map { noStart.contains($0) } ?? false) }
    static func isNoEnd(_ s: String) -> Bool { s.count == 1 && (s.first.map { noEnd.contains($0) } ?? false) }
    static func isWordChar(_ s: String) -> Bool {
        guard let u = s.unicodeScalars.first, s.unicodeScalars.count == 1 else { return false }
        return u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(Character(u)))
    }
}
