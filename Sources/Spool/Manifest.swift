import Foundation

/// The notices of a batch as its `manifest.csv` lists them (key, volume, first_page, pages, sheets),
/// in print order. Keys only: the manifest holds no personal data.
public struct Manifest: Sendable {
    public struct Notice: Sendable, Equatable {
        public var key: String
        public var volume: String
        public var firstPage: Int
        public var pages: Int
    }

    public var notices: [Notice] = []

    public init(directory: String) throws {
        let path = "\(directory)/manifest.csv"
        guard let data = FileManager.default.contents(atPath: path) else { throw SpoolError.io("cannot read \(path)") }
        var lineNumber = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            lineNumber += 1
            if lineNumber == 1 { continue }
            let f = Self.fields(line)
            guard f.count >= 4, let first = Int(f[2]), let pages = Int(f[3]) else {
                throw SpoolError.io("\(path) line \(lineNumber): not key,volume,first_page,pages,sheets")
            }
            notices.append(Notice(key: f[0], volume: f[1], firstPage: first, pages: pages))
        }
    }

    /// Volumes in order with their page counts.
    public var volumes: [(file: String, pages: Int)] {
        var out: [(String, Int)] = []
        for n in notices {
            if out.last?.0 == n.volume { out[out.count - 1].1 += n.pages } else { out.append((n.volume, n.pages)) }
        }
        return out
    }

    /// One CSV line's fields (RFC 4180 quoting).
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], cur = "", quoted = false, i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let n = line.index(after: i)
                    if n < line.endIndex, line[n] == "\"" { cur.append("\""); i = n } else { quoted = false }
                } else { cur.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(cur); cur = "" } else if c != "\r" { cur.append(c) }
            i = line.index(after: i)
        }
        out.append(cur)
        return out
    }
}
