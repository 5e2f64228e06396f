import Forms
import Foundation
import OperatorFiles
import Records
import Render
import Testing

/// Runs a real tool (qpdf, poppler) and returns its exit status and standard output.
func runTool(_ args: [String]) throws -> (status: Int32, out: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Renders with the real fonts and checks the PDFs with the real tools (qpdf, poppler).
@Suite(.serialized) struct RenderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Writes `csv` to DIR/in.csv and renders it with `form` into DIR/out.
    @discardableResult
    static func renderCSV(_ csv: String, form: Form, in dir: URL, options: Renderer.Options = Renderer.Options()) throws -> Renderer.Summary {
        let data = dir.appendingPathComponent("in.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        return try Renderer(form: form, options: options).render(
            source: try DelimitedReader(path: data.path), inputName: "in.csv", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
    }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func form() throws -> Form {
        try FormLoader.load(path: Self.root.appendingPathComponent("Forms/resident-tax-notice.yaml").path,
                            displayPath: "Forms/resident-tax-notice.yaml")
    }

    func csv(_ rows: [String]) -> String {
        "taxpayer_id,name,postal_code,address,income,taxable,income_levy,per_capita,total,el_number,el_qr\n" + rows.joined(separator: "\n") + "\n"
    }

    func row(_ id: String, _ name: String, address: String = "夜鷹県夜鷹市本町1丁目2番3号", total: String = "128500") -> String {
        "\(id),\(name),123-4567,\(address),1995092,1235000,123500,5000,\(total),1203-2026-0000-0001,ELQR-\(id)"
    }

    @discardableResult
    func render(_ text: String, in dir: URL, jobs: Int = 2, volumePages: Int = 2000, maxRejects: Int? = nil, out: String = "out") throws -> Renderer.Summary {
        let data = dir.appendingPathComponent("in.csv")
        try text.write(to: data, atomically: true, encoding: .utf8)
        var options = Renderer.Options()
        options.jobs = jobs
        options.volumePages = volumePages
        options.maxRejects = maxRejects
        let renderer = try Renderer(form: try form(), options: options)
        return try renderer.render(source: try DelimitedReader(path: data.path), inputName: "in.csv",
                                   inputSHA256: try Renderer.sha256(file: data.path), outDir: dir.appendingPathComponent(out).path)
    }

    func tool(_ args: [String]) throws -> (status: Int32, out: String) { try runTool(args) }

    @Test func namesAndAddressesComeBackAsText() throws {
        let dir = try tempDir()
        try render(csv([row("T1", "𠮷田 花子"), row("T2", "髙橋 一郎"), row("T3", "山﨑 美咲"), row("T4", "葛\u{E0102}城 翔")]), in: dir)
        let pdf = dir.appendingPathComponent("out/vol-0001.pdf").path
        #expect(try tool(["qpdf", "--check", pdf]).status == 0)
        let fonts = try tool(["pdffonts", pdf]).out
        // Both fonts embedded, subset and with a ToUnicode map: "CID TrueType Identity-H yes yes yes".
        #expect(fonts.split(separator: "\n").filter { $0.contains("CID TrueType") && $0.contains("yes yes yes") }.count == 2)
        let text = try tool(["pdftotext", pdf, "-"]).out
        for expected in ["𠮷田 花子", "髙橋 一郎", "山﨑 美咲", "夜鷹県夜鷹市本町1丁目2番3号", "￥128,500", "〒123-4567", "T4"] {
            #expect(text.contains(expected), "\(expected) not in the extracted text")
        }
        // The IVS glyph maps back to base character + selector.
        #expect(text.contains("葛\u{E0102}城"))
    }

    /// IPAmj draws 〜 and ～ with one glyph, ‐ (U+2010) with -'s, U+3000 with U+2003's: each must
    /// still come back from the PDF as the character the record held.
    @Test func charactersSharingAGlyphComeBackAsThemselves() throws {
        let dir = try tempDir()
        try render(csv([row("T1", "田中〜ー郎", address: "夜鷹県夜鷹市本町1‐2‐3 コーポ～夜鷹-101"), row("T2", "鈴木\u{3000}花子\u{2003}")]), in: dir)
        let pdf = dir.appendingPathComponent("out/vol-0001.pdf").path
        #expect(try tool(["qpdf", "--check", pdf]).status == 0)
        let text = try tool(["pdftotext", "-raw", pdf, "-"]).out
        for expected in ["田中〜ー郎", "1‐2‐3", "コーポ～夜鷹-101"] {
            #expect(text.contains(expected), "\(expected) not in the extracted text")
        }
        // pdftotext prints every space character as " ", so look at the ToUnicode maps themselves:
        // U+3000 and U+2003 each have a CID of their own.
        let qdf = dir.appendingPathComponent("qdf.pdf").path
        #expect(try tool(["qpdf", "--qdf", "--object-streams=disable", pdf, qdf]).status == 0)
        let raw = String(decoding: try Data(contentsOf: URL(fileURLWithPath: qdf)), as: UTF8.self)
        #expect(raw.contains("> <3000>\n") && raw.contains("> <2003>\n"))
        let font = try Font(path: "/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
        let wave = try #require(font.glyph(for: "〜")), fullWave = try #require(font.glyph(for: "～"))
        #expect(wave == fullWave, "the font no longer shares the glyph; pick another pair")
        #expect(font.cid(glyph: wave, text: "〜") != font.cid(glyph: fullWave, text: "～"))
    }

    @Test func theOutputIsTheSameWhateverTheJobCount() throws {
        let dir = try tempDir()
        var rows: [String] = []
        for i in 1...250 { rows.append(row(String(format: "T%05d", i), i % 2 == 0 ? "佐藤 太郎" : "髙橋 花子", total: String(1000 * i))) }
        let text = csv(rows)
        try render(text, in: dir, jobs: 1, volumePages: 40, out: "one")
        try render(text, in: dir, jobs: 4, volumePages: 40, out: "four")
        let one = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("one").path).sorted()
        #expect(one.filter { $0.hasPrefix("vol-") }.count == 7)
        for f in one {
            let a = FileManager.default.contents(atPath: dir.appendingPathComponent("one/\(f)").path)
            let b = FileManager.default.contents(atPath: dir.appendingPathComponent("four/\(f)").path)
            #expect(a != nil && a == b, "\(f) differs")
        }
        let check = try tool(["sh", "-c", "cd '\(dir.appendingPathComponent("one").path)' && sha256sum -c SHA256SUMS"])
        #expect(check.status == 0)
    }

    @Test func everyRecordIsRenderedOrRejectedWithItsLine() throws {
        let dir = try tempDir()
        let summary = try render(csv([
            row("T1", "佐藤 太郎"),
            row("T2", "外字\u{E100}子"),                       // a private-use character the 外字 mapping lacks
            "T3,短い行",                                          // too few fields
            row("T4", "鈴木 花子", total: "12万"),               // not a whole number
            row("T5", "田中 一郎", address: String(repeating: "夜鷹県夜鷹市", count: 12)),   // too long even squeezed
            row("T6", "伊藤 陽子"),
        ]), in: dir)
        #expect(summary.records == 6)
        #expect(summary.rendered == 2)
        #expect(summary.rejected == 4)
        #expect(summary.records == summary.rendered + summary.rejected)
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rejects.first == "line,key,reason")
        #expect(rejects.contains { $0.hasPrefix("3,T2,") && $0.contains("private-use character U+E100 (外字)") })
        #expect(rejects.contains { $0.hasPrefix("4,") })
        #expect(rejects.contains { $0.hasPrefix("5,T4,") && $0.contains("total is not a whole number") })
        #expect(rejects.contains { $0.hasPrefix("6,T5,") && $0.contains("too long for its box") })
        let manifest = try String(contentsOf: dir.appendingPathComponent("out/manifest.csv"), encoding: .utf8)
        let firstFive = manifest.split(separator: "\n").map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
        #expect(firstFive == ["key,volume,first_page,pages,sheets", "T1,vol-0001.pdf,1,1,1", "T6,vol-0001.pdf,2,1,1"])
    }

    @Test func tooManyRejectsLeaveNoOutput() throws {
        let dir = try tempDir()
        #expect(throws: Renderer.RenderError.self) {
            try render(csv([row("T1", "外字\u{E100}"), row("T2", "外字\u{E101}"), row("T3", "佐藤 太郎")]), in: dir, maxRejects: 1)
        }
        // No volume, manifest or checksum list: only the rejects list, so the clerk sees why.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["in.csv", "out"], "\(left)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path) == ["rejects.csv"])
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("1,T1,") == false && rejects.contains("2,T1,"), "\(rejects)")
    }

    @Test func aLongNameShrinksAndSqueezesInsideItsBox() throws {
        let dir = try tempDir()
        try render(csv([row("T1", "勅使河原五十嵐長谷川佐々木 惣右衛門惣右衛門惣右衛門")]), in: dir)
        let pdf = dir.appendingPathComponent("out/vol-0001.pdf").path
        // Rasterise at 72 dpi (1 px = 1 pt) as greyscale and look at the name box: x 22–107 mm, y 60–71 mm.
        let prefix = dir.appendingPathComponent("page").path
        #expect(try tool(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", pdf, prefix]).status == 0)
        let pgm = try #require(FileManager.default.contents(atPath: prefix + "-1.pgm"))
        let image = try #require(PGM(pgm))
        func ink(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Int {
            let k = 72.0 / 25.4
            return image.darkPixels(x: Int(x0 * k)..<Int(x1 * k), y: Int(y0 * k)..<Int(y1 * k))
        }
        #expect(ink(22, 60, 107, 71) > 200)          // the name is drawn in its box …
        #expect(ink(108.5, 60, 117, 71) == 0)        // … and nothing spills past its right edge
        let text = try tool(["pdftotext", pdf, "-"]).out
        #expect(text.contains("勅使河原五十嵐長谷川佐々木 惣右衛門惣右衛門惣右衛門"))
        // The squeeze is a horizontal scale (Tz) in the page's content stream.
        let content = try tool(["qpdf", "--qdf", "--object-streams=disable", pdf, "-"]).out
        #expect(content.contains(" Tz"))
    }

    @Test func aConditionalFieldShowsOnlyWhenItsConditionHolds() throws {
        let dir = try tempDir()
        try render(csv([
            "T1,佐藤 太郎,123-4567,夜鷹県夜鷹市本町1丁目2番3号,700000,0,0,5000,5000,E,Q",
            row("T2", "鈴木 花子"),
        ]), in: dir)
        let pdf = dir.appendingPathComponent("out/vol-0001.pdf").path
        let first = try tool(["pdftotext", "-f", "1", "-l", "1", pdf, "-"]).out
        let second = try tool(["pdftotext", "-f", "2", "-l", "2", pdf, "-"]).out
        #expect(first.contains("所得割は課税されません"))
        #expect(!second.contains("所得割は課税されません"))
        #expect(Form.Condition.parse("a == 'x'")?.holds("x") == true)
        #expect(Form.Condition.parse("a != 1")?.holds("1") == false)
        #expect(Form.Condition.parse("a")?.holds("0") == false)
        #expect(Form.Condition.parse("a b") == nil)
    }

    @Test func filtersFormatLikeANotice() throws {
        func eval(_ t: String, _ v: String) throws -> String {
            guard case .success(let template) = Template.parse(t) else { return "parse error" }
            return try template.evaluate { _ in v }
        }
        #expect(try eval("{x|yen}", "1234500") == "￥1,234,500")
        #expect(try eval("{x|comma}", "-1000") == "-1,000")
        #expect(try eval("{x|postal}", "1234567") == "〒123-4567")
        #expect(try eval("{x|pad:8}", "42") == "00000042")
        #expect(try eval("{x|wareki}", "2026-06-10") == "令和8年6月10日")
        #expect(try eval("{x|wareki}", "2019-05-01") == "令和元年5月1日")
        #expect(try eval("{x|wareki}", "2019-04-30") == "平成31年4月30日")
        #expect(throws: Template.EvaluationError.self) { try eval("{x|yen}", "abc") }
        if case .success = Template.parse("{x|bogus}") { Issue.record("an unknown filter parsed") }
    }

    @Test func aFormThatIsNotUTF8IsRefusedNotGuessed() throws {
        let dir = try tempDir()
        let path = dir.appendingPathComponent("Forms/sjis.yaml")
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try #require("name: sjis\nkey: id\ndescription: 納税通知書\n".data(using: .shiftJIS)).write(to: path)
        do {
            _ = try FormLoader.load(path: path.path, displayPath: "Forms/sjis.yaml")
            Issue.record("a Shift_JIS form loaded")
        } catch let v as ValidationFailure {
            #expect(v.description == "Forms/sjis.yaml:1:1: error: the file is not UTF-8 text; save it as UTF-8")
        }
    }

    @Test func formErrorsHavePositions() {
        do {
            _ = try FormLoader.parse("""
                name: f
                key: id
                paper: A7
                fields:
                  name:
                    box: [1, 2, 3]
                    value: "{name|upper}"
                """, file: "Forms/f.yaml", expectedName: "f")
            Issue.record("an invalid form loaded")
        } catch let v as ValidationFailure {
            let text = v.description
            #expect(text.contains("Forms/f.yaml:3:8: error: unknown paper 'A7'"))
            #expect(text.contains("Forms/f.yaml:6:10: error: 'box' [x, y, width, height] in mm must be a list of 4 numbers"))
        } catch {
            Issue.record("\(error)")
        }
    }
}

