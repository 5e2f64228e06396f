import Forms
import Foundation
import Records
import Render
import Testing
import Typesetting

/// A variation sequence the font lacks while it has the base character (辻󠄀 in IPAmj明朝, which carries
/// 辻's MJ variants at U+E0102/E0103 but not the Adobe-Japan1 ones at U+E0100/E0101; IPAex明朝 the reverse).
@Suite(.serialized) struct VariationSequenceTests {
    static let tsuji = "辻\u{E0100}"
    static let reason = "辻 with variation selector U+E0100 (U+8FBB U+E0100) is not in IPAmjMincho; "
        + "the base character is: set `ivs: base` on the field or map it in the 外字 file"

    @Test func theReasonSaysTheSequenceIsMissingAndTheBaseIsNot() throws {
        let mj = try Font(path: KnownFonts.files["IPAmjMincho"] ?? "")
        let ex = try Font(path: KnownFonts.files["IPAexMincho"] ?? "")
        guard case .failure(let missing) = Shaper(font: mj).shape("山" + Self.tsuji) else { Issue.record("drawn"); return }
        #expect(missing.description == Self.reason)
        guard case .failure(let kuzu) = Shaper(font: ex).shape("葛\u{E0102}城") else { Issue.record("drawn"); return }
        #expect(kuzu.description == "葛 with variation selector U+E0102 (U+845B U+E0102) is not in IPAexMincho; "
                + "the base character is: set `ivs: base` on the field or map it in the 外字 file")
        // The fonts that have the sequence draw it; a character the font lacks altogether says so as before.
        if case .failure = Shaper(font: ex).shape(Self.tsuji) { Issue.record("IPAexMincho has 辻 U+E0100") }
        guard case .failure(let none) = Shaper(font: ex).shape("한\u{E0100}") else { Issue.record("drawn"); return }
        #expect(none.description == "the character U+D55C U+E0100 is not in the font")
    }

    @Test func ivsBasePrintsTheBaseCharacter() throws {
        let mj = try Font(path: KnownFonts.files["IPAmjMincho"] ?? "")
        guard case .success(let g) = Shaper(font: mj).shape("山" + Self.tsuji + "太", ivs: .base) else { Issue.record("rejected"); return }
        #expect(g.map(\.text) == ["山", "辻", "太"])
        #expect(g[1].glyph == mj.glyph(for: "辻"))
        // A sequence the font has keeps its variant.
        guard case .success(let v) = Shaper(font: mj).shape("辻\u{E0102}", ivs: .base) else { Issue.record("rejected"); return }
        #expect(v.count == 1 && v[0].glyph != mj.glyph(for: "辻") && v[0].text == "辻\u{E0102}")
    }

    static func form(ivs: String?, fieldIVS: String? = nil) -> String {
        """
        name: t
        key: id
        fonts: { mincho: IPAmjMincho }
        columns: { id: {}, name: {} }
        \(ivs.map { "ivs: \($0)" } ?? "")
        fields:
          name: { box: [20, 20, 80, 10], value: "{name}　様", size: 12\(fieldIVS.map { ", ivs: \($0)" } ?? "") }
          vname: { box: [150, 20, 20, 100], value: "{name}", vertical: true, size: 12\(fieldIVS.map { ", ivs: \($0)" } ?? "") }
        """
    }

    func render(_ formText: String) throws -> (pdf: String, rejects: String, dir: URL, summary: Renderer.Summary?) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-ivs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let form = try FormLoader.parse(formText, file: "Forms/t.yaml")
        let csv = "id,name\nA,\(Self.tsuji)田 花子\nB,夜鷹 太郎\n"
        let summary = try RenderTests.renderCSV(csv, form: form, in: dir)
        let rejects = (try? String(contentsOf: dir.appendingPathComponent("out/rejects.csv"), encoding: .utf8)) ?? ""
        return (dir.appendingPathComponent("out/vol-0001.pdf").path, rejects, dir, summary)
    }

    @Test func rejectedByDefaultWithTheReason() throws {
        let r = try render(Self.form(ivs: nil))
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(r.summary?.rendered == 1 && r.summary?.rejected == 1)
        #expect(r.rejects.contains("2,A,field name: \(Self.reason)"), "\(r.rejects)")
    }

    @Test func ivsBaseOnTheFormOrTheFieldPrintsTheBase() throws {
        for text in [Self.form(ivs: "base"), Self.form(ivs: nil, fieldIVS: "base")] {
            let r = try render(text)
            defer { try? FileManager.default.removeItem(at: r.dir) }
            #expect(r.summary?.rendered == 2 && r.summary?.rejected == 0, "\(r.rejects)")
            // What is printed comes back: the base character, without the selector.
            let out = try runTool(["pdftotext", "-raw", r.pdf, "-"]).out
            #expect(out.contains("辻田 花子　様") || out.contains("辻田 花子 様"), "\(out)")
            #expect(!out.unicodeScalars.contains { $0.value == 0xE0100 })
            #expect(columns(try glyphBoxes(r.pdf, page: 1), inBox: (x: 150, y: 20, w: 20, h: 100)).first.map(joined) == "辻田花子")
        }
        // A field's ivs overrides the form's.
        let r = try render(Self.form(ivs: "base", fieldIVS: "reject"))
        defer { try? FileManager.default.removeItem(at: r.dir) }
        #expect(r.summary?.rejected == 1)
    }

    @Test func fontsCheckSaysTheSame() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-ivs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("in.csv")
        try "id,name\nA,\(Self.tsuji)田 花子\nB,夜鷹 太郎\n".write(to: data, atomically: true, encoding: .utf8)
        let strict = try FormLoader.parse(Self.form(ivs: nil), file: "Forms/t.yaml")
        let (records, findings) = try FontCoverage(form: strict).check(try DelimitedReader(path: data.path))
        #expect(records == 2)
        #expect(findings.map(\.reason) == [Self.reason])
        #expect(findings.first?.codePoints == "U+8FBB U+E0100" && findings.first?.records == 1)
        let lenient = try FormLoader.parse(Self.form(ivs: "base"), file: "Forms/t.yaml")
        #expect(try FontCoverage(form: lenient).check(try DelimitedReader(path: data.path)).findings.isEmpty)
    }

    @Test func aBadIVSOptionIsRefusedWithItsPosition() throws {
        do {
            _ = try FormLoader.parse(Self.form(ivs: "maybe"), file: "Forms/t.yaml")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("Forms/t.yaml:5:") && "\(error)".contains("'ivs' is reject"), "\(error)")
        }
    }
}

