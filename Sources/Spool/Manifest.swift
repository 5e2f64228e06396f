import BatchFiles
import Foundation

/// The notices of a batch as its `manifest.csv` lists them, in print order (read through `ManifestCSV`,
/// the format the renderer writes). Keys only: the manifest holds no personal data.
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
        do {
            notices = try ManifestCSV.parse(String(decoding: data, as: UTF8.self), path: path)
                .map { Notice(key: $0.key, volume: $0.volume, firstPage: $0.firstPage, pages: $0.pages) }
        } catch let e as ManifestCSV.FormatError {
            throw SpoolError.io(e.description)
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
}