/// Rasterised pages are read with the inserter check's reader.
typealias PGM = GrayImage

@Suite struct MultiPageTests {
    @Test func detailLinesFlowOntoContinuationPagesWithPageNumbers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-multipage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/fixed-asset-tax-notice.yaml").path,
                                       displayPath: "Forms/fixed-asset-tax-notice.yaml")
        #expect(form.pages(rows: 18) == 1)
        #expect(form.pages(rows: 19) == 2)
        #expect(form.pages(rows: 45) == 2)
        #expect(form.pages(rows: 46) == 3)
        // Owner A: 1 property; owner B: 50 properties (18 + 27 + 5 → 3 pages); owner C: 2, one of them bad.
        var csv = "owner_id,name,postal_code,address,location,category,area,assessed_value,tax,total_tax\n"
        func line(_ owner: String, _ n: Int, value: String = "1000000") -> String {
            "\(owner),山田 太郎,123-4567,夜鷹県夜鷹市本町1丁目2番3号,夜鷹市栄町1丁目\(n)番,宅地,100.00,\(value),14000,99000\n"
        }
        csv += line("A", 1)
        for n in 1...50 { csv += line("B", n) }
        csv += line("C", 1) + line("C", 2, value: "not-a-number")
        let data = dir.appendingPathComponent("in.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        var options = Renderer.Options()
        options.volumePages = 3
        let summary = try Renderer(form: form, options: options).render(
            source: try DelimitedReader(path: data.path), inputName: "in.csv", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
        #expect(summary.records == 53)
        #expect(summary.rendered == 51)
        #expect(summary.rejected == 2)
        #expect(summary.notices == 2)
        #expect(summary.pages == 4)
        // A notice never splits across volumes: A fills volume 1 alone because B needs 3 pages.
        let manifest = try String(contentsOf: dir.appendingPathComponent("out/manifest.csv"), encoding: .utf8)
        // (The form prepares mail: the extra columns are the envelope group, office and bundle.)
        let firstFive = manifest.split(separator: "\n").map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
        #expect(firstFive == ["key,volume,first_page,pages,sheets", "A,vol-0001.pdf,1,1,1", "B,vol-0002.pdf,1,3,3"])
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("54,C,assessed_value is not a whole number"))
        #expect(rejects.contains("53,C,notice C rejected: line 54: assessed_value is not a whole number"))
        // Page numbers and the continuation heading are on the pages; all 50 properties are there.
        let text = try runTool(["pdftotext", "-layout", dir.appendingPathComponent("out/vol-0002.pdf").path, "-"]).out
        let compact = text.replacingOccurrences(of: " ", with: "")   // -layout may drop the spaces of "1 / 3"
        for expected in ["1/3", "2/3", "3/3", "課税明細書（続き）", "夜鷹市栄町1丁目1番", "夜鷹市栄町1丁目50番"] {
            #expect(compact.contains(expected), "\(expected) missing")
        }
        #expect(text.components(separatedBy: "夜鷹市栄町1丁目").count - 1 == 50)
    }
}

