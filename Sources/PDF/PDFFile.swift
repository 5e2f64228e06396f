import Foundation

/// A PDF written front to back: objects go out as soon as they are made, in any order, and only their
/// byte offsets are kept for the cross-reference table. Memory does not grow with the page count
/// beyond eight bytes per object.
public final class PDFFile {
    public let path: String
    let fd: Int32
    var buffer: [UInt8] = []
    var written = 0
    var offsets: [Int] = [0]   // index = object number; 0 is the free-list head
    /// Sees every byte as it goes to disk (the renderer hashes volumes this way instead of re-reading them).
    let observe: ((UnsafeRawBufferPointer) -> Void)?

    public enum PDFError: Error, CustomStringConvertible {
        case cannotCreate(String, String)
        case writeFailed(String, String)
        public var description: String {
            switch self {
            case let .cannotCreate(p, why): return "cannot create \(p): \(why)"
            case let .writeFailed(p, why): return "cannot write \(p): \(why)"
            }
        }
    }

    public init(path: String, observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        self.path = path
        self.observe = observe
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw PDFError.cannotCreate(path, String(cString: strerror(errno))) }
        buffer.reserveCapacity(1 << 20)
        // A binary comment marks the file as binary for transfer programs.
        append("%PDF-1.7\n%\u{e2}\u{e3}\u{cf}\u{d3}\n")
    }

    deinit { if fd >= 0 { close(fd) } }

    /// This file's compressors, kept for all its streams.
    private let deflater = Deflater()

    /// Reserves an object number to be written later (fonts are written after the pages using them).
    public func reserve() -> Int {
        offsets.append(-1)
        return offsets.count - 1
    }

    public func append(_ s: String) { buffer.append(contentsOf: s.utf8) }
    public func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    var position: Int { written + buffer.count }

    /// Writes `n 0 obj … endobj` with a dictionary or other direct object.
    public func object(_ n: Int, _ body: String) throws {
        offsets[n] = position
        append("\(n) 0 obj\n\(body)\nendobj\n")
        try flushIfLarge()
    }

    /// Writes a stream object; `dict` holds the entries other than /Length and /Filter.
    public func stream(_ n: Int, dict: String = "", data: [UInt8], compress: Int32? = 6) throws {
        let body = compress.map { deflater.compress(data, level: $0) } ?? data
        offsets[n] = position
        append("\(n) 0 obj\n<<\(dict)\(compress != nil ? " /Filter /FlateDecode" : "") /Length \(body.count)>>\nstream\n")
        append(body)
        append("\nendstream\nendobj\n")
        try flushIfLarge()
    }

    func flushIfLarge() throws { if buffer.count >= 1 << 20 { try flush() } }

    func flush() throws {
        if let observe { buffer.withUnsafeBytes { observe($0) } }
        var off = 0
        while off < buffer.count {
            let n = buffer[off...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw PDFError.writeFailed(path, String(cString: strerror(errno)))
            }
            off += n
        }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the cross-reference table and trailer, syncs and closes the file.
    public func finish(root: Int, info: Int? = nil, id: String) throws {
        for (n, o) in offsets.enumerated() where n > 0 && o < 0 {
            throw PDFError.writeFailed(path, "object \(n) was reserved but never written")
        }
        let xref = position
        append("xref\n0 \(offsets.count)\n0000000000 65535 f \n")
        for o in offsets.dropFirst() { append(String(format: "%010d 00000 n \n", o)) }
        append("trailer\n<< /Size \(offsets.count) /Root \(root) 0 R\(info.map { " /Info \($0) 0 R" } ?? "") /ID [<\(id)> <\(id)>] >>\n")
        append("startxref\n\(xref)\n%%EOF\n")
        try flush()
        if fsync(fd) != 0 { throw PDFError.writeFailed(path, String(cString: strerror(errno))) }
    }

    /// PDF literal string for text in dictionaries (Info); escapes the delimiters.
    public static func literal(_ s: String) -> String {
        var out = "("
        for c in s.utf8 {
            switch c {
            case 0x28, 0x29, 0x5C: out += "\\" + String(UnicodeScalar(c))
            case 0x20...0x7E: out += String(UnicodeScalar(c))
            default: out += String(format: "\\%03o", c)
            }
        }
        return out + ")"
    }

    /// A UTF-16BE text string with BOM, for non-ASCII titles.
    public static func textString(_ s: String) -> String {
        "<FEFF" + s.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }
}
