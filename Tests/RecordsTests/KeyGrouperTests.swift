import Foundation
import Testing
@testable import Records

@Suite struct KeyGrouperTests {
    @Test func groupsConsecutiveKeys() throws {
        let tmp = try TempDir()
        let path = try tmp.write("g.csv", "id,item\nA,1\nA,2\nB,3\nC,4\nC,5\nC,6\nA,7\n")
        let reader = try DelimitedReader(path: path)
        var grouper = KeyGrouper(reader: reader, keyIndex: try #require(reader.header.index(of: "id")))
        var groups: [[String]] = []
        var lines: [[Int]] = []
        while let g = try grouper.next() {
            groups.append(g.map { $0.fields[1] })
            lines.append(g.map(\.line))
        }
        #expect(groups == [["1", "2"], ["3"], ["4", "5", "6"], ["7"]])
        #expect(lines[2] == [5, 6, 7])
        #expect(try grouper.next() == nil)
    }

    @Test func emptyInputHasNoGroups() throws {
        var grouper = KeyGrouper<Int, Int>(key: { $0 }, next: { nil })
        #expect(try grouper.next() == nil)
    }

    @Test func keepsTheGroupAcrossAnErrorFromTheReader() throws {
        let tmp = try TempDir()
        let path = try tmp.write("g.csv", Array("id,v\nA,1\nA,".utf8) + [0xFF] + Array("\nA,3\nB,4\n".utf8))
        let reader = try DelimitedReader(path: path)
        var grouper = KeyGrouper(reader: reader, keyIndex: 0)
        var errors = 0
        var groups: [[String]] = []
        while true {
            do {
                guard let g = try grouper.next() else { break }
                groups.append(g.map { $0.fields[1] })
            } catch is RecordError {
                errors += 1
            }
        }
        #expect(errors == 1)
        #expect(groups == [["1", "3"], ["4"]])
    }

    @Test func groupsJSONRecordsWithTheClosureForm() throws {
        let reader = try JSONLinesReader(data: Data("{\"k\":1}\n{\"k\":1}\n{\"k\":2}\n".utf8), name: "j")
        var grouper = KeyGrouper(key: { (r: JSONRecord) in r["k"] ?? "" }, next: { try reader.next() })
        var sizes: [Int] = []
        while let g = try grouper.next() { sizes.append(g.count) }
        #expect(sizes == [2, 1])
    }
}
