import Forms
import Foundation
import Records
import Render
import Testing
import Typesetting

/// One glyph as `pdftotext -bbox` reports it (each vertically set glyph is a word of its own), in points
/// from the top-left corner of the page.
struct BoxedGlyph {
    var x0, y0, x1, y1: Double
    var text: String
    var centreX: Double { (x0 + x1) / 2 }
}

/// The glyphs of one page of a PDF, through poppler's `pdftotext -bbox`.
func glyphBoxes(_ pdf: String, page: Int) throws -> [BoxedGlyph] {
    let html = try runTool(["pdftotext", "-bbox", "-f", "\(page)", "-l", "\(page)", pdf, "-"]).out
    var out: [BoxedGlyph] = []
    for chunk in html.components(separatedBy: "<word ").dropFirst() {
        func attr(_ name: String) -> Double? {
            guard let r = chunk.range(of: "\(name)=\"") else { return nil }
            return Double(chunk[r.upperBound...].prefix { $0 != "\"" })
        }
        // By scalars: a half-width ﾞ or ﾟ after the tag's ">" joins it in one Character.
        let word = chunk.components(separatedBy: "</word>")[0].unicodeScalars
        guard let x0 = attr("xMin"), let y0 = attr("yMin"), let x1 = attr("xMax"), let y1 = attr("yMax"),
              let open = word.firstIndex(of: ">") else { continue }
        out.append(BoxedGlyph(x0: x0, y0: y0, x1: x1, y1: y1, text: String(word[word.index(after: open)...])))
    }
    return out
}

/// The columns of the glyphs inside a box (mm), right to left, each top to bottom.
func columns(_ glyphs: [BoxedGlyph], inBox box: (x: Double, y: Double, w: Double, h: Double)) -> [[BoxedGlyph]] {
    let k = 72 / 25.4
    let inside = glyphs.filter {
        $0.centreX > box.x * k && $0.centreX < (box.x + box.w) * k && $0.y0 >= box.y * k - 1 && $0.y1 <= (box.y + box.h) * k + 1
    }
    var cols: [[BoxedGlyph]] = []
    for g in inside.sorted(by: { $0.centreX > $1.centreX }) {
        if let last = cols.indices.last, abs(cols[last][0].centreX - g.centreX) < 2 { cols[last].append(g) } else { cols.append([g]) }
    }
    return cols.map { $0.sorted { $0.y0 < $1.y0 } }
}

func joined(_ column: [BoxedGlyph]) -> String { column.map(\.text).joined() }

@Suite struct ColumnBreakerTests {
    /// Ten-point glyphs, as the breaker sees them (heights down the column).
    func breaks(_ s: String, height: Double, next: Double? = nil, limit: Int) -> [String]? {
        let texts = s.map { String($0) }
        return ColumnBreaker.columns(Array(repeating: 10, count: texts.count), texts: texts, first: height, next: next ?? height, limit: limit)?
            .map { texts[$0].joined() }
    }

    @Test func aSpaceInTheSecondHalfOfTheColumnIsPreferredAndDropped() {
        // 20 characters a column. The building name goes whole to the second column, with its room number.
        #expect(breaks("夜鷹市本町一丁目二番三号　コーポ夜鷹　一〇一", height: 200, limit: 2) == ["夜鷹市本町一丁目二番三号", "コーポ夜鷹　一〇一"])
        #expect(breaks("夜鷹市本町一丁目二番三号 コーポ夜鷹", height: 200, limit: 2) == ["夜鷹市本町一丁目二番三号 コーポ夜鷹"])   // fits: one column
        // A space early in the column would leave a stub: the column is filled instead.
        #expect(breaks("夜鷹県 夜鷹市夜鷹ニュータウン東五丁目三〇番", height: 200, limit: 2) == ["夜鷹県 夜鷹市夜鷹ニュータウン東五丁目", "三〇番"])
        // The space just past a full column is a break too.
        #expect(breaks("夜鷹県夜鷹市栄町一丁目二番三号　コ", height: 150, limit: 2) == ["夜鷹県夜鷹市栄町一丁目二番三号", "コ"])
    }

