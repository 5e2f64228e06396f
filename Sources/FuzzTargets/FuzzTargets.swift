import Foundation
import Forms
import JobNets
import OperatorFiles
import Records
import Render

/// Entry points for fuzzing the parsers that read operator and citizen data: each takes raw bytes,
/// drives the API to the end (every record read, every template evaluated) and returns the
/// violations of the API's documented contract it saw. Thrown, documented errors are the expected
/// outcome for bad input; a trap, a hang or a violation is a bug.
public enum FuzzTargets {
    public struct Target: Sendable {
        public let name: String
        public let run: @Sendable (Data) -> [String]
    }

    public static let all: [Target] = [
        Target(name: "jobnet", run: jobNet),
        Target(name: "calendar", run: calendar),
        Target(name: "form", run: form),
        Target(name: "template", run: template),
        Target(name: "delimited", run: delimited),
        Target(name: "fixed", run: fixed),
        Target(name: "jsonl", run: jsonLines),
        Target(name: "notices", run: notices),
    ]

    public static func target(named name: String) -> Target? { all.first { $0.name == name } }

    /// More records or notices than this from one input means a reader that no longer advances.
    static func iterationLimit(_ data: Data) -> Int { data.count + 16 }

    // MARK: YAML loaders

    /// `Jobs/NAME.yaml` text through `JobNetLoader.parse`.
    public static func jobNet(_ data: Data) -> [String] {
        // The loader's callers refuse non-UTF-8 files before parsing (YAMLDocument.readText).
        guard let text = String(data: data, encoding: .utf8) else { return [] }
        let file = "Jobs/fuzz.yaml"
        do {
            let net = try JobNetLoader.parse(text, file: file, expectedName: "fuzz")
            _ = JobNetLoader.findCycle(net)
            return []
        } catch {
            return checkDiagnostics(error, file: file)
        }
    }

    /// `Jobs/calendars/NAME.yaml` text through `CalendarFile.parse`.
    public static func calendar(_ data: Data) -> [String] {
        guard let text = String(data: data, encoding: .utf8) else { return [] }
        let file = "Jobs/calendars/fuzz.yaml"
        do {
            _ = try CalendarFile.parse(text, file: file, expectedName: "fuzz")
            return []
        } catch {
            return checkDiagnostics(error, file: file)
        }
    }

    /// `Forms/NAME.yaml` text through `FormLoader.parse`, then every field's template evaluated.
    /// Relative paths in the form (gaiji, mail, images) resolve against `NIGHTJAR_FUZZ_SITE`, or the
    /// current directory (the repository when run by `make` or `swift test`).
    public static func form(_ data: Data) -> [String] {
        guard let text = String(data: data, encoding: .utf8) else { return [] }
        let file = "Forms/fuzz.yaml"
        let site = ProcessInfo.processInfo.environment["NIGHTJAR_FUZZ_SITE"] ?? "."
        let form: Form
        do {
            form = try FormLoader.parse(text, file: file, siteRoot: site)
        } catch {
            return checkDiagnostics(error, file: file)
        }
        var templates = form.fields.map(\.value) + form.continuationFields.map(\.value)
        templates += (form.details?.columns ?? []).map(\.value)
        for t in templates {
            for sample in sampleValues { _ = try? t.evaluate { _ in sample } }
            _ = try? t.evaluate { $0 }
        }
        return []
    }

    static let sampleValues = ["", "1234567", "-9223372036854775808", "2026-06-10", "1868-01-01", " ４５ ", "〒100-0001"]

    /// A value template and a record: the first line is the template, each further line
    /// `column=value`. Columns the record lacks evaluate to every sample value in turn.
    public static func template(_ data: Data) -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let source = lines.isEmpty ? "" : String(lines.removeFirst())
        guard case .success(let t) = Template.parse(source) else { return [] }
        var record: [String: String] = [:]
        for line in lines {
            let kv = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            record[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
        }
        for sample in sampleValues {
            _ = try? t.evaluate { record[$0] ?? sample }
        }
        return []
    }

