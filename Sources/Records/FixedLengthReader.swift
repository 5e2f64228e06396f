import Foundation

/// The byte layout of a fixed-length record file.
public struct FixedLengthLayout: Sendable {
    /// One field: `length` bytes at byte `offset` (0-based) of the record.
    public struct Field: Sendable {
        public enum Trim: Sendable {
            /// Keep the bytes as they are.
            case none
            /// Drop trailing U+0020 and U+3000 (full-width space). The default.
            case trailing
            /// Drop leading and trailing U+0020 and U+3000 (e.g. right-aligned numbers).
            case both
        }

        public var name: String
        public var offset: Int
        public var length: Int
        /// `nil`: the layout's encoding.
        public var encoding: TextEncoding?
        public var trim: Trim

        public init(_ name: String, offset: Int, length: Int, encoding: TextEncoding? = nil, trim: Trim = .trailing) {
            self.name = name
            self.offset = offset
            self.length = length
            self.encoding = encoding
            self.trim = trim
        }
    }

    public let fields: [Field]
    /// Bytes per record, not counting a line terminator.
    public let recordLength: Int
    /// Encoding of fields that do not name their own.
    public let encoding: TextEncoding
    /// `true`: each record is followed by LF or CRLF (then `Record.line` is the physical line).
    /// `false`: records follow one another directly (then `Record.line` is the record number).
    public let lineTerminated: Bool

    public var header: Header { Header(names: fields.map(\.name)) }

    /// Checks that every field lies inside the record.
    public init(recordLength: Int, fields: [Field], encoding: TextEncoding = .cp932, lineTerminated: Bool = true) throws {
        guard recordLength > 0 else { throw LayoutError("The record length must be positive, not \(recordLength).") }
        for f in fields {
            // Compared without adding, so that a huge offset or length cannot overflow.
            guard f.offset >= 0, f.length >= 0, f.offset <= recordLength, f.length <= recordLength - f.offset else {
                throw LayoutError("Field \"\(f.name)\" (offset \(f.offset), length \(f.length)) does not fit in a record of \(recordLength) bytes. Fix the layout.")
            }
        }
        self.recordLength = recordLength
        self.fields = fields
        self.encoding = encoding
        self.lineTerminated = lineTerminated
    }
}

/// A fixed-length layout that cannot work.
public struct LayoutError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Streams the records of a fixed-length file, cutting each into the layout's fields.
///
/// Line-terminated files: completely empty lines are skipped; a line shorter or longer than
/// `recordLength` throws `.shortRecord`/`.longRecord`, and `invalidEncoding` can also be thrown;
/// after these the reader has skipped that line and can go on. Unterminated files: a short last
/// record throws `.shortRecord` and ends the file.
public final class FixedLengthReader: RecordReader {
    public let layout: FixedLengthLayout
    public let header: Header
    public let name: String

    private let source: ByteSource
    private var line = 1
    private var finished = false

    public convenience init(path: String, layout: FixedLengthLayout, chunkSize: Int = 1 << 20) throws {
        try self.init(source: ByteSource(path: path, chunkSize: max(chunkSize, 4 * layout.recordLength)), layout: layout)
    }

    /// Reads from an open file handle (not closed by the reader).
    public convenience init(fileHandle: FileHandle, name: String, layout: FixedLengthLayout, chunkSize: Int = 1 << 20) throws {
        try self.init(source: ByteSource(fileDescriptor: fileHandle.fileDescriptor, name: name,
                                         chunkSize: max(chunkSize, 4 * layout.recordLength)), layout: layout)
    }

    public convenience init(data: Data, name: String, layout: FixedLengthLayout) throws {
        try self.init(source: ByteSource(data: data, name: name), layout: layout)
    }

    private init(source: ByteSource, layout: FixedLengthLayout) throws {
        self.source = source
        self.layout = layout
        self.header = layout.header
        self.name = source.name
        if layout.encoding == .utf8 || layout.fields.contains(where: { $0.encoding == .utf8 }) {
            try source.skipByteOrderMark(declared: .utf8)
        }
    }

    public func next() throws -> Record? {
        if finished { return nil }
        let length = layout.recordLength
        if !layout.lineTerminated {
            try source.ensure(length)
            if source.available == 0 { finished = true; return nil }
            let recordLine = line
            if source.available < length {
                finished = true
                throw RecordError(.shortRecord, file: name, line: recordLine, column: source.available + 1,
                                  message: "Record \(recordLine) has only \(source.available) of its \(length) bytes before the end of the file. Check the record length in the layout, or whether the file was cut short.")
            }
            let start = source.start
            source.start += length
            line += 1
            return try cut(start: start, line: recordLine)
        }
        while true {
            // Find the end of the line.
            let lf: Int?
            switch try source.findLineEnd(limit: max(length * 2 + 2, 1 << 16) + 1) {
            case .at(let offset): lf = offset
            case .endOfInput: lf = nil
            case .tooLong:
                finished = true
                throw RecordError(.longRecord, file: name, line: line,
                                  message: "No line end in \(source.available) bytes, but records are \(length) bytes. Check that the layout should be line-terminated.")
            }
            let start = source.start
            let base = source.base
            var contentEnd = lf ?? source.end
            if contentEnd == start && lf == nil { finished = true; return nil }
            if contentEnd > start && base[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            let recordLine = line
            source.start = lf.map { $0 + 1 } ?? source.end
            line += 1
            let got = contentEnd - start
            if got == 0 { continue } // blank line
            if got < length {
                throw RecordError(.shortRecord, file: name, line: recordLine, column: got + 1,
                                  message: "The line has \(got) bytes but records are \(length) bytes. Check the layout, or whether trailing spaces were stripped from this line.")
            }
            if got > length {
                throw RecordError(.longRecord, file: name, line: recordLine, column: length + 1,
                                  message: "The line has \(got) bytes but records are \(length) bytes. Check the layout's record length.")
            }
            return try cut(start: start, line: recordLine)
        }
    }

    private func cut(start: Int, line recordLine: Int) throws -> Record {
        let base = source.base
        var fields = [String]()
        fields.reserveCapacity(layout.fields.count)
        for field in layout.fields {
            let encoding = field.encoding ?? layout.encoding
            let bytes = UnsafeBufferPointer(start: base + start + field.offset, count: field.length)
            switch encoding.decode(bytes) {
            case .string(let s):
                fields.append(Self.trim(s, field.trim))
            case .invalid(let offset, let length):
                let bad = hexBytes(UnsafeBufferPointer(rebasing: bytes[offset..<min(offset + length, bytes.count)]))
                throw RecordError(.invalidEncoding, file: name, line: recordLine, column: field.offset + offset + 1,
                                  message: "Bytes \(bad) in field \"\(field.name)\" are not valid \(encoding.displayName). Check the declared encoding and that the field's offset and length do not cut a double-byte character.")
            }
        }
        return Record(line: recordLine, fields: fields)
    }

    static func trim(_ s: String, _ trim: FixedLengthLayout.Field.Trim) -> String {
        if trim == .none { return s }
        let scalars = s.unicodeScalars
        var end = scalars.endIndex
        while end > scalars.startIndex {
            let before = scalars.index(before: end)
            let c = scalars[before]
            if c != " " && c != "\u{3000}" { break }
            end = before
        }
        var begin = scalars.startIndex
        if trim == .both {
            while begin < end && (scalars[begin] == " " || scalars[begin] == "\u{3000}") {
                begin = scalars.index(after: begin)
            }
        }
        if begin == scalars.startIndex && end == scalars.endIndex { return s }
        return String(scalars[begin..<end])
    }
}
