import Forms
import Foundation
import Records
@testable import Render
import Testing

/// Barcodes as a reader sees them: rendered, rasterised with pdftoppm, then decoded by zxing-cpp (a
/// real, independent decoder) or, for the 4-state customer barcode that zxing cannot read, measured
/// bar by bar against Japan Post's published example.
@Suite(.serialized) struct BarcodeRenderTests {
    static let root = RenderTests.root
    static let decoder = root.appendingPathComponent("Tests/RenderTests/decode_barcodes.py").path

    struct Decoded: Decodable { let format: String; let text: String; let x: Double; let y: Double }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-barcode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    func render(form: Form, csv: String, in dir: URL) throws -> Renderer.Summary {
        let data = dir.appendingPathComponent("in.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        return try Renderer(form: form, options: Renderer.Options()).render(
            source: try DelimitedReader(path: data.path), inputName: "in.csv", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
    }

    /// Rasterises one page at `dpi` (optionally a crop given in mm) and returns the PGM or PNG path.
    func raster(_ pdf: String, page: Int, dpi: Int, png: Bool, crop: (x: Double, y: Double, w: Double, h: Double)? = nil, prefix: String) throws -> String {
        var args = ["pdftoppm", "-r", String(dpi), "-gray", "-f", String(page), "-l", String(page), "-singlefile"]
        if png { args.append("-png") }
        if let crop {
            let px = { (mm: Double) in String(Int((mm / 25.4 * Double(dpi)).rounded())) }
            args += ["-x", px(crop.x), "-y", px(crop.y), "-W", px(crop.w), "-H", px(crop.h)]
        }
        #expect(try runTool(args + [pdf, prefix]).status == 0)
        return prefix + (png ? ".png" : ".pgm")
    }

    func decode(_ png: String) throws -> [Decoded] {
        let out = try runTool(["python3", Self.decoder, png])
        #expect(out.status == 0, "decode_barcodes.py needs zxing-cpp and pillow (scripts/install-deps installs them)")
        return try JSONDecoder().decode([Decoded].self, from: Data(out.out.utf8))
    }

    func residentForm() throws -> Form {
        try FormLoader.load(path: Self.root.appendingPathComponent("Forms/resident-tax-notice.yaml").path, displayPath: "Forms/resident-tax-notice.yaml")
    }

    static let header = "taxpayer_id,name,postal_code,address,income,taxable,income_levy,per_capita,total,el_number,el_qr\n"

