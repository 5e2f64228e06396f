import Accounts
import Foundation
import Hummingbird
import Operations

/// The JSON API under /api/v1: every read model and every operator action of the operations layer.
/// Handlers only translate HTTP to calls of `Operations` and back.
struct API: Sendable {
    let ops: Operations
    let accounts: Accounts

    static let prefix = "/api/v1"

    var endpoints: [Endpoint] { reads + actions + printing + [openAPI, me, users] + vendor + vendorDownloads + custodyLedger + forecasts }

    // MARK: Reads

    var reads: [Endpoint] {
        let ops = ops
        var list: [Endpoint] = []
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/runs", access: .read) { request, _, _ in
            let limit = try HTTPIO.int(request, "limit", in: 1...1000, fallback: 50)
            let net = request.uri.queryParameters.get("net").map { String($0) }
            let active = try HTTPIO.bool(request, "active")
            return try await blocking { try HTTPIO.json(try ops.runs(net: net, limit: limit, activeOnly: active)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/runs/{run}", access: .read) { _, context, _ in
            let id = try HTTPIO.id(context, "run", what: "run")
            return try await blocking { try HTTPIO.json(try ops.run(id)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/runs/{run}/events", access: .read) { _, context, _ in
            let id = try HTTPIO.id(context, "run", what: "run")
            return try await blocking { try HTTPIO.json(try ops.events(run: id)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/runs/{run}/jobs/{job}/attempts", access: .read) { _, context, _ in
            let id = try HTTPIO.id(context, "run", what: "run"), job = try HTTPIO.parameter(context, "job")
            return try await blocking { try HTTPIO.json(try ops.attempts(run: id, job: job)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/runs/{run}/jobs/{job}/log", access: .read) { request, context, _ in
            let id = try HTTPIO.id(context, "run", what: "run"), job = try HTTPIO.parameter(context, "job")
            let attempt = try request.uri.queryParameters.get("attempt").map { _ in try HTTPIO.int(request, "attempt", in: 1...100_000, fallback: 1) }
            let stream = request.uri.queryParameters.get("stream").map { String($0) } ?? "stdout"
            guard stream == "stdout" || stream == "stderr" else { throw WebError(.unprocessableContent, "?stream=\(stream): give stdout or stderr") }
            return try await blocking { () throws -> Response in
                let net = try ops.run(id).net
                let log = try ops.log(net: net, job: job, run: id, attempt: attempt)
                return LogFile.response(path: stream == "stdout" ? log.stdoutPath : log.stderrPath)
            }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/nets/{net}/current", access: .read) { _, context, _ in
            let net = try HTTPIO.parameter(context, "net")
            guard let run = try await blocking({ try ops.currentRun(net: net) }) else {
                throw WebError(.notFound, "\(net) has no run yet")
            }
            return try HTTPIO.json(run)
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/nets/{net}/next", access: .read) { request, context, _ in
            let net = try HTTPIO.parameter(context, "net")
            let n = try HTTPIO.int(request, "n", in: 1...10_000, fallback: 10)
            let after = request.uri.queryParameters.get("after").map { String($0) }
            return try await blocking { try HTTPIO.json(try ops.schedules.next(net: net, count: n, after: after).views) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/plan", access: .read) { request, _, _ in
            guard let from = request.uri.queryParameters.get("from").map({ String($0) }) else {
                throw WebError(.unprocessableContent, "give ?from=YYYY-MM-DD (and ?to=YYYY-MM-DD)")
            }
            let to = request.uri.queryParameters.get("to").map { String($0) }
            let nets = request.uri.queryParameters.getAll("net").map { String($0) }
            return try await blocking { try HTTPIO.json(try ops.schedules.plan(from: from, to: to, nets: nets).map(\.view)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/alerts", access: .read) { request, _, _ in
            let limit = try HTTPIO.int(request, "limit", in: 1...1000, fallback: 50)
            return try await blocking { try HTTPIO.json(try ops.alerts(limit: limit)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/audit", access: .read) { request, _, _ in
            let limit = try HTTPIO.int(request, "limit", in: 1...1000, fallback: 50)
            return try await blocking { try HTTPIO.json(try ops.audit(limit: limit)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/calendars", access: .read) { _, _, _ in
            try await blocking { try HTTPIO.json(ops.schedules.calendars()) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/calendars/{calendar}/{period}", access: .read) { _, context, _ in
            // `standard`: the city-office calendar that nets without `calendar:` run by.
            let name = try HTTPIO.parameter(context, "calendar"), period = try HTTPIO.parameter(context, "period")
            let view = try await blocking { () throws -> MonthGrid.View in
                let c = try ops.schedules.calendar(name == "standard" ? nil : name, period: period)
                return MonthGrid.view(of: c.calendar, description: c.description, from: c.from, to: c.to)
            }
            return try HTTPIO.json(view)
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/holidays/{year}", access: .read) { _, context, _ in
            let text = try HTTPIO.parameter(context, "year")
            guard let year = Int(text) else { throw WebError(.notFound, "no year \(text): give a year such as 2026") }
            return try HTTPIO.json(try SiteSchedules.holidays(year: year))
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/batches", access: .read) { request, _, _ in
            let state = request.uri.queryParameters.get("state").map { String($0) }
            return try await blocking { try HTTPIO.json(try ops.batches(only: state)) }
        })
        list.append(Endpoint(method: .get, path: "\(Self.prefix)/batches/{batch}", access: .read) { _, context, _ in
            let id = try HTTPIO.id(context, "batch", what: "batch")
            return try await blocking { try HTTPIO.json(try ops.batch(String(id))) }
        })
        return list
    }

    // MARK: Actions

    var actions: [Endpoint] {
        let ops = ops
        func action(_ path: String, _ body: @escaping @Sendable (ActionRequest, WebContext, Actor) throws -> ActionResult) -> Endpoint {
            Endpoint(method: .post, path: "\(Self.prefix)\(path)", access: .operate) { request, context, identity in
                let input = try await HTTPIO.body(ActionRequest.self, request, context, empty: .empty).checked()
                guard let identity else { throw WebError.unauthorized() }
                let actor = Actor.web(account: identity.account.name, address: context.address)
                return try await blocking { try HTTPIO.json(try body(input, context, actor)) }
            }
        }
        func jobAction(_ verb: String) -> Endpoint {
            action("/runs/{run}/jobs/{job}/\(verb)") { input, context, actor in
                let id = try HTTPIO.id(context, "run", what: "run"), job = try HTTPIO.parameter(context, "job")
                let net = try ops.run(id).net
                switch verb {
                case "hold", "release":
                    return ActionResult(result: try ops.hold(verb == "hold", net: net, job: job, run: id, reason: input.reason, by: actor), run: id)
                case "kill":
                    return ActionResult(result: try ops.kill(net: net, job: job, run: id, reason: input.reason, by: actor), run: id)
                default:
                    switch try ops.skip(net: net, job: job, run: id, reason: input.reason, by: actor) {
                    case .applied(let result): return ActionResult(result: result, run: id)
                    case let .reopened(run, waiting):
                        return ActionResult(result: "\(job) marked ended normally; run \(run) reopened and left for the daemon", run: run, jobs: waiting)
                    }
                }
            }
        }
        return ["hold", "release", "skip", "kill"].map(jobAction) + [
            action("/runs/{run}/kill") { input, context, actor in
                let id = try HTTPIO.id(context, "run", what: "run")
                return ActionResult(result: try ops.kill(net: try ops.run(id).net, job: nil, run: id, reason: input.reason, by: actor), run: id)
            },
            action("/runs/{run}/rerun") { input, context, actor in
                let id = try HTTPIO.id(context, "run", what: "run")
                let scopes: [Operations.RerunScope] = [input.from.map { .from($0) }, input.only.map { .only($0) }, input.failed == true ? .failed : nil]
                    .compactMap { $0 }
                guard scopes.count == 1, let scope = scopes.first else {
                    throw WebError(.unprocessableContent, "give exactly one of \"from\": JOB, \"only\": JOB, \"failed\": true")
                }
                let jobs = try ops.rerun(id, scope: scope, reason: input.reason, by: actor)
                return ActionResult(result: "run \(id): rerunning \(jobs.joined(separator: ", ")); left for the daemon", run: id, jobs: jobs)
            },
            action("/nets/{net}/hold") { input, context, actor in
                ActionResult(result: try ops.hold(true, net: try HTTPIO.parameter(context, "net"), job: nil, run: nil, reason: input.reason, by: actor))
            },
            action("/nets/{net}/release") { input, context, actor in
                ActionResult(result: try ops.hold(false, net: try HTTPIO.parameter(context, "net"), job: nil, run: nil, reason: input.reason, by: actor))
            },
            action("/batches/{batch}/publish") { input, context, actor in
                let id = try HTTPIO.id(context, "batch", what: "batch")
                guard let vendor = input.vendor else { throw WebError(.unprocessableContent, "give the \"vendor\" to publish to") }
                let published = try ops.publish(batch: String(id), vendor: vendor, reason: input.reason, by: actor)
                return ActionResult(result: "batch \(published.id): published to \(vendor)", batch: published.id)
            },
            action("/batches/{batch}/ack") { input, context, actor in
                let id = try ops.acknowledge(batch: String(try HTTPIO.id(context, "batch", what: "batch")), reason: input.reason, by: actor)
                return ActionResult(result: "batch \(id): collected; checksums of the published copy verified", batch: id)
            },
            action("/batches/{batch}/purge") { input, context, actor in
                let id = try ops.purge(batch: String(try HTTPIO.id(context, "batch", what: "batch")), reason: input.reason, by: actor)
                return ActionResult(result: "batch \(id): purged", batch: id)
            },
        ]
    }

    // MARK: Accounts, the document, vendors

    var openAPI: Endpoint {
        Endpoint(method: .get, path: "\(Self.prefix)/openapi.yaml", access: .open) { _, _, _ in
            HTTPIO.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
    }

    struct Me: Encodable { var name: String; var role: String; var csrf: String? }

    var me: Endpoint {
        Endpoint(method: .get, path: "\(Self.prefix)/me", access: .anyAccount) { _, _, identity in
            guard let identity else { throw WebError.unauthorized() }
            return try HTTPIO.json(Me(name: identity.account.name, role: identity.account.role.description, csrf: identity.session?.csrf))
        }
    }

    var users: Endpoint {
        let accounts = accounts
        return Endpoint(method: .get, path: "\(Self.prefix)/users", access: .admin) { _, _, _ in
            try await blocking { try HTTPIO.json(try accounts.list()) }
        }
    }

    var vendor: [Endpoint] {
        let ops = ops
        return [
            Endpoint(method: .get, path: "\(Self.prefix)/vendor/batches", access: .vendor) { _, _, identity in
                guard let vendor = identity?.account.role.vendor else { throw WebError.unauthorized() }
                return try await blocking { try HTTPIO.json(try ops.vendorBatches(vendor: vendor)) }
            },
            Endpoint(method: .get, path: "\(Self.prefix)/vendor/batches/{batch}", access: .vendor) { _, context, identity in
                guard let vendor = identity?.account.role.vendor else { throw WebError.unauthorized() }
                let id = try HTTPIO.id(context, "batch", what: "batch")
                // Another vendor's batch is "not found", the same as one that does not exist.
                guard let batch = try await blocking({ try ops.vendorBatches(vendor: vendor).first { $0.id == id } }) else {
                    throw WebError(.notFound, "no batch \(id) for \(vendor)")
                }
                return try HTTPIO.json(batch)
            },
        ]
    }
}
