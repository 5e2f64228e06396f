/// Greedy line breaking for Japanese text with 禁則処理: a line never starts with a closing bracket,
/// small kana, a long vowel mark or punctuation (行頭禁則), and never ends with an opening bracket
/// (行末禁則); the break moves earlier instead (追い出し). Latin words stay whole.
public enum LineBreaker {
    /// 行頭禁則: characters that may not start a line.
    static let noStart: Set<Character> = Set("、。，．・：；？！゛゜ヽヾゝゞ々ー）］｝」』】〕〉》〙〗’”ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ…‥〜～,.)]}:;?!%％")
    /// 行末禁則: characters that may not end a line.
    static let noEnd: Set<Character> = Set("（［｛「『【〔〈《〘〖‘“([{")

    /// The glyph ranges of each line for a box `width` points wide at `size`.
    public static func lines(_ glyphs: [ShapedGlyph], width: Double, size: Double, unitsPerEm: Int) -> [Range<Int>] {
        let scale = size / Double(unitsPerEm)
        var out: [Range<Int>] = []
        var start = 0
        while start < glyphs.count {
            // Skip spaces at the start of a line.
            while start < glyphs.count && glyphs[start].text == " " { start += 1 }
            if start >= glyphs.count { break }
            var used = 0.0
            var end = start
            while end < glyphs.count && used + Double(glyphs[end].advance) * scale <= width + 0.001 {
                used += Double(glyphs[end].advance) * scale
                end += 1
            }
            if end == glyphs.count { out.append(start..<end); break }
            if end == start { end = start + 1 }   // one glyph wider than the box: it stands alone
            var brk = end
            // Latin words stay whole: back up to the last space inside the line if we split one.
            if isWordChar(glyphs[brk].text) && isWordChar(glyphs[brk - 1].text) {
                var b = brk
                while b > start + 1 && isWordChar(glyphs[b - 1].text) { b -= 1 }
                if b > start + 1 || !isWordChar(glyphs[start].text) { brk = b }
            }
            // 追い出し: move the break earlier while the next line would start (or this one end) wrongly.
            while brk > start + 1, isNoStart(glyphs[brk].text) || isNoEnd(glyphs[brk - 1].text) { brk -= 1 }
            out.append(start..<brk)
            start = brk
        }
        return out
    }

    static func isNoStart(_ s: String) -> Bool { s.count == 1 && (s.first.map { noStart.contains($0) } ?? false) }
    static func isNoEnd(_ s: String) -> Bool { s.count == 1 && (s.first.map { noEnd.contains($0) } ?? false) }
    static func isWordChar(_ s: String) -> Bool {
        guard let u = s.unicodeScalars.first, s.unicodeScalars.count == 1 else { return false }
        return u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(Character(u)))
    }
}