    @Test func theSlipsCodesDecodeWithARealReader() throws {
        let dir = try tempDir()
        let csv = Self.header + "T000000042,佐藤 太郎,154-0023,東京都世田谷区太子堂3丁目16番4号 205,1995092,1235000,123500,5000,128500,1203-2026-0000-0042,ELQR12030000000042\n"
        let summary = try render(form: try residentForm(), csv: csv, in: dir)
        #expect(summary.rendered == 1)
        let png = try raster(dir.appendingPathComponent("out/vol-0001.pdf").path, page: 1, dpi: 300, png: true, prefix: dir.appendingPathComponent("p").path)
        let found = try decode(png)
        // 91 + company 912345 + free field (T000000042 → 42, then 01) + reissue 0 + 260630 + stamp 0 + 128500 + check 8.
        let gs1 = found.first { $0.format.contains("128") }
        #expect(gs1?.text == "(91)91234500000000000000000420102606300128500" + "8")
        let qr = found.first { $0.format.contains("QR") }
        #expect(qr?.text == "ELQR12030000000042")
        // Where the form puts them: the QR in [98, 256, 24, 24] mm, the GS1-128 in [128, 258, 60, 17] mm (300 dpi).
        let mm = { (px: Double) in px / 300 * 25.4 }
        if let qr { #expect((98...122).contains(mm(qr.x)) && (256...280).contains(mm(qr.y))) }
        if let gs1 { #expect((128...188).contains(mm(gs1.x)) && (258...275).contains(mm(gs1.y))) }
        // The human-readable lines beneath the GS1-128 bars.
        let text = try runTool(["pdftotext", "-raw", dir.appendingPathComponent("out/vol-0001.pdf").path, "-"]).out
        #expect(text.contains("(91)912345-0000000000000000042010"))
        #expect(text.contains("260630-0-128500-8"))
    }

    /// Japan Post's manual, p.6: 154-0023 with 3-16-4-205 gives these 67 bars. Read back from pixels at
    /// 600 dpi: each bar's upper and lower thirds tell long (F), ascender (A), descender (D) or timing (T).
    @Test func theCustomerBarcodeMatchesJapanPostsExampleBarByBar() throws {
        let dir = try tempDir()
        let csv = Self.header + "T1,佐藤 太郎,154-0023,東京都世田谷区太子堂3丁目16番4号 205,1995092,1235000,123500,5000,128500,E,Q\n"
        _ = try render(form: try residentForm(), csv: csv, in: dir)
        // The form's box: [22, 67, 80, 3.6] at 10 pt; crop 1 mm around it.
        let pgm = try raster(dir.appendingPathComponent("out/vol-0001.pdf").path, page: 1, dpi: 600, png: false,
                             crop: (21, 66, 83, 5.6), prefix: dir.appendingPathComponent("cb").path)
        let image = try #require(PGM(try Data(contentsOf: URL(fileURLWithPath: pgm))))
        let px = { (mm: Double) in Int((mm / 25.4 * 600).rounded()) }
        func dark(_ xmm: Double, _ ymm: Double) -> Bool {
            let x = px(xmm - 21), y = px(ymm - 66)
            return image.darkPixels(x: x - 2..<x + 3, y: y - 2..<y + 3) > 12
        }
        var bars = ""
        for i in 0..<67 {
            let centre = 22 + Double(i) * 1.2 + 0.3
            #expect(dark(centre, 67 + 1.8), "bar \(i) has no timing part")
            #expect(!dark(centre + 0.6, 67 + 1.8), "no gap after bar \(i)")
            switch (dark(centre, 67 + 0.5), dark(centre, 67 + 3.1)) {
            case (true, true): bars.append("F")
            case (true, false): bars.append("A")
            case (false, true): bars.append("D")
            case (false, false): bars.append("T")
            }
        }
        #expect(bars == "FDFFTFTFFADFTTFTTFDADFADFATFTFFTDAFTFTFADTFTFDAFTTFTFTDATDATDADAFDF")
        // Physical size at 10 pt: the first bar (long) is 0.6 mm wide and 3.6 mm tall.
        let row = px(67 + 1.8 - 66)
        let width = (0..<px(1.9)).filter { image.pixels[row * image.width + $0] < 128 }.count
        #expect(abs(Double(width) - 0.6 / 25.4 * 600) <= 2)
        let col = px(22 + 0.3 - 21)
        let height = (0..<image.height).filter { image.pixels[$0 * image.width + col] < 128 }.count
        #expect(abs(Double(height) - 3.6 / 25.4 * 600) <= 2)
    }

    @Test func largeSumsGetNoConvenienceCodeButSayWhy() throws {
        let dir = try tempDir()
        let csv = Self.header + "T2,佐藤 花子,154-0023,太子堂3丁目16番4号,9000000,8240000,824000,5000,829000,E,Q\n"
        _ = try render(form: try residentForm(), csv: csv, in: dir)
        let pdf = dir.appendingPathComponent("out/vol-0001.pdf").path
        let found = try decode(try raster(pdf, page: 1, dpi: 300, png: true, prefix: dir.appendingPathComponent("p").path))
        #expect(!found.contains { $0.format.contains("128") })
        #expect(found.contains { $0.format.contains("QR") })
        #expect(try runTool(["pdftotext", "-raw", pdf, "-"]).out.contains("コンビニエンスストアでは納付できません"))
    }

    static let controlForm = """
        name: control-codes
        paper: A4
        key: id
        fonts: { gothic: IPAexGothic }
        columns: { id: { required: true }, ref: {} }
        fields:
          c128: { box: [20, 20, 80, 16], value: "REF-{id}", barcode: code128, size: 8 }
          c39: { box: [20, 50, 120, 16], value: "{id}", barcode: code39, size: 8 }
          nw7: { box: [20, 80, 80, 16], value: "{id|digits}", barcode: nw7, size: 8 }
          dm: { box: [20, 110, 20, 20], value: "{id}/{ref}", barcode: datamatrix }
          qr: { box: [60, 110, 30, 30], value: "{ref}", barcode: qr, ecc: H }
        """

    @Test func controlCodesDecode() throws {
        let dir = try tempDir()
        let form = try FormLoader.parse(Self.controlForm, file: "control-codes.yaml", siteRoot: Self.root.path)
        _ = try render(form: form, csv: "id,ref\nAB-1234,漢字とascii 42\n", in: dir)
        let found = try decode(try raster(dir.appendingPathComponent("out/vol-0001.pdf").path, page: 1, dpi: 300, png: true,
                                          prefix: dir.appendingPathComponent("p").path))
        let byFormat = Dictionary(found.map { ($0.format.replacingOccurrences(of: " ", with: ""), $0.text) }, uniquingKeysWith: { a, _ in a })
        #expect(byFormat["Code128"] == "REF-AB-1234")
        #expect(byFormat["Code39"] == "AB-1234")
        #expect(byFormat["Codabar"].map { $0.contains("1234") } == true)
        #expect(byFormat["DataMatrix"] == "AB-1234/漢字とascii 42")
        #expect(byFormat["QRCode"] == "漢字とascii 42")
    }

    @Test func placementRulesAreCheckedWhenTheFormLoads() {
        func problems(_ fields: String, statics: String = "") -> String {
            let yaml = """
                name: t
                key: id
                fonts: { gothic: IPAexGothic }
                columns: { id: {}, zip: {}, addr: {} }
                static:
                  - line: [10, 40, 200, 40]
                \(statics)
                fields:
                \(fields)
                """
            do { _ = try FormLoader.parse(yaml, file: "t.yaml"); return "" } catch { return "\(error)" }
        }
        // 2 mm of quiet zone under the bars reaches the line at y = 40.
        let tooClose = problems("  cb: { box: [20, 35, 80, 3.6], barcode: customer, postal: \"{zip}\", value: \"{addr}\" }")
        #expect(tooClose.contains("t.yaml:9:5") && tooClose.contains("quiet zone"))
        #expect(problems("  cb: { box: [20, 30, 80, 3.6], barcode: customer, postal: \"{zip}\", value: \"{addr}\" }") == "")
        // A 10 pt barcode is 79.8 mm long; 11.5 pt is the largest Japan Post allows.
        #expect(problems("  cb: { box: [20, 30, 60, 3.6], barcode: customer, postal: \"{zip}\", value: \"{addr}\" }").contains("79.8"))
        #expect(problems("  cb: { box: [20, 30, 95, 5], barcode: customer, postal: \"{zip}\", value: \"{addr}\", size: 12 }").contains("8 to 11.5 pt"))
        // The payment code: at most 60 mm wide, bars at least 10 mm tall, every part given.
        let pay = "size: 7, payment: { company: \"1\", free: \"{id}\", reissue: \"0\", deadline: \"260630\", stamp: \"0\", amount: \"1\" }"
        #expect(problems("  p: { box: [20, 50, 70, 17], barcode: gs1-128, \(pay) }").contains("at most 60 mm"))
        #expect(problems("  p: { box: [20, 50, 60, 12], barcode: gs1-128, \(pay) }").contains("at least 10 mm"))
        #expect(problems("  p: { box: [20, 50, 60, 17], barcode: gs1-128, \(pay) }") == "")
        #expect(problems("  p: { box: [20, 50, 60, 17], barcode: gs1-128, payment: { company: \"1\" } }").contains("needs 'free'"))
    }
}

/// 外字 in CP932 data: mapped to the characters the mapping names, or the record is a reject; the
/// coverage check lists what cannot be drawn before a render.
@Suite struct GaijiTests {
    @Test func legacyUserDefinedCodesPrintAsTheirMappedCharacters() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-gaiji-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/resident-tax-notice.yaml").path,
                                       displayPath: "Forms/resident-tax-notice.yaml")
        // CP932 bytes: F0 40 (mapped to 髙) and F0 49 (not in Forms/gaiji.csv).
        func sjis(_ s: String) throws -> Data { try #require(s.data(using: .shiftJIS)) }
        var data = try sjis("taxpayer_id,name,postal_code,address,income,taxable,income_levy,per_capita,total,el_number,el_qr\n")
        data += try sjis("T1,") + Data([0xF0, 0x40]) + sjis("橋 太郎,154-0023,太子堂3丁目16番4号,1995092,1235000,123500,5000,128500,E,Q\n")
        data += try sjis("T2,") + Data([0xF0, 0x49]) + sjis("田 花子,154-0023,太子堂3丁目16番4号,1995092,1235000,123500,5000,128500,E,Q\n")
        let path = dir.appendingPathComponent("in.csv").path
        try data.write(to: URL(fileURLWithPath: path))
        let summary = try Renderer(form: form, options: Renderer.Options()).render(
            source: try InputOpener.open(path: path, form: form, encoding: "cp932"), inputName: "in.csv", inputSHA256: "-",
            outDir: dir.appendingPathComponent("out").path)
        #expect(summary.rendered == 1 && summary.rejected == 1)
        let text = try runTool(["pdftotext", "-raw", dir.appendingPathComponent("out/vol-0001.pdf").path, "-"]).out
        #expect(text.contains("髙橋 太郎"))
        let rejects = try String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("3,T2,\"name holds the private-use character U+E009 (外字), which Forms/gaiji.csv does not map"))

        let (records, findings) = try FontCoverage(form: form).check(try InputOpener.open(path: path, form: form, encoding: "cp932"))
        #expect(records == 2)
        #expect(findings.count == 1)
        #expect(findings.first?.codePoints == "U+E009" && findings.first?.examples.first?.key == "T2")
    }

