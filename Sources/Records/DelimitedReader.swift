import Foundation

/// The field separator of a delimited file.
public struct Delimiter: Sendable, Equatable {
    /// The separator as a byte.
    public let byte: UInt8

    public static let comma = Delimiter(byte: 0x2C)
    public static let tab = Delimiter(byte: 0x09)
    public static let semicolon = Delimiter(byte: 0x3B)

    /// Any ASCII character except `"`, CR and LF. With CP932 input it must also be below 0x40
    /// (`|` and letters can be the second byte of a double-byte character); readers check this.
    public init?(_ scalar: Unicode.Scalar) {
        guard scalar.isASCII, scalar != "\"", scalar != "\r", scalar != "\n" else { return nil }
        self.byte = UInt8(scalar.value)
    }

    private init(byte: UInt8) { self.byte = byte }
}

/// How a delimited file is laid out.
public struct DelimitedFormat: Sendable {
    public var delimiter: Delimiter
    public var encoding: TextEncoding
    /// Whether `"` starts a quoted field (RFC 4180). On by default for both CSV and TSV.
    public var quoting: Bool
    /// The column names, for files without a header row. `nil` (the default): the first row is the header.
    public var header: Header?
    /// Bytes read per `read(2)` call.
    public var chunkSize: Int
    /// Largest record accepted; a larger one is almost always a stray quote, and is an error
    /// rather than a reason to load the rest of the file into memory.
    public var maxRecordBytes: Int

    public init(delimiter: Delimiter = .comma, encoding: TextEncoding = .utf8, quoting: Bool = true,
                header: Header? = nil, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 16 << 20) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.quoting = quoting
        self.header = header
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
    }

    /// Comma-separated, UTF-8 unless told otherwise.
    public static func csv(_ encoding: TextEncoding = .utf8) -> DelimitedFormat {
        DelimitedFormat(delimiter: .comma, encoding: encoding)
    }

    /// Tab-separated, UTF-8 unless told otherwise.
    public static func tsv(_ encoding: TextEncoding = .utf8) -> DelimitedFormat {
        DelimitedFormat(delimiter: .tab, encoding: encoding)
    }
}

/// Streams the records of a CSV or TSV file (RFC 4180 quoting, LF or CRLF line ends), reading
/// it in chunks so that memory does not grow with the file.
///
/// ```swift
/// let reader = try DelimitedReader(path: "taxpayers.csv", format: .csv(.cp932))
/// let id = reader.header.index(of: "taxpayer_id")
/// while let record = try reader.next() {
///     if let problem = record.problem { rejects.write(record.line, problem); continue }
///     …
/// }
/// ```
///
/// - Lines that are completely empty are skipped (they still count for line numbers).
/// - A `"` inside an unquoted field is kept as an ordinary character.
/// - A row whose field count differs from the header's is returned with `problem` set.
/// - `next()` throws `RecordError`: after `.invalidEncoding` the reader has skipped that record
///   and can go on; after any other error `next()` returns `nil`.
public final class DelimitedReader: RecordReader {
    /// The header row (or `format.header`).
    public private(set) var header: Header
    public let format: DelimitedFormat
    /// The name used in error messages (the path, unless given).
    public let name: String

    private let source: ByteSource
    /// Physical line of the next record.
    private var line = 1
    private var finished = false
    private var spans: [Span] = []

    private struct Span {
        var start: Int
        var end: Int
        var quoted: Bool
        var doubledQuotes: Bool
    }

    private enum Scan {
        case record(next: Int, newlines: Int, ascii: Bool, strayAt: Int)
        case needMore
        case endOfInput
        case unterminatedQuote(at: Int)
    }

    /// Opens and reads the file at `path`.
    public convenience init(path: String, format: DelimitedFormat = .csv()) throws {
        try self.init(source: ByteSource(path: path, chunkSize: format.chunkSize), format: format)
    }

