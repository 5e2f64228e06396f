/// Files as one POSIX tar (ustar, POSIX.1-1988; a pax extended header for a name ustar cannot hold or
/// a file of 8 GiB or more), as a `ByteStream`: headers are built here, file contents are read from
/// disk chunk by chunk when streamed, and the archive's length is known before its first byte. The
/// same members give the same bytes, so a broken download of it can be resumed with a range.
public struct TarArchive: Sendable {
    public struct Member: Sendable, Equatable {
        /// The path inside the archive (`batch-12/vol-0001.pdf`); a name ending in `/` is a directory.
        public var name: String
        /// The file on disk (ignored for a directory).
        public var path: String
        public var size: Int64
        public var mode: Int
        /// Seconds since 1970.
        public var modified: Int64

        public init(name: String, path: String = "", size: Int64 = 0, mode: Int = 0o640, modified: Int64) {
            self.name = name; self.path = path; self.size = size; self.mode = mode; self.modified = modified
        }

        var isDirectory: Bool { name.hasSuffix("/") }
    }

    public struct NameError: Error, CustomStringConvertible {
        public let description: String
    }

    public let members: [Member]
    public let stream: ByteStream

    public init(_ members: [Member]) throws {
        self.members = members
        var parts: [ByteStream.Part] = []
        for m in members {
            let bytes = Array(m.name.utf8)
            if bytes.isEmpty || bytes.contains(0) || bytes.first == UInt8(ascii: "/")
                || m.name.split(separator: "/").contains("..") {
                throw NameError(description: "\(m.name.debugDescription) cannot be a name in a tar: empty, absolute, or with a NUL or '..'")
            }
            parts += Self.headers(m).map { .bytes($0) }
            if !m.isDirectory {
                parts.append(.file(path: m.path, size: m.size))
                parts.append(.zeros(Self.padding(m.size)))
            }
        }
        parts.append(.zeros(1024))   // the end of the archive: two zero blocks
        stream = ByteStream(parts)
    }

    /// The archive's length in bytes.
    public var length: Int64 { stream.length }

    static let block: Int64 = 512
    /// The largest size the ustar header's 11 octal digits hold.
    static let ustarMaxSize: Int64 = 0o77777777777

    static func padding(_ n: Int64) -> Int64 { (block - n % block) % block }

    /// The member's header blocks: a pax extended header and its records first when ustar cannot hold
    /// the name or the size, then the ustar header.
    static func headers(_ m: Member) -> [[UInt8]] {
        let name = Array(m.name.utf8)
        let split = ustarName(name)
        var records: [(String, String)] = []
        if split == nil { records.append(("path", m.name)) }
        if m.size > ustarMaxSize { records.append(("size", String(m.size))) }
        var out: [[UInt8]] = []
        if !records.isEmpty {
            let data = records.flatMap { paxRecord($0.0, $0.1) }
            out.append(header(name: Array("PaxHeader".utf8), prefix: [], mode: 0o644, size: Int64(data.count), modified: m.modified, type: "x"))
            out.append(data + [UInt8](repeating: 0, count: Int(padding(Int64(data.count)))))
        }
        // Without pax, the name as ustar holds it; with pax, a truncation of it for readers without pax.
        let (prefix, last) = split ?? ([], Array(name.prefix(100)))
        out.append(header(name: last, prefix: prefix, mode: m.mode, size: m.isDirectory ? 0 : min(m.size, ustarMaxSize),
                          modified: m.modified, type: m.isDirectory ? "5" : "0"))
        return out
    }

    /// A name as ustar's name (100 bytes) and prefix (155 bytes, split at a '/'), or nil when it does not fit.
    static func ustarName(_ name: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        if name.count <= 100 { return ([], name) }
        let slash = UInt8(ascii: "/")
        for i in name.indices where name[i] == slash && i <= 155 {
            let rest = Array(name[(i + 1)...])
            if !rest.isEmpty && rest.count <= 100 { return (Array(name[..<i]), rest) }
        }
        return nil
    }

    /// `"<length> <key>=<value>\n"`, where the length counts the whole record, its own digits included.
    static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
        let body = " \(key)=\(value)\n".utf8.count
        var length = body + 1
        while String(length).utf8.count + body != length { length = String(length).utf8.count + body }
        return Array("\(length) \(key)=\(value)\n".utf8)
    }

    static func header(name: [UInt8], prefix: [UInt8], mode: Int, size: Int64, modified: Int64, type: Character) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int) { for (i, b) in bytes.enumerated() { h[offset + i] = b } }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8), at: offset)
        }
        put(name, at: 0)
        octal(Int64(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)   // uid
        octal(0, at: 116, width: 8)   // gid
        octal(size, at: 124, width: 12)
        octal(max(0, modified), at: 136, width: 12)
        put(Array(String(type).utf8), at: 156)
        put(Array("ustar\u{0}00".utf8), at: 257)
        put(prefix, at: 345)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
        let sum = h.reduce(0) { $0 + Int64($1) }
        octal(sum, at: 148, width: 7)   // six digits, then NUL and a space
        h[154] = 0
        return h
    }
}