    @Test func theCoverageCheckNamesTheFontAndTheRecords() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-cover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/resident-tax-notice.yaml").path,
                                       displayPath: "Forms/resident-tax-notice.yaml")
        var csv = "taxpayer_id,name,postal_code,address,income,taxable,income_levy,per_capita,total,el_number,el_qr\n"
        for i in 1...12 { csv += "T\(i),山田 \(i % 2 == 0 ? "😀" : "太郎"),154-0023,𠮷田町3丁目16番4号,1995092,1235000,123500,5000,128500,E,Q\n" }
        let path = dir.appendingPathComponent("in.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let (_, findings) = try FontCoverage(form: form).check(try InputOpener.open(path: path, form: form), examplesPerCharacter: 3)
        #expect(findings.count == 1)   // 𠮷 is in IPAmj明朝; the emoji is in no form font
        let f = try #require(findings.first)
        #expect(f.codePoints == "U+1F600" && f.reason.contains("mincho") && f.columns == ["name"])
        #expect(f.records == 6 && f.examples.map(\.key) == ["T2", "T4", "T6"])
    }
}

/// Mail preparation: postal order, bundles, one envelope group per volume, discount counts.
@Suite struct MailTests {
    struct Manifest: Decodable {
        struct Notice: Decodable { let key: String; let volume: String; let sheets: Int; let envelope: String; let office: String; let bundle: Int }
        struct Mail: Decodable {
            struct Envelope: Decodable {
                struct Office: Decodable { let office: String; let pieces: Int; let bundles: Int }
                let sheets: String; let pieces: Int; let volumes: [String]; let offices: [Office]
            }
            let envelopes: [Envelope]
        }
        let notices: [Notice]
        let mail: Mail
    }

