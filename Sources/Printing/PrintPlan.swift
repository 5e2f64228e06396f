import Foundation
import Spool

/// One IPP job of a print: a whole volume, or pages of one volume (notice boundaries kept).
public struct PrintChunk: Sendable, Equatable {
    public var volume: String
    /// `all`, or page ranges of the volume like `1-2000` or `3-4,9-10`.
    public var ranges: String
    public var pages: Int
}

/// Splits a batch into IPP jobs of at most `pagesPerJob` pages: on volume boundaries, and on notice
/// boundaries inside a volume larger than that (a notice is never split; one larger than the limit
/// goes alone).
public enum PrintPlan {
    public static func whole(_ manifest: Manifest, pagesPerJob: Int) -> [PrintChunk] {
        var out: [PrintChunk] = []
        for v in manifest.volumes {
            if v.pages <= pagesPerJob {
                out.append(PrintChunk(volume: v.file, ranges: "all", pages: v.pages))
            } else {
                out += chunks(manifest.notices.filter { $0.volume == v.file }, pagesPerJob: pagesPerJob)
            }
        }
        return out
    }

    /// Exactly the pages of these notices (in manifest order, each once). Unknown keys are bad input.
    public static func notices(_ keys: [String], _ manifest: Manifest, pagesPerJob: Int) throws -> [PrintChunk] {
        let wanted = Set(keys)
        let found = manifest.notices.filter { wanted.contains($0.key) }
        let missing = wanted.subtracting(found.map(\.key))
        guard missing.isEmpty else {
            throw SpoolError.badInput("no notice \(missing.sorted().joined(separator: ", ")) in this batch's manifest")
        }
        var out: [PrintChunk] = []
        var i = 0
        while i < found.count {
            var j = i
            while j < found.count, found[j].volume == found[i].volume { j += 1 }
            out += chunks(Array(found[i..<j]), pagesPerJob: pagesPerJob)
            i = j
        }
        return out
    }

    /// Notices of one volume grouped into jobs of at most `pagesPerJob` pages, adjacent pages merged into one range.
    static func chunks(_ notices: [Manifest.Notice], pagesPerJob: Int) -> [PrintChunk] {
        var out: [PrintChunk] = []
        var ranges: [ClosedRange<Int>] = [], pages = 0
        func flush() {
            guard !ranges.isEmpty, let v = notices.first?.volume else { return }
            out.append(PrintChunk(volume: v, ranges: ranges.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ","), pages: pages))
            ranges = []; pages = 0
        }
        for n in notices {
            if pages > 0 && pages + n.pages > pagesPerJob { flush() }
            let r = n.firstPage...(n.firstPage + n.pages - 1)
            if let last = ranges.last, last.upperBound + 1 == r.lowerBound { ranges[ranges.count - 1] = last.lowerBound...r.upperBound } else { ranges.append(r) }
            pages += n.pages
        }
        flush()
        return out
    }
}
