import Foundation
import Hummingbird
import Operations

/// An error answer. The API gets `{"error": "…"}`; the message says what to do, never how the server
/// is built.
public struct WebError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(["error": message])) ?? Data(#"{"error":"error"}"#.utf8)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    public static func unauthorized() -> WebError {
        WebError(.unauthorized, "log in first: send `Authorization: Bearer TOKEN` (see `nightjar token create`) or the session cookie from POST /login",
                 headers: [.wwwAuthenticate: #"Bearer realm="nightjar""#])
    }

    /// The operations layer's refusal as an HTTP answer: the operator's sentence, without the CLI's `error: `.
    public static func from(_ error: OperationError) -> WebError {
        var message = error.message
        if message.hasPrefix("error: ") { message.removeFirst("error: ".count) }
        switch error.kind {
        case .badInput: return WebError(.unprocessableContent, message)
        case .notFound: return WebError(.notFound, message)
        case .refused: return WebError(.conflict, message)
        case .failed: return WebError(.serviceUnavailable, message)
        }
    }
}
