import Testing
@testable import Records

@Suite struct GaijiMapTests {
    @Test func legacyCodesAndCodePointsMapToUnicodeWithVariationSelectors() throws {
        let map = try GaijiMap.parse("""
            code,unicode,note
            # comment
            SJIS:F040,U+9AD9,髙
            U+E001,﨑
            SJIS:F042,U+845B U+E0102,葛 with IVS
            SJIS:F140,U+20BB7
            """).get()
        #expect(map.apply("\u{E000}橋").value == "髙橋")
        #expect(map.apply("山\u{E001}").value == "山﨑")
        #expect(map.apply("\u{E002}城").value == "葛\u{E0102}城")
        // F140: the second lead byte starts 188 codes later.
        #expect(map.apply("\u{E0BC}田").value == "𠮷田")
        #expect(map.apply("普通の名前").value == "普通の名前")
        #expect(map.apply("\u{E0FF}").unmapped == 0xE0FF)
        #expect(map.entries[0xE002]?.note == "葛 with IVS")
    }

    @Test func badLinesArePositioned() {
        func error(_ text: String) -> (Int, String)? {
            if case .failure(let e) = GaijiMap.parse(text) { return (e.line, e.message) }
            return nil
        }
        #expect(error("code,unicode\nU+4E00,U+9AD9")?.0 == 2)          // not private-use
        #expect(error("code,unicode\nSJIS:8140,U+9AD9")?.0 == 2)       // not the user-defined area
        #expect(error("code,unicode\nU+E000,U+E001")?.1.contains("outside the private-use area") == true)
        #expect(error("code,unicode\nU+E000,髙\nSJIS:F040,高")?.1.contains("mapped twice (first on line 2)") == true)
        #expect(error("code,unicode\nU+E000")?.0 == 2)
    }
}