    static func checkDiagnostics(_ error: Error, file: String) -> [String] {
        guard let failure = error as? ValidationFailure else {
            return ["threw \(type(of: error)), not ValidationFailure: \(error)"]
        }
        if failure.diagnostics.isEmpty { return ["ValidationFailure without diagnostics"] }
        var problems: [String] = []
        for d in failure.diagnostics where d.severity == .error || d.severity == .warning {
            if d.line < 1 || d.column < 1 { problems.append("diagnostic without a position: \(d)") }
            if d.message.isEmpty { problems.append("diagnostic without a message at \(d.line):\(d.column)") }
        }
        return problems
    }

    // MARK: Record readers

    /// Options for one reader, taken from the input's first byte so that a single corpus covers
    /// every configuration.
    struct Options {
        let byte: UInt8
        /// Read through a file descriptor in tiny chunks, so that records straddle refills.
        var streamed: Bool { byte & 0x01 != 0 }
        var encoding: TextEncoding { byte & 0x02 != 0 ? .cp932 : .utf8 }
        var quoting: Bool { byte & 0x04 == 0 }
        var headerGiven: Bool { byte & 0x08 != 0 }
        var delimiter: Delimiter { [.comma, .tab, .semicolon, Delimiter("|")!][Int(byte >> 4) & 3] }
        var smallLimit: Bool { byte & 0x40 != 0 }
        var chunkSize: Int { streamed ? 16 + Int(byte >> 7) * 7 : 1 << 20 }
    }

    static func split(_ data: Data) -> (Options, Data) {
        guard let first = data.first else { return (Options(byte: 0), Data()) }
        return (Options(byte: first), data.dropFirst())
    }

    /// CSV/TSV (and `;`, `|`), UTF-8 or CP932: the first byte picks the format (see `Options`).
    public static func delimited(_ data: Data) -> [String] {
        let (o, body) = split(data)
        var format = DelimitedFormat(delimiter: o.delimiter, encoding: o.encoding, quoting: o.quoting,
                                     header: o.headerGiven ? Header(names: ["k", "a", "b"]) : nil,
                                     chunkSize: o.chunkSize, maxRecordBytes: o.smallLimit ? 64 : 16 << 20)
        if o.delimiter.byte >= 0x40 && o.encoding == .cp932 { format.delimiter = .comma }
        return reading(body, streamed: o.streamed, name: "in.csv") { source in
            let reader = switch source {
            case .handle(let h): try DelimitedReader(fileHandle: h, name: "in.csv", format: format)
            case .memory: try DelimitedReader(data: body, name: "in.csv", format: format)
            }
            return drain(reader, name: "in.csv", limit: iterationLimit(data)) { $0.kind == .invalidEncoding }
        }
    }