@Suite struct VerticalTests {
    @Test func aPostcardIsWrittenTopToBottomWithTheExactCharacters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-postcard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/postcard-notice.yaml").path,
                                       displayPath: "Forms/postcard-notice.yaml")
        #expect(form.paper.width == 100 && form.paper.height == 148)
        let csv = "notice_id,name,postal_code,address\nP1,山﨑 健太,852-7317,夜鷹県夜鷹市栄町2丁目28番4号\nP2,𠮷田 花子,719-8726,夜鷹市本町1-2\n"
        let data = dir.appendingPathComponent("in.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let summary = try Renderer(form: form, options: Renderer.Options()).render(
            source: try DelimitedReader(path: data.path), inputName: "in.csv", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
        #expect(summary.rendered == 2 && summary.rejected == 0)
        let pdf = dir.appendingPathComponent("out/vol-0001.pdf").path
        func run(_ args: [String]) throws -> String { try runTool(args).out }
        // In drawing order, whitespace aside: the compatibility ideograph 﨑 is kept (not normalised to 崎),
        // 𠮷 is drawn, and the address digits are kanji.
        let text = try run(["pdftotext", "-raw", pdf, "-"]).filter { !$0.isWhitespace }
        #expect(text.contains("山﨑健太"))
        #expect(!text.contains("山崎"))
        #expect(text.contains("𠮷田花子"))
        #expect(text.contains("栄町二丁目二八番四号"))
        #expect(text.contains("本町一ー二"))
        #expect(try run(["qpdf", "--check", pdf]).contains("No syntax or stream encoding errors"))
        // ー has a vertical form in the font; the vertical field uses it, not the horizontal glyph.
        let font = try Font(path: "/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
        let horizontal = try #require(font.glyph(for: "ー"))
        guard case .success(let vertical) = VerticalShaper(font: font).shape("一ー二") else { Issue.record("shaping failed"); return }
        #expect(vertical.count == 3)
        #expect(vertical[1].glyph != horizontal)
        #expect(vertical[0].glyph == font.glyph(for: "一"))
    }
}

