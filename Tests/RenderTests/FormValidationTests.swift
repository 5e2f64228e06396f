import Forms
import Foundation
import OperatorFiles
import PDF
import Records
import Render
import Testing

/// Bad form values fail at load with their position, instead of trapping, hanging or being drawn.
@Suite struct FormValidationTests {
    /// The diagnostics of a form that must not load.
    func problems(_ yaml: String, siteRoot: String = RenderTests.root.path) -> String {
        do {
            _ = try FormLoader.parse(yaml, file: "Forms/f.yaml", siteRoot: siteRoot)
            return "(loaded)"
        } catch {
            return "\(error)"
        }
    }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-formcheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test func hugePadWidthsAndDigitPositionsAreRefused() {
        let text = problems("name: f\nkey: id\nfields:\n  a:\n    box: [10, 10, 50, 10]\n    value: \"{id|pad:99999999999}\"\n  b:\n    box: [10, 30, 50, 10]\n    value: \"{id|digit:100000}\"\n")
        #expect(text.contains("Forms/f.yaml:6:12: error: pad needs a width from 1 to 64"))
        #expect(text.contains("Forms/f.yaml:9:12: error: digit needs a position from 1 to 64"))
    }

    @Test func infiniteAndHugeNumbersAreRefusedWithTheirPosition() {
        let text = problems("""
            name: f
            key: id
            static:
              - text: x
                at: [1e309, 32]
              - rect: [10, 10, 20, 20]
                radius: 1e308
            fields:
              a: { box: [10, 10, 50, .nan], value: "{id}" }
            """)
        #expect(text.contains("Forms/f.yaml:5:10: error: 'at' [x, y] (the baseline start, in mm): 1e309 is not a usable number"))
        #expect(text.contains("Forms/f.yaml:7:13: error: 'radius' (of the corners) must be at least 0 mm and at most 10 mm; it is 1e308 mm"))
        #expect(text.contains("Forms/f.yaml:9:13: error: 'box' [x, y, width, height] in mm must be a list of 4 numbers"))
    }

