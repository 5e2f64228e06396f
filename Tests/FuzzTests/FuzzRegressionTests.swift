import Forms
import Foundation
import FuzzTargets
import OperatorFiles
import Records
import Testing

/// Inputs fuzzing found that trapped or allocated without bound; each is now refused with a reason.
@Suite struct FuzzRegressionTests {
    func templateError(_ text: String) -> String? {
        if case .failure(let e) = Template.parse(text) { return e.message }
        return nil
    }

    @Test func aHugePadWidthIsRefusedInsteadOfAllocatingATerabyte() throws {
        // Seeded pass: "{x|pad:999999999999}" asked String(repeating:count:) for 10^12 characters.
        #expect(templateError("{x|pad:999999999999}") == "pad needs a width from 1 to 64, as in pad:8")
        #expect(templateError("{x|pad:-1}") != nil)
        let t = try Template.parse("{x|pad:64}").get()
        #expect(try t.evaluate { _ in "7" }.count == 64)
        #expect(FuzzTargets.template(Data("{name} 様{x|pad:999999999999}\nname=夜鷹".utf8)).isEmpty)
    }

    @Test func aBlankFilterIsRefusedInsteadOfIndexingAnEmptyList() {
        // "{x| |}" and "{x|:}" split into no pieces, and pieces[0] trapped.
        #expect(templateError("{x| |}") == "empty filter after '|' in {x}")
        #expect(templateError("{x|:}") == "empty filter after '|' in {x}")
        #expect(templateError("{x|comma|}") == nil) // an empty piece between bars was always skipped
    }

    @Test func aFieldOffsetNearIntMaxIsALayoutErrorNotAnOverflow() {
        // offset + length overflowed in the range check.
        #expect(throws: LayoutError.self) {
            try FixedLengthLayout(recordLength: 10, fields: [.init("a", offset: Int.max, length: 1)])
        }
        #expect(throws: LayoutError.self) {
            try FixedLengthLayout(recordLength: 10, fields: [.init("a", offset: 1, length: Int.max)])
        }
        #expect(FuzzTargets.fixed(Data("\u{0}10 cp932 lines a:9223372036854775807:1\n0123456789\n".utf8)).isEmpty)
    }
}

/// Numbers in forms that trapped when printed: found by libFuzzer with the form dictionary.
@Suite struct FormNumberRegressionTests {
    func messages(_ text: String) -> [String] {
        do { _ = try FormLoader.parse(text, file: "Forms/x.yaml"); return [] } catch let e as ValidationFailure {
            return e.diagnostics.map(\.message)
        } catch { return ["\(error)"] }
    }

    @Test func aHugePaperSizeIsNamedWithoutConvertingToInt() {
        // "paper: { width: 1e300, height: 1 }": Int(1e300) trapped while naming the paper.
        #expect(Form.decimal(1e300) == "1e+300")
        #expect(Form.decimal(-1e300) == "-1e+300")
        #expect(Form.decimal(79.84) == "79.8")
        #expect(FuzzTargets.form(Data("name: x\nkey: a\npaper: { width: 1e300, height: 1 }\n".utf8)).isEmpty)
    }

    @Test func infinityAndNaNAreNotNumbers() {
        #expect(messages("name: x\nkey: a\npaper: { width: inf, height: 1 }\n").contains("'width' must be a number"))
        #expect(messages("name: x\nkey: a\nfields:\n  a: { box: [0, nan, 1, 1], value: \"{a}\" }\n")
            .contains("'box' [x, y, width, height] in mm: nan is not a usable number; write a finite number no larger than 100000"))
    }
}