import Typesetting

@Suite struct LineBreakingTests {
    func glyphs(_ s: String) -> [ShapedGlyph] { s.map { ShapedGlyph(glyph: 1, advance: 1000, text: String($0)) } }
    func text(_ g: [ShapedGlyph], _ r: Range<Int>) -> String { g[r].map(\.text).joined() }

    @Test func aLineNeverStartsWithPunctuationNorEndsWithAnOpeningBracket() {
        // Five characters a line (10 pt glyphs, a 50 pt box).
        let g = glyphs("あいうえお。かきくけ「こさし」すせそ")
        let lines = LineBreaker.lines(g, width: 50, size: 10, unitsPerEm: 1000).map { text(g, $0) }
        // お moves down so 。 does not start a line; し moves down so 」 does not.
        #expect(lines == ["あいうえ", "お。かきく", "け「こさ", "し」すせそ"])
        for l in lines {
            #expect(!"、。」ー".contains(l.first ?? "x"))
            #expect(l.last != "「")
        }
        #expect(lines.joined() == "あいうえお。かきくけ「こさし」すせそ")
    }

    @Test func latinWordsStayWhole() {
        let g = glyphs("abc defgh ij")
        let lines = LineBreaker.lines(g, width: 60, size: 10, unitsPerEm: 1000).map { text(g, $0) }
        #expect(lines == ["abc ", "defgh ", "ij"])
    }

