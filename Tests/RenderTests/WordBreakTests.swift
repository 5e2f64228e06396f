import Forms
import Foundation
import Records
import Render
import Testing
import Typesetting

/// Where wrapped horizontal lines break (issue 11): at the space before a building name, after 丁目/番/号,
/// where the script changes, and not inside a katakana or hiragana word when a better break fits.
@Suite struct WordBreakTests {
    /// Full-width 10-point glyphs; `chars` of them fit a line. The lines as printed (break spaces dropped).
    func lines(_ s: String, chars: Int, limit: Int = .max) -> [String] {
        let g = s.map { ShapedGlyph(glyph: 1, advance: 1000, text: String($0)) }
        return LineBreaker.lines(g, width: Double(chars) * 10, size: 10, unitsPerEm: 1000, limit: limit)
            .map { g[LineBreaker.trimmed(g, $0)].map(\.text).joined() }
    }

    func splits(_ s: String, chars: Int, limit: Int) -> Bool {
        let g = s.map { ShapedGlyph(glyph: 1, advance: 1000, text: String($0)) }
        return LineBreaker.layout(g, width: Double(chars) * 10, size: 10, unitsPerEm: 1000, limit: limit).splitsWord
    }

    @Test func theSpaceBeforeTheBuildingNameIsTheBreak() {
        // Was 東京都江東区豊洲5丁目6番20号　豊洲フロントタ / ワー 3205.
        #expect(lines("東京都江東区豊洲5丁目6番20号　豊洲フロントタワー 3205", chars: 24) == ["東京都江東区豊洲5丁目6番20号", "豊洲フロントタワー 3205"])
        #expect(lines("東京都江東区豊洲5丁目6番20号 豊洲フロントタワー", chars: 24) == ["東京都江東区豊洲5丁目6番20号", "豊洲フロントタワー"])
        // Of two spaces, the earliest in the second half after which the rest fits.
        #expect(lines("夜鷹市本町1丁目2番3号　コーポ夜鷹　101", chars: 16, limit: 2) == ["夜鷹市本町1丁目2番3号", "コーポ夜鷹　101"])
        // A space early in the line would leave a stub: not taken.
        #expect(lines("夜鷹県 夜鷹市夜鷹ニュータウン東5丁目30番", chars: 20) == ["夜鷹県 夜鷹市夜鷹ニュータウン東5丁目", "30番"])
    }

    @Test func afterAnAddressUnit() {
        // Was 夜鷹市栄町3丁目16番3 / 号夜鷹荘.
        #expect(lines("夜鷹市栄町3丁目16番3号夜鷹荘", chars: 12) == ["夜鷹市栄町3丁目16番", "3号夜鷹荘"])
        // After 号 rather than inside the katakana name (was …20号豊洲フロン / トタワー).
        #expect(lines("東京都江東区豊洲5丁目6番20号豊洲フロントタワー", chars: 20) == ["東京都江東区豊洲5丁目6番20号", "豊洲フロントタワー"])
        // 四番町 and 三号棟 are names: no break after their 番 and 号.
        #expect(lines("夜鷹市四番町1番夜鷹三号棟", chars: 11) == ["夜鷹市四番町1番", "夜鷹三号棟"])
        #expect(lines("夜鷹市本町1番地夜鷹三号棟五", chars: 12) == ["夜鷹市本町1番地", "夜鷹三号棟五"])
    }

    @Test func notInsideAWordWhenABetterBreakFits() {
        // Was 神奈川県横浜市西区みな / とみらい….
        #expect(lines("神奈川県横浜市西区みなとみらい2丁目3番1号", chars: 11) == ["神奈川県横浜市西区", "みなとみらい2丁目3番", "1号"])
        #expect(lines("夜鷹市本町ニュータウンハイツ", chars: 10) == ["夜鷹市本町", "ニュータウンハイツ"])
        // In two lines only a break inside みなとみらい fits: taken, and said, so the renderer may shrink instead.
        #expect(lines("神奈川県横浜市西区みなとみらい2丁目3番1号", chars: 11, limit: 2) == ["神奈川県横浜市西区みな", "とみらい2丁目3番1号"])
        #expect(splits("神奈川県横浜市西区みなとみらい2丁目3番1号", chars: 11, limit: 2))
        #expect(!splits("神奈川県横浜市西区みなとみらい2丁目3番1号", chars: 11, limit: 3))
        #expect(!splits("夜鷹市本町1丁目", chars: 20, limit: 1))
    }

