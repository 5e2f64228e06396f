import Forms
import Foundation
import Records
@testable import Render
import Testing

/// The external merge sort (tiny budgets, many runs) against the in-memory sort and against the
/// straightforward whole-input sort SortedRecords used to be.
@Suite struct ExternalSortTests {
    enum Item: Equatable {
        case error(RecordError)
        case record(Record)
    }

    static let columns = "owner_id,name,postal_code,address,location,category,area,assessed_value,tax,total_tax"

    func form() throws -> Form {
        try FormLoader.load(path: RenderTests.root.appendingPathComponent("Forms/fixed-asset-tax-notice.yaml").path,
                            displayPath: "Forms/fixed-asset-tax-notice.yaml")
    }

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-extsort-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Everything a reader yields, decoding errors included where they come.
    func drain(_ reader: RecordReader) throws -> [Item] {
        var items: [Item] = []
        while true {
            do {
                guard let r = try reader.next() else { return items }
                items.append(.record(r))
            } catch let e as RecordError where e.kind == .invalidEncoding {
                items.append(.error(e))
            }
        }
    }

    /// The order written out plainly: the notices NoticeGrouper cuts (tested on its own), sorted by
    /// index (whole numbers by value before text, text by String order, ties by input order).
    func reference(_ source: RecordReader, form: Form, key: (Record) -> [String]) throws -> [Item] {
        let grouper = try NoticeGrouper(source, form: form, file: "in.csv")
        var notices: [[Record]] = []
        while let n = try grouper.nextNotice() { notices.append(n) }
        let keyed = notices.map { key($0[0]) }
        // Each value ranks as (0, its number) or (1, its text): numbers first, by value.
        func rank(_ v: String) -> (text: Bool, number: Int64) { Int64(v).map { (false, $0) } ?? (true, 0) }
        let ordered = notices.indices.sorted { a, b in
            for (x, y) in zip(keyed[a], keyed[b]) {
                let (rx, ry) = (rank(x), rank(y))
                if rx.text != ry.text { return !rx.text }
                if !rx.text && rx.number != ry.number { return rx.number < ry.number }
                if rx.text && x != y { return x < y }
            }
            return a < b
        }
        return ordered.flatMap { notices[$0] }.map { Item.record($0) }
    }

    func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// A CSV of `count` notices of 1–3 records, with values that sort numerically, as text, and tie;
    /// fields with commas, quotes, newlines and non-ASCII text; rows of the wrong length (problems);
    /// and rows with bytes that are not UTF-8 (decoding errors). `leadingZeros` adds "007"-style
    /// spellings of numbers (equal to "7", so the next field decides).
    func randomCSV(seed: UInt64, count: Int, leadingZeros: Bool) -> Data {
        var rng = SampleData(seed: seed)
        // "é" twice: precomposed and decomposed, equal as Strings but not as bytes.
        let words = ["", "宅地", "山林", "a,b", "x\ny", "Zeta \"q\"", "𠮷田", "beta", "Beta", "\u{E9}", "e\u{301}", "e\u{301}x"]
        func number() -> String {
            let n = Int.random(in: -20...40, using: &rng)
            return leadingZeros && Bool.random(using: &rng) ? String(format: "%03d", n) : String(n)
        }
        func value() -> String { Bool.random(using: &rng) ? number() : words.randomElement(using: &rng) ?? "" }
        var out = Data((Self.columns + "\r\n").utf8)
        for i in 0..<count {
            // Each notice's records together, as group_by requires (a key that comes back is refused).
            let owner = "K\(i)"
            let name = value()
            for j in 0..<Int.random(in: 1...3, using: &rng) {
                var fields = [owner, name, value(), "夜鷹市, 本町\n\(i)-\(j)", "l\(j)", value(), number(), "10", "1", String(i)]
                switch Int.random(in: 0..<20, using: &rng) {
                case 0: fields.append("extra, field")          // a problem: too many fields
                case 1: fields.removeLast(3)                   // a problem: too few
                case 2: fields[3] = ""                         // an empty field
                default: break
                }
                var row = Data(fields.map(quoted).joined(separator: ",").utf8)
                if Int.random(in: 0..<40, using: &rng) == 0 { row.append(contentsOf: [0x2C, 0x22, 0xFF, 0xFE, 0x22]) } // not UTF-8
                out.append(row)
                out.append(contentsOf: Array("\r\n".utf8))
            }
        }
        return out
    }