    @Test func aWrappedFieldShrinksToItsLineLimitOrRejects() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-wrap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/resident-tax-notice.yaml").path,
                                       displayPath: "Forms/resident-tax-notice.yaml")
        let long = String(repeating: "前年度に未納の税額があります。", count: 5)
        let tooLong = String(repeating: "前年度に未納の税額があります。", count: 30)
        let csv = "taxpayer_id,name,postal_code,address,income,taxable,income_levy,per_capita,total,el_number,el_qr,note\n" +
            "T1,佐藤 太郎,123-4567,夜鷹市本町1丁目2番3号,1995092,1235000,123500,5000,128500,E1,Q1,\(long)\n" +
            "T2,佐藤 花子,123-4567,夜鷹市本町1丁目2番3号,1995092,1235000,123500,5000,128500,E2,Q2,\(tooLong)\n"
        let summary = try RenderTests.renderCSV(csv, form: form, in: dir)
        #expect(summary.rendered == 1 && summary.rejected == 1)
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("3,T2,field note: the text needs more than 3 lines even at 8 pt"))
        let out = try runTool(["pdftotext", "-raw", dir.appendingPathComponent("out/vol-0001.pdf").path, "-"]).out
        #expect(out.filter { !$0.isNewline }.contains(long))
        let noteLines = out.split(separator: "\n").filter { $0.count > 3 && long.contains($0) }
        #expect(noteLines.count >= 2 && noteLines.count <= 3)
        #expect(noteLines.allSatisfy { !($0.first.map { "。、".contains($0) } ?? false) })
    }
}

