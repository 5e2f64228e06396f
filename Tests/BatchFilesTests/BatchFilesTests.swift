import BatchFiles
import Testing

/// The batch files' formats read back what they write, with the quoting a key may need.
@Suite struct BatchFilesTests {
    @Test func manifestLinesReadBackAsWritten() throws {
        let rows = [
            ManifestCSV.Row(key: "T000000001", volume: "vol-0001.pdf", firstPage: 1, pages: 2, sheets: 1),
            ManifestCSV.Row(key: "K,\"7\"", volume: "vol-0001.pdf", firstPage: 3, pages: 1, sheets: 1),
        ]
        let text = ManifestCSV.header(mail: false) + rows.map(ManifestCSV.line).joined()
        #expect(try ManifestCSV.parse(text, path: "m.csv") == rows)
        let mail = [ManifestCSV.Row(key: "A1", volume: "vol-0002.pdf", firstPage: 1, pages: 3, sheets: 2, mail: ("2", "夜鷹, 東", 4))]
        #expect(try ManifestCSV.parse(ManifestCSV.header(mail: true) + mail.map(ManifestCSV.line).joined(), path: "m.csv") == mail)
        #expect(throws: ManifestCSV.FormatError.self) { try ManifestCSV.parse("key,volume\nA,vol-0001.pdf,x,1,1\n", path: "m.csv") }
    }

    @Test func checksumListsRefuseNamesOutsideTheirDirectory() throws {
        let entries = [ChecksumList.Entry(file: "vol-0001.pdf", sha256: String(repeating: "a", count: 64))]
        #expect(try ChecksumList.parse(entries.map(ChecksumList.line).joined()) == entries)
        #expect(try ChecksumList.parse("\(String(repeating: "b", count: 64)) *manifest.csv\n").first?.file == "manifest.csv")
        for bad in ["../etc/passwd", "sub/vol.pdf", ".."] {
            #expect(throws: ChecksumList.FormatError.self) { try ChecksumList.parse("\(String(repeating: "c", count: 64))  \(bad)\n") }
        }
    }
}
