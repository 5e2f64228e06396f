import Foundation
import Testing
@testable import Barcodes

/// Nightjar's QR encoder against zint (an independent implementation) and zxing-cpp (a real reader).
@Suite struct QRCodeTests {
    /// A fixed-seed generator (SplitMix64), so a failure can be reproduced.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func text(_ alphabet: String, _ length: Int, _ g: inout Seeded) -> String {
        let a = Array(alphabet)
        return String((0..<length).map { _ in a[Int(g.next() % UInt64(a.count))] })
    }

    /// The fullest byte-mode payload of every version at every level, with the mask forced: the
    /// capacity, block and error-correction tables, the Reed–Solomon codewords, the placement and
    /// the format and version information must all agree module for module.
    @Test(arguments: QRErrorCorrection.allCases)
    func everyVersionAgreesWithZint(level: QRErrorCorrection) throws {
        for version in 1...40 {
            let bits = QRCode.dataCodewords(version, level) * 8 - 4 - (version <= 9 ? 8 : 16)
            let text = String(repeating: "q", count: bits / 8)
            let ours = try QRCode.encode(Array(text.utf8), level: level, mask: version % 8)
            let theirs = try Zint.encode(.qr, text, qrLevel: level, qrMask: version % 8)
            #expect(ours.rows == version * 4 + 17, "version \(version) \(level)")
            #expect(ours == theirs, "version \(version) \(level)")
        }
    }

    /// Mask selection: the same four penalty rules choose the same mask as zint.
    @Test func choosesTheSameMaskAsZint() throws {
        var g = Seeded(state: 5)
        for round in 0..<240 {
            let alphabet = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][round % 3]
            let text = Self.text(alphabet, 1 + Int(g.next() % 150), &g)
            let level = QRErrorCorrection.allCases[round % 4]
            let ours = try QRCode.encode(Array(text.utf8), level: level)
            #expect(ours == (try Zint.encode(.qr, text, qrLevel: level)), "\(level) \(text)")
        }
    }

    /// The word-at-a-time scoring (versions 1–11) gives the module-by-module score for every mask.
    @Test func wordPenaltyEqualsModulePenalty() throws {
        var g = Seeded(state: 7)
        for version in 1...11 {
            for level in QRErrorCorrection.allCases {
                var grid = QRCode.Grid(version: version)
                grid.drawFunctionPatterns()
                grid.place((0..<QRCode.rawDataModules(version) / 8).map { _ in UInt8(truncatingIfNeeded: g.next()) })
                for mask in 0..<8 {
                    var trial = grid
                    trial.apply(mask: mask)
                    trial.drawFormat(level: level, mask: mask)
                    let (rows, columns) = QRCode.WordLayout.words(trial.modules, trial.size)
                    #expect(QRCode.WordLayout.penalty(rows: rows, columns: columns, size: trial.size) == trial.penalty(), "version \(version) \(level) mask \(mask)")
                }
            }
        }
    }

    @Test func switchesModesWhereItSavesBits() {
        // An eL-QR-like payload: letters, then a long run of digits.
        let segments = QRCode.segment(Array("ELQR120300000000000000012026063000012850".utf8), group: 0)
        #expect(segments.map(\.mode) == [.alphanumeric, .numeric])
        #expect(segments.map(\.count) == [4, 36])
        // Three digits between letters are not worth a numeric segment of their own.
        #expect(QRCode.segment(Array("ab123cd".utf8), group: 0).map(\.mode) == [.byte])
        #expect(QRCode.segment(Array("abc".utf8) + Array(repeating: UInt8(ascii: "7"), count: 30), group: 0).map(\.mode) == [.byte, .numeric])
    }

    /// Payloads shaped like the eL-QR (letters, then a long run of digits) switch modes; zint must
    /// agree on the segments, the version and the mask.
    @Test func mixedPayloadsLikeTheELQRAgreeWithZint() throws {
        var g = Seeded(state: 3)
        for round in 0..<120 {
            let text = Self.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2 + Int(g.next() % 6), &g) + Self.text("0123456789", 20 + Int(g.next() % 120), &g)
            let level = QRErrorCorrection.allCases[round % 4]
            #expect(try QRCode.encode(Array(text.utf8), level: level) == (try Zint.encode(.qr, text, qrLevel: level)), "\(level) \(text)")
        }
    }

    @Test func refusesWhatNoVersionHolds() {
        #expect(throws: BarcodeError.self) { try QRCode.encode([UInt8](repeating: 0x31, count: 7_090), level: .L) }
        #expect(throws: Never.self) { try QRCode.encode([UInt8](repeating: 0x31, count: 7_089), level: .L) }
        #expect(throws: BarcodeError.self) { try QRCode.encode([UInt8](repeating: 0x61, count: 1_300), level: .H) }
        #expect(throws: BarcodeError.self) { try QRCode.encode([0x61], level: .M, mask: 8) }
    }

    @Test func textOutsideASCIIGoesToZint() throws {
        let text = "夜鷹市役所 税務課"
        #expect(try QRCode.symbol(text, level: .M) == (try Zint.encode(.qr, text, qrLevel: .M)))
    }

    /// Mixed payloads at every level, written as images and read back by zxing-cpp.
    @Test func aReaderDecodesWhatItEncodes() throws {
        var g = Seeded(state: 11)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-qr-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var expected: [String] = []
        for i in 0..<60 {
            let text = Self.text("0123456789ABCDEFXYZ $%*+-./:abcxyz!?#&=", 1 + Int(g.next() % 300), &g)
            let m = try QRCode.encode(Array(text.utf8), level: QRErrorCorrection.allCases[i % 4])
            try Self.pgm(m).write(to: dir.appendingPathComponent(String(format: "%03d.pgm", i)))
            expected.append(text)
        }
        let script = """
            import glob, json, sys, zxingcpp
            from PIL import Image
            out = []
            for f in sorted(glob.glob(sys.argv[1] + "/*.pgm")):
                r = zxingcpp.read_barcodes(Image.open(f), formats=zxingcpp.BarcodeFormat.QRCode)
                out.append(r[0].text if r else None)
            json.dump(out, sys.stdout)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, dir.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "needs zxing-cpp and pillow (scripts/install-deps installs them)")
        let decoded = try JSONDecoder().decode([String?].self, from: data)
        #expect(decoded.count == expected.count)
        for (d, e) in zip(decoded, expected) { #expect(d == e) }
    }

    /// A binary PGM, four pixels a module, with the four-module quiet zone.
    static func pgm(_ m: ModuleMatrix) -> Data {
        let scale = 4, quiet = 4
        let side = (m.columns + 2 * quiet) * scale
        var out = Data("P5\n\(side) \(side)\n255\n".utf8)
        for y in 0..<side {
            for x in 0..<side {
                let r = y / scale - quiet, c = x / scale - quiet
                let dark = r >= 0 && c >= 0 && r < m.rows && c < m.columns && m[r, c]
                out.append(dark ? 0 : 255)
            }
        }
        return out
    }
}