@Suite struct ImageTests {
    @Test func theSealAndTheMarkAreEmbeddedOncePerVolume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/resident-tax-notice.yaml").path,
                                       displayPath: "Forms/resident-tax-notice.yaml")
        var csv = "taxpayer_id,name,postal_code,address,income,taxable,income_levy,per_capita,total,el_number,el_qr\n"
        for i in 1...5 { csv += "T\(i),佐藤 太郎,123-4567,夜鷹市本町1丁目2番3号,1995092,1235000,123500,5000,128500,E\(i),Q\(i)\n" }
        let data = dir.appendingPathComponent("in.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        _ = try Renderer(form: form, options: Renderer.Options()).render(
            source: try DelimitedReader(path: data.path), inputName: "in.csv", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
        let rows = try runTool(["pdfimages", "-list", dir.appendingPathComponent("out/vol-0001.pdf").path]).out.split(separator: "\n").dropFirst(2)
        let cols = rows.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(cols.count == 15)                                    // 3 images on each of 5 pages …
        #expect(Set(cols.map { $0[10] }).count == 2)                 // … but 2 image objects, written once (pdfimages lists a soft mask under its image's id)
        #expect(cols.contains { $0[2] == "smask" && $0[3] == "240" }) // the seal's transparency
        #expect(cols.contains { $0[8] == "jpeg" })                    // the mark, as JPEG
    }

    @Test func aMissingOrUnsupportedImageIsAnErrorWithAPosition() throws {
        do {
            _ = try FormLoader.parse("name: f\nkey: id\nstatic:\n  - image: Forms/assets/nope.png\n    box: [1, 2, 3, 4]\n",
                                     file: "Forms/f.yaml", siteRoot: RenderTests.root.path)
            Issue.record("a missing image loaded")
        } catch let v as ValidationFailure {
            #expect(v.description.contains("Forms/f.yaml:4:12: error: image Forms/assets/nope.png does not exist"))
        }
        let bogus = FileManager.default.temporaryDirectory.appendingPathComponent("bogus-\(UUID().uuidString).png")
        try Data("not an image".utf8).write(to: bogus)
        #expect(throws: ImageFile.ImageError.self) { try ImageFile.load(path: bogus.path) }
    }
}

import PDF

@Suite struct InputFormatTests {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func pdftotext(_ pdf: String) throws -> String { try runTool(["pdftotext", "-raw", pdf, "-"]).out }

    @Test func fixedLengthCP932RecordsFollowTheFormsByteLayout() throws {
        let dir = try tempDir()
        let form = try FormLoader.parse("""
            name: f
            key: id
            fonts: { mincho: IPAmjMincho }
            input:
              format: fixed
              encoding: cp932
              record_length: 40
              fields:
                - { name: id, offset: 0, length: 6 }
                - { name: name, offset: 6, length: 20 }
                - { name: total, offset: 26, length: 14 }
            columns:
              id: { required: true }
              name: { required: true }
              total: { type: integer, required: true }
            fields:
              name: { box: [20, 20, 100, 10], value: "{name} 様" }
              total: { box: [20, 40, 100, 10], value: "{total|yen}" }
            """, file: "Forms/f.yaml")
        func field(_ s: String, _ n: Int) throws -> Data {
            var d = try #require(s.data(using: .shiftJIS))
            d.append(Data(repeating: 0x20, count: n - d.count))
            return d
        }
        var bytes = Data()
        for (id, name, total) in [("A00001", "佐藤　太郎", "128500"), ("A00002", "鈴木　花子", "9x")] {
            bytes += try field(id, 6) + field(name, 20) + field(total, 14) + Data([0x0A])
        }
        let data = dir.appendingPathComponent("in.dat")
        try bytes.write(to: data)
        let reader = try InputOpener.open(path: data.path, form: form)
        let summary = try Renderer(form: form, options: Renderer.Options()).render(
            source: reader, inputName: "in.dat", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
        #expect(summary.rendered == 1 && summary.rejected == 1)
        let text = try pdftotext(dir.appendingPathComponent("out/vol-0001.pdf").path)
        // (pdftotext prints the name's U+3000 as " ".)
        #expect(text.contains("佐藤") && text.contains("太郎 様"))
        #expect(text.contains("￥128,500"))
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("2,A00002,total is not a whole number"))
    }

