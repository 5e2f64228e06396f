/// One input record: the decoded fields of a CSV/TSV row or a fixed-length record.
///
/// `line` is the 1-based physical line on which the record starts (for a quoted CSV field that
/// contains newlines, the record spans several lines and `line` is the first). For fixed-length
/// files without line terminators it is the 1-based record number.
public struct Record: Sendable, Equatable {
    /// 1-based physical line where the record starts.
    public let line: Int
    /// Decoded field values, in file order.
    public let fields: [String]
    /// Why this record should be rejected, as a sentence, or `nil` if it is well-formed.
    ///
    /// Set for rows whose field count differs from the header's and for text after a closing
    /// quote. Such rows are still returned (with whatever fields were found) so that the caller
    /// can write them to a rejects file with their line number and carry on.
    public let problem: String?

    public init(line: Int, fields: [String], problem: String? = nil) {
        self.line = line
        self.fields = fields
        self.problem = problem
    }

    /// The field at `index`, or `nil` if the record is too short to have it.
    public subscript(index: Int) -> String? {
        index >= 0 && index < fields.count ? fields[index] : nil
    }

    /// The field named `name` in `header`, or `nil` if there is no such column or the record lacks it.
    public func value(_ name: String, in header: Header) -> String? {
        header.index(of: name).flatMap { self[$0] }
    }
}

/// Column names of a file: the header row of a CSV/TSV file, or a fixed-length layout's field names.
public struct Header: Sendable, Equatable {
    public let names: [String]
    private let positions: [String: Int]

    public init(names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() where positions[name] == nil {
            positions[name] = i // the first of duplicated names wins
        }
        self.positions = positions
    }

    /// Index of the first column called `name` (exact, case-sensitive match).
    public func index(of name: String) -> Int? { positions[name] }

    public static func == (a: Header, b: Header) -> Bool { a.names == b.names }
}

/// Something that yields `Record`s one at a time: `DelimitedReader` and `FixedLengthReader`.
public protocol RecordReader: AnyObject {
    /// Column names.
    var header: Header { get }
    /// The next record, or `nil` at the end of the input. See each reader for which errors leave
    /// it able to continue.
    func next() throws -> Record?
}