    @Test func kinsokuStillHolds() {
        // 、 may not start a line even where the script changes; 「 may not end one.
        #expect(lines("夜鷹市の本町にあるカタカナ、ひらがな", chars: 13) == ["夜鷹市の本町にある", "カタカナ、ひらがな"])
        #expect(lines("夜鷹市の本町にある「コーポ」", chars: 10) == ["夜鷹市の本町にある", "「コーポ」"])
    }

    @Test func aLongNoteBreaksIntoFullLines() {
        // 616 characters in lines of 30: 21 lines, each full but the last (speed is bench/'s business).
        let text = String(repeating: "前年度に未納の税額があります。お早めに納付してください。", count: 22)
        let g = text.map { ShapedGlyph(glyph: 1, advance: 1000, text: String($0)) }
        let laid = lines(text, chars: 30, limit: 25)
        #expect(laid.joined() == text)
        #expect(laid.count == Int((Double(g.count) / 30).rounded(.up)) || laid.count == Int((Double(g.count) / 30).rounded(.up)) + 1)
        #expect(laid.dropLast().allSatisfy { $0.count >= 27 })
    }
}

/// Wrapped fields rendered with the real fonts, read back with poppler.
@Suite(.serialized) struct WrappedFieldRenderTests {
    static let form = """
        name: t
        key: id
        fonts: { mincho: IPAmjMincho }
        columns: { id: {}, addr: {} }
        fields:
          addr: { box: [20, 20, 80, 10], value: "{addr}", lines: 2, size: 10, min_size: 8 }
          narrow: { box: [20, 40, 40, 10], value: "{addr}", lines: 2, size: 10, min_size: 8, when: id == N }
        """

    func render(_ rows: [(String, String)], form text: String = Self.form) throws -> (pdf: String, rejects: String, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-type-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.parse(text, file: "Forms/t.yaml")
        let csv = "id,addr\n" + rows.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n"
        _ = try RenderTests.renderCSV(csv, form: form, in: dir)
        let rejects = (try? String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)) ?? ""
        return (dir.appendingPathComponent("out/vol-0001.pdf").path, rejects, dir)
    }

    func pageLines(_ pdf: String, page: Int) throws -> [String] {
        try runTool(["pdftotext", "-raw", "-f", "\(page)", "-l", "\(page)", pdf, "-"]).out
            .split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "\u{0C}" }
    }

    @Test func aWrappedAddressBreaksAtTheBuildingNameAndNotInsideAWord() throws {
        let r = try render([("A", "東京都江東区豊洲5丁目6番20号　豊洲フロントタワー 3205"),
                            ("N", "神奈川県横浜市西区みなとみらい2丁目3番1号")])
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(r.rejects.split(separator: "\n").count <= 1, "\(r.rejects)")
        #expect(try pageLines(r.pdf, page: 1) == ["東京都江東区豊洲5丁目6番20号", "豊洲フロントタワー 3205"])
        // The narrow box: at 10 pt two lines fit only by splitting みなとみらい, so the size goes down
        // half a point to break before it.
        let narrow = try pageLines(r.pdf, page: 2).filter { !$0.hasPrefix("神奈川県横浜市西区みなとみらい2") }
        #expect(narrow.contains("神奈川県横浜市西区") && narrow.contains("みなとみらい2丁目3番1号"), "\(narrow)")
        #expect(!narrow.contains { $0.hasSuffix("みな") })
    }
}

