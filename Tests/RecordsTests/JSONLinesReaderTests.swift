import Foundation
import Testing
@testable import Records

@Suite struct JSONLinesReaderTests {
    @Test func nestedDetailsAndAnInvalidLine() throws {
        let tmp = try TempDir()
        let path = try tmp.write("n.jsonl", #"""
            {"id": "A001", "name": "髙橋 ①", "amount": 1200.50, "big": 12345678901234567890, "paid": true, "memo": null, "address": {"zip": "100-0001", "pref": "東京都"}, "details": [{"item": "固定資産税", "yen": 1000}, {"item": "都市計画税", "yen": 200.5, "note": "a\"b\u00e9\ud83d\ude00\n"}]}

            {"id": "A002", "amount": 5,}
            {"id": "A003", "details": []}
            """#)
        let reader = try JSONLinesReader(path: path)
        let first = try #require(try reader.next())
        #expect(first.line == 1)
        #expect(first["id"] == "A001")
        #expect(first["name"] == "髙橋 ①")
        #expect(first["amount"] == "1200.50")
        #expect(first["big"] == "12345678901234567890")
        #expect(first["paid"] == "true")
        #expect(first["memo"] == nil)
        #expect(first["address.zip"] == "100-0001")
        #expect(first.details["details"] == [
            ["item": "固定資産税", "yen": "1000"],
            ["item": "都市計画税", "yen": "200.5", "note": "a\"bé😀\n"],
        ])
        let e = recordError { _ = try reader.next() }
        #expect(e?.kind == .invalidJSON)
        #expect(e?.line == 3)
        #expect(e?.column == 28)
        let third = try #require(try reader.next())
        #expect(third.line == 4)
        #expect(third.details["details"] == [])
        #expect(try reader.next() == nil)
    }

    @Test(arguments: [
        (#"[1, 2]"#, RecordError.Kind.invalidJSON, 1),
        (#"{"a": 01}"#, .invalidJSON, 8),
        (#"{"a": "x}"#, .invalidJSON, 7),
        (#"{"a": tru}"#, .invalidJSON, 7),
        (#"{"a": 1} {"b": 2}"#, .invalidJSON, 10),
        (#"{"a": [1, 2]}"#, .unsupportedJSON, 8),
        (#"{"a": [{"b": [1]}]}"#, .unsupportedJSON, 14),
        (#"{"a": "\ud800"}"#, .invalidJSON, 8),
    ])
    func invalidLines(line: String, kind: RecordError.Kind, column: Int) throws {
        let reader = try JSONLinesReader(data: Data((line + "\n").utf8), name: "x.jsonl")
        let e = recordError { _ = try reader.next() }
        #expect(e?.kind == kind)
        #expect(e?.line == 1)
        #expect(e?.column == column, "\(e?.description ?? "no error")")
    }

    @Test func invalidUTF8AndCRLF() throws {
        let bytes = Array("{\"a\": \"ok\"}\r\n{\"a\": \"".utf8) + [0xC3, 0x28] + Array("\"}\r\n".utf8)
        let reader = try JSONLinesReader(data: Data(bytes), name: "x.jsonl")
        #expect(try reader.next()?["a"] == "ok")
        let e = recordError { _ = try reader.next() }
        #expect(e?.kind == .invalidEncoding)
        #expect(e?.line == 2)
        #expect(e?.column == 8)
    }

    @Test func smallChunksAndNoTrailingNewline() throws {
        let tmp = try TempDir()
        var text = ""
        for i in 0..<500 { text += "{\"i\": \(i), \"s\": \"値\(i)\"}\n" }
        text += "{\"i\": 500}"
        let path = try tmp.write("many.jsonl", text)
        let reader = try JSONLinesReader(path: path, chunkSize: 16)
        var n = 0
        while let r = try reader.next() {
            #expect(r["i"] == String(n))
            #expect(r.line == n + 1)
            n += 1
        }
        #expect(n == 501)
    }
}
