import Foundation
import Hummingbird
import Operations

/// Predicted ends (issue 14) in the API: the same `ForecastView` as `nightjar predict --json`.
extension API {
    var forecasts: [Endpoint] {
        let ops = ops
        return [
            Endpoint(method: .get, path: "\(Self.prefix)/runs/{run}/forecast", access: .read) { _, context, _ in
                let id = try HTTPIO.id(context, "run", what: "run")
                return try HTTPIO.json(try await blocking { try ops.forecast(run: id) })
            },
            Endpoint(method: .get, path: "\(Self.prefix)/nets/{net}/forecast", access: .read) { _, context, _ in
                let net = try HTTPIO.parameter(context, "net")
                return try HTTPIO.json(try await blocking { try ops.forecast(net: net) })
            },
        ]
    }
}