    @Test func kinsokuMovesTheBreakEarlier() {
        // Five characters a column: ー, ャ, 、 and 」 never start a column, 「 never ends one.
        #expect(breaks("アイウエオーカキ", height: 50, limit: 2) == ["アイウエ", "オーカキ"])
        #expect(breaks("あいうえシャトル", height: 50, limit: 2) == ["あいうえ", "シャトル"])
        #expect(breaks("あいうえお、かき", height: 50, limit: 2) == ["あいうえ", "お、かき"])
        #expect(breaks("あいうえ「おか」", height: 50, limit: 2) == ["あいうえ", "「おか」"])
    }

    @Test func numbersStayWhole() {
        #expect(breaks("夜鷹二丁目二六番", height: 60, limit: 2) == ["夜鷹二丁目", "二六番"])
        // A number longer than the column is split after all.
        #expect(breaks("一二三四五六七", height: 50, limit: 2) == ["一二三四五", "六七"])
    }

    @Test func asFewColumnsAsNeededOrNone() {
        #expect(breaks("あいうえおかきくけこさしすせそ", height: 50, limit: 3)?.count == 3)
        #expect(breaks("あいうえおかきくけこ", height: 50, limit: 3) == ["あいうえお", "かきくけこ"])
        #expect(breaks("あいうえおかきくけこさ", height: 50, limit: 2) == nil)
        // An indent shortens the continuation columns.
        #expect(breaks("あいうえおかきくけこ", height: 50, next: 40, limit: 2) == nil)
        #expect(breaks("あいうえおかきくけ", height: 50, next: 40, limit: 2) == ["あいうえお", "かきくけ"])
    }
}

@Suite struct VerticalColumnsTests {
    static let form = """
        name: v
        key: id
        paper: postcard
        fonts: { mincho: IPAmjMincho }
        columns: { id: {}, addr: {} }
        fields:
          addr: { box: [60, 20, 20, 108], value: "{addr|kansuji}", vertical: true, lines: 2, size: 15, min_size: 10, min_scale: 0.7 }
          spread: { box: [20, 20, 20, 108], value: "{addr|kansuji}", vertical: true, lines: 2, size: 15, min_size: 10, min_scale: 0.7, align: distribute }
        """
    static let addrBox = (x: 60.0, y: 20.0, w: 20.0, h: 108.0)
    static let spreadBox = (x: 20.0, y: 20.0, w: 20.0, h: 108.0)
    static let pt = 72 / 25.4

