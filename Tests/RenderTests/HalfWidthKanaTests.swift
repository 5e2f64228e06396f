import Forms
import Foundation
import Records
import Render
import Testing
import Typesetting

@Suite struct KanaWidthTests {
    @Test func halfWidthKanaBecomeFullWidthWithTheirVoicedMarks() throws {
        #expect(KanaWidth.fullwidth("ｺｰﾎﾟ") == "コーポ")
        #expect(KanaWidth.fullwidth("ｶﾞｷﾞｸﾞﾊﾞﾊﾟﾂﾞｳﾞ") == "ガギグバパヅヴ")
        #expect(KanaWidth.fullwidth("｢ﾔﾀｶ｣､ｧｯｮ｡") == "「ヤタカ」、ァッョ。")
        // A mark with nothing to join stays a mark; everything else is left as it is (﨑, fullwidth digits, ASCII).
        #expect(KanaWidth.fullwidth("ﾟｱﾟ山﨑１2") == "゜ア゜山﨑１2")
        let plain = "夜鷹市本町一丁目"
        #expect(KanaWidth.fullwidth(plain) == plain)
    }

    @Test func verticalShapingTakesTheVerticalLongVowelAndOneCellForPo() throws {
        let font = try Font(path: KnownFonts.files["IPAmjMincho"] ?? "")
        guard case .success(let g) = VerticalShaper(font: font).shape("ｺｰﾎﾟ") else { Issue.record("shaping failed"); return }
        #expect(g.map(\.text) == ["コ", "ー", "ポ"])
        // ー takes its vertical form (the same as a full-width ー would), not the horizontal glyph.
        guard case .success(let full) = VerticalShaper(font: font).shape("ー") else { Issue.record("shaping failed"); return }
        #expect(g[1].glyph == full[0].glyph && g[1].glyph != font.glyph(for: "ー"))
    }
}

/// Half-width katakana in a vertical field, rendered and read back.
@Suite(.serialized) struct HalfWidthKanaRenderTests {
    static let form = """
        name: t
        key: id
        fonts: { mincho: IPAmjMincho }
        columns: { id: {}, addr: {} }
        fields:
          vert: { box: [150, 20, 20, 100], value: "{addr}", vertical: true, size: 14, min_size: 8, min_scale: 0.6 }
          flat: { box: [20, 140, 100, 10], value: "{addr}", size: 10 }
        """

    func render(_ rows: [(String, String)]) throws -> (pdf: String, rejects: String, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-kana-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.parse(Self.form, file: "Forms/t.yaml")
        let csv = "id,addr\n" + rows.map { "\($0.0),\($0.1)" }.joined(separator: "\n") + "\n"
        _ = try RenderTests.renderCSV(csv, form: form, in: dir)
        let rejects = (try? String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)) ?? ""
        return (dir.appendingPathComponent("out/vol-0001.pdf").path, rejects, dir)
    }

    @Test func halfWidthKanaStandInVerticalColumnsAsFullWidth() throws {
        let r = try render([("V", "夜鷹市ｺｰﾎﾟﾔﾀｶﾞ101")])
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(r.rejects.split(separator: "\n").count <= 1, "\(r.rejects)")
        let glyphs = try glyphBoxes(r.pdf, page: 1)
        // The vertical field: one cell a character, ﾎﾟ and ｶﾞ one cell each, given back full width.
        let column = columns(glyphs, inBox: (x: 150, y: 20, w: 20, h: 100))
        #expect(column.count == 1)
        #expect(column.first.map(joined) == "夜鷹市コーポヤタガ101")
        #expect(column.first?.count == 12)   // was 14: ﾟ and ﾞ stood in cells of their own
        // The horizontal field keeps the data's half-width kana.
        #expect(try runTool(["pdftotext", "-raw", r.pdf, "-"]).out.contains("夜鷹市ｺｰﾎﾟﾔﾀｶﾞ101"))
    }
}

