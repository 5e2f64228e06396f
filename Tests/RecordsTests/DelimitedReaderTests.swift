import Foundation
import Testing
@testable import Records

@Suite struct DelimitedReaderTests {
    @Test func quotedFieldsWithCommasNewlinesAndDoubledQuotes() throws {
        let tmp = try TempDir()
        let path = try tmp.write("q.csv", #"""
            id,name,note
            1,"Yamada, Taro","said ""hello"""
            2,"multi
            line
            note",x
            3,plain,"a,b"
            4,"",""
            """#)
        let reader = try DelimitedReader(path: path)
        #expect(reader.header.names == ["id", "name", "note"])
        #expect(reader.header.index(of: "note") == 2)
        let records = try readAll(reader)
        #expect(records.map(\.line) == [2, 3, 6, 7])
        #expect(records[0].fields == ["1", "Yamada, Taro", "said \"hello\""])
        #expect(records[1].fields == ["2", "multi\nline\nnote", "x"])
        #expect(records[2].fields == ["3", "plain", "a,b"])
        #expect(records[3].fields == ["4", "", ""])
        #expect(records.allSatisfy { $0.problem == nil })
        #expect(records[1].value("note", in: reader.header) == "x")
    }

    @Test func crlfAndQuotedCRLFInsideField() throws {
        let tmp = try TempDir()
        let path = try tmp.write("crlf.csv", "a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,\"5\"\r\n")
        let records = try readAll(try DelimitedReader(path: path))
        #expect(records.map(\.fields) == [["1", "2"], ["x\r\ny", "3"], ["4", "5"]])
        #expect(records.map(\.line) == [2, 3, 5])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let tmp = try TempDir()
        let path = try tmp.write("bom.csv", [0xEF, 0xBB, 0xBF] + Array("氏名,金額\n山田,100".utf8))
        let reader = try DelimitedReader(path: path)
        #expect(reader.header.names == ["氏名", "金額"])
        #expect(try readAll(reader).map(\.fields) == [["山田", "100"]])
    }

    @Test func utf8BOMOnFileDeclaredCP932IsReported() throws {
        let tmp = try TempDir()
        let path = try tmp.write("bom.csv", [0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8))
        let e = recordError { _ = try DelimitedReader(path: path, format: .csv(.cp932)) }
        #expect(e?.kind == .encodingMismatch)
    }

    @Test func tabSeparated() throws {
        let tmp = try TempDir()
        let path = try tmp.write("t.tsv", "id\tname\taddr\n1\tA, B\t\"x\ty\"\n2\t\t\n")
        let reader = try DelimitedReader(path: path, format: .tsv())
        let records = try readAll(reader)
        #expect(records.map(\.fields) == [["1", "A, B", "x\ty"], ["2", "", ""]])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let tmp = try TempDir()
        let path = try tmp.write("blank.csv", "a,b\n\n1,2\r\n\r\n3,4\n\n")
        let records = try readAll(try DelimitedReader(path: path))
        #expect(records.map(\.line) == [3, 5])
    }

    @Test func lastRecordWithoutNewline() throws {
        let tmp = try TempDir()
        let path = try tmp.write("n.csv", "a,b\n1,2\n3,\"4\"")
        #expect(try readAll(try DelimitedReader(path: path)).map(\.fields) == [["1", "2"], ["3", "4"]])
    }

    @Test func wrongFieldCountIsAProblemNotAnError() throws {
        let tmp = try TempDir()
        let path = try tmp.write("few.csv", "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n")
        let records = try readAll(try DelimitedReader(path: path))
        #expect(records.count == 4)
        #expect(records[0].problem == nil)
        #expect(records[1].line == 3)
        #expect(records[1].fields == ["4", "5"])
        #expect(records[1].problem?.contains("Expected 3 fields") == true)
        #expect(records[2].line == 4)
        #expect(records[2].problem?.contains("found 4") == true)
        #expect(records[3].problem == nil)
    }

    @Test func textAfterClosingQuoteIsAProblem() throws {
        let tmp = try TempDir()
        let path = try tmp.write("stray.csv", "a,b\n\"x\"y,2\n3,4\n")
        let records = try readAll(try DelimitedReader(path: path))
        #expect(records[0].problem?.contains("line 2, column 4") == true)
        #expect(records[1].problem == nil)
    }

    @Test func quoteInsideUnquotedFieldIsKept() throws {
        let tmp = try TempDir()
        let path = try tmp.write("inch.csv", "a,b\n5\" disk,2\n")
        #expect(try readAll(try DelimitedReader(path: path)).map(\.fields) == [["5\" disk", "2"]])
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        let tmp = try TempDir()
        let path = try tmp.write("open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n")
        let reader = try DelimitedReader(path: path)
        #expect(try reader.next()?.fields == ["1", "2"])
        let e = recordError { _ = try reader.next() }
        #expect(e?.kind == .unterminatedQuote)
        #expect(e?.line == 3)
        #expect(e?.column == 3)
        #expect(e?.description.hasPrefix("\(path):3:3: ") == true)
        #expect(try reader.next() == nil)
    }

    @Test func strayQuoteHitsRecordSizeLimit() throws {
        let tmp = try TempDir()
        var text = "a,b\n1,\"oops\n"
        for i in 0..<2000 { text += "\(i),row\n" }
        let path = try tmp.write("big.csv", text)
        let reader = try DelimitedReader(path: path, format: DelimitedFormat(chunkSize: 1024, maxRecordBytes: 4096))
        let e = recordError { _ = try readAll(reader) }
        #expect(e?.kind == .recordTooLong)
        #expect(e?.line == 2)
    }

    @Test func invalidUTF8IsReportedWithLineAndColumnAndReaderContinues() throws {
        let tmp = try TempDir()
        let path = try tmp.write("bad.csv", Array("a,b\n1,ok\n2,ab".utf8) + [0xFF] + Array("c\n3,\"x\ny".utf8) + [0xE3, 0x81] + Array("\"\n4,fine\n".utf8))
        let reader = try DelimitedReader(path: path)
        #expect(try reader.next()?.fields == ["1", "ok"])
        let e1 = recordError { _ = try reader.next() }
        #expect(e1?.kind == .invalidEncoding)
        #expect(e1?.line == 3)
        #expect(e1?.column == 5)
        #expect(e1?.message.contains("0xFF") == true)
        let e2 = recordError { _ = try reader.next() }
        #expect(e2?.line == 5) // inside a quoted field that started on line 4
        #expect(e2?.column == 2)
        let last = try reader.next()
        #expect(last?.fields == ["4", "fine"])
        #expect(last?.line == 6)
    }

    @Test func emptyFileHasNoHeader() throws {
        let tmp = try TempDir()
        let path = try tmp.write("empty.csv", "")
        #expect(recordError { _ = try DelimitedReader(path: path) }?.kind == .emptyInput)
    }

    @Test func suppliedHeaderMeansFirstRowIsData() throws {
        let tmp = try TempDir()
        let path = try tmp.write("nohdr.csv", "1,2\n3,4\n")
        let reader = try DelimitedReader(path: path, format: DelimitedFormat(header: Header(names: ["x", "y"])))
        #expect(try readAll(reader).map(\.line) == [1, 2])
    }

    @Test func missingFileIsAnIOError() {
        let e = recordError { _ = try DelimitedReader(path: "/nonexistent/dir/x.csv") }
        #expect(e?.kind == .io)
    }

    @Test func delimiterThatCanBeACP932TrailByteIsRefused() {
        let pipe = Delimiter("|")!
        let e = recordError { _ = try DelimitedReader(data: Data("a|b\n".utf8), name: "p", format: DelimitedFormat(delimiter: pipe, encoding: .cp932)) }
        #expect(e?.kind == .invalidConfiguration)
        #expect(Delimiter("\"") == nil)
    }

    @Test func fileHandleInput() throws {
        let tmp = try TempDir()
        let path = try tmp.write("fh.csv", "a\n1\n2\n")
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let reader = try DelimitedReader(fileHandle: handle, name: "stdin", format: .csv())
        #expect(try readAll(reader).map(\.fields) == [["1"], ["2"]])
    }

    /// Every chunk size must give the same records as reading everything at once: records,
    /// quotes, CRLF pairs and multi-byte characters are cut at every possible place.
    @Test(arguments: [16, 17, 31, 64, 1000])
    func chunkBoundariesDoNotMatter(chunkSize: Int) throws {
        var text = "id,名前,note\r\n"
        for i in 0..<300 {
            switch i % 5 {
            case 0: text += "\(i),山田 太郎,\"he said \"\"hi\"\", ok\"\r\n"
            case 1: text += "\(i),\"複数\r\n行の\nメモ\",x\n"
            case 2: text += "\(i),,\n\n"
            case 3: text += "\(i),\"\",\"\"\"\"\r\n"
            default: text += "\(i),ｱｲｳ①㈱～,end\n"
            }
        }
        let tmp = try TempDir()
        for (encoding, bytes) in [(TextEncoding.utf8, Array(text.utf8)), (.cp932, Array(text.data(using: .shiftJIS)!))] {
            let path = try tmp.write("chunks-\(encoding).csv", bytes)
            let expected = try readAll(try DelimitedReader(data: Data(bytes), name: "memory", format: .csv(encoding)))
            let got = try readAll(try DelimitedReader(path: path, format: DelimitedFormat(encoding: encoding, chunkSize: chunkSize)))
            #expect(got == expected)
            #expect(got.count == 300)
            #expect(got[1].fields[1] == "複数\r\n行の\nメモ")
            #expect(got[4].fields[1] == "ｱｲｳ①㈱～")
            #expect(got.last?.line == 481)
        }
    }
}
