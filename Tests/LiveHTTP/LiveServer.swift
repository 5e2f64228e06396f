import Foundation
import Glibc

/// `nightjar serve` on a free loopback port, stopped (SIGTERM, then SIGKILL) when released. Requests
/// go over plain sockets, so a test can also send half a request and stall. Shared by the test targets
/// that start the real binary (CLITests, SpoolTests).
public final class LiveServer {
    public let port: Int
    public let process: Process
    public let log: URL

    /// Starts `binary serve --listen 127.0.0.1:PORT ARGUMENTS` in `directory` and waits until it
    /// accepts connections (or its process ends: then throws with its output).
    public init(binary: String, arguments: [String] = [], environment: [String: String], directory: URL) throws {
        port = try Self.freePort()
        log = directory.appendingPathComponent("serve-\(port).log")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["serve", "--listen", "127.0.0.1:\(port)"] + arguments
        p.currentDirectoryURL = directory
        p.environment = environment
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        p.standardOutput = out
        p.standardError = out
        try p.run()
        process = p
        let up = Self.waitFor(60) { !p.isRunning || (try? Self.connect(port: port)).map { close($0); return true } ?? false }
        guard up, p.isRunning else {
            stop()
            throw ServerError(message: "nightjar serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
    }

    deinit { stop() }

    /// Polls `condition` every 20 ms for up to `seconds`.
    public static func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        if !Self.waitFor(10, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    public struct ServerError: Error, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// A port nothing listens on now (the kernel's pick for port 0).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(message: "socket: \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw ServerError(message: "bind: \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// A connected socket to 127.0.0.1:port, with a 30 s receive timeout so a test never hangs.
    public static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(message: "socket: \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { close(fd); throw ServerError(message: "connect: \(errno)") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    public func connect() throws -> Int32 { try Self.connect(port: port) }

    /// Writes all of `data`; false when the server closed the connection first.
    @discardableResult
    public static func send(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL))
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return true
        }
    }

    /// Everything the server sends until it closes the connection (or the receive timeout passes).
    public static func readAll(_ fd: Int32) -> Data {
        var out = Data()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buf[0..<n])
        }
        return out
    }

    public struct Reply {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        public func cookies() -> [String: String] {
            var out: [String: String] = [:]
            for h in headers where h.name.lowercased() == "set-cookie" {
                let pair = h.value.split(separator: ";").first ?? ""
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { out[kv[0].trimmingCharacters(in: .whitespaces)] = kv[1] }
            }
            return out
        }
        public func json() -> Any? { try? JSONSerialization.jsonObject(with: body) }
    }

    /// One request on a fresh connection (`Connection: close`).
    public func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) throws -> Reply {
        let fd = try connect()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        Self.send(fd, Data(head.utf8) + (body ?? Data()))
        return try Self.parse(Self.readAll(fd))
    }

    public func json(_ method: String, _ path: String, token: String, body: Any? = nil) throws -> Reply {
        var headers = ["Authorization": "Bearer \(token)"]
        var data: Data?
        if let body {
            data = try JSONSerialization.data(withJSONObject: body)
            headers["Content-Type"] = "application/json"
        }
        return try request(method, path, headers: headers, body: data)
    }

    public static func parse(_ data: Data) throws -> Reply {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw ServerError(message: "no HTTP answer (\(data.count) bytes: \(String(decoding: data.prefix(200), as: UTF8.self)))")
        }
        let lines = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw ServerError(message: "bad status line \(lines.first ?? "")") }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Data(data[end.upperBound...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = dechunk(body)
        }
        return Reply(status: status, headers: headers, body: body)
    }

    public static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var i = data.startIndex
        let crlf = Data("\r\n".utf8)
        while let line = data.range(of: crlf, in: i..<data.endIndex) {
            let sizeText = String(decoding: data[i..<line.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = line.upperBound
            guard start + size <= data.endIndex else { break }
            out.append(data[start..<start + size])
            i = start + size + 2
        }
        return out
    }
}

