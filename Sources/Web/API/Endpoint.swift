import Foundation
import Hummingbird
import Store

/// One route: method, path (in the OpenAPI document's `{name}` form), who may call it, and the handler,
/// which runs only after the access check. The list of endpoints is the API; the OpenAPI document must
/// name exactly these (a test compares them).
struct Endpoint: Sendable {
    var method: HTTPRequest.Method
    var path: String
    var access: Access
    var handle: @Sendable (Request, WebContext, Identity?) async throws -> Response

    func register(on router: Router<WebContext>, store: Store) {
        let endpoint = self
        router.on(RouterPath(stringLiteral: path), method: method) { request, context in
            let identity = try await endpoint.access.check(request, context, store: store)
            return try await endpoint.handle(request, context, identity)
        }
    }
}

/// Building answers and reading requests, the same way for every endpoint.
enum HTTPIO {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        json(body: try jsonBody(value), status: status)
    }

    /// The API's JSON encoding of `value` (keys sorted, slashes as they are).
    static func jsonBody<T: Encodable>(_ value: T) throws -> ByteBuffer {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try enc.encode(value))
    }

    /// An answer of JSON already encoded.
    static func json(body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: body))
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", status: HTTPResponse.Status = .ok,
                     headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON body (empty means `{}`), at most the body limit.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request, _ context: WebContext, empty: T) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return empty }
        return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    /// A path parameter that must be a positive id.
    static func id(_ context: WebContext, _ name: String, what: String) throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
            throw WebError(.notFound, "no \(what) \(context.parameters.get(name) ?? ""): \(what) ids are positive numbers")
        }
        return id
    }

    static func parameter(_ context: WebContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else { throw WebError(.notFound, "missing \(name) in the path") }
        return value
    }

    /// A `true`/`false` query parameter (false when absent); anything else is a mistake worth saying.
    static func bool(_ request: Request, _ name: String) throws -> Bool {
        guard let text = request.uri.queryParameters.get(name) else { return false }
        switch text {
        case "true": return true
        case "false": return false
        default: throw WebError(.unprocessableContent, "?\(name)=\(text): give true or false")
        }
    }

    /// An integer query parameter within `range`, else `fallback` when absent.
    static func int(_ request: Request, _ name: String, in range: ClosedRange<Int>, fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return fallback }
        guard let n = Int(text), range.contains(n) else {
            throw WebError(.unprocessableContent, "?\(name)=\(text): give a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }
}
