import CZlib
import Foundation

/// zlib (Flate) compression for streams.
public enum Deflate {
    /// Compresses `input`; level 1–9 (speed over size for page streams, 9 for fonts written once).
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var destLen = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(destLen))
        let rc = input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                compress2(dst.baseAddress, &destLen, src.baseAddress, uLong(input.count), level)
            }
        }
        precondition(rc == Z_OK, "zlib compress2 failed (\(rc)) with a correctly sized buffer")
        out.removeSubrange(Int(destLen)...)
        return out
    }
}
