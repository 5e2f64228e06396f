import Foundation

/// A greyscale PGM (P5) as `pdftoppm -gray` writes it: how the inserter check (and the tests) look
/// at rendered pages.
public struct GrayImage: Sendable {
    public let width: Int, height: Int
    public let pixels: [UInt8]

    public init?(_ data: Data) {
        let bytes = [UInt8](data)
        var fields: [Int] = [], i = 2
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") else { return nil }
        while fields.count < 3 && i < bytes.count {
            while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x0A) { i += 1 }
            var v = 0
            while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { v = v * 10 + Int(bytes[i] - 0x30); i += 1 }
            fields.append(v)
        }
        i += 1
        guard fields.count == 3, bytes.count >= i + fields[0] * fields[1] else { return nil }
        width = fields[0]
        height = fields[1]
        pixels = Array(bytes[i..<(i + width * height)])
    }

    /// Dark pixels (below half grey) in the area; pixels outside the image do not count.
    public func darkPixels(x: Range<Int>, y: Range<Int>) -> Int {
        var n = 0
        for r in y where r >= 0 && r < height { for c in x where c >= 0 && c < width && pixels[r * width + c] < 128 { n += 1 } }
        return n
    }

    /// Whether most of the area is dark.
    public func dark(x: ClosedRange<Int>, y: ClosedRange<Int>) -> Bool {
        let inside = x.filter { $0 >= 0 && $0 < width }.count * y.filter { $0 >= 0 && $0 < height }.count
        return inside > 0 && darkPixels(x: x.lowerBound..<x.upperBound + 1, y: y.lowerBound..<y.upperBound + 1) * 2 > inside
    }
}
