import Foundation
import Testing
@testable import Records

@Suite struct CP932Tests {
    /// `'髙橋 ①㈱～'.encode('cp932')` from Python, then the 外字 pair 0xF040 (→ U+E000) and
    /// 0xF9FC (→ U+E757, the last user-defined code).
    static let takahashi: [UInt8] = [0xEE, 0xE0, 0x8B, 0xB4, 0x20, 0x87, 0x40, 0x87, 0x8A, 0x81, 0x60]

    @Test func pythonEncodedFileDecodesExactly() throws {
        let tmp = try TempDir()
        let header: [UInt8] = [0x96, 0xBC, 0x91, 0x4F, 0x2C, 0x94, 0xF5, 0x8D, 0x6C, 0x0D, 0x0A] // 名前,備考\r\n
        let row1 = Self.takahashi + [0x2C, 0xF0, 0x40, 0xF9, 0xFC, 0x0D, 0x0A]
        let row2: [UInt8] = [0x22, 0x95, 0x5C, 0x2C, 0x22, 0x2C, 0xB1, 0xDF, 0x5C, 0x7E, 0x0D, 0x0A] // "表,",ｱﾟ\~
        let path = try tmp.write("sjis.csv", header + row1 + row2)
        let reader = try DelimitedReader(path: path, format: .csv(TextEncoding(name: "Shift_JIS")!))
        #expect(reader.header.names == ["名前", "備考"])
        let records = try readAll(reader)
        #expect(records.count == 2)
        #expect(records[0].fields[0] == "髙橋 ①㈱～")
        #expect(records[0].fields[0].unicodeScalars.map(\.value) == [0x9AD9, 0x6A4B, 0x20, 0x2460, 0x3231, 0xFF5E])
        #expect(records[0].fields[1].unicodeScalars.map(\.value) == [0xE000, 0xE757])
        // 0x955C (表) has 0x5C as its trail byte; 0x5C alone is a backslash in CP932.
        #expect(records[1].fields == ["表,", "ｱﾟ\\~"])
    }

    @Test func microsoftMappingsAndExtensions() {
        let cases: [([UInt8], UInt32)] = [
            ([0x81, 0x5F], 0xFF3C), ([0x81, 0x60], 0xFF5E), ([0x81, 0x61], 0x2225), ([0x81, 0x7C], 0xFF0D),
            ([0x81, 0x91], 0xFFE0), ([0x81, 0x92], 0xFFE1), ([0x81, 0xCA], 0xFFE2),
            ([0x87, 0x40], 0x2460), ([0x87, 0x54], 0x2160), ([0x87, 0x8A], 0x3231), ([0x87, 0x82], 0x2116), // NEC row 13
            ([0xED, 0x40], 0x7E8A), ([0xEE, 0xE0], 0x9AD9), // NEC-selected IBM extensions
            ([0xFA, 0x40], 0x2170), ([0xFA, 0x5C], 0x7E8A), ([0xFB, 0xFC], 0x9AD9), // IBM extensions
            ([0xF0, 0x40], 0xE000), ([0xF0, 0x41], 0xE001), ([0xF9, 0xFC], 0xE757), // user-defined → PUA
            ([0xA1], 0xFF61), ([0xB1], 0xFF71), ([0xDF], 0xFF9F), ([0x5C], 0x5C), ([0x7E], 0x7E),
        ]
        for (bytes, scalar) in cases {
            guard case .string(let s) = bytes.withUnsafeBufferPointer({ TextEncoding.cp932.decode($0) }) else {
                Issue.record("\(bytes) did not decode"); continue
            }
            #expect(s.unicodeScalars.map(\.value) == [scalar], "\(bytes)")
        }
    }

    @Test func invalidSequencesAreRejectedNotReplaced() {
        for bytes: [UInt8] in [[0x81, 0x20], [0x85, 0x40], [0x81], [0x80], [0xA0], [0xFD], [0xFF], [0x81, 0x7F], [0xEF, 0x40]] {
            let outcome = bytes.withUnsafeBufferPointer { TextEncoding.cp932.decode($0) }
            guard case .invalid(let offset, _) = outcome else {
                Issue.record("\(bytes) should be invalid"); continue
            }
            #expect(offset == 0)
        }
    }