    /// Reads from an open file handle (not closed by the reader), e.g. standard input.
    public convenience init(fileHandle: FileHandle, name: String, format: DelimitedFormat = .csv()) throws {
        try self.init(source: ByteSource(fileDescriptor: fileHandle.fileDescriptor, name: name,
                                         chunkSize: format.chunkSize), format: format)
    }

    /// Reads bytes already in memory.
    public convenience init(data: Data, name: String, format: DelimitedFormat = .csv()) throws {
        try self.init(source: ByteSource(data: data, name: name), format: format)
    }

    private init(source: ByteSource, format: DelimitedFormat) throws {
        self.source = source
        self.format = format
        self.name = source.name
        if format.encoding == .cp932 && format.delimiter.byte >= 0x40 {
            throw RecordError(.invalidConfiguration, file: source.name, line: 0,
                              message: "The delimiter byte 0x\(String(format.delimiter.byte, radix: 16, uppercase: true)) can be part of a CP932 double-byte character. Use a comma, tab or semicolon.")
        }
        spans.reserveCapacity(64)
        try source.skipByteOrderMark(declared: format.encoding)
        if let given = format.header {
            header = given
        } else {
            header = Header(names: []) // replaced below; `readRecord` does not use it
            guard let first = try readRecord() else {
                throw RecordError(.emptyInput, file: source.name, line: 1,
                                  message: "The file is empty but a header row was expected. Check that the right file was given.")
            }
            header = Header(names: first.fields)
        }
    }

    /// The next record, or `nil` at the end of the file.
    public func next() throws -> Record? {
        guard var record = try readRecord() else { return nil }
        if record.problem == nil && record.fields.count != header.names.count {
            record = Record(line: record.line, fields: record.fields,
                            problem: "Expected \(header.names.count) fields as in the header but found \(record.fields.count). Check this row for a missing or extra delimiter, or a field containing the delimiter without quotes.")
        }
        return record
    }

    private func readRecord() throws -> Record? {
        if finished { return nil }
        while true {
            switch scan(atEOF: source.eof) {
            case .needMore:
                if source.available >= format.maxRecordBytes {
                    finished = true
                    throw RecordError(.recordTooLong, file: name, line: line,
                                      message: "The record starting here is longer than \(format.maxRecordBytes) bytes. Look for a quote that opens a field and is never closed.")
                }
                try source.refill()
            case .endOfInput:
                finished = true
                return nil
            case .unterminatedQuote(let at):
                finished = true
                let pos = source.base.position(of: at, from: source.start, line: line)
                throw RecordError(.unterminatedQuote, file: name, line: pos.line, column: pos.column,
                                  message: "A quoted field starts here and its closing quote is missing before the end of the file. Close the quote (and double any quote inside the field).")
            case .record(let next, let newlines, let ascii, let strayAt):
                let recordStart = source.start
                let recordLine = line
                // Consume first so that a decoding error leaves the reader at the next record.
                source.start = next
                line += newlines
                if spans.count == 1 && !spans[0].quoted && spans[0].start == spans[0].end {
                    continue // blank line
                }
                let fields = try decodeFields(ascii: ascii, recordStart: recordStart, recordLine: recordLine)
                var problem: String? = nil
                if strayAt >= 0 {
                    let pos = source.base.position(of: strayAt, from: recordStart, line: recordLine)
                    problem = "Unexpected text after a closing quote at line \(pos.line), column \(pos.column). A quoted field must end at its closing quote; double any quote inside it."
                }
                return Record(line: recordLine, fields: fields, problem: problem)
            }
        }
    }

