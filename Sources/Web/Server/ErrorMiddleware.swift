import Foundation
import Hummingbird
import Logging
import NIOCore
import Operations

/// Turns every error into a clear answer: JSON for the API and the pages alike, with the status that
/// says whose fault it is. Errors of the layers below are classified; nothing escapes as a bare 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let e as WebError {
            return try e.response(from: request, context: context)
        } catch let e as HTTPError {
            return try WebError(e.status, Self.sentence(for: e)).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try WebError(.contentTooLarge, "the request body is larger than \(WebContext.bodyLimit / 1024) KiB").response(from: request, context: context)
        } catch let e as DecodingError {
            return try WebError(.badRequest, Self.sentence(for: e)).response(from: request, context: context)
        } catch let e as OperationError {
            return try WebError.from(e).response(from: request, context: context)
        } catch {
            let classified = OperationError.classify(error)
            if classified.kind == .failed {
                // Only the kind of error is logged: messages may name files holding taxpayers' data.
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            }
            return try WebError.from(classified).response(from: request, context: context)
        }
    }

    static func sentence(for e: HTTPError) -> String {
        switch e.status {
        case .notFound: return "no such resource; the API is described at /api/v1/openapi.yaml"
        case .contentTooLarge: return "the request body is larger than \(WebContext.bodyLimit / 1024) KiB"
        case .methodNotAllowed: return "this method is not allowed here; see /api/v1/openapi.yaml"
        default: return e.body ?? e.status.reasonPhrase
        }
    }

    static func sentence(for e: DecodingError) -> String {
        switch e {
        case .dataCorrupted(let c):
            return "the body is not valid JSON" + (c.codingPath.isEmpty ? "" : " at \(c.codingPath.map(\.stringValue).joined(separator: "."))")
        case .keyNotFound(let key, _): return "the body lacks the field \(key.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return "the field \(c.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
        @unknown default: return "the body cannot be read"
        }
    }
}
