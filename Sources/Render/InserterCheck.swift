import Barcodes
import Forms
import Foundation

/// Reads the inserter's control marks back from a rendered volume, the way the inserting machine's
/// readers will: each front page is rasterised (pdftoppm, cropped to the marks) and
/// - the OMR marks are judged dark or light: a missing start or safety mark, odd parity, a sequence
///   that does not follow, or collation marks out of step is a break;
/// - the Data Matrix is decoded with libdmtx: an unreadable code, a sequence that does not follow, or
///   a sheet n of m that does not continue the notice before it is a break.
public enum InserterCheck {
    public struct Break: Codable, Sendable { public var page: Int; public var problem: String }
    public struct Report: Codable, Sendable {
        public var volume: String
        public var sheets: Int
        public var notices: Int
        public var breaks: [Break]
    }
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    public static func check(volume: String, form: Form, dpi: Int = 150) throws -> Report {
        guard let ins = form.inserter, !ins.marks.isEmpty || ins.code != nil else {
            throw Failure(description: "form \(form.name) declares no inserter marks or code ('inserter:') to check")
        }
        let info = try run(["pdfinfo", volume])
        guard let pages = info.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") })
            .flatMap({ Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }) else {
            throw Failure(description: "\(volume) is not a readable PDF")
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-inserter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: tmp) }
        let fronts = Array(stride(from: 1, through: pages, by: form.duplex ? 2 : 1))
        var report = Report(volume: volume, sheets: fronts.count, notices: 0, breaks: [])
        if !ins.marks.isEmpty {
            let images = try raster(volume, pages: pages, into: tmp, name: "omr", dpi: dpi, left: ins.x - 1, top: ins.y - 1,
                                    width: ins.length + 2, height: Double(ins.marks.count) * ins.pitch + 2)
            let (notices, breaks) = try readMarks(ins, images: images, fronts: fronts, dpi: dpi)
            report.notices = notices
            report.breaks += breaks.map { Break(page: $0.page, problem: "marks: " + $0.problem) }
        }
        if let code = ins.code {
            // 300 dpi gives a 0.3 mm module four pixels or more; 2 mm around it is the quiet zone.
            let images = try raster(volume, pages: pages, into: tmp, name: "code", dpi: 300, left: code.x - 2, top: code.y - 2,
                                    width: code.size + 4, height: code.size + 4)
            let (notices, breaks) = try readCodes(images: images, fronts: fronts)
            if ins.marks.isEmpty { report.notices = notices }
            report.breaks += breaks.map { Break(page: $0.page, problem: "code: " + $0.problem) }
        }
        report.breaks = report.breaks.enumerated().sorted { ($0.element.page, $0.offset) < ($1.element.page, $1.offset) }.map(\.element)
        return report
    }

    /// One cropped greyscale image per page, in page order.
    static func raster(_ volume: String, pages: Int, into dir: URL, name: String, dpi: Int,
                       left: Double, top: Double, width: Double, height: Double) throws -> [URL] {
        let px = { (mm: Double) in pixels(mm, dpi: dpi) }
        _ = try run(["pdftoppm", "-r", String(dpi), "-gray", "-x", String(px(left)), "-y", String(px(top)),
                     "-W", String(px(width)), "-H", String(px(height)), volume, dir.appendingPathComponent(name).path])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix(name + "-") && $0.hasSuffix(".pgm") }.sorted()
        guard files.count == pages else { throw Failure(description: "pdftoppm gave \(files.count) images for \(pages) pages") }
        return files.map { dir.appendingPathComponent($0) }
    }

    /// Millimetres on the page as pixels of a raster at `dpi`.
    static func pixels(_ mm: Double, dpi: Int) -> Int { Int((mm / 25.4 * Double(dpi)).rounded()) }

    static func image(_ url: URL, page: Int) throws -> GrayImage {
        guard let data = FileManager.default.contents(atPath: url.path), let image = GrayImage(data) else {
            throw Failure(description: "cannot read the raster of page \(page)")
        }
        return image
    }

    static func readMarks(_ ins: Inserter, images: [URL], fronts: [Int], dpi: Int) throws -> (notices: Int, breaks: [Break]) {
        let px = { (mm: Double) in pixels(mm, dpi: dpi) }
        let left = ins.x - 1, top = ins.y - 1
        var breaks: [Break] = []
        var previousSeq: Int?, previousEOC = true, notices = 0
        let index = Dictionary(ins.marks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for page in fronts {
            let image = try image(images[page - 1], page: page)
            let on = ins.marks.indices.map { i -> Bool in
                let cx = px(ins.x + ins.length / 2 - left), cy = px(ins.y + Double(i) * ins.pitch + ins.thickness / 2 - top)
                return image.dark(x: cx - 3...cx + 3, y: cy...cy)
            }
            func has(_ m: Inserter.Mark) -> Bool? { index[m].map { on[$0] } }
            if has(.start) == false || has(.safety) == false {
                breaks.append(Break(page: page, problem: "no \(has(.start) == false ? "start" : "safety") mark: not a sheet of this run, or skewed"))
                continue
            }
            if index[.parity] != nil && on.filter({ $0 }).count % 2 == 1 {
                breaks.append(Break(page: page, problem: "odd number of marks: a mark is missing or smudged"))
            }
            if index[.seq1] != nil {
                let seq = (has(.seq1) == true ? 1 : 0) | (has(.seq2) == true ? 2 : 0) | (has(.seq3) == true ? 4 : 0)
                let bits = index[.seq3] != nil ? 8 : index[.seq2] != nil ? 4 : 2
                let expected = ((previousSeq ?? 0) + 1) % bits
                if seq != expected {
                    breaks.append(Break(page: page, problem: "sequence \(seq), expected \(expected): a sheet is missing, extra or out of order"))
                }
                previousSeq = seq
            }
            if let boc = has(.boc) {
                if boc && !previousEOC { breaks.append(Break(page: page, problem: "a notice starts before the previous one ended")) }
                if !boc && previousEOC { breaks.append(Break(page: page, problem: "a sheet follows the end of a notice without starting a new one")) }
            }
            if let eoc = has(.eoc) {
                if eoc { notices += 1 }
                previousEOC = eoc
            }
        }
        if !previousEOC, let last = fronts.last { breaks.append(Break(page: last, problem: "the volume ends inside a notice (no end-of-collation mark)")) }
        return (notices, breaks)
    }

    /// What one sheet's code says (`Inserter.payload`: key|n/m|sequence).
    struct SheetCode: Equatable {
        var key: String, sheet: Int, of: Int, sequence: Int

        init?(_ text: String) {
            let parts = text.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count >= 3 else { return nil }
            let nm = parts[parts.count - 2].split(separator: "/")
            guard nm.count == 2, let n = Int(nm[0]), let m = Int(nm[1]), let s = Int(parts[parts.count - 1]), n >= 1, n <= m, s >= 1, s < Int.max else { return nil }
            // The key may itself hold '|': everything before the last two parts.
            key = parts.dropLast(2).joined(separator: "|")
            sheet = n
            of = m
            sequence = s
        }
    }

    static func readCodes(images: [URL], fronts: [Int]) throws -> (notices: Int, breaks: [Break]) {
        var breaks: [Break] = []
        var notices = 0
        // The last sheet read; nil after an unreadable one, whose neighbours are then not compared.
        var previous: SheetCode?
        var first = true
        for page in fronts {
            let image = try image(images[page - 1], page: page)
            defer { first = false }
            guard let text = DataMatrixReader.read(gray: image.pixels, width: image.width, height: image.height),
                  let code = SheetCode(text) else {
                breaks.append(Break(page: page, problem: "the 2-D code cannot be read: missing, smudged or not of this run"))
                previous = nil
                continue
            }
            if first && code.sequence != 1 {
                breaks.append(Break(page: page, problem: "sequence \(code.sequence) on the first sheet, expected 1: sheets are missing before it"))
            }
            if first && code.sheet != 1 {
                breaks.append(Break(page: page, problem: "the volume starts with sheet \(code.sheet) of \(code.of) of notice \(code.key)"))
            }
            if let p = previous {
                if code.sequence != p.sequence + 1 {
                    breaks.append(Break(page: page, problem: "sequence \(code.sequence), expected \(p.sequence + 1): a sheet is missing, extra or out of order"))
                }
                if p.sheet < p.of && (code.key != p.key || code.sheet != p.sheet + 1 || code.of != p.of) {
                    breaks.append(Break(page: page, problem: "sheet \(code.sheet) of \(code.of) of notice \(code.key) follows sheet \(p.sheet) of \(p.of) of notice \(p.key): the notice is broken"))
                } else if p.sheet == p.of && code.sheet != 1 {
                    breaks.append(Break(page: page, problem: "sheet \(code.sheet) of \(code.of) of notice \(code.key) follows the end of notice \(p.key) without its first sheet"))
                }
            }
            if code.sheet == code.of { notices += 1 }
            previous = code
        }
        if let p = previous, p.sheet < p.of, let last = fronts.last {
            breaks.append(Break(page: last, problem: "the volume ends inside notice \(p.key) (sheet \(p.sheet) of \(p.of))"))
        }
        return (notices, breaks)
    }

    static func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { throw Failure(description: "cannot run \(args[0]) (poppler-utils): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "\(args[0]) failed on \(args.last ?? "")") }
        return String(decoding: data, as: UTF8.self)
    }
}