    @Test func impossibleValuesAreRefusedWithTheirPosition() {
        let text = problems("""
            name: f
            key: id
            paper: { width: 1000000000, height: 297 }
            static:
              - line: [10, 10, 100, 10]
                dash: [0, 0]
              - line: [10, 20, 100, 20]
                dash: [2, -1]
              - fill: [10, 10, 5, 5]
                gray: 5
              - rect: [10, 10, 20, 20]
                radius: -2
              - rect: [500, 10, 20, 20]
              - text: off
                at: [10, 400]
            fields:
              a: { box: [10, 10, 50, 10], value: "{id}", size: -3 }
              b: { box: [10, 30, 0, 10], value: "{id}" }
              c: { box: [10, 50, 50, 10], value: "{id}", size: 10, min_size: 12 }
              d: { box: [10, 70, 50, 10], value: "{id}", min_scale: -1 }
              e: { box: [10, 90, 50, 10], value: "{id}", when: "id === 0" }
              f: { box: [190, 90, 50, 10], value: "{id}" }
            """)
        for expected in [
            "Forms/f.yaml:3:17: error: 'width' must be more than 0 mm and at most 5080 mm; it is 1000000000 mm",
            "Forms/f.yaml:6:11: error: 'dash' lengths are all 0",
            "Forms/f.yaml:8:15: error: a dash length must be at least 0 mm",
            "Forms/f.yaml:10:11: error: 'gray' (0 black to 1 white) must be at least 0 and at most 1; it is 5",
            "Forms/f.yaml:12:13: error: 'radius' (of the corners) must be at least 0 mm",
            "Forms/f.yaml:13:11: error: the rect [500, 10, 20, 20] reaches outside the A4 paper",
            "Forms/f.yaml:15:9: error: the text's position [10, 400] is off the A4 paper",
            "Forms/f.yaml:17:52: error: 'size' must be more than 0 pt and at most 500 pt; it is -3 pt",
            "Forms/f.yaml:18:13: error: the box of field 'b' is 0 × 10 mm",
            "Forms/f.yaml:19:66: error: 'min_size' must be more than 0 pt and at most 10 pt; it is 12 pt",
            "Forms/f.yaml:20:57: error: 'min_scale' (the narrowest horizontal scale, 1 = none) must be more than 0 and at most 1",
            "Forms/f.yaml:21:52: error: 'when' is COLUMN",
            "Forms/f.yaml:22:13: error: the box of field 'f' [190, 90, 50, 10] reaches outside the A4 paper",
        ] {
            #expect(text.contains(expected), "missing: \(expected)\n\(text)")
        }
        #expect(problems("name: f\nkey: id\npaper: { width: 6000, height: 297 }\n")
            .contains("Forms/f.yaml:3:17: error: 'width' must be more than 0 mm and at most 5080 mm; it is 6000 mm"))
    }

    @Test func stragglersOfTheSameKindAreRefused() {
        let text = problems("""
            name: f
            key: id
            duplex: yes
            static:
              - text: "two\\nlines"
                at: [10, 10]
            mail: { postal_code: id, envelopes: [1, two, 3] }
            """)
        #expect(text.contains("Forms/f.yaml:3:9: error: 'duplex' is true or false, not 'yes'"), "\(text)")
        #expect(text.contains("Forms/f.yaml:5:11: error: a static text is one line"))
        #expect(text.contains("Forms/f.yaml:7:37: error: 'envelopes' lists sheets per envelope in ascending order"))
    }

    @Test func malformedConditionsDoNotParse() {
        for bad in ["a === 0", "a => 1", "a =< 1", "a == == 1", "a < 1 < 2", "a b", "=a", "a !== 1", "a < 1e999"] {
            #expect(Form.Condition.parse(bad) == nil, "\(bad) parsed")
        }
        for good in ["a", "a == 1", "a != 'x'", "a <= 3", "a == '=='", "a > -1,000"] {
            #expect(Form.Condition.parse(good) != nil, "\(good) did not parse")
        }
    }

    @Test func aNamedPipeIsRefusedNotOpened() throws {
        let dir = try tempDir()
        for name in ["font.ttf", "seal.png", "gaiji.csv", "offices.csv", "discounts.yaml"] {
            #expect(mkfifo(dir.appendingPathComponent(name).path, 0o600) == 0)
        }
        let text = problems("""
            name: f
            key: id
            fonts: { m: \(dir.path)/font.ttf }
            gaiji: \(dir.path)/gaiji.csv
            static:
              - image: \(dir.path)/seal.png
                box: [10, 10, 20, 20]
            mail: { postal_code: id, offices: \(dir.path)/offices.csv, discounts: \(dir.path)/discounts.yaml }
            """)
        #expect(text.contains("Forms/f.yaml:3:1: error: font 'm': \(dir.path)/font.ttf is a named pipe (FIFO), not a regular file"))
        #expect(text.contains("Forms/f.yaml:6:12: error: image \(dir.path)/seal.png is a named pipe (FIFO), not a regular file"))
        #expect(text.contains("Forms/f.yaml:4:8: error: the 外字 mapping \(dir.path)/gaiji.csv is a named pipe (FIFO)"))
        #expect(text.contains("error: the delivery-office table \(dir.path)/offices.csv is a named pipe (FIFO)"))
        #expect(text.contains("error: the discount rules \(dir.path)/discounts.yaml: the file is a named pipe (FIFO)"))
        // The form file itself, and a directory or a stray file as a font.
        #expect(mkfifo(dir.appendingPathComponent("Forms.yaml").path, 0o600) == 0)
        #expect(throws: ValidationFailure.self) { try FormLoader.load(path: dir.appendingPathComponent("Forms.yaml").path, displayPath: "x.yaml") }
        #expect(problems("name: f\nkey: id\nfonts: { m: /etc }\n").contains("font 'm': /etc is a directory"))
        #expect(problems("name: f\nkey: id\nfonts: { m: /etc/hostname }\n").contains("font 'm': /etc/hostname is not a TrueType or OpenType font"))
    }

    @Test func aTruncatedJPEGIsRefusedAtLoad() throws {
        let dir = try tempDir()
        let jpeg = try Data(contentsOf: RenderTests.root.appendingPathComponent("Forms/assets/city-mark.jpg"))
        let cut = dir.appendingPathComponent("cut.jpg")
        try jpeg.prefix(jpeg.count / 2).write(to: cut)
        let text = problems("name: f\nkey: id\nstatic:\n  - image: \(cut.path)\n    box: [10, 10, 20, 20]\n")
        #expect(text.contains("Forms/f.yaml:4:12: error: image \(cut.path): a damaged JPEG: it does not end with the end-of-image marker"), "\(text)")
        // Cut just after the frame header, and a frame header alone.
        let headerOnly = dir.appendingPathComponent("header.jpg")
        try (Data([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00]) + Data([0xFF, 0xD9])).write(to: headerOnly)
        #expect(throws: ImageFile.ImageError.self) { try ImageFile.load(path: headerOnly.path) }
        #expect(throws: ImageFile.ImageError.self) { try ImageFile.load(path: cut.path) }
        #expect(try ImageFile.load(path: RenderTests.root.appendingPathComponent("Forms/assets/city-mark.jpg").path).width > 0)
    }
}

/// `sample-data` for a form writes records its own column checks accept.
@Suite struct SampleDataTests {
    @Test func aNewFormsSampleDataPassesItsOwnTypesAndRequiredColumns() throws {
        let form = try FormLoader.parse("""
            name: fresh
            key: account
            group_by: account
            columns:
              account: { required: true }
              amount: { type: integer, required: true }
              due: { type: date, required: true }
              paid_on: { type: date }
              memo: { required: true }
            fields:
              a: { box: [10, 10, 80, 10], value: "{account} {amount|comma} {due|wareki}" }
              b: { box: [10, 30, 80, 10], value: "{memo}", when: "amount > 0" }
            """, file: "Forms/fresh.yaml")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-sample-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = dir.appendingPathComponent("in.csv")
        FileManager.default.createFile(atPath: data.path, contents: nil)
        let handle = try FileHandle(forWritingTo: data)
        var generator = SampleData(seed: 7)
        try generator.writeCSV(form: form, count: 20, to: handle)
        try handle.close()
        let summary = try Renderer(form: form, options: Renderer.Options()).render(
            source: try DelimitedReader(path: data.path), inputName: "in.csv", inputSHA256: "-", outDir: dir.appendingPathComponent("out").path)
        #expect(summary.rejected == 0, "\(String(decoding: (try? Data(contentsOf: dir.appendingPathComponent("out/rejects.csv"))) ?? Data(), as: UTF8.self))")
        #expect(summary.notices == 20)
    }
}
