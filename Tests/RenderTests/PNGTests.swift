import Foundation
@testable import PDF
import Testing

/// Every PNG colour type and depth, with tRNS and Adam7, written by an independent encoder
/// (make_pngs.py) and compared pixel for pixel with what Nightjar embeds.
@Suite struct PNGTests {
    static let script = RenderTests.root.appendingPathComponent("Tests/RenderTests/make_pngs.py").path

    @Test func everyKindOfPNGDecodesToItsPixels() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try runTool(["python3", Self.script, dir.path]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }.sorted()
        #expect(names.count == 52)
        for name in names {
            let path = dir.appendingPathComponent(name).path
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: String(path.dropLast(4)) + ".rgba")))
            let image = try ImageFile.png(bytes, path: path, decodeAlways: true)
            let gray = image.dict.contains("/DeviceGray")
            let n = image.width * image.height
            let color = try ImageFile.inflate(image.data, size: n * (gray ? 1 : 3), path: path)
            let alpha = try image.alpha.map { try ImageFile.inflate($0, size: n, path: path) }
            var rgba: [UInt8] = []
            rgba.reserveCapacity(n * 4)
            for i in 0..<n {
                if gray { rgba += [color[i], color[i], color[i]] } else { rgba += color[(i * 3)..<(i * 3 + 3)] }
                rgba.append(alpha?[i] ?? 255)
            }
            #expect(rgba == expected, "\(name)")
            // Transparency, of whatever kind, becomes a soft mask; an opaque image has none.
            #expect((image.alpha != nil) == (name.contains("trns") || name.hasPrefix("c4") || name.hasPrefix("c6")), "\(name)")
        }
    }

    @Test func malformedPNGsAreRefusedWithAReason() throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        // An IHDR too short to hold the header fields.
        let short = signature + [0, 0, 0, 4] + Array("IHDR".utf8) + [0, 0, 0, 1, 0, 0, 0, 0]
        #expect(throws: ImageFile.ImageError.self) { try ImageFile.png(short, path: "short.png") }
        // Colour type 2 (RGB) at 4 bits is not a PNG.
        var ihdr: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 4, 2, 0, 0, 0]
        let bad = signature + [0, 0, 0, 13] + Array("IHDR".utf8) + ihdr + [0, 0, 0, 0] + [0, 0, 0, 1] + Array("IDAT".utf8) + [0, 0, 0, 0, 0]
        #expect(throws: ImageFile.ImageError.self) { try ImageFile.png(bad, path: "bad.png") }
        ihdr[9] = 3   // a palette image without its palette
        let noPalette = signature + [0, 0, 0, 13] + Array("IHDR".utf8) + ihdr + [0, 0, 0, 0] + [0, 0, 0, 1] + Array("IDAT".utf8) + [0, 0, 0, 0, 0]
        #expect(throws: ImageFile.ImageError.self) { try ImageFile.png(noPalette, path: "nopalette.png") }
    }
}
