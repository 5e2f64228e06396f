import Testing
@testable import Barcodes

/// libdmtx reads back what zint encodes (two independent implementations), and finds nothing where
/// there is no symbol.
@Suite struct DataMatrixReaderTests {
    static func pixels(_ m: ModuleMatrix, scale: Int = 4, quiet: Int = 2) -> (pixels: [UInt8], side: Int) {
        let side = (m.columns + 2 * quiet) * scale
        var out = [UInt8](repeating: 255, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let r = y / scale - quiet, c = x / scale - quiet
                if r >= 0, c >= 0, r < m.rows, c < m.columns, m[r, c] { out[y * side + x] = 0 }
            }
        }
        return (out, side)
    }

    @Test(arguments: ["T000000001|1/1|1", "K-12345|2/3|1999", "夜鷹|1/2|7"])
    func readsWhatZintDraws(_ text: String) throws {
        let (pixels, side) = Self.pixels(try Zint.encode(.dataMatrix, text))
        let got = DataMatrixReader.read(gray: pixels, width: side, height: side)
        #expect(got == text, "\(Array((got ?? "").utf8))")
    }

    @Test func findsNothingOnABlankImage() {
        #expect(DataMatrixReader.read(gray: [UInt8](repeating: 255, count: 80 * 80), width: 80, height: 80, timeoutMilliseconds: 200) == nil)
        #expect(DataMatrixReader.read(gray: [], width: 10, height: 10) == nil)
    }
}