    @Test func noticesAreSortedBundledAndSplitByEnvelope() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/fixed-asset-tax-notice.yaml").path,
                                       displayPath: "Forms/fixed-asset-tax-notice.yaml")
        let mail = try #require(form.mail)
        let data = dir.appendingPathComponent("in.csv")
        FileManager.default.createFile(atPath: data.path, contents: nil)
        var sample = SampleData(seed: 7)
        try sample.writeCSV(form: form, count: 400, to: try FileHandle(forWritingTo: data))
        var options = Renderer.Options()
        options.volumePages = 150
        let reader = try SortedRecords(try InputOpener.open(path: data.path, form: form), form: form, mail: mail)
        _ = try Renderer(form: form, options: options).render(source: reader, inputName: "in.csv", inputSHA256: "-",
                                                              outDir: dir.appendingPathComponent("out").path)
        let m = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: dir.appendingPathComponent("out/manifest.json")))
        #expect(m.notices.count == 400)
        // Each volume holds one envelope group, and each notice's sheets fit its group.
        for (volume, notices) in Dictionary(grouping: m.notices, by: \.volume) {
            #expect(Set(notices.map(\.envelope)).count == 1, "\(volume) mixes envelope groups")
        }
        for n in m.notices {
            #expect(n.envelope == (n.sheets >= 3 ? "3+" : String(n.sheets)))
        }
        #expect(Set(m.notices.map(\.envelope)).isSuperset(of: ["1", "2"]))
        for (envelope, notices) in Dictionary(grouping: m.notices, by: \.envelope) {
            // Offices come in one run each (sorted), bundles break at office changes and at 100 pieces.
            var seen: [String] = []
            for n in notices where seen.last != n.office {
                #expect(!seen.contains(n.office), "office \(n.office) appears twice in envelope group \(envelope)")
                seen.append(n.office)
            }
            for (_, bundle) in Dictionary(grouping: notices, by: \.bundle) {
                #expect(bundle.count <= 100 && Set(bundle.map(\.office)).count == 1)
            }
            let group = try #require(m.mail.envelopes.first { $0.sheets == envelope })
            #expect(group.pieces == notices.count)
            #expect(group.offices.reduce(0) { $0 + $1.pieces } == notices.count)
            #expect(group.offices.reduce(0) { $0 + $1.bundles } == Set(notices.map(\.bundle)).count)
            #expect(Set(group.volumes) == Set(notices.map(\.volume)))
        }
        // The office table's longest prefix wins; unknown codes fall back to their first three digits.
        #expect(mail.office(postalCode: "586-0123") == "夜鷹北郵便局 駅前分室")
        #expect(mail.office(postalCode: "586-1234") == "夜鷹北郵便局")
        #expect(mail.office(postalCode: "123-4567") == "123")
    }
}