    /// Renders one postcard per address; returns the volume's path and the rejects file's text.
    func render(_ addresses: [String], form text: String = Self.form) throws -> (pdf: String, rejects: String, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-vcol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.parse(text, file: "Forms/v.yaml")
        let csv = "id,addr\n" + addresses.enumerated().map { "A\($0.offset + 1),\($0.element)" }.joined(separator: "\n") + "\n"
        _ = try RenderTests.renderCSV(csv, form: form, in: dir)
        let rejects = (try? String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)) ?? ""
        return (dir.appendingPathComponent("out/vol-0001.pdf").path, rejects, dir)
    }

    @Test func aLongAddressRunsOntoASecondColumnToTheLeftAtTheSpace() throws {
        let r = try render(["夜鷹県夜鷹市栄町3丁目16番3号　コーポ夜鷹 101",   // breaks at the space before the building
                            "夜鷹市本町1-2",                                 // fits: one column
                            "夜鷹県夜鷹市栄町3丁目16番3号",
                            "夜鷹県夜鷹市栄町1丁目2番3号夜鷹センター前",         // a full column would leave ー to start the next
                            "夜鷹県夜鷹市栄町1丁目2番3号夜鷹荘東シャトー",       // … or ャ
                            "夜鷹県夜鷹市栄町1丁目2番3号夜鷹荘「北」棟"])        // … or 」, and end the first with 「
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(r.rejects.split(separator: "\n").count <= 1, "\(r.rejects)")
        let top = Self.addrBox.y * Self.pt

        let p1 = columns(try glyphBoxes(r.pdf, page: 1), inBox: Self.addrBox)
        #expect(p1.map(joined) == ["夜鷹県夜鷹市栄町三丁目一六番三号", "コーポ夜鷹一〇一"])
        if p1.count == 2 {
            // Right to left, one pitch (15 pt × 1.4) apart; the first column in its slot at the box's right edge.
            #expect(p1[1][0].centreX < p1[0][0].centreX - 20 && p1[1][0].centreX > p1[0][0].centreX - 22)
            #expect(abs(p1[0][0].centreX - ((Self.addrBox.x + Self.addrBox.w) * Self.pt - 10.5)) < 0.5)
            // Both columns from the top of the box, at the full size.
            #expect(abs(p1[0][0].y0 - top) < 0.5 && abs(p1[1][0].y0 - top) < 0.5)
            #expect(p1.joined().allSatisfy { abs($0.y1 - $0.y0 - 15) < 0.1 })
        }
        // pdftotext reads the columns in order; the space at the break is not drawn.
        let text = try runTool(["pdftotext", "-raw", "-f", "1", "-l", "1", r.pdf, "-"]).out.filter { !$0.isWhitespace }
        #expect(text.contains("夜鷹県夜鷹市栄町三丁目一六番三号コーポ夜鷹一〇一"))

        for page in [2, 3] {
            let cols = columns(try glyphBoxes(r.pdf, page: page), inBox: Self.addrBox)
            #expect(cols.count == 1, "page \(page): \(cols.map(joined))")
        }

        let expected = [4: ["夜鷹県夜鷹市栄町一丁目二番三号夜鷹セン", "ター前"],
                        5: ["夜鷹県夜鷹市栄町一丁目二番三号夜鷹荘東", "シャトー"],
                        6: ["夜鷹県夜鷹市栄町一丁目二番三号夜鷹荘", "「北」棟"]]
        for (page, want) in expected.sorted(by: { $0.key < $1.key }) {
            let cols = columns(try glyphBoxes(r.pdf, page: page), inBox: Self.addrBox).map(joined)
            #expect(cols == want, "page \(page)")
            for col in cols.dropFirst() { #expect(!"、。ー」ャュョッァィゥェォ".contains(col.first ?? "x"), "page \(page): \(col)") }
            for col in cols { #expect(!"「（".contains(col.last ?? "x"), "page \(page): \(col)") }
        }

        // 均等割付: the first of two columns is spread down the whole box, the last is set solid from the top.
        let spread = columns(try glyphBoxes(r.pdf, page: 1), inBox: Self.spreadBox)
        #expect(spread.map(joined) == ["夜鷹県夜鷹市栄町三丁目一六番三号", "コーポ夜鷹一〇一"])
        if spread.count == 2 {
            let bottom = (Self.spreadBox.y + Self.spreadBox.h) * Self.pt
            #expect(abs((spread[0].last?.y1 ?? 0) - bottom) < 1)
            #expect(abs((spread[1].last?.y1 ?? 0) - (top + 15 * Double(spread[1].count) + 15)) < 1)   // 8 glyphs and the room number's space
        }
    }

    @Test func tooLongShrinksThenFlattensThenRejects() throws {
        let r = try render([String(repeating: "夜鷹県夜鷹市", count: 7) + "夜鷹県",   // 45 characters: shrinks
                            String(repeating: "夜鷹県夜鷹市", count: 11),                // 66: flattened at 10 pt
                            String(repeating: "夜鷹県夜鷹市", count: 15)])               // 90: rejected
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(r.rejects.contains("4,A3,field addr: the text needs more than 2 columns even at 10 pt and 70% height"), "\(r.rejects)")
        let shrunk = columns(try glyphBoxes(r.pdf, page: 1), inBox: Self.addrBox)
        #expect(shrunk.count == 2)
        #expect(shrunk.map(\.count).reduce(0, +) == 45)
        let size = (shrunk.first?.first).map { $0.y1 - $0.y0 } ?? 0
        #expect(size < 15 && size >= 10, "size \(size)")
        let flat = columns(try glyphBoxes(r.pdf, page: 2), inBox: Self.addrBox)
        #expect(flat.count == 2)
        #expect(flat.map(\.count).reduce(0, +) == 66)
        if let c = flat.first, c.count > 1 {
            let step = (c[c.count - 1].y0 - c[0].y0) / Double(c.count - 1)
            #expect(step < 10 && step >= 7, "step \(step)")      // 10 pt characters, flattened
        }
        let pages = try runTool(["pdfinfo", r.pdf]).out.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        #expect(pages?.split(separator: " ").last == "2")
    }

    @Test func thePostcardPutsTheBuildingInAnIndentedSecondColumn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-vcol-card-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/postcard-notice.yaml").path,
                                       displayPath: "Forms/postcard-notice.yaml")
        let field = try #require(form.fields.first { $0.name == "address" })
        #expect(field.lines == 2 && field.indent == 1)
        let csv = "notice_id,name,postal_code,address\n" +
            "P1,山﨑 大輔,587-0550,夜鷹県夜鷹市緑町4丁目11番10号　グランドメゾン夜鷹駅前第二 505\n" +
            "P2,鈴木 一郎,586-0410,夜鷹県夜鷹市本町3丁目21番15号\n"
        let summary = try RenderTests.renderCSV(csv, form: form, in: dir)
        #expect(summary.rendered == 2 && summary.rejected == 0)
        let pdf = dir.appendingPathComponent("out/vol-0001.pdf").path
        let box = (x: field.x, y: field.y, w: field.width, h: field.height)
        let cols = columns(try glyphBoxes(pdf, page: 1), inBox: box)
        #expect(cols.map(joined) == ["夜鷹県夜鷹市緑町四丁目一一番一〇号", "グランドメゾン夜鷹駅前第二五〇五"])
        if cols.count == 2 {
            #expect(cols[1][0].centreX < cols[0][0].centreX - 15)
            // 字下げ: the second column starts one character (15 pt) lower.
            #expect(abs(cols[1][0].y0 - cols[0][0].y0 - 15) < 0.5)
        }
        #expect(columns(try glyphBoxes(pdf, page: 2), inBox: box).map(joined) == ["夜鷹県夜鷹市本町三丁目二一番一五号"])
    }

    @Test func nonsensicalColumnSettingsAreErrorsWithPositions() {
        func problems(_ fields: String) -> String {
            let yaml = "name: v\nkey: id\npaper: postcard\nfonts: { mincho: IPAmjMincho }\ncolumns: { id: {}, addr: {} }\nfields:\n" + fields
            do { _ = try FormLoader.parse(yaml, file: "Forms/v.yaml"); return "" } catch { return "\(error)" }
        }
        #expect(problems("  a: { box: [60, 20, 20, 108], value: \"{addr}\", vertical: true, lines: 2, indent: 1 }\n") == "")
        let narrow = problems("  a: { box: [60, 20, 5, 108], value: \"{addr}\", vertical: true, lines: 2, size: 12, min_size: 10 }\n")
        #expect(narrow.contains("Forms/v.yaml:7:"))
        #expect(narrow.contains("2 columns of 10 pt (min_size) at line_height 1.4 need 9.2 mm across, but the box is 5 mm wide"), "\(narrow)")
        #expect(problems("  a: { box: [60, 20, 20, 108], value: \"{addr}\", vertical: true, lines: 0 }\n")
            .contains("'lines' must be a whole number from 1 to 100"))
        let noLines = problems("  a: { box: [60, 20, 20, 108], value: \"{addr}\", vertical: true, indent: 1 }\n")
        #expect(noLines.contains("Forms/v.yaml:7:") && noLines.contains("'indent' (字下げ, in characters) lowers the continuation columns"), "\(noLines)")
        #expect(problems("  a: { box: [60, 20, 20, 108], value: \"{addr}\", vertical: true, lines: 1, indent: 1 }\n").contains("'indent' (字下げ"))
        #expect(problems("  a: { box: [60, 20, 20, 108], value: \"{addr}\", indent: 1 }\n").contains("it needs 'vertical: true' and 'lines: N'"))
        #expect(problems("  a: { box: [60, 20, 20, 30], value: \"{addr}\", vertical: true, lines: 2, size: 10, indent: 9 }\n")
            .contains("leave room for a character of 10 pt in the 30 mm tall box"))
        #expect(problems("  a: { box: [60, 20, 20, 108], value: \"{addr}\", vertical: true, lines: 2, line_height: 0.8 }\n")
            .contains("below 1 (here 0.8) the columns overlap"))
        #expect(problems("  a: { box: [60, 20, 20, 108], value: \"{addr}\", vertical: yes }\n").contains("'vertical' is true (縦書き) or false, not 'yes'"))
    }
}
