import Forms
import Foundation
import Records
@testable import Render
import Testing

/// Notices are cut so that a row that cannot be read never splits a notice nor lets one go out
/// without it, and an input whose notices are not together is refused.
@Suite struct NoticeGrouperTests {
    static let header = "owner_id,name,postal_code,address,location,category,area,assessed_value,tax,total_tax"

    func form() throws -> Form {
        try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/fixed-asset-tax-notice.yaml").path,
                            displayPath: "Forms/fixed-asset-tax-notice.yaml")
    }

    func row(_ owner: String, _ location: String) -> String { "\(owner),A,100-0001,x,\(location),宅地,1,10,1,2" }

    /// Each notice as "KEY:lines" (line numbers of its records) and, when rejected, "!" with its first problem.
    func notices(_ rows: [String], bytes: Data? = nil, encoding: TextEncoding = .utf8) throws -> [String] {
        let data = bytes ?? Data(([Self.header] + rows).joined(separator: "\n").utf8 + [0x0A])
        let reader = try DelimitedReader(data: data, name: "in.csv", format: .csv(encoding))
        let grouper = try NoticeGrouper(reader, form: try form(), file: "in.csv")
        var out: [String] = []
        while let n = try grouper.nextNotice() {
            let key = n.first { $0.problem == nil }?.fields.first ?? n[0].fields.first ?? "?"
            let problem = n.contains { $0.problem != nil } ? "!" : ""
            out.append("\(key):\(n.map { String($0.line) }.joined(separator: ","))\(problem)")
        }
        return out
    }

    @Test func anUnreadableRowInsideANoticeStaysInItAndRejectsIt() throws {
        let got = try notices([row("K1", "a"), row("K2", "b"), ",broken", row("K2", "c"), row("K3", "d")])
        #expect(got == ["K1:2", "K2:3,4,5!", "K3:6"])
    }

    @Test func aRowWithItsKeyReadableButAFieldTooManyStaysWithItsNotice() throws {
        let got = try notices([row("K2", "b"), "K2,extra,A,1,x,l,宅地,1,10,1,2", row("K2", "c"), row("K3", "d")])
        #expect(got == ["K2:2,3,4!", "K3:5"])
    }

    @Test func anUnreadableRowBetweenTwoNoticesRejectsBoth() throws {
        let got = try notices([row("K1", "a"), ",broken", row("K2", "b"), row("K3", "c")])
        #expect(got == ["K1:2,3!", "K2:4!", "K3:5"])
    }

    @Test func aMalformedRowNamingTheNextNoticeStartsIt() throws {
        let got = try notices([row("K1", "a"), "K2,short", row("K2", "b"), row("K3", "c")])
        #expect(got == ["K1:2", "K2:3,4!", "K3:5"])
    }

    @Test func aMalformedRowNamingNeitherNeighbourIsANoticeOfItsOwn() throws {
        let got = try notices([row("K1", "a"), "K9,short", row("K2", "b")])
        #expect(got == ["K1:2", "K9:3!", "K2:4"])
    }

    @Test func bytesInvalidInTheEncodingKeepTheirNoticeAndTheirKey() throws {
        var bytes = Data((Self.header + "\n" + row("K1", "a") + "\n" + row("K2", "b") + "\n").utf8)
        bytes += Data("K2,".utf8) + Data([0x97, 0x41]) + Data(",100-0001,x,c,宅地,1,10,1,2\n".utf8)
        bytes += Data((row("K2", "d") + "\n" + row("K3", "e") + "\n").utf8)
        let got = try notices([], bytes: bytes)
        #expect(got == ["K1:2", "K2:3,4,5!", "K3:6"])
    }

    @Test func aKeyThatComesBackIsRefusedWithBothLines() throws {
        #expect {
            _ = try notices([row("K1", "a"), row("K2", "b"), row("K1", "c")])
        } throws: { e in
            "\(e)".contains("in.csv:4: owner_id K1 comes back after other notices (first at line 2)")
        }
    }

    @Test func aGroupByColumnTheInputLacksIsRefusedNamingBothFiles() throws {
        let reader = try DelimitedReader(data: Data("id,name\n1,a\n".utf8), name: "in.csv")
        #expect {
            _ = try NoticeGrouper(reader, form: try form(), file: "in.csv")
        } throws: { e in
            "\(e)".contains("in.csv: the input has no column owner_id, which Forms/fixed-asset-tax-notice.yaml:")
        }
    }

    @Test func sortedNoticesKeepAnUnreadableRowWithTheNoticeItSplitBefore() throws {
        // Sorting by postal code moves notices; the broken row must travel with K2 and reject it.
        let csv = [Self.header, "K2,A,200-0001,x,a,宅地,1,10,1,2", "broken", "K2,A,200-0001,x,b,宅地,1,10,1,2",
                   "K1,B,100-0001,x,c,宅地,1,10,1,2"].joined(separator: "\n") + "\n"
        let sorted = try SortedRecords(try DelimitedReader(data: Data(csv.utf8), name: "in.csv"), form: try form(), by: ["postal_code"])
        var out: [String] = []
        while let n = try sorted.nextNotice() { out.append(n.map { String($0.line) }.joined(separator: ",")) }
        #expect(out == ["5", "2,3,4"])
    }
}
