import CZlib
import Foundation

/// A PNG or JPEG prepared for a PDF image XObject. JPEG data is embedded as it is (DCTDecode); PNG data
/// without transparency passes through with PNG predictors; PNG with an alpha channel is decoded and
/// split into colour and a soft mask, so a red seal (印影) keeps its transparent background.
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

    static func jpeg(_ b: [UInt8], path: String) throws -> ImageFile {
        var i = 2
        while i + 9 < b.count {
            guard b[i] == 0xFF else { i += 1; continue }
            let marker = b[i + 1]
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            // Start-of-frame markers (baseline, extended, progressive) carry the size and components.
            if [0xC0, 0xC1, 0xC2].contains(marker) {
                let h = Int(b[i + 5]) << 8 | Int(b[i + 6]), w = Int(b[i + 7]) << 8 | Int(b[i + 8])
                let space: String
                switch b[i + 9] {
                case 1: space = "/DeviceGray"
                case 3: space = "/DeviceRGB"
                case 4: space = "/DeviceCMYK /Decode [1 0 1 0 1 0 1 0]"
                default: throw ImageError.unsupported(path, "a JPEG with \(b[i + 9]) colour components")
                }
                return ImageFile(width: w, height: h, dict: "/ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode", data: b, alpha: nil)
            }
            i += 2 + length
        }
        throw ImageError.unsupported(path, "no JPEG frame header found")
    }

    static func png(_ b: [UInt8], path: String) throws -> ImageFile {
        var i = 8
        var width = 0, height = 0, depth = 0, colorType = 0, interlace = 0
        var palette: [UInt8] = [], idat: [UInt8] = [], hasTRNS = false
        func be32(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
        while i + 8 <= b.count {
            let len = be32(i)
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            let body = i + 8
            guard body + len <= b.count else { throw ImageError.unsupported(path, "a truncated PNG") }
            switch type {
            case "IHDR":
                width = be32(body); height = be32(body + 4)
                depth = Int(b[body + 8]); colorType = Int(b[body + 9]); interlace = Int(b[body + 12])
            case "PLTE": palette = Array(b[body..<(body + len)])
            case "tRNS": hasTRNS = true
            case "IDAT": idat += b[body..<(body + len)]
            default: break
            }
            i = body + len + 4
        }
        guard width > 0, height > 0, !idat.isEmpty else { throw ImageError.unsupported(path, "a PNG without image data") }
        guard interlace == 0 else { throw ImageError.unsupported(path, "an interlaced PNG; save it without interlacing") }
        if hasTRNS { throw ImageError.unsupported(path, "a PNG with tRNS transparency; save it with an alpha channel (RGBA)") }
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
        case 4, 6:
            guard depth == 8 else { throw ImageError.unsupported(path, "a PNG with alpha at \(depth) bits; use 8 bits per channel") }
            let channels = colorType == 6 ? 4 : 2
            let raw = try unfilter(inflate(idat, size: height * (1 + width * channels), path: path), width: width, height: height, bpp: channels)
            var color = [UInt8](), alpha = [UInt8]()
            color.reserveCapacity(width * height * (channels - 1))
            alpha.reserveCapacity(width * height)
            for p in stride(from: 0, to: raw.count, by: channels) {
                color.append(contentsOf: raw[p..<(p + channels - 1)])
                alpha.append(raw[p + channels - 1])
            }
            return ImageFile(width: width, height: height,
                             dict: "/ColorSpace \(channels == 4 ? "/DeviceRGB" : "/DeviceGray") /BitsPerComponent 8 /Filter /FlateDecode",
                             data: Deflate.compress(color, level: 9), alpha: Deflate.compress(alpha, level: 9))
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

    /// Reverses PNG's per-row filters (None, Sub, Up, Average, Paeth).
    static func unfilter(_ data: [UInt8], width: Int, height: Int, bpp: Int) throws -> [UInt8] {
        let stride = width * bpp
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
