import Foundation
import HTTPTypes
import Hummingbird
import Scheduler

/// A job attempt's output file as a text answer: at most the last `limit` bytes (the CLI's `log` has it all).
enum LogFile {
    static let limit = 4 << 20

    static func response(path: String?) -> Response {
        if let gz = path.flatMap(JobLogFile.compressed) {
            // Compressed by `nightjar gc`: its tail, decompressed.
            guard let (data, length) = try? JobLogFile.compressedTail(gz, limit: limit) else {
                return HTTPIO.text("", status: .internalServerError)
            }
            return answer(data, truncated: length > Int64(data.count))
        }
        guard let path, let handle = FileHandle(forReadingAtPath: path) else {
            return HTTPIO.text("")   // the supervisor creates a log on the first output: none means no output
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = size > UInt64(limit) ? size - UInt64(limit) : 0
        try? handle.seek(toOffset: start)
        return answer((try? handle.readToEnd()) ?? Data(), truncated: start > 0)
    }

    static func answer(_ data: Data, truncated: Bool) -> Response {
        Response(status: .ok,
                 headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store",
                           HTTPField.Name("X-Log-Truncated")!: truncated ? "true" : "false"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
