/// A symbol's dark and light modules, row by row, as an encoder produced them. Drawing scales it to
/// millimetres; a 1-D symbol is one row whose dark runs are its bars.
public struct ModuleMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    var bits: [Bool]

    public init(rows: Int, columns: Int, bits: [Bool]) {
        precondition(bits.count == rows * columns, "a module matrix needs rows × columns bits")
        self.rows = rows
        self.columns = columns
        self.bits = bits
    }

    public subscript(row: Int, column: Int) -> Bool { bits[row * columns + column] }

    /// The dark runs of each row, left to right: drawn as one rectangle each, a row of a QR code
    /// takes a few dozen rectangles instead of one per module.
    public func runs() -> [(row: Int, start: Int, length: Int)] {
        var out: [(row: Int, start: Int, length: Int)] = []
        for r in 0..<rows {
            var c = 0
            while c < columns {
                guard self[r, c] else { c += 1; continue }
                let start = c
                while c < columns && self[r, c] { c += 1 }
                out.append((r, start, c - start))
            }
        }
        return out
    }

    /// Whether the symbol has only full-height bars (every row identical): a linear code.
    public var isLinear: Bool {
        rows == 1 || (1..<rows).allSatisfy { r in (0..<columns).allSatisfy { self[r, $0] == self[0, $0] } }
    }
}

/// Why a barcode could not be made from a record's value; the record becomes a reject with this text.
public struct BarcodeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
