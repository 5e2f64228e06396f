import Foundation

/// `manifest.csv` of a batch: one line per notice, in print order — key, volume, first page, pages,
/// sheets, and for forms that prepare mail its envelope group, delivery office and bundle. Keys only:
/// never a name or an address. The renderer writes it and the spool and printing read it, through this
/// one definition.
public enum ManifestCSV {
    public struct Row: Sendable, Equatable {
        public var key: String
        public var volume: String
        public var firstPage: Int
        public var pages: Int
        public var sheets: Int
        /// Mail preparation: envelope group, delivery office, bundle number.
        public var mail: (envelope: String, office: String, bundle: Int)?

        public init(key: String, volume: String, firstPage: Int, pages: Int, sheets: Int,
                    mail: (envelope: String, office: String, bundle: Int)? = nil) {
            self.key = key; self.volume = volume; self.firstPage = firstPage; self.pages = pages; self.sheets = sheets
            self.mail = mail
        }

        public static func == (a: Row, b: Row) -> Bool {
            a.key == b.key && a.volume == b.volume && a.firstPage == b.firstPage && a.pages == b.pages && a.sheets == b.sheets
                && a.mail?.envelope == b.mail?.envelope && a.mail?.office == b.mail?.office && a.mail?.bundle == b.mail?.bundle
        }
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func header(mail: Bool) -> String {
        "key,volume,first_page,pages,sheets" + (mail ? ",envelope,office,bundle" : "") + "\n"
    }

    /// One notice's line, newline included.
    public static func line(_ r: Row) -> String {
        var s = "\(field(r.key)),\(r.volume),\(r.firstPage),\(r.pages),\(r.sheets)"
        if let m = r.mail { s += ",\(field(m.envelope)),\(field(m.office)),\(m.bundle)" }
        return s + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
    public static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Every row of a manifest; `path` names the file in messages.
    public static func parse(_ text: String, path: String) throws -> [Row] {
        var rows: [Row] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            lineNumber += 1
            if lineNumber == 1 { continue }
            let f = fields(line)
            guard f.count >= 5, let first = Int(f[2]), let pages = Int(f[3]), let sheets = Int(f[4]) else {
                throw FormatError(description: "\(path) line \(lineNumber): not key,volume,first_page,pages,sheets")
            }
            var mail: (String, String, Int)?
            if f.count >= 8, let bundle = Int(f[7]) { mail = (f[5], f[6], bundle) }
            rows.append(Row(key: f[0], volume: f[1], firstPage: first, pages: pages, sheets: sheets, mail: mail))
        }
        return rows
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
