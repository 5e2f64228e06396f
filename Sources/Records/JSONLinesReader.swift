import Foundation

/// One JSON Lines object, flattened into strings.
///
/// - Strings, numbers and booleans become `fields` entries. Numbers keep their exact text as
///   written (`"1.50"` stays `1.50`, big integers are not rounded); booleans are `true`/`false`.
/// - `null` members are left out.
/// - Nested objects are flattened with dotted keys: `{"address": {"zip": "100"}}` gives
///   `fields["address.zip"]`.
/// - Arrays of objects (detail lines) become `details[key]`, each object flattened the same way.
///   Other arrays are not supported and throw `.unsupportedJSON`.
public struct JSONRecord: Sendable, Equatable {
    /// 1-based line of the object in the file.
    public let line: Int
    public let fields: [String: String]
    public let details: [String: [[String: String]]]

    public init(line: Int, fields: [String: String], details: [String: [[String: String]]] = [:]) {
        self.line = line
        self.fields = fields
        self.details = details
    }

    public subscript(key: String) -> String? { fields[key] }
}

/// Streams a JSON Lines file (UTF-8, one JSON object per line; blank lines are skipped).
///
/// `next()` throws `RecordError` `.invalidJSON`, `.unsupportedJSON` or `.invalidEncoding` for a
/// bad line, with its line and byte column; the reader has then skipped that line and can go on.
public final class JSONLinesReader {
    public let name: String
    private let source: ByteSource
    private let maxLineBytes: Int
    private var line = 1
    private var finished = false

    public convenience init(path: String, chunkSize: Int = 1 << 20, maxLineBytes: Int = 16 << 20) throws {
        try self.init(source: ByteSource(path: path, chunkSize: chunkSize), maxLineBytes: maxLineBytes)
    }

    /// Reads from an open file handle (not closed by the reader).
    public convenience init(fileHandle: FileHandle, name: String, chunkSize: Int = 1 << 20, maxLineBytes: Int = 16 << 20) throws {
        try self.init(source: ByteSource(fileDescriptor: fileHandle.fileDescriptor, name: name, chunkSize: chunkSize),
                      maxLineBytes: maxLineBytes)
    }

    public convenience init(data: Data, name: String) throws {
        try self.init(source: ByteSource(data: data, name: name), maxLineBytes: Int.max)
    }

    private init(source: ByteSource, maxLineBytes: Int) throws {
        self.source = source
        self.name = source.name
        self.maxLineBytes = maxLineBytes
        try source.skipByteOrderMark(declared: .utf8)
    }

    public func next() throws -> JSONRecord? {
        if finished { return nil }
        while true {
            let lf: Int?
            switch try source.findLineEnd(limit: maxLineBytes) {
            case .at(let offset): lf = offset
            case .endOfInput: lf = nil
            case .tooLong:
                finished = true
                throw RecordError(.recordTooLong, file: name, line: line,
                                  message: "The line is longer than \(maxLineBytes) bytes. Check that this is a JSON Lines file (one object per line).")
            }
            let start = source.start
            let end = lf ?? source.end
            if lf == nil && start == end { finished = true; return nil }
            let recordLine = line
            source.start = lf.map { $0 + 1 } ?? source.end
            line += 1
            let bytes = UnsafeBufferPointer(start: source.base + start, count: end - start)
            var parser = JSONLineParser(bytes: bytes)
            parser.skipWhitespace()
            if parser.atEnd { continue } // blank line
            do {
                return try parser.parseRecord(line: recordLine)
            } catch let failure as JSONLineParser.Failure {
                throw RecordError(failure.kind, file: name, line: recordLine, column: failure.offset + 1,
                                  message: failure.message)
            }
        }
    }
}

/// A strict RFC 8259 parser for one line, building a `JSONRecord` directly.
struct JSONLineParser {
    struct Failure: Error {
        var kind: RecordError.Kind
        var offset: Int
        var message: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    private var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }

    mutating func skipWhitespace() {
        while i < bytes.count {
            let c = bytes[i]
            guard c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A else { return }
            i += 1
        }
    }

    private func fail(_ message: String, at offset: Int? = nil, _ kind: RecordError.Kind = .invalidJSON) -> Failure {
        Failure(kind: kind, offset: offset ?? i, message: message)
    }

    private func describeHere() -> String {
        i < bytes.count ? "'\(Character(Unicode.Scalar(bytes[i])))'" : "the end of the line"
    }

