import CZint

/// The symbologies Nightjar draws through zint (a well-kept encoder library; Debian's libzint).
public enum Symbology: Int32, Sendable, CaseIterable {
    case code39 = 8
    case gs1_128 = 16
    case codabar = 18
    case code128 = 20
    case qr = 58
    case dataMatrix = 71
    case japanPost = 76
}

/// QR error-correction level (zint's option_1: 1 = L … 4 = H).
public enum QRErrorCorrection: String, Sendable, CaseIterable {
    case L, M, Q, H
    var zint: Int32 { ["L": 1, "M": 2, "Q": 3, "H": 4][rawValue] ?? 2 }
}

/// Encodes data into modules with zint. A zint symbol is created per call: it is cheap next to the
/// encoding and keeps the encoder free of shared state, so render workers can call it concurrently.
public enum Zint {
    /// `qrMask` forces a QR mask pattern (0–7); otherwise zint scores all eight.
    public static func encode(_ symbology: Symbology, _ data: String, qrLevel: QRErrorCorrection = .M, qrMask: Int? = nil) throws -> ModuleMatrix {
        guard let symbol = ZBarcode_Create() else { throw BarcodeError("the barcode library could not allocate a symbol") }
        defer { ZBarcode_Delete(symbol) }
        symbol.pointee.symbology = symbology.rawValue
        symbol.pointee.show_hrt = 0
        switch symbology {
        case .gs1_128: symbol.pointee.input_mode = GS1_MODE
        case .qr:
            symbol.pointee.input_mode = UNICODE_MODE
            symbol.pointee.option_1 = qrLevel.zint
            if let m = qrMask { symbol.pointee.option_3 = Int32(m + 1) << 8 }
        case .dataMatrix:
            symbol.pointee.input_mode = UNICODE_MODE
            symbol.pointee.option_3 = DM_SQUARE
        default: symbol.pointee.input_mode = DATA_MODE
        }
        let bytes = Array(data.utf8)
        let rc = ZBarcode_Encode(symbol, bytes, Int32(bytes.count))
        if rc >= ZINT_ERROR {
            let message = withUnsafeBytes(of: symbol.pointee.errtxt) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            throw BarcodeError("\(symbology) cannot encode this value: \(message)")
        }
        let rows = Int(symbol.pointee.rows), columns = Int(symbol.pointee.width)
        var bits = [Bool](repeating: false, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns where nightjar_zint_module(symbol, Int32(r), Int32(c)) != 0 {
                bits[r * columns + c] = true
            }
        }
        return ModuleMatrix(rows: rows, columns: columns, bits: bits)
    }
}
