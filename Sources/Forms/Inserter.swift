import OperatorFiles
import Yams

/// Control marks for the inserting machine (封入封かん機), printed on the front of every sheet:
/// OMR marks down the left edge and/or a small Data Matrix carrying notice key, sheet n of m and
/// sequence. The machine collates a notice's sheets into one envelope and stops on a break.
public struct Inserter: Sendable {
    public enum Mark: String, Sendable, CaseIterable {
        /// Always printed: the reading starts here (benchmark) and ends here (safety, catches skew).
        case start, safety
        /// Begin and end of collation: the first and the last sheet of a notice.
        case boc, eoc
        /// Makes the number of marks on the sheet even.
        case parity
        /// Wrap-around sheet sequence, three bits (seq1 the lowest): a missing or swapped sheet shows.
        case seq1, seq2, seq3
    }
    public var marks: [Mark] = []
    /// The first mark's top-left corner, the distance between marks, and each mark's size (mm).
    public var x = 4.0, y = 110.0, pitch = 4.23, length = 10.0, thickness = 0.5
    /// The Data Matrix box, if any.
    public var code: (x: Double, y: Double, size: Double)?

    /// Which marks a sheet carries.
    public func marksOn(sheet: Int, of sheets: Int, sequence: Int) -> [Bool] {
        var on = marks.map { m -> Bool in
            switch m {
            case .start, .safety: return true
            case .boc: return sheet == 1
            case .eoc: return sheet == sheets
            case .parity: return false
            case .seq1: return sequence & 1 != 0
            case .seq2: return sequence & 2 != 0
            case .seq3: return sequence & 4 != 0
            }
        }
        if let p = marks.firstIndex(of: .parity), on.filter({ $0 }).count % 2 == 1 { on[p] = true }
        return on
    }

    /// What the 2-D code says: key, sheet n/m, sequence in the volume.
    public static func payload(key: String, sheet: Int, of sheets: Int, sequence: Int) -> String {
        "\(key)|\(sheet)/\(sheets)|\(sequence)"
    }

    static func load(_ node: Node, doc: YAMLDocument, paper: Form.Paper) -> Inserter? {
        guard let m = doc.mapping(node, what: "'inserter'", allowed: ["omr", "code"]) else { return nil }
        var ins = Inserter()
        if let o = m["omr"], let omr = doc.mapping(o, what: "'omr'", allowed: ["at", "pitch", "length", "thickness", "marks"]) {
            if let at = FormLoader.numbers(omr["at"], count: 2, doc, "'at' [x, y] of the first mark in mm"),
               FormLoader.point(at[0], at[1], omr["at"], doc, paper: paper, what: "the first mark") { ins.x = at[0]; ins.y = at[1] }
            ins.pitch = FormLoader.number(omr["pitch"], doc, "'pitch'", above: 0, atMost: paper.height, unit: " mm") ?? ins.pitch
            ins.length = FormLoader.number(omr["length"], doc, "'length'", above: 0, atMost: paper.width, unit: " mm") ?? ins.length
            ins.thickness = FormLoader.number(omr["thickness"], doc, "'thickness'") ?? ins.thickness
            if ins.pitch < ins.thickness + 1.5 { doc.report(omr["pitch"] ?? o, "marks need a pitch at least 1.5 mm more than their thickness to be read apart") }
            if !(0.25...1.0).contains(ins.thickness) { doc.report(omr["thickness"] ?? o, "'thickness' is 0.25 to 1 mm for an OMR reader") }
            if let list = omr["marks"], let names = doc.stringList(list, what: "'marks'") {
                for n in names {
                    if let mark = Mark(rawValue: n) { ins.marks.append(mark) }
                    else { doc.report(list, "unknown mark '\(n)'; marks are \(Mark.allCases.map(\.rawValue).joined(separator: ", "))") }
                }
                if Set(ins.marks).count != ins.marks.count { doc.report(list, "a mark is listed twice") }
                if !ins.marks.contains(.start) { doc.report(list, "the marks need 'start', which the reader uses to find the others") }
                let bottom = ins.y + Double(max(ins.marks.count - 1, 0)) * ins.pitch + ins.thickness
                if ins.x + ins.length > paper.width + 0.005 || bottom > paper.height + 0.005 {
                    doc.report(o, "the \(ins.marks.count) marks from [\(FormLoader.format(ins.x)), \(FormLoader.format(ins.y))] reach past the paper's edge "
                               + "(\(FormLoader.format(paper.width)) × \(FormLoader.format(paper.height)) mm); move 'at' or lower 'pitch'")
                }
            } else {
                doc.report(o, "'omr' needs 'marks', e.g. [start, boc, eoc, parity, seq1, seq2, seq3, safety]")
            }
        }
        if let c = m["code"] {
            if let box = FormLoader.numbers(c, count: 3, doc, "'code' [x, y, size] in mm"),
               FormLoader.box([box[0], box[1], box[2], box[2]], c, doc, paper: paper, what: "the inserter code") { ins.code = (box[0], box[1], box[2]) }
        }
        if ins.marks.isEmpty && ins.code == nil { doc.report(node, "'inserter' needs 'omr' marks, a 'code', or both") }
        return ins
    }
}