    /// The first place where two outputs differ, byte for byte (String == ignores normalization), or nil.
    func difference(_ got: [Item], _ expected: [Item]) -> String? {
        func exact(_ item: Item) -> [[UInt8]] {
            switch item {
            case .error(let e): return [Array(e.description.utf8)]
            case .record(let r): return [Array(String(r.line).utf8), Array((r.problem ?? "-").utf8), [UInt8(r.problem == nil ? 0 : 1)]] + r.fields.map { Array($0.utf8) }
            }
        }
        for (i, (g, e)) in zip(got, expected).enumerated() where g != e || exact(g) != exact(e) {
            return "item \(i) of \(expected.count): got \(g), expected \(e)"
        }
        return got.count == expected.count ? nil : "got \(got.count) items, expected \(expected.count)"
    }

    func fieldKey(_ header: Header, _ names: [String]) -> (Record) -> [String] {
        let indices = names.compactMap { header.index(of: $0) }
        return { r in indices.map { $0 < r.fields.count ? r.fields[$0] : "" } }
    }

    @Test(arguments: [(1 as UInt64, ["name"], true), (2, ["name"], true), (3, ["category", "area"], true),
                      (4, ["area", "name", "owner_id"], true), (5, ["total_tax"], false)])
    func manyRunsGiveTheInMemoryOrder(seed: UInt64, fields: [String], leadingZeros: Bool) throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("in.csv").path
        try randomCSV(seed: seed, count: 400, leadingZeros: leadingZeros).write(to: URL(fileURLWithPath: path))
        let form = try form()
        let open = { try DelimitedReader(path: path) }

        let expected = try reference(try open(), form: form, key: fieldKey(try open().header, fields))
        #expect(expected.contains { if case .record(let r) = $0 { r.problem?.contains("not valid UTF-8") == true } else { false } })
        #expect(expected.contains { if case .record(let r) = $0 { r.problem != nil } else { false } })
        #expect(expected.contains { if case .record(let r) = $0 { r.fields.contains { $0.contains("\n") } } else { false } })

        let inMemory = try SortedRecords(try open(), form: form, by: fields)
        #expect(inMemory.temporaryDirectory == nil)
        #expect(difference(try drain(inMemory), expected) == nil)

        let spills = dir.appendingPathComponent("spill")
        try FileManager.default.createDirectory(at: spills, withIntermediateDirectories: true)
        // One notice per run (fan-in 3: several levels of merges), then a few hundred per run.
        for limits in [SortedRecords.Limits(bytes: 1, fanIn: 3, directory: spills.path),
                       SortedRecords.Limits(bytes: 20_000, fanIn: 64, directory: spills.path)] {
            let external = try SortedRecords(try open(), form: form, by: fields, limits: limits)
            let tmp = try #require(external.temporaryDirectory)
            #expect(FileManager.default.fileExists(atPath: tmp))
            let got = try drain(external)
            #expect(difference(got, expected) == nil, "limits \(limits)")
            #expect(!FileManager.default.fileExists(atPath: tmp))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: spills.path).isEmpty)
    }