    @Test func invalidCP932InAFileIsReportedWithItsLine() throws {
        let tmp = try TempDir()
        // Line 3 has 0x81 0x20: a lead byte followed by a space.
        let bytes: [UInt8] = Array("id,name\n1,".utf8) + Self.takahashi + Array("\n2,ab".utf8) + [0x81, 0x20] + Array("\n3,ok\n".utf8)
        let path = try tmp.write("bad-sjis.csv", bytes)
        let reader = try DelimitedReader(path: path, format: .csv(.cp932))
        #expect(try reader.next()?.fields == ["1", "髙橋 ①㈱～"])
        let e = recordError { _ = try reader.next() }
        #expect(e?.kind == .invalidEncoding)
        #expect(e?.line == 3)
        #expect(e?.column == 5)
        #expect(e?.message.contains("0x81") == true)
        #expect(e?.message.contains("CP932") == true)
        #expect(try reader.next()?.line == 4) // the reader skipped the bad row and goes on
    }

    @Test func encodingNames() {
        for name in ["utf-8", "UTF8", "utf8"] { #expect(TextEncoding(name: name) == .utf8) }
        for name in ["shift_jis", "SJIS", "cp932", "Windows-31J", "MS932"] { #expect(TextEncoding(name: name) == .cp932) }
        #expect(TextEncoding(name: "euc-jp") == nil)
    }

    /// Every one- and two-byte sequence decodes exactly as Python's cp932 codec decodes it
    /// (except 0x80, 0xA0 and 0xFD–0xFF, which Python maps to U+0080 and U+F8F0–U+F8F3 and
    /// which we reject as not being characters).
    @Test(.enabled(if: python3 != nil, "needs python3"))
    func agreesWithPythonForEverySequence() throws {
        let script = """
        import sys
        leads = list(range(0x81, 0xA0)) + list(range(0xE0, 0xFD))
        out = []
        for b in range(256):
            if b in leads: continue
            try: out.append('%02X=%s' % (b, ' '.join('%X' % ord(c) for c in bytes([b]).decode('cp932'))))
            except UnicodeDecodeError: out.append('%02X=' % b)
        for l in leads:
            for t in range(256):
                try: s = bytes([l, t]).decode('cp932'); out.append('%02X%02X=%s' % (l, t, ' '.join('%X' % ord(c) for c in s)))
                except UnicodeDecodeError: out.append('%02X%02X=' % (l, t))
        sys.stdout.write('\\n'.join(out))
        """
        let lines = try runPython(script).split(separator: "\n")
        #expect(lines.count == 196 + 60 * 256)
        var checked = 0
        for line in lines {
            let parts = line.split(separator: "=", omittingEmptySubsequences: false)
            let hex = parts[0]
            var bytes: [UInt8] = []
            var idx = hex.startIndex
            while idx < hex.endIndex {
                let next = hex.index(idx, offsetBy: 2)
                bytes.append(UInt8(hex[idx..<next], radix: 16)!)
                idx = next
            }
            if bytes.count == 1 && [0x80, 0xA0, 0xFD, 0xFE, 0xFF].contains(bytes[0]) { continue }
            let want: [UInt32]? = parts[1].isEmpty ? nil : parts[1].split(separator: " ").map { UInt32($0, radix: 16)! }
            let got: [UInt32]?
            switch bytes.withUnsafeBufferPointer({ TextEncoding.cp932.decode($0) }) {
            case .string(let s): got = s.unicodeScalars.map(\.value)
            case .invalid: got = nil
            }
            if got != want { Issue.record("\(hex): got \(String(describing: got)), Python \(String(describing: want))") }
            checked += 1
        }
        #expect(checked == 191 + 60 * 256)
    }

    /// The committed table is what the generator makes from this machine's Python.
    @Test(.enabled(if: python3 != nil, "needs python3"))
    func generatedTableIsUpToDate() throws {
        let generated = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Records/Generated")
        let script = generated.appendingPathComponent("generate_cp932_table.py").path
        let table = generated.appendingPathComponent("CP932Table.swift").path
        try #require(FileManager.default.fileExists(atPath: script))
        let output = try runPython("import runpy, sys; sys.argv = ['gen', '--check', '\(table)']; runpy.run_path('\(script)', run_name='__main__')")
        #expect(output.contains("up to date"))
    }
}
