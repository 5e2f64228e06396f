import Foundation

/// Builds PDF content-stream bytes quickly: numbers are formatted by hand (String(format:) would
/// dominate a renderer writing tens of thousands of pages a second).
struct ContentBuilder {
    var bytes: [UInt8] = []

    init(capacity: Int = 2048) { bytes.reserveCapacity(capacity) }

    mutating func op(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// A number with at most two decimals, no exponent, no trailing zeros.
    mutating func num(_ v: Double) {
        var n = Int((v * 100).rounded())
        if n < 0 { bytes.append(UInt8(ascii: "-")); n = -n }
        let whole = n / 100, frac = n % 100
        appendInt(whole)
        if frac != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(frac / 10))
            if frac % 10 != 0 { bytes.append(UInt8(ascii: "0") + UInt8(frac % 10)) }
        }
        bytes.append(UInt8(ascii: " "))
    }

    mutating func appendInt(_ v: Int) {
        if v >= 10 { appendInt(v / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(v % 10))
    }

    static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// `<hhhh…> Tj` with two-byte glyph ids (Identity-H).
    mutating func glyphs(_ ids: [UInt32]) {
        bytes.append(UInt8(ascii: "<"))
        for g in ids {
            bytes.append(Self.hex[Int((g >> 12) & 0xF)])
            bytes.append(Self.hex[Int((g >> 8) & 0xF)])
            bytes.append(Self.hex[Int((g >> 4) & 0xF)])
            bytes.append(Self.hex[Int(g & 0xF)])
        }
        op("> Tj\n")
    }
}

/// Millimetres from the top-left to PDF points from the bottom-left.
struct PageGeometry {
    let heightPt: Double
    static let ptPerMM = 72.0 / 25.4
    func x(_ mm: Double) -> Double { mm * Self.ptPerMM }
    func y(_ mm: Double) -> Double { heightPt - mm * Self.ptPerMM }
    func len(_ mm: Double) -> Double { mm * Self.ptPerMM }
}