    mutating func parseRecord(line: Int) throws -> JSONRecord {
        if let bad = UTF8Check.firstInvalid(bytes) {
            throw fail("Bytes \(hexBytes(UnsafeBufferPointer(rebasing: bytes[bad.offset..<min(bad.offset + bad.length, bytes.count)]))) are not valid UTF-8. JSON Lines files must be UTF-8; convert the file.",
                       at: bad.offset, .invalidEncoding)
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else {
            throw fail("Expected a JSON object ('{') but found \(describeHere()). Each line must hold one JSON object.")
        }
        var fields: [String: String] = [:]
        var details: [String: [[String: String]]] = [:]
        try parseObject(prefix: "", into: &fields, details: &details, depth: 0)
        skipWhitespace()
        guard atEnd else {
            throw fail("Unexpected \(describeHere()) after the end of the object. Put one JSON object per line.")
        }
        return JSONRecord(line: line, fields: fields, details: details)
    }

    /// Parses an object at `i` into `fields` (flattening nested objects with `prefix`). When
    /// `details` is nil (inside a detail line), arrays are not allowed.
    private mutating func parseObject(prefix: String, into fields: inout [String: String],
                                      details: inout [String: [[String: String]]], depth: Int,
                                      allowArrays: Bool = true) throws {
        guard depth < 64 else { throw fail("Objects are nested more than 64 deep.", .unsupportedJSON) }
        i += 1 // '{'
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw fail("Expected a member name in double quotes but found \(describeHere()).")
            }
            let key = prefix + (try parseString())
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw fail("Expected ':' after the member name \"\(key)\" but found \(describeHere()).")
            }
            i += 1
            skipWhitespace()
            guard i < bytes.count else { throw fail("The line ends where the value of \"\(key)\" should be.") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                try parseObject(prefix: key + ".", into: &fields, details: &details, depth: depth + 1, allowArrays: allowArrays)
            case UInt8(ascii: "["):
                guard allowArrays else {
                    throw fail("\"\(key)\" is an array inside a detail line. Only one level of detail arrays is supported; flatten the data.", .unsupportedJSON)
                }
                details[key] = try parseDetailArray(key: key, depth: depth + 1)
            default:
                if let value = try parseScalar(key: key) { fields[key] = value } else { fields.removeValue(forKey: key) }
            }
            skipWhitespace()
            guard i < bytes.count else { throw fail("The line ends inside an object: a '}' is missing.") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return }
            throw fail("Expected ',' or '}' after the value of \"\(key)\" but found \(describeHere()).")
        }
    }

    private mutating func parseDetailArray(key: String, depth: Int) throws -> [[String: String]] {
        i += 1 // '['
        var rows: [[String: String]] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return rows }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else {
                if i < bytes.count { try skipValueForError() }
                throw fail("\"\(key)\" holds something other than objects. Arrays are supported only as lists of detail objects.", .unsupportedJSON)
            }
            var row: [String: String] = [:]
            var unused: [String: [[String: String]]] = [:]
            try parseObject(prefix: "", into: &row, details: &unused, depth: depth + 1, allowArrays: false)
            rows.append(row)
            skipWhitespace()
            guard i < bytes.count else { throw fail("The line ends inside the array \"\(key)\": a ']' is missing.") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return rows }
            throw fail("Expected ',' or ']' in the array \"\(key)\" but found \(describeHere()).")
        }
    }

    /// Reports syntax errors ahead of shape errors: a malformed scalar is invalid JSON.
    private mutating func skipValueForError() throws {
        let saved = i
        if bytes[i] != UInt8(ascii: "[") { _ = try parseScalar(key: "") }
        i = saved
    }

    /// A string, number or boolean as text; `nil` for null.
    private mutating func parseScalar(key: String) throws -> String? {
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "\""):
            return try parseString()
        case UInt8(ascii: "t"):
            try literal("true"); return "true"
        case UInt8(ascii: "f"):
            try literal("false"); return "false"
        case UInt8(ascii: "n"):
            try literal("null"); return nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw fail("Expected a value for \"\(key)\" but found \(describeHere()). Strings need double quotes.")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let ok = i + n <= bytes.count && word.withUTF8Buffer { w in
            (0..<n).allSatisfy { bytes[i + $0] == w[$0] }
        }
        guard ok else { throw fail("Unknown literal; expected \(word) (JSON literals are lower-case: true, false, null).") }
        i += n
    }

    private mutating func parseNumber() throws -> String {
        let start = i
        func digit(_ k: Int) -> Bool { k < bytes.count && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { throw fail("A number needs a digit here.") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if digit(i) { throw fail("Numbers cannot have leading zeros; quote the value if it is a code like \"007\".") }
        } else {
            while digit(i) { i += 1 }
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw fail("A digit must follow the decimal point.") }
            while digit(i) { i += 1 }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digit(i) else { throw fail("A digit must follow the exponent.") }
            while digit(i) { i += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    /// A string at `i` (which is '"'); the line is already known to be valid UTF-8.
    private mutating func parseString() throws -> String {
        let open = i
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("A control character (byte \(hexBytes(UnsafeBufferPointer(rebasing: bytes[i..<i+1])))) must be escaped inside a string.") }
            i += 1
        }
        guard i < bytes.count else { throw fail("The string that starts here is not closed before the end of the line.", at: open) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c < 0x20 { throw fail("A control character (byte \(hexBytes(UnsafeBufferPointer(rebasing: bytes[i..<i+1])))) must be escaped inside a string.") }
            if c != UInt8(ascii: "\\") { scratch.append(c); i += 1; continue }
            guard i + 1 < bytes.count else { break }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                let escapeAt = i - 2
                var u = try hex4()
                if u >= 0xD800 && u <= 0xDBFF {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw fail("A \\u escape for a high surrogate must be followed by a low surrogate escape.", at: escapeAt)
                    }
                    i += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw fail("A \\u escape for a high surrogate must be followed by a low surrogate escape.", at: escapeAt)
                    }
                    u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                } else if u >= 0xDC00 && u <= 0xDFFF {
                    throw fail("A \\u escape holds an unpaired low surrogate.", at: escapeAt)
                }
                scratch.append(contentsOf: Unicode.Scalar(u)!.utf8)
            default:
                throw fail("Unknown escape '\\\(Character(Unicode.Scalar(e)))' in a string.", at: i - 2)
            }
        }
        throw fail("The string that starts here is not closed before the end of the line.", at: open)
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("A \\u escape needs four hex digits.") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("A \\u escape needs four hex digits.", at: i + k)
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }
}
