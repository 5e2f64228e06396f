import CDeflate
import Foundation

/// zlib-format (FlateDecode) compression for PDF streams, through libdeflate: the same format as
/// zlib's in about half the time. Its compressors are kept by level for the owner's lifetime, since
/// a volume compresses thousands of page streams; one owner per thread (a volume is one thread).
public final class Deflater {
    private var compressors: [Int32: OpaquePointer] = [:]

    public init() {}

    deinit { for c in compressors.values { libdeflate_free_compressor(c) } }

    /// `data` compressed at `level` (1–12; 1 for page streams, 9 for fonts and images written once).
    public func compress(_ data: [UInt8], level: Int32) -> [UInt8] {
        let compressor: OpaquePointer
        if let c = compressors[level] {
            compressor = c
        } else {
            // Fails only without memory or for a level outside 0–12, which no caller passes.
            guard let c = libdeflate_alloc_compressor(level) else { preconditionFailure("libdeflate has no compressor for level \(level)") }
            compressors[level] = c
            compressor = c
        }
        let bound = libdeflate_zlib_compress_bound(compressor, data.count)
        var out = [UInt8](repeating: 0, count: bound)
        let n = data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in libdeflate_zlib_compress(compressor, src.baseAddress, data.count, dst.baseAddress, bound) }
        }
        precondition(n > 0 || data.isEmpty, "libdeflate failed with a buffer of its own bound")
        out.removeSubrange(n...)
        return out
    }
}

public enum Deflate {
    /// One-off compression (an image prepared once per render).
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        Deflater().compress(input, level: level)
    }
}
