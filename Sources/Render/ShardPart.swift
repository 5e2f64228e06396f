import Foundation

/// What one shard of a sharded render hands to the merge: the results of the volumes it rendered
/// (notices with their pages, layout rejects, the volume's SHA-256), plus what every shard learns from
/// reading the whole input (records, volumes, early rejects — the latter written by shard 0 only).
///
/// A line format rather than JSON: a million-notice render writes a million notice lines, and
/// Foundation's JSON coders would take seconds over them. Fields are tab-separated; `%`, tab, CR and
/// LF inside a field are percent-escaped. The last line is `end`, so a cut-off file is refused.
public struct ShardPart: Sendable {
    public var shard: Int
    public var count: Int
    public var inputSHA256: String
    public var records: Int
    public var volumeCount: Int
    public var earlyRejectCount: Int
    var early: [Renderer.Reject]
    var volumes: [Renderer.VolumeResult]

    static let magic = "nightjar-shard-part 1"

    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    func encoded() -> Data {
        var out = "\(Self.magic)\nshard\t\(shard)\t\(count)\ninput\t\(inputSHA256)\nrecords\t\(records)\nvolumes\t\(volumeCount)\nearly\t\(earlyRejectCount)\n"
        out.reserveCapacity(volumes.reduce(0) { $0 + $1.notices.count } * 48)
        func reject(_ r: Renderer.Reject) { out += "R\t\(r.line)\t\(Self.escape(r.key))\t\(Self.escape(r.reason))\n" }
        early.forEach(reject)
        for v in volumes {
            out += "V\t\(v.index)\t\(v.records)\t\(v.file ?? "")\t\(Self.escape(v.envelope))\t\(v.sha256 ?? "")\t\(v.notices.count)\t\(v.rejects.count)\n"
            for n in v.notices { out += "N\t\(Self.escape(n.key))\t\(n.firstPage)\t\(n.pages)\t\(Self.escape(n.office))\n" }
            v.rejects.forEach(reject)
        }
        out += "end\n"
        return Data(out.utf8)
    }

    static func decode(_ data: Data, file: String) throws -> ShardPart {
        func bad(_ why: String) -> FormatError { FormatError(description: "\(file): not a whole shard result (\(why))") }
        // Split on bytes, not Characters: a field may begin with a combining mark, which would join
        // the tab before it into one Character.
        let bytes = [UInt8](data)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        var i = 0
        func next() throws -> [Substring] {
            guard i < lines.count else { throw bad("it ends early") }
            defer { i += 1 }
            return lines[i].split(separator: 0x09, omittingEmptySubsequences: false).map { Substring(String(decoding: $0, as: UTF8.self)) }
        }
        func int(_ s: Substring) throws -> Int {
            guard let v = Int(s) else { throw bad("'\(s)' is not a number") }
            return v
        }
        func header(_ name: String, _ n: Int) throws -> [Substring] {
            let f = try next()
            guard f.first.map(String.init) == name, f.count == n + 1 else { throw bad("no \(name) line") }
            return Array(f.dropFirst())
        }
        func reject() throws -> Renderer.Reject {
            let f = try next()
            guard f.count == 4, f[0] == "R" else { throw bad("a reject line expected at line \(i)") }
            return Renderer.Reject(line: try int(f[1]), key: unescape(f[2]), reason: unescape(f[3]))
        }
        guard lines.first.map({ String(decoding: $0, as: UTF8.self) }) == magic else { throw bad("no header") }
        i = 1
        let s = try header("shard", 2)
        let input = try header("input", 1)
        let records = try header("records", 1)
        let volumes = try header("volumes", 1)
        let early = try header("early", 1)
        var part = ShardPart(shard: try int(s[0]), count: try int(s[1]), inputSHA256: String(input[0]), records: try int(records[0]),
                             volumeCount: try int(volumes[0]), earlyRejectCount: try int(early[0]), early: [], volumes: [])
        while i < lines.count, lines[i].starts(with: [0x52, 0x09]) { part.early.append(try reject()) }
        while true {
            let f = try next()
            if f == ["end"] { break }
            guard f.count == 8, f[0] == "V" else { throw bad("a volume line expected at line \(i)") }
            var v = Renderer.VolumeResult(index: try int(f[1]), records: try int(f[2]), file: f[3].isEmpty ? nil : String(f[3]),
                                          notices: [], rejects: [], sha256: f[5].isEmpty ? nil : String(f[5]))
            v.envelope = unescape(f[4])
            let notices = try int(f[6]), rejects = try int(f[7])
            v.notices.reserveCapacity(notices)
            for _ in 0..<notices {
                let n = try next()
                guard n.count == 5, n[0] == "N" else { throw bad("a notice line expected at line \(i)") }
                v.notices.append((unescape(n[1]), try int(n[2]), try int(n[3]), unescape(n[4])))
            }
            for _ in 0..<rejects { v.rejects.append(try reject()) }
            part.volumes.append(v)
        }
        return part
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x25 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\t", with: "%09")
            .replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: "\r", with: "%0D")
    }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("%") else { return String(s) }
        return s.replacingOccurrences(of: "%09", with: "\t").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%25", with: "%")
    }
}
