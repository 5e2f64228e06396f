import CZlib
import Foundation

/// A PNG or JPEG prepared for a PDF image XObject. JPEG data is embedded as it is (DCTDecode); PNG data
/// without transparency passes through with PNG predictors; any other PNG (an alpha channel, tRNS
/// transparency, Adam7 interlacing) is decoded and split into 8-bit colour and a soft mask, so a red
/// seal (印影) keeps its transparent background.
public struct ImageFile: Sendable {
    public var width: Int
    public var height: Int
    /// Dictionary entries besides Type, Subtype, Width, Height, Length and SMask.
    public var dict: String
    public var data: [UInt8]
    public var alpha: [UInt8]?   // 8-bit alpha, already deflated

    public enum ImageError: Error, CustomStringConvertible {
        case unreadable(String)
        case unsupported(String, String)
        public var description: String {
            switch self {
            case .unreadable(let p): return "cannot read the image \(p)"
            case let .unsupported(p, why): return "\(p): \(why)"
            }
        }
    }

    public static func load(path: String) throws -> ImageFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw ImageError.unreadable(path) }
        let b = [UInt8](data)
        if b.starts(with: [0xFF, 0xD8]) { return try jpeg(b, path: path) }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try png(b, path: path) }
        throw ImageError.unsupported(path, "not a PNG or JPEG file")
    }

    /// The JPEG's frame header, checked segment by segment, and its end-of-image marker: a truncated
    /// file would otherwise be embedded as it is and draw as a grey band, or not at all, at the printer.
    static func jpeg(_ b: [UInt8], path: String) throws -> ImageFile {
        func corrupt(_ why: String) -> ImageError { .unsupported(path, "a damaged JPEG: \(why)") }
        var end = b.count
        // Some writers pad after the end marker.
        while end > 2, [0x00, 0x0A, 0x0D, 0x20].contains(b[end - 1]) { end -= 1 }
        guard end >= 4, b[end - 2] == 0xFF, b[end - 1] == 0xD9 else {
            throw corrupt("it does not end with the end-of-image marker (FF D9), so it is truncated")
        }
        var i = 2
        var frame: ImageFile?
        while i + 4 <= end {
            guard b[i] == 0xFF else { throw corrupt("no segment marker at byte \(i)") }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }                                  // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue } // no length
            if marker == 0xDA, let frame { return frame }                            // the scan follows the frame: done
            if marker == 0xD9 || marker == 0xDA { break }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= end else { throw corrupt("the segment at byte \(i) runs past the end of the file") }
            // Start-of-frame markers (baseline, extended, progressive) carry the size and components.
            if [0xC0, 0xC1, 0xC2].contains(marker) {
                guard length >= 8 else { throw corrupt("a frame header of \(length) bytes") }
                let precision = b[i + 4]
                let h = Int(b[i + 5]) << 8 | Int(b[i + 6]), w = Int(b[i + 7]) << 8 | Int(b[i + 8])
                guard precision == 8 else { throw ImageError.unsupported(path, "a \(precision)-bit JPEG; PDF embeds 8-bit JPEGs") }
                guard w > 0, h > 0 else { throw corrupt("a frame of \(w) × \(h) pixels") }
                let space: String
                switch b[i + 9] {
                case 1: space = "/DeviceGray"
                case 3: space = "/DeviceRGB"
                case 4: space = "/DeviceCMYK /Decode [1 0 1 0 1 0 1 0]"
                default: throw ImageError.unsupported(path, "a JPEG with \(b[i + 9]) colour components")
                }
                guard length >= 8 + 3 * Int(b[i + 9]) else { throw corrupt("a frame header too short for its \(b[i + 9]) components") }
                frame = ImageFile(width: w, height: h, dict: "/ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode", data: b, alpha: nil)
            }
            if (0xC3...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                throw ImageError.unsupported(path, "a lossless or arithmetic-coded JPEG, which PDF readers do not draw; save it as a baseline JPEG")
            }
            i += 2 + length
        }
        throw corrupt(frame == nil ? "no frame header (SOF) before the image data" : "a frame header but no image data (SOS)")
    }

    /// `decodeAlways` sends even a pass-through PNG through the decoder (the tests compare both).
    static func png(_ b: [UInt8], path: String, decodeAlways: Bool = false) throws -> ImageFile {
        var i = 8
        var width = 0, height = 0, depth = 0, colorType = 0, interlace = 0
        var palette: [UInt8] = [], idat: [UInt8] = [], trns: [UInt8]?
        func be32(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
        while i + 8 <= b.count {
            let len = be32(i)
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = i + 8
            guard body + len <= b.count else { throw ImageError.unsupported(path, "a truncated PNG") }
            switch type {
            case "IHDR":
                guard len >= 13 else { throw ImageError.unsupported(path, "a PNG with a short header (IHDR)") }
                width = be32(body); height = be32(body + 4)
                depth = Int(b[body + 8]); colorType = Int(b[body + 9]); interlace = Int(b[body + 12])
            case "PLTE": palette = Array(b[body..<(body + len)])
            case "tRNS": trns = Array(b[body..<(body + len)])
            case "IDAT": idat += b[body..<(body + len)]
            default: break
            }
            i = body + len + 4
        }
        guard width > 0, height > 0, !idat.isEmpty else { throw ImageError.unsupported(path, "a PNG without image data") }
        let allowed: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowed[colorType] else { throw ImageError.unsupported(path, "PNG colour type \(colorType)") }
        guard depths.contains(depth) else { throw ImageError.unsupported(path, "a PNG of colour type \(colorType) at \(depth) bits, which PNG does not define") }
        guard width <= 20_000, height <= 20_000 else { throw ImageError.unsupported(path, "a \(width) × \(height) PNG; a form image is at most 20,000 pixels a side") }
        if colorType == 3 && palette.isEmpty { throw ImageError.unsupported(path, "a palette PNG without its palette (PLTE)") }
        if decodeAlways || interlace != 0 || trns != nil || colorType == 4 || colorType == 6 {
            let d = try decode(idat, width: width, height: height, depth: depth, colorType: colorType, interlaced: interlace != 0,
                               palette: palette, trns: trns, path: path)
            return ImageFile(width: width, height: height,
                             dict: "/ColorSpace \(d.gray ? "/DeviceGray" : "/DeviceRGB") /BitsPerComponent 8 /Filter /FlateDecode",
                             data: Deflate.compress(d.color, level: 9), alpha: d.alpha.map { Deflate.compress($0, level: 9) })
        }
        switch colorType {
        case 0, 2, 3:
            let colors = colorType == 2 ? 3 : 1
            var space = colorType == 2 ? "/DeviceRGB" : "/DeviceGray"
            if colorType == 3 {
                space = "[/Indexed /DeviceRGB \(palette.count / 3 - 1) <\(palette.map { String(format: "%02X", $0) }.joined())>]"
            }
            return ImageFile(width: width, height: height,
                             dict: "/ColorSpace \(space) /BitsPerComponent \(depth) /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors \(colors) /BitsPerComponent \(depth) /Columns \(width) >>",
                             data: idat, alpha: nil)
        default:
            throw ImageError.unsupported(path, "PNG colour type \(colorType)")
        }
    }

    static func inflate(_ input: [UInt8], size: Int, path: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var outLen = uLong(size)
        let rc = input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in uncompress(dst.baseAddress, &outLen, src.baseAddress, uLong(input.count)) }
        }
        guard rc == Z_OK, Int(outLen) == size else { throw ImageError.unsupported(path, "PNG data that does not inflate to the declared size") }
        return out
    }

    /// Every PNG the standard defines, decoded to 8-bit samples: grey or RGB colour (a palette is
    /// looked up), and an alpha channel from the image's own alpha or its tRNS chunk (nil when the
    /// image has neither). 16-bit samples keep their high byte; 1-, 2- and 4-bit grey is scaled to
    /// 0–255. Adam7 passes are placed back where they belong.
    static func decode(_ idat: [UInt8], width: Int, height: Int, depth: Int, colorType: Int, interlaced: Bool,
                       palette: [UInt8], trns: [UInt8]?, path: String) throws -> (color: [UInt8], gray: Bool, alpha: [UInt8]?) {
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType] ?? 1
        let bitsPerPixel = channels * depth
        let bpp = max(1, bitsPerPixel / 8)
        // (x start, y start, x step, y step) of each pass.
        let passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        let sizes = passes.map { p -> (w: Int, h: Int, rowBytes: Int) in
            let w = (width - p.0 + p.2 - 1) / p.2, h = (height - p.1 + p.3 - 1) / p.3
            return (max(0, w), max(0, h), (max(0, w) * bitsPerPixel + 7) / 8)
        }
        let total = sizes.reduce(0) { $0 + ($1.w > 0 ? $1.h * (1 + $1.rowBytes) : 0) }
        let raw = try inflate(idat, size: total, path: path)
        let gray = colorType == 0 || colorType == 4
        let outChannels = gray ? 1 : 3
        var color = [UInt8](repeating: 0, count: width * height * outChannels)
        let hasAlpha = colorType == 4 || colorType == 6 || trns != nil
        var alpha = [UInt8](repeating: 255, count: hasAlpha ? width * height : 0)
        let maxValue = (1 << depth) - 1
        // The one grey value or RGB colour tRNS makes transparent, at the image's own depth.
        let key: [Int]? = trns.flatMap { t in
            colorType == 0 && t.count >= 2 ? [Int(t[0]) << 8 | Int(t[1])]
                : colorType == 2 && t.count >= 6 ? [0, 2, 4].map { Int(t[$0]) << 8 | Int(t[$0 + 1]) } : nil
        }
        var offset = 0
        // One pixel's samples, refilled for every pixel rather than allocated for each.
        var samples = [Int](repeating: 0, count: channels)
        for (p, size) in zip(passes, sizes) where size.w > 0 && size.h > 0 {
            let rows = try unfilter(Array(raw[offset..<(offset + size.h * (1 + size.rowBytes))]), rowBytes: size.rowBytes, rows: size.h, bpp: bpp)
            offset += size.h * (1 + size.rowBytes)
            for j in 0..<size.h {
                let row = j * size.rowBytes
                for i in 0..<size.w {
                    // The samples of pixel i: whole bytes (8 or 16 bits) or bits packed high first.
                    for c in 0..<channels {
                        switch depth {
                        case 16: let at = row + (i * channels + c) * 2; samples[c] = Int(rows[at]) << 8 | Int(rows[at + 1])
                        case 8: samples[c] = Int(rows[row + i * channels + c])
                        default:
                            let bit = (i * channels + c) * depth
                            samples[c] = Int(rows[row + bit / 8]) >> (8 - depth - bit % 8) & maxValue
                        }
                    }
                    func eight(_ v: Int) -> UInt8 { depth == 16 ? UInt8(v >> 8) : UInt8(v * 255 / maxValue) }
                    let x = p.0 + i * p.2, y = p.1 + j * p.3
                    let at = y * width + x
                    switch colorType {
                    case 3:
                        let index = samples[0]
                        guard index * 3 + 2 < palette.count else { throw ImageError.unsupported(path, "a palette index beyond the PNG's palette") }
                        for k in 0..<3 { color[at * 3 + k] = palette[index * 3 + k] }
                        if let t = trns, index < t.count { alpha[at] = t[index] }
                    case 0, 4:
                        color[at] = eight(samples[0])
                        if colorType == 4 { alpha[at] = eight(samples[1]) } else if let key, samples[0] == key[0] { alpha[at] = 0 }
                    default:
                        for k in 0..<3 { color[at * 3 + k] = eight(samples[k]) }
                        if colorType == 6 { alpha[at] = eight(samples[3]) } else if let key, Array(samples[0..<3]) == key { alpha[at] = 0 }
                    }
                }
            }
        }
        return (color, gray, hasAlpha ? alpha : nil)
    }

    /// Reverses PNG's per-row filters (None, Sub, Up, Average, Paeth); `bpp` is the bytes a pixel
    /// takes, at least one.
    static func unfilter(_ data: [UInt8], rowBytes stride: Int, rows height: Int, bpp: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: stride * height)
        for y in 0..<height {
            let filter = data[y * (stride + 1)]
            let src = y * (stride + 1) + 1, row = y * stride, prev = row - stride
            for x in 0..<stride {
                let raw = data[src + x]
                let a = x >= bpp ? Int(out[row + x - bpp]) : 0
                let up = y > 0 ? Int(out[prev + x]) : 0
                let c = (x >= bpp && y > 0) ? Int(out[prev + x - bpp]) : 0
                let v: Int
                switch filter {
                case 0: v = 0
                case 1: v = a
                case 2: v = up
                case 3: v = (a + up) / 2
                case 4:
                    let p = a + up - c, pa = abs(p - a), pb = abs(p - up), pc = abs(p - c)
                    v = (pa <= pb && pa <= pc) ? a : (pb <= pc ? up : c)
                default: throw ImageError.unsupported("PNG", "an unknown row filter \(filter)")
                }
                out[row + x] = UInt8((Int(raw) + v) & 0xFF)
            }
        }
        return out
    }
}
