/// `SHA256SUMS` of a batch, in the format `sha256sum -c` reads: `<hex>  <file>` per line. Written by the
/// renderer, read by publish, acknowledgement and print, through this one definition.
public enum ChecksumList {
    public struct Entry: Sendable, Equatable {
        public var file: String
        public var sha256: String
        public init(file: String, sha256: String) { self.file = file; self.sha256 = sha256 }
    }

    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func line(_ e: Entry) -> String { "\(e.sha256)  \(e.file)\n" }

    /// The entries of a list. A file name that would leave the batch's directory is refused: the names
    /// are joined to directory paths by the readers.
    public static func parse(_ text: String) throws -> [Entry] {
        let entries: [Entry] = text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let file = parts[1].hasPrefix(" ") || parts[1].hasPrefix("*") ? String(parts[1].dropFirst()) : String(parts[1])
            return Entry(file: file, sha256: String(parts[0]))
        }
        if let bad = entries.first(where: { $0.file.contains("/") || $0.file == ".." || $0.file == "." || $0.file.isEmpty }) {
            throw FormatError(description: "SHA256SUMS names \(bad.file), which is not a file of the batch's directory")
        }
        return entries
    }
}
