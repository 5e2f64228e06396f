import Calendars
import Hummingbird
import Operations

/// Alerts and the audit trail, filtered on the server by query parameters (`net`, `kind` or `action`,
/// `user`, `from` and `to` as YYYY-MM-DD in the site's zone), so a link keeps the filter.
extension Pages {
    func registerRecordPages(on router: Router<WebContext>) {
        router.get("/alerts") { request, context in try await self.recordsPage(request, context, alerts: true) }
        router.get("/audit") { request, context in try await self.recordsPage(request, context, alerts: false) }
    }

    func recordsPage(_ request: Request, _ context: WebContext, alerts: Bool) async throws -> Response {
        guard let identity = try await reader(request, context) else { return Console.toLogin }
        let labels = Language(request).consoleAll
        let q = request.uri.queryParameters
        func text(_ name: String) -> String? { q.get(name).map { String($0) }.flatMap { $0.isEmpty ? nil : $0 } }
        var filter = Operations.RecordFilter(net: text("net"), kind: text(alerts ? "kind" : "action"), user: alerts ? nil : text("user"))
        var problems: [String] = []
        for (name, label) in [("from", "from"), ("to", "to")] {
            guard let given = text(name) else { continue }
            guard let date = LocalDate(given) else { problems.append("\(labels[label] ?? name): \(given) — YYYY-MM-DD"); continue }
            if name == "from" { filter.from = date } else { filter.to = date }
        }
        let ops = ops, query = Self.query(request), chosen = filter
        let (alertRows, auditRows, choices) = try await blocking {
            (alerts ? try ops.alerts(chosen) : [], alerts ? [] : try ops.audit(chosen), try ops.recordChoices())
        }
        var values = console(request, identity, title: labels[alerts ? "alerts" : "audit"] ?? "", section: alerts ? .alerts : .audit)
        values["alerts"] = alerts
        values["problems"] = problems
        values["hasProblems"] = !problems.isEmpty
        func options(_ all: [String], _ chosen: String?) -> [[String: Any]] {
            all.map { ["value": $0, "selected": $0 == chosen] }
        }
        values["netOptions"] = options(choices.nets, filter.net)
        values["kindOptions"] = options(alerts ? choices.alertKinds : choices.actions, filter.kind)
        values["userOptions"] = options(choices.users, filter.user)
        values["fromValue"] = filter.from?.description ?? ""
        values["toValue"] = filter.to?.description ?? ""
        values["langValue"] = Language(request) == .en && !query.isEmpty ? "en" : ""
        values["alertRows"] = alertRows.map { a -> [String: Any] in
            var row: [String: Any] = ["at": Self.shortTime(a.at), "net": a.net, "kind": a.kind, "message": a.message, "query": query]
            if let run = a.run { row["run"] = String(run) }
            return row
        }
        values["auditRows"] = auditRows.map { a -> [String: Any] in
            var row: [String: Any] = ["at": Self.shortTime(a.at), "user": a.user, "action": a.action, "net": a.net ?? "", "job": a.job ?? "",
                                      "reason": a.reason ?? "", "result": a.result ?? "", "address": a.address ?? "", "query": query]
            if let run = a.run { row["run"] = String(run) }
            return row
        }
        values["empty"] = alerts ? alertRows.isEmpty : auditRows.isEmpty
        return consolePage(alerts ? "console-alerts" : "console-audit", values, request: request,
                           status: problems.isEmpty ? .ok : .unprocessableContent)
    }
}
