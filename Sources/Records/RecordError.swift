/// A problem with the input that stops a record (or the whole file) from being read.
///
/// `description` reads like `taxpayers.csv:120:17: <what is wrong>. <what to do>.`
public struct RecordError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The file could not be opened or read.
        case io
        /// The file has no header row.
        case emptyInput
        /// The file's first bytes contradict the declared encoding (UTF-16, or a UTF-8 BOM on CP932).
        case encodingMismatch
        /// Bytes that are not valid in the declared encoding. The reader can continue.
        case invalidEncoding
        /// A quoted field is still open at the end of the file.
        case unterminatedQuote
        /// One record is larger than the reader's limit (usually a stray quote).
        case recordTooLong
        /// A fixed-length record or line is shorter than the layout's record length.
        case shortRecord
        /// A fixed-length line is longer than the layout's record length. The reader can continue.
        case longRecord
        /// A JSON Lines line is not valid JSON, or not an object. The reader can continue.
        case invalidJSON
        /// A JSON Lines value has a shape that `JSONRecord` cannot hold. The reader can continue.
        case unsupportedJSON
        /// The reader was configured in a way that cannot work (e.g. a delimiter that can occur
        /// inside CP932 characters).
        case invalidConfiguration
    }

    public let kind: Kind
    /// The file name or path given to the reader.
    public let file: String
    /// 1-based physical line (record number for unterminated fixed-length files).
    public let line: Int
    /// 1-based byte column within that line, when known.
    public let column: Int?
    /// What is wrong and what to do about it, as full sentences.
    public let message: String

    /// For `invalidEncoding`: the record as far as it could be decoded, with the undecodable fields
    /// empty, so a reject can still name its key and its notice.
    public var record: Record?

    public init(_ kind: Kind, file: String, line: Int, column: Int? = nil, message: String, record: Record? = nil) {
        self.record = record
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// Equal when kind, place and message are (the partially decoded record is a convenience).
    public static func == (a: RecordError, b: RecordError) -> Bool {
        a.kind == b.kind && a.file == b.file && a.line == b.line && a.column == b.column && a.message == b.message
    }

    public var description: String {
        if let column { return "\(file):\(line):\(column): \(message)" }
        // Line 0: about the whole file (it cannot be opened), not a line of it.
        return line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
