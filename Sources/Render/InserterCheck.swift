import Forms
import Foundation

/// Reads the OMR marks back from a rendered volume, the way the inserter's reader will: each front
/// page is rasterised (pdftoppm, cropped to the mark column) and each mark position is judged dark or
/// light. Reports every break: a missing start or safety mark, odd parity, a sequence that does not
/// follow, or collation marks out of step.
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
        guard let ins = form.inserter, !ins.marks.isEmpty else {
            throw Failure(description: "form \(form.name) declares no OMR marks ('inserter: omr:') to check")
        }
        let info = try run(["pdfinfo", volume])
        guard let pages = info.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") })
            .flatMap({ Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }) else {
            throw Failure(description: "\(volume) is not a readable PDF")
        }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("nightjar-omr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let px = { (mm: Double) in Int((mm / 25.4 * Double(dpi)).rounded()) }
        let left = ins.x - 1, top = ins.y - 1
        let width = ins.length + 2, height = Double(ins.marks.count) * ins.pitch + 2
        _ = try run(["pdftoppm", "-r", String(dpi), "-gray", "-x", String(px(left)), "-y", String(px(top)),
                     "-W", String(px(width)), "-H", String(px(height)), volume, tmp.appendingPathComponent("p").path])
        let files = try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.hasSuffix(".pgm") }.sorted()
        guard files.count == pages else { throw Failure(description: "pdftoppm gave \(files.count) images for \(pages) pages") }
        let step = form.duplex ? 2 : 1
        var breaks: [Break] = []
        var previousSeq: Int?, previousEOC = true, notices = 0, sheets = 0
        let index = Dictionary(ins.marks.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for page in stride(from: 1, through: pages, by: step) {
            guard let data = FileManager.default.contents(atPath: tmp.appendingPathComponent(files[page - 1]).path),
                  let image = GrayImage(data) else { throw Failure(description: "cannot read the raster of page \(page)") }
            sheets += 1
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
        if !previousEOC { breaks.append(Break(page: pages, problem: "the volume ends inside a notice (no end-of-collation mark)")) }
        return Report(volume: volume, sheets: sheets, notices: notices, breaks: breaks)
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
