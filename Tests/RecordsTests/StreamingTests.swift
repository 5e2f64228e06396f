import Foundation
import Testing
@testable import Records

@Suite struct StreamingTests {
    /// 200,000 generated rows read through 64 KiB chunks: every row comes back with its line.
    @Test func readsALargeGeneratedFile() throws {
        let tmp = try TempDir()
        let path = tmp.url.appendingPathComponent("big.csv").path
        let rows = 200_000
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let out = try #require(FileHandle(forWritingAtPath: path))
        var buffer = Array("id,name,amount,note\n".utf8)
        for i in 0..<rows {
            buffer += Array("\(i),山田\(i % 10),\(i * 3),\(i % 1000 == 0 ? "\"x,\ny\"" : "ok")\n".utf8)
            if buffer.count > 1 << 20 { out.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
        }
        out.write(Data(buffer))
        try out.close()

        let reader = try DelimitedReader(path: path, format: DelimitedFormat(chunkSize: 64 << 10))
        var count = 0
        var line = 2
        var problems = 0
        while let record = try reader.next() {
            if record.line != line || record.fields[0] != String(count) { Issue.record("row \(count) at line \(record.line)"); break }
            if record.problem != nil { problems += 1 }
            line += count % 1000 == 0 ? 2 : 1
            count += 1
        }
        #expect(count == rows)
        #expect(problems == 0)
        #expect(line == 2 + rows + rows / 1000)
    }
}