    /// Finds the fields of the record at `source.start`, filling `spans`.
    private func scan(atEOF: Bool) -> Scan {
        let base = source.base
        let end = source.end
        var p = source.start
        if p == end { return atEOF ? .endOfInput : .needMore }
        spans.removeAll(keepingCapacity: true)
        let delim = format.delimiter.byte
        let quoting = format.quoting
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var bits: UInt8 = 0
        var newlines = 0
        var stray = -1
        while true {
            let fieldStart = p
            if quoting && p < end && base[p] == quote {
                p += 1
                var doubled = false
                while true {
                    while p < end {
                        let c = base[p]
                        if c == quote { break }
                        bits |= c
                        if c == lf { newlines += 1 }
                        p += 1
                    }
                    if p == end { return atEOF ? .unterminatedQuote(at: fieldStart) : .needMore }
                    if p + 1 == end {
                        if !atEOF { return .needMore }
                        break
                    }
                    if base[p + 1] == quote { doubled = true; p += 2; continue }
                    break
                }
                let contentEnd = p
                p += 1 // closing quote
                var q = p
                while q < end && base[q] != delim && base[q] != lf { q += 1 }
                if q == end && !atEOF { return .needMore }
                var junkEnd = q
                if junkEnd > p && base[junkEnd - 1] == cr && (q == end || base[q] == lf) { junkEnd -= 1 }
                if junkEnd > p && stray < 0 { stray = p }
                spans.append(Span(start: fieldStart + 1, end: contentEnd, quoted: true, doubledQuotes: doubled))
                if q == end { return .record(next: q, newlines: newlines, ascii: bits < 0x80, strayAt: stray) }
                p = q + 1
                if base[q] == lf { return .record(next: p, newlines: newlines + 1, ascii: bits < 0x80, strayAt: stray) }
            } else {
                while p < end {
                    let c = base[p]
                    if c == delim || c == lf { break }
                    bits |= c
                    p += 1
                }
                if p == end && !atEOF { return .needMore }
                var fieldEnd = p
                if fieldEnd > fieldStart && base[fieldEnd - 1] == cr && (p == end || base[p] == lf) { fieldEnd -= 1 }
                spans.append(Span(start: fieldStart, end: fieldEnd, quoted: false, doubledQuotes: false))
                if p == end { return .record(next: p, newlines: newlines, ascii: bits < 0x80, strayAt: stray) }
                let c = base[p]
                p += 1
                if c == lf { return .record(next: p, newlines: newlines + 1, ascii: bits < 0x80, strayAt: stray) }
            }
        }
    }

    private var unescaped: [UInt8] = []

    private func decodeFields(ascii: Bool, recordStart: Int, recordLine: Int) throws -> [String] {
        let base = source.base
        let encoding = format.encoding
        var fields = [String]()
        fields.reserveCapacity(spans.count)
        // The first undecodable field; the others are still decoded so the reject can name its key.
        var failure: (line: Int, column: Int, message: String)?
        for span in spans {
            let outcome: DecodeOutcome
            if span.doubledQuotes {
                unescaped.removeAll(keepingCapacity: true)
                var i = span.start
                while i < span.end {
                    unescaped.append(base[i])
                    i += base[i] == 0x22 ? 2 : 1
                }
                outcome = unescaped.withUnsafeBufferPointer { encoding.decode($0, knownASCII: ascii) }
            } else {
                outcome = encoding.decode(UnsafeBufferPointer(start: base + span.start, count: span.end - span.start),
                                          knownASCII: ascii)
            }
            switch outcome {
            case .string(let s):
                fields.append(s)
            case .invalid(let offset, let length):
                var at = span.start + offset
                if span.doubledQuotes { // map the offset back to the file's bytes
                    at = span.start
                    var k = 0
                    while k < offset { at += base[at] == 0x22 ? 2 : 1; k += 1 }
                }
                let pos = base.position(of: at, from: recordStart, line: recordLine)
                let bad = hexBytes(UnsafeBufferPointer(start: base + at, count: min(length, span.end - at)))
                if failure == nil {
                    failure = (pos.line, pos.column, "Bytes \(bad) in field \(fields.count + 1) are not valid \(encoding.displayName). Check that the file's declared encoding is right, or fix these bytes at the source.")
                }
                fields.append("")
            }
        }
        if let failure {
            throw RecordError(.invalidEncoding, file: name, line: failure.line, column: failure.column, message: failure.message,
                              record: Record(line: recordLine, fields: fields, problem: failure.message))
        }
        return fields
    }
}
