import Foundation
import Hummingbird
import Operations

/// Printing through the API: a print is checked, recorded and audited within the request, then carried
/// out by the server in the background (it waits on CUPS for as long as the printer needs), so the
/// answer is 202 with the print, which `GET /api/v1/prints/{print}` follows.
extension API {
    var printing: [Endpoint] {
        let ops = ops
        return [
            Endpoint(method: .post, path: "\(Self.prefix)/batches/{batch}/print", access: .operate) { request, context, identity in
                let input = try await HTTPIO.body(PrintRequest.self, request, context, empty: .empty).checked()
                guard let identity else { throw WebError.unauthorized() }
                let actor = Actor.web(account: identity.account.name, address: context.address)
                let id = try HTTPIO.id(context, "batch", what: "batch")
                let order = Operations.PrintOrder(printer: input.printer, options: input.options ?? [], notices: input.notices ?? [],
                                                  pagesPerJob: input.pagesPerJob ?? 2000, again: input.again ?? false, reason: input.reason)
                let view = try await blocking { () throws -> PrintView in
                    let started = try ops.startPrint(batch: String(id), order, by: actor)
                    ops.executeInBackground(started, by: actor)
                    return try ops.printView(started.id)
                }
                var response = try HTTPIO.json(view, status: .accepted)
                response.headers[.location] = "\(Self.prefix)/prints/\(view.outcome.run)"
                return response
            },
            Endpoint(method: .get, path: "\(Self.prefix)/batches/{batch}/prints", access: .read) { _, context, _ in
                let id = try HTTPIO.id(context, "batch", what: "batch")
                return try await blocking { try HTTPIO.json(try ops.prints(batch: String(id))) }
            },
            Endpoint(method: .get, path: "\(Self.prefix)/prints/{print}", access: .read) { _, context, _ in
                let id = try HTTPIO.id(context, "print", what: "print")
                return try await blocking { try HTTPIO.json(try ops.printView(id)) }
            },
            Endpoint(method: .post, path: "\(Self.prefix)/prints/{print}/cancel", access: .operate) { request, context, identity in
                let input = try await HTTPIO.body(ActionRequest.self, request, context, empty: .empty).checked()
                guard let identity else { throw WebError.unauthorized() }
                let actor = Actor.web(account: identity.account.name, address: context.address)
                let id = try HTTPIO.id(context, "print", what: "print")
                return try HTTPIO.json(try await blocking { () throws -> PrintView in
                    _ = try ops.cancelPrint(id, reason: input.reason, by: actor)
                    return try ops.printView(id)
                })
            },
        ]
    }
}
