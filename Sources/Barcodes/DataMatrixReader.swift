import CDmtx

/// Reads a Data Matrix back from pixels with libdmtx (an independent decoder, Debian's libdmtx), as
/// an inserting machine's camera would: the inserter check uses it on rasterised sheets.
public enum DataMatrixReader {
    /// The message of the first symbol found in an 8-bit grey image (rows top to bottom), or nil.
    public static func read(gray pixels: [UInt8], width: Int, height: Int, timeoutMilliseconds: Int = 2_000) -> String? {
        guard width > 0, height > 0, pixels.count >= width * height else { return nil }
        var image = pixels
        var out = [UInt8](repeating: 0, count: 4_096)
        let n = image.withUnsafeMutableBufferPointer { img in
            out.withUnsafeMutableBufferPointer { o in
                nightjar_dmtx_read(img.baseAddress, Int32(width), Int32(height), timeoutMilliseconds, o.baseAddress, Int32(o.count))
            }
        }
        guard n >= 0 else { return nil }
        var message = out.prefix(Int(n))
        // zint marks non-Latin-1 text as UTF-8 with ECI 000026; libdmtx 0.7 hands the designator
        // on as one byte of value 26 before the text instead of interpreting it.
        if message.first == 26 { message = message.dropFirst() }
        return String(decoding: message, as: UTF8.self)
    }
}
