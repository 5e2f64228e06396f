/// Breaks 縦書き text into columns (read right to left) with the same 禁則 as `LineBreaker`: no column
/// starts with 、。ー」 or small kana, none ends with 「（.
///
/// A break at a space is preferred: addresses separate the building name from the street number with
/// one (夜鷹市本町一丁目二番三号　コーポ夜鷹　一〇一), and a postcard carries the building name in the
/// second column. The space itself is dropped. Of the spaces in the second half of a column, the
/// earliest after which the rest still fits is taken, so the building name stays whole rather than
/// its room number being sent on alone; a space in the first half (夜鷹県 夜鷹市…) would leave a
/// stub column and is not used. Without such a space the column breaks where it is full, moved
/// earlier for 禁則 (追い出し) and so as not to split a number (二六番 stays whole).
public enum ColumnBreaker {
    /// The glyph ranges of each column (spaces at a break left out), in as few columns as the text
    /// needs, or nil when it needs more than `limit`. `advances` are each glyph's height down the
    /// column in points; the first column is `first` points tall, the others `next` (less when the
    /// continuation is indented).
    public static func columns(_ advances: [Double], texts: [String], first: Double, next: Double, limit: Int) -> [Range<Int>]? {
        precondition(advances.count == texts.count)
        guard limit >= 1 else { return advances.isEmpty ? [] : nil }
        for count in 1...limit {
            var breaker = Breaker(advances: advances, texts: texts, first: first, next: next, limit: count)
            if let columns = breaker.layout(from: 0, column: 0) { return columns }
        }
        return nil
    }

    static func isSpace(_ s: String) -> Bool { s == " " || s == "\u{3000}" }

    /// Digits, including the kanji ones the `kansuji` filter writes (〇一二…九).
    static let digits: Set<Character> = Set("0123456789０１２３４５６７８９〇一二三四五六七八九")
    static func isDigit(_ s: String) -> Bool { s.count == 1 && digits.contains(s.first!) }

    struct Breaker {
        let advances: [Double]
        let texts: [String]
        let first: Double, next: Double, limit: Int
        /// Layouts already tried, by (start, column): a text with many spaces would otherwise be tried
        /// once per combination.
        var memo: [Int: [Range<Int>]?] = [:]

        init(advances: [Double], texts: [String], first: Double, next: Double, limit: Int) {
            self.advances = advances
            self.texts = texts
            self.first = first
            self.next = next
            self.limit = limit
        }

        func space(_ i: Int) -> Bool { ColumnBreaker.isSpace(texts[i]) }

        /// `start..<end` without trailing spaces.
        func trimmed(_ start: Int, _ end: Int) -> Range<Int> {
            var e = end
            while e > start && space(e - 1) { e -= 1 }
            return start..<e
        }

        mutating func layout(from s: Int, column: Int) -> [Range<Int>]? {
            let n = advances.count
            var start = s
            while start < n && space(start) { start += 1 }
            if start >= n { return [] }
            if column >= limit { return nil }
            let key = start * (limit + 1) + column
            if let known = memo[key] { return known }
            let result = place(start, column: column)
            memo[key] = .some(result)
            return result
        }

        mutating func place(_ start: Int, column: Int) -> [Range<Int>]? {
            let n = advances.count
            let height = column == 0 ? first : next
            var used = 0.0
            var end = start
            while end < n && used + advances[end] <= height + 0.001 {
                used += advances[end]
                end += 1
            }
            if end == n { return [trimmed(start, n)] }
            // Not even one glyph fits, or no column is left for the rest.
            if end == start || column + 1 >= limit { return nil }
            // A space in the second half of the column (the one just past a full column counts too).
            var h = 0.0
            for p in start...end {
                if p > start, space(p), !space(p - 1), h >= height / 2, !LineBreaker.isNoEnd(texts[p - 1]) {
                    var after = p
                    while after < n && space(after) { after += 1 }
                    if after == n || !LineBreaker.isNoStart(texts[after]), let rest = layout(from: after, column: column + 1) {
                        return [trimmed(start, p)] + rest
                    }
                }
                if p < end { h += advances[p] }
            }
            // Where the column is full, moved earlier while the next column would start (or this one end) wrongly.
            func wrong(_ b: Int) -> Bool { LineBreaker.isNoStart(texts[b]) || LineBreaker.isNoEnd(texts[b - 1]) }
            var brk = end
            while brk > start + 1, wrong(brk) { brk -= 1 }
            // Numbers stay whole, as Latin words do in horizontal text: 二六番 is not split between 二 and 六,
            // unless the number fills the column.
            var whole = brk
            while whole > start + 1, wrong(whole) || (isDigit(texts[whole]) && isDigit(texts[whole - 1])) { whole -= 1 }
            if !wrong(whole) && !(isDigit(texts[whole]) && isDigit(texts[whole - 1])) { brk = whole }
            guard let rest = layout(from: brk, column: column + 1) else { return nil }
            let here = trimmed(start, brk)
            return here.isEmpty ? rest : [here] + rest
        }
    }
}