    /// A fixed-length file. After the options byte, the first line is the layout,
    /// `LENGTH ENCODING lines|stream NAME:OFFSET:LENGTH[:ENCODING][:none|trailing|both]…`;
    /// the rest is the data.
    public static func fixed(_ data: Data) -> [String] {
        let (o, body) = split(data)
        let newline = body.firstIndex(of: 0x0A) ?? body.endIndex
        let spec = String(decoding: body[body.startIndex..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        let file = newline < body.endIndex ? Data(body[(newline + 1)...]) : Data()
        let layout: FixedLengthLayout
        do {
            layout = try fixedLayout(spec)
        } catch is LayoutError {
            return []
        } catch is SkippedLayout {
            return []
        } catch {
            return ["layout threw \(type(of: error)): \(error)"]
        }
        return reading(file, streamed: o.streamed, name: "in.dat") { source in
            let reader = switch source {
            case .handle(let h): try FixedLengthReader(fileHandle: h, name: "in.dat", layout: layout, chunkSize: o.chunkSize)
            case .memory: try FixedLengthReader(data: file, name: "in.dat", layout: layout)
            }
            // Line-terminated files go on after a bad line (but not after one with no line end in
            // sight); unterminated ones stop at a short record.
            return drain(reader, name: "in.dat", limit: iterationLimit(data)) {
                layout.lineTerminated ? [.shortRecord, .longRecord, .invalidEncoding].contains($0.kind) && $0.column != nil
                    : $0.kind == .invalidEncoding
            }
        }
    }

    static func fixedLayout(_ spec: [String]) throws -> FixedLengthLayout {
        func encoding(_ s: String?) -> TextEncoding? { s.flatMap { TextEncoding(name: $0) } }
        let length = spec.first.flatMap { Int($0) } ?? 10
        let enc = encoding(spec.count > 1 ? spec[1] : nil) ?? .cp932
        let terminated = spec.count > 2 ? spec[2] != "stream" : true
        var fields: [FixedLengthLayout.Field] = []
        for f in spec.dropFirst(3) {
            let p = f.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard p.count >= 3, let offset = Int(p[1]), let len = Int(p[2]) else { continue }
            let trim: FixedLengthLayout.Field.Trim = p.count > 4 ? (p[4] == "none" ? .none : p[4] == "both" ? .both : .trailing) : .trailing
            fields.append(.init(p[0], offset: offset, length: len, encoding: encoding(p.count > 3 ? p[3] : nil), trim: trim))
        }
        if spec.count <= 3 { fields = [.init("all", offset: 0, length: max(0, min(length, 10)))] }
        // Keep what one input can allocate small: the reader buffers several records at once.
        guard length <= 1 << 16 else { throw SkippedLayout() }
        return try FixedLengthLayout(recordLength: length, fields: fields, encoding: enc, lineTerminated: terminated)
    }

    /// A JSON Lines file (after the options byte).
    public static func jsonLines(_ data: Data) -> [String] {
        let (o, body) = split(data)
        return reading(body, streamed: o.streamed, name: "in.jsonl") { source in
            let reader = switch source {
            case .handle(let h): try JSONLinesReader(fileHandle: h, name: "in.jsonl", chunkSize: o.chunkSize,
                                                     maxLineBytes: o.smallLimit ? 64 : 16 << 20)
            case .memory: try JSONLinesReader(data: body, name: "in.jsonl")
            }
            var problems: [String] = []
            var lastLine = 0
            for _ in 0..<iterationLimit(data) {
                do {
                    guard let r = try reader.next() else { return problems }
                    if r.line <= lastLine { problems.append("record line \(r.line) after line \(lastLine)") }
                    lastLine = r.line
                } catch let e as RecordError {
                    problems += check(e, name: "in.jsonl")
                    if e.kind == .recordTooLong {
                        problems += endsAfter(e) { try reader.next() != nil }
                        return problems
                    }
                }
            }
            return problems + ["more than \(iterationLimit(data)) records from \(data.count) bytes: the reader does not advance"]
        }
    }

    /// Notices cut by `NoticeGrouper` (group_by `k`) from a CSV or TSV file; options as in `delimited`.
    public static func notices(_ data: Data) -> [String] {
        let (o, body) = split(data)
        let format = DelimitedFormat(delimiter: o.byte & 0x10 != 0 ? .tab : .comma, encoding: o.encoding, quoting: o.quoting,
                                     header: o.headerGiven ? Header(names: ["k", "a", "b"]) : nil,
                                     chunkSize: o.chunkSize, maxRecordBytes: o.smallLimit ? 64 : 16 << 20)
        let form: Form
        switch groupedForm {
        case .success(let f): form = f
        case .failure(let e): return ["the grouping form does not load: \(e)"]
        }
        return reading(body, streamed: o.streamed, name: "in.csv") { source in
            let reader = switch source {
            case .handle(let h): try DelimitedReader(fileHandle: h, name: "in.csv", format: format)
            case .memory: try DelimitedReader(data: body, name: "in.csv", format: format)
            }
            let grouper: NoticeGrouper
            do {
                grouper = try NoticeGrouper(reader, form: form, file: "in.csv")
            } catch is NoticeGrouper.GroupError {
                return [] // no column k
            }
            var problems: [String] = []
            var records = 0
            for _ in 0..<iterationLimit(data) {
                do {
                    guard let notice = try grouper.nextNotice() else { return problems }
                    if notice.isEmpty { problems.append("an empty notice") }
                    for r in notice where r.line < 1 { problems.append("record without a line: \(r.line)") }
                    records += notice.count
                } catch let e as RecordError {
                    return problems + check(e, name: "in.csv")
                } catch is NoticeGrouper.GroupError {
                    return problems
                }
            }
            return problems + ["more than \(iterationLimit(data)) notices from \(data.count) bytes"]
        }
    }

    /// A form that groups by `k`, built once.
    static let groupedForm = Result { try FormLoader.parse("""
        name: grouped
        key: k
        group_by: k
        fonts: { m: IPAexMincho }
        fields:
          k: { box: [10, 10, 50, 5], value: "{k}", font: m }
        """, file: "Forms/grouped.yaml") }

    /// Reads every record: a recoverable error (per `recoverable`) goes on, any other must end the
    /// reader (`next()` then returns nil).
    static func drain(_ reader: some RecordReader, name: String, limit: Int, recoverable: (RecordError) -> Bool) -> [String] {
        var problems: [String] = []
        var lastLine = 0
        for _ in 0..<limit {
            do {
                guard let r = try reader.next() else { return problems }
                if r.line <= lastLine { problems.append("record line \(r.line) after line \(lastLine)") }
                lastLine = r.line
                if let p = r.problem, p.isEmpty { problems.append("an empty problem at line \(r.line)") }
            } catch let e as RecordError {
                problems += check(e, name: name)
                if !recoverable(e) {
                    problems += endsAfter(e) { try reader.next() != nil }
                    return problems
                }
            } catch {
                return problems + ["threw \(type(of: error)), not RecordError: \(error)"]
            }
        }
        return problems + ["more than \(limit) records: the reader does not advance"]
    }

    /// After an error that ends the file, `next()` returns nil (it neither throws again nor goes on).
    static func endsAfter(_ e: RecordError, _ another: () throws -> Bool) -> [String] {
        do {
            return try another() ? ["next() after \(e.kind) returned a record"] : []
        } catch {
            return ["next() after \(e.kind) threw again: \(error)"]
        }
    }

    static func check(_ e: RecordError, name: String) -> [String] {
        var problems: [String] = []
        if e.file != name { problems.append("error names \(e.file), not \(name)") }
        if e.line < 1 && e.kind != .io && e.kind != .invalidConfiguration { problems.append("error without a line: \(e)") }
        if let c = e.column, c < 1 { problems.append("error with column \(c): \(e)") }
        if e.message.isEmpty { problems.append("error without a message: \(e.kind)") }
        return problems
    }

    enum Source { case memory, handle(FileHandle) }

    /// Runs `body` on the bytes in memory or, when `streamed`, through a file descriptor (an
    /// anonymous temporary file, private to this call), so the readers' refill path is exercised.
    /// Any error that escapes `body` is checked like a reader's error.
    static func reading(_ data: Data, streamed: Bool, name: String, _ body: (Source) throws -> [String]) -> [String] {
        do {
            guard streamed else { return try body(.memory) }
            guard let f = tmpfile() else { return [] }
            defer { fclose(f) }
            let fd = fileno(f)
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == data.count, lseek(fd, 0, SEEK_SET) == 0 else { return [] }
            return try body(.handle(FileHandle(fileDescriptor: fd, closeOnDealloc: false)))
        } catch let e as RecordError {
            return check(e, name: name)
        } catch {
            return ["threw \(type(of: error)), not RecordError: \(error)"]
        }
    }
}

/// A layout the harness will not try (too large to be worth a fuzzing input's memory).
struct SkippedLayout: Error {}
