import Foundation
import HTTPTypes
import Hummingbird

/// A job attempt's output file as a text answer: at most the last `limit` bytes (the CLI's `log` has it all).
enum LogFile {
    static let limit = 4 << 20

    static func response(path: String?) -> Response {
        guard let path, let handle = FileHandle(forReadingAtPath: path) else {
            return HTTPIO.text("")   // the supervisor creates a log on the first output: none means no output
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(limit) ? size - UInt64(limit) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        return Response(status: .ok,
                        headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store",
                                  HTTPField.Name("X-Log-Truncated")!: start > 0 ? "true" : "false"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
