import Foundation
import Testing
@testable import Records

@Suite struct FixedLengthReaderTests {
    /// id: 6 ASCII bytes, name: 10 CP932 bytes padded with full-width and ASCII spaces,
    /// amount: 8 bytes right-aligned.
    static func layout(terminated: Bool = true) throws -> FixedLengthLayout {
        try FixedLengthLayout(recordLength: 24, fields: [
            .init("id", offset: 0, length: 6),
            .init("name", offset: 6, length: 10),
            .init("amount", offset: 16, length: 8, encoding: .utf8, trim: .both),
        ], encoding: .cp932, lineTerminated: terminated)
    }

    static func cp932(_ s: String) -> [UInt8] { Array(s.data(using: .shiftJIS)!) }

    static let rows: [[UInt8]] = [
        cp932("000001") + cp932("髙橋　") + [0x20, 0x20, 0x20, 0x20] + cp932("    1200"),   // 髙橋 + U+3000 + 4 spaces
        cp932("000002") + cp932("ｱｲｳｴｵ①㈱ ") + cp932("      -5"),
        cp932("000003") + [0xF0, 0x40, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20] + cp932("       0"),
    ]

    @Test func lineTerminatedCP932Fields() throws {
        let tmp = try TempDir()
        let path = try tmp.write("fixed.dat", Self.rows[0] + [0x0D, 0x0A] + Self.rows[1] + [0x0A] + Self.rows[2] + [0x0A])
        let reader = try FixedLengthReader(path: path, layout: try Self.layout())
        #expect(reader.header.names == ["id", "name", "amount"])
        let records = try readAll(reader)
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records.map(\.fields) == [
            ["000001", "髙橋", "1200"],
            ["000002", "ｱｲｳｴｵ①㈱", "-5"],
            ["000003", "\u{E000}", "0"],
        ])
    }

    @Test func unterminatedRecordsUseRecordNumbers() throws {
        let tmp = try TempDir()
        let path = try tmp.write("fixed.bin", Self.rows.flatMap { $0 })
        let records = try readAll(try FixedLengthReader(path: path, layout: try Self.layout(terminated: false), chunkSize: 16))
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[2].fields[1] == "\u{E000}")
    }

    @Test func shortLastRecordWithoutTerminators() throws {
        let tmp = try TempDir()
        let path = try tmp.write("short.bin", Self.rows[0] + Self.rows[1].prefix(20))
        let reader = try FixedLengthReader(path: path, layout: try Self.layout(terminated: false))
        #expect(try reader.next()?.fields[0] == "000001")
        let e = recordError { _ = try reader.next() }
        #expect(e?.kind == .shortRecord)
        #expect(e?.line == 2)
        #expect(e?.column == 21)
        #expect(try reader.next() == nil)
    }

    @Test func shortAndLongLinesAreReportedAndSkipped() throws {
        let tmp = try TempDir()
        let path = try tmp.write("lines.dat", Self.rows[0] + [0x0A] + Array(Self.rows[1].prefix(23)) + [0x0A] + Self.rows[2] + [0x20, 0x0A] + Self.rows[0] + [0x0A])
        let reader = try FixedLengthReader(path: path, layout: try Self.layout())
        #expect(try reader.next()?.line == 1)
        let short = recordError { _ = try reader.next() }
        #expect(short?.kind == .shortRecord)
        #expect(short?.line == 2)
        let long = recordError { _ = try reader.next() }
        #expect(long?.kind == .longRecord)
        #expect(long?.line == 3)
        #expect(try reader.next()?.line == 4)
        #expect(try reader.next() == nil)
    }

    @Test func fieldBoundaryCuttingADoubleByteCharacterIsAnError() throws {
        let tmp = try TempDir()
        // The name field is 10 bytes; put a 2-byte character at bytes 9–10 of it so its trail byte
        // falls into the amount field.
        var row = Self.cp932("000004") + Self.cp932("ｱｲｳｴｵｶｷｸｹ") + Self.cp932("漢") + Self.cp932("      1")
        #expect(row.count == 24)
        row += [0x0A]
        let path = try tmp.write("cut.dat", row)
        let e = recordError { _ = try readAll(try FixedLengthReader(path: path, layout: try Self.layout())) }
        #expect(e?.kind == .invalidEncoding)
        #expect(e?.line == 1)
        #expect(e?.column == 16)
        #expect(e?.message.contains("\"name\"") == true)
    }

    @Test func layoutMustFit() {
        #expect(throws: LayoutError.self) {
            try FixedLengthLayout(recordLength: 10, fields: [.init("x", offset: 5, length: 6)])
        }
    }
}