/// Inserter control: marks read back from the rendered pages, breaks found, the 2-D code decoded.
@Suite struct InserterTests {
    @Test func marksReadBackInOrderAndABreakIsFound() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-omr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/fixed-asset-tax-notice.yaml").path,
                                       displayPath: "Forms/fixed-asset-tax-notice.yaml")
        let data = dir.appendingPathComponent("in.csv")
        FileManager.default.createFile(atPath: data.path, contents: nil)
        var sample = SampleData(seed: 11)
        try sample.writeCSV(form: form, count: 60, to: try FileHandle(forWritingTo: data))
        let summary = try Renderer(form: form, options: Renderer.Options()).render(
            source: try SortedRecords(try InputOpener.open(path: data.path, form: form), form: form, mail: try #require(form.mail)),
            inputName: "in.csv", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
        for volume in summary.volumes {
            let report = try InserterCheck.check(volume: dir.appendingPathComponent("out/\(volume)").path, form: form)
            #expect(report.breaks.isEmpty, "\(volume): \(report.breaks)")
        }
        // The two-sheet notices' volume: drop the second sheet of its first notice.
        let manifest = try String(contentsOf: dir.appendingPathComponent("out/manifest.csv"), encoding: .utf8)
        let twoSheet = try #require(manifest.split(separator: "\n").first { $0.split(separator: ",")[4] == "2" })
        let volume = dir.appendingPathComponent("out/\(twoSheet.split(separator: ",")[1])").path
        let broken = dir.appendingPathComponent("broken.pdf").path
        #expect(try runTool(["qpdf", volume, "--pages", volume, "1,3-z", "--", broken]).status == 0)
        let report = try InserterCheck.check(volume: broken, form: form)
        #expect(report.breaks.first?.page == 2)
        #expect(report.breaks.contains { $0.problem.contains("sequence") })
        #expect(report.breaks.contains { $0.problem.contains("starts before the previous one ended") })
        // The Data Matrix, read with libdmtx, tells the same: its notice lost its second sheet.
        let key = String(twoSheet.split(separator: ",")[0])
        #expect(report.breaks.contains { $0.page == 2 && $0.problem.contains("follows sheet 1 of 2 of notice \(key)") })

        // A form with the code alone: the code is checked on its own and counts the notices.
        var codeOnly = form
        codeOnly.inserter?.marks = []
        let intact = try InserterCheck.check(volume: volume, form: codeOnly)
        #expect(intact.breaks.isEmpty, "\(intact.breaks)")
        #expect(intact.notices * 2 == intact.sheets)
        let alone = try InserterCheck.check(volume: broken, form: codeOnly)
        #expect(alone.breaks.map(\.page) == [2, 2], "\(alone.breaks)")
        #expect(alone.breaks.contains { $0.problem.contains("sequence 3, expected 2") })

        // The Data Matrix on the first sheet: key | sheet 1/2 | sequence 1.
        let png = dir.appendingPathComponent("p").path
        #expect(try runTool(["pdftoppm", "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", volume, png]).status == 0)
        let decoded = try runTool(["python3", BarcodeRenderTests.decoder, png + ".png"]).out
        #expect(decoded.contains("\"\(key)|1/2|1\""))
    }
}

@Suite struct ManifestJSONTests {
    @Test(arguments: ["T-0001", "鈴木 \"一郎\"", "a\\b\nc\td\r\u{1}\u{1F}", "髙﨑 葛\u{E0102}", ""])
    func stringsSurviveAJSONReader(_ s: String) throws {
        let literal = ManifestWriter.jsonString(s)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(parsed == [s])
    }
}