    /// A column that mixes numbers and text: numbers first, by value; then text. Every pair agrees with
    /// that order, so no way of cutting the input into runs can change the result.
    @Test func mixedColumnsSortNumbersFirst() {
        let values = ["10", "b", "2", "1a", "007", "-3", "7", "B"]
        let sorted = values.enumerated().sorted { a, b in
            let c = SortKey([a.element]).compare(SortKey([b.element]))
            return c != 0 ? c < 0 : a.offset < b.offset
        }.map(\.element)
        #expect(sorted == ["-3", "2", "007", "7", "10", "1a", "B", "b"])
        for x in values { for y in values { #expect(SortKey([x]).compare(SortKey([y])) == -SortKey([y]).compare(SortKey([x]))) } }
        // Equal numbers leave the decision to the next field.
        #expect(SortKey(["007", "b"]).compare(SortKey(["7", "a"])) == 1)
    }

    @Test func postalOrderOfSampleDataWithRuns() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let form = try form()
        let mail = try #require(form.mail)
        let data = dir.appendingPathComponent("in.csv")
        _ = FileManager.default.createFile(atPath: data.path, contents: nil)
        var sample = SampleData(seed: 3)
        try sample.writeCSV(form: form, count: 3000, to: try FileHandle(forWritingTo: data))

        let inMemory = try SortedRecords(try InputOpener.open(path: data.path, form: form), form: form, mail: mail)
        #expect(inMemory.temporaryDirectory == nil)
        let expected = try drain(inMemory)
        let external = try SortedRecords(try InputOpener.open(path: data.path, form: form), form: form, mail: mail,
                                         limits: .init(bytes: 50_000, fanIn: 4, directory: dir.path))
        #expect(external.temporaryDirectory != nil)
        let got = try drain(external)
        #expect(got.count > 3000)
        #expect(difference(got, expected) == nil)
        // The postal order, independently: offices, then postal codes, never decreasing between notices.
        let postal = try #require(external.header.index(of: mail.postalColumn))
        let owner = try #require(external.header.index(of: "owner_id"))
        var keys: [[String]] = []
        var previousOwner: String?
        for case .record(let r) in got where r.fields[owner] != previousOwner {
            previousOwner = r.fields[owner]
            let code = r.fields[postal].filter { $0.isASCII && $0.isNumber }
            keys.append([mail.office(postalCode: code), code])
        }
        #expect(keys.count == 3000)
        for (a, b) in zip(keys, keys.dropFirst()) {
            #expect(a[0] < b[0] || (a[0] == b[0] && Int64(a[1]) ?? 0 <= Int64(b[1]) ?? 0), "\(a) before \(b)")
        }
    }

    @Test func temporaryFilesArePrivateAndAlwaysRemoved() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spills = dir.appendingPathComponent("spill").path
        try FileManager.default.createDirectory(atPath: spills, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("in.csv").path
        try randomCSV(seed: 9, count: 200, leadingZeros: false).write(to: URL(fileURLWithPath: path))
        let form = try form()
        let limits = SortedRecords.Limits(bytes: 2_000, fanIn: 8, directory: spills)

        // Dropped after one record: the directory goes with the reader.
        var tmp = ""
        do {
            let sorted = try SortedRecords(try DelimitedReader(path: path), form: form, by: ["name"], limits: limits)
            tmp = try #require(sorted.temporaryDirectory)
            let attributes = try FileManager.default.attributesOfItem(atPath: tmp)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
            // Run files are unlinked as soon as they are open: nothing in the directory to leak.
            #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
            var first: Record?
            while first == nil {
                do { first = try sorted.next() } catch let e as RecordError where e.kind == .invalidEncoding {}
            }
            #expect(FileManager.default.fileExists(atPath: tmp))
        }
        #expect(!tmp.isEmpty && !FileManager.default.fileExists(atPath: tmp))

        // An input that fails after runs were written: the error comes out, the directory does not stay.
        var broken = try Data(contentsOf: URL(fileURLWithPath: path))
        broken.append(Data("K1,\"unterminated\n".utf8))
        let brokenPath = dir.appendingPathComponent("broken.csv").path
        try broken.write(to: URL(fileURLWithPath: brokenPath))
        #expect(throws: RecordError.self) {
            _ = try SortedRecords(try DelimitedReader(path: brokenPath), form: form, by: ["name"], limits: limits)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: spills).isEmpty)
    }

    @Test func undecodableRecordsTravelWithTheirNoticeThroughRuns() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = Data((Self.columns + "\n").utf8)
        for i in (0..<30).reversed() {
            csv.append(Data("K\(i),n\(i),1,a,l,c,\(i),1,1,1".utf8))
            if i % 10 == 5 { csv.append(0xFF) }
            csv.append(0x0A)
        }
        let path = dir.appendingPathComponent("in.csv").path
        try csv.write(to: URL(fileURLWithPath: path))
        let sorted = try SortedRecords(try DelimitedReader(path: path), form: try form(), by: ["area"],
                                       limits: .init(bytes: 1, fanIn: 2, directory: dir.path))
        #expect(sorted.temporaryDirectory != nil)
        let items = try drain(sorted)
        let records = items.compactMap { if case .record(let r) = $0 { r } else { nil } }
        #expect(records.count == 30)
        // Sorted by area like the others (numeric: 2 before 10); the rows of K25, K15, K5 carry their problem.
        #expect(records.map { $0.fields[6] } == (0..<30).map(String.init))
        #expect(records.filter { $0.problem != nil }.map(\.line).sorted() == [6, 16, 26])
        #expect(records.filter { $0.problem != nil }.allSatisfy { $0.fields[0].hasPrefix("K") })
    }
}