    @Test func jsonLinesDetailArraysBecomeDetailLines() throws {
        let dir = try tempDir()
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/fixed-asset-tax-notice.yaml").path,
                                       displayPath: "Forms/fixed-asset-tax-notice.yaml")
        func owner(_ id: String, _ n: Int) -> String {
            let props = (1...n).map { #"{"location": "夜鷹市旭町2丁目\#($0)番", "category": "宅地", "area": "120.50", "assessed_value": 1000000, "tax": 14000}"# }
            return #"{"owner_id": "\#(id)", "name": "𠮷田 花子", "postal_code": "123-4567", "address": "夜鷹市本町1丁目2番3号", "total_tax": \#(14000 * n), "properties": [\#(props.joined(separator: ", "))]}"#
        }
        let data = dir.appendingPathComponent("in.jsonl")
        try (owner("K1", 20) + "\n" + owner("K2", 1) + "\n").write(to: data, atomically: true, encoding: .utf8)
        let summary = try Renderer(form: form, options: Renderer.Options()).render(
            source: try InputOpener.open(path: data.path, form: form, format: .jsonl), inputName: "in.jsonl", inputSHA256: "-",
            outDir: dir.appendingPathComponent("out").path)
        #expect(summary.notices == 2)
        #expect(summary.pages == 3)   // 20 properties: 18 on page 1, 2 on a continuation page
        let manifest = try String(contentsOf: dir.appendingPathComponent("out/manifest.csv"), encoding: .utf8)
        // Two sheets and one sheet go into different envelopes, so into volumes of their own (1-sheet group first).
        #expect(manifest.contains("K1,vol-0002.pdf,1,2,2,2,") && manifest.contains("K2,vol-0001.pdf,1,1,1,1,"))
        let text = try pdftotext(dir.appendingPathComponent("out/vol-0001.pdf").path) + pdftotext(dir.appendingPathComponent("out/vol-0002.pdf").path)
        #expect(text.contains("夜鷹市旭町2丁目20番"))
        #expect(text.contains("1,000,000"))
    }
}

@Suite struct SortTests {
    @Test func sortingKeepsNoticesTogetherAndOrdersThemByTheirFirstRecord() throws {
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/fixed-asset-tax-notice.yaml").path,
                                       displayPath: "Forms/fixed-asset-tax-notice.yaml")
        let csv = """
            owner_id,name,postal_code,address,location,category,area,assessed_value,tax,total_tax
            K3,A,300-0001,x,l1,宅地,1,10,1,2
            K3,A,300-0001,x,l2,宅地,1,10,1,2
            K1,B,100-0002,x,l3,宅地,1,10,1,1
            K2,C,100-0001,x,l4,宅地,1,10,1,1
            K4,D,90,x,l5,宅地,1,10,1,1

            """
        let reader = try DelimitedReader(data: Data(csv.utf8), name: "in.csv")
        let sorted = try SortedRecords(reader, form: form, by: ["postal_code"])
        var out: [String] = []
        while let r = try sorted.next() { out.append("\(r.fields[0]):\(r.fields[4])") }
        // Postal codes with a hyphen compare as text; "90", a whole number, comes before all text.
        // K3's two records stay together.
        #expect(out == ["K4:l5", "K2:l4", "K1:l3", "K3:l1", "K3:l2"])
        let byID = try SortedRecords(try DelimitedReader(data: Data(csv.utf8), name: "in.csv"), form: form, by: ["owner_id"])
        var ids: [String] = []
        while let r = try byID.next() { ids.append(r.fields[0]) }
        #expect(ids == ["K1", "K2", "K3", "K3", "K4"])
        #expect(throws: RecordError.self) { try SortedRecords(try DelimitedReader(data: Data(csv.utf8), name: "in.csv"), form: form, by: ["nope"]) }
    }
}
