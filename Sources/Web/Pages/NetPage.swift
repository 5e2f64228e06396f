import Calendars
import Foundation
import Hummingbird
import JobNets
import Operations
import Scheduler

/// A net's page: the graph of its jobs coloured by the latest run, its schedule and calendar, next
/// starts, and its runs with their durations as small bars; and the list of nets it is reached from.
enum NetPage {
    static let templates: [String: String] = [
        "nets": """
            {{> console-head}}<h1>{{l.navNets}}</h1>
            <table class="console"><thead><tr><th>{{l.net}}</th><th>{{l.description}}</th><th>{{l.schedule}}</th><th>{{l.latestRun}}</th></tr></thead><tbody>
            {{#nets}}<tr><td class="name"><a href="/nets/{{path}}{{query}}">{{name}}</a></td><td>{{description}}</td><td>{{schedule}}</td>
            <td>{{#run}}<a href="/runs/{{run}}{{query}}">#{{run}}</a> {{date}} <span class="state" style="--c:{{colour}}">{{stateLabel}}</span>{{/run}}</td></tr>
            {{/nets}}</tbody></table>{{> console-foot}}
            """,
        "net": """
            {{> console-head}}<p class="crumbs"><a href="/nets{{query}}">{{l.navNets}}</a> › {{name}}</p>
            <h1>{{name}} {{#description}}<small>{{description}}</small>{{/description}}</h1>
            <div class="facts-row">
            <div><dt>{{l.schedule}}</dt><dd>{{#schedule}}{{.}}<br>{{/schedule}}{{^schedule}}{{l.noSchedule}}{{/schedule}}</dd></div>
            <div><dt>{{l.calendar}}</dt><dd>{{calendar}}</dd></div>
            <div><dt>{{l.concurrency}}</dt><dd>{{concurrency}}</dd></div>
            {{#startDeadline}}<div><dt>{{l.startDeadline}}</dt><dd>{{startDeadline}}</dd></div>{{/startDeadline}}
            {{#endDeadline}}<div><dt>{{l.endDeadline}}</dt><dd>{{endDeadline}}</dd></div>{{/endDeadline}}
            <div><dt>{{l.after}}</dt><dd>{{#after}}<a href="/nets/{{path}}{{query}}">{{name}}</a> {{/after}}{{^after}}{{l.none}}{{/after}}</dd></div>
            <div><dt>{{l.dependents}}</dt><dd>{{#dependents}}<a href="/nets/{{path}}{{query}}">{{name}}</a> {{/dependents}}{{^dependents}}{{l.none}}{{/dependents}}</dd></div>
            </div>
            <h2>{{l.graph}} {{#latest}}<small>{{l.latestRun}} <a href="/runs/{{id}}{{query}}">#{{id}}</a> {{date}} <span class="state" style="--c:{{colour}}">{{stateLabel}}</span></small>{{/latest}}</h2>
            <div class="chart graph">{{{graph}}}</div>
            <ul class="legend">{{#legend}}<li><i style="--c:{{colour}}"></i>{{label}}</li>{{/legend}}</ul>
            <p class="note">{{l.graphNote}}</p>
            <h2>{{l.nextStarts}} <small>{{l.timeZone}} {{zoneName}}</small></h2>
            {{#hasNext}}<table class="console"><thead><tr><th>{{l.businessDate}}</th><th>{{l.plannedStart}}</th></tr></thead><tbody>
            {{#next}}<tr><td>{{date}}</td><td>{{at}}</td></tr>{{/next}}</tbody></table>{{/hasNext}}
            {{^hasNext}}<p class="empty">{{l.noSchedule}}</p>{{/hasNext}}
            <h2>{{l.runHistory}}</h2>
            {{#hasHistory}}<table class="console"><thead><tr><th>{{l.run}}</th><th>{{l.businessDate}}</th><th>{{l.state}}</th><th>{{l.trigger}}</th><th>{{l.start}}</th>
            <th>{{l.end}}</th><th class="n">{{l.duration}}</th><th style="width:30%"></th></tr></thead><tbody>
            {{#history}}<tr><td><a href="/runs/{{id}}{{query}}">#{{id}}</a></td><td>{{date}}</td><td><span class="state" style="--c:{{colour}}">{{stateLabel}}</span></td>
            <td>{{trigger}}</td><td>{{start}}</td><td>{{end}}</td><td class="n">{{took}}</td>
            <td><span class="durations" style="--c:{{colour}};width:{{width}}%" title="{{took}}"></span></td></tr>
            {{/history}}</tbody></table>{{/hasHistory}}
            {{^hasHistory}}<p class="empty">{{l.noRuns}}</p>{{/hasHistory}}
            {{> console-foot}}
            """,
    ]

    static func renderList(_ nets: [(name: String, run: RunRecord?)], site: Site, zone: TimeZone, request: Request, identity: Identity) -> String {
        let labels = Language(request).consoleAll
        var values = ConsoleLayout.values(request, identity, section: .nets, title: labels["navNets"] ?? "")
        let query = Pages.query(request)
        values["nets"] = nets.map { n -> [String: Any] in
            let def = try? site.loadNet(n.name)
            var row: [String: Any] = ["name": n.name, "path": ConsoleLayout.percent(n.name), "query": query, "description": def?.description ?? "",
                                      "schedule": def.map { $0.schedule.map(\.at.description).joined(separator: ", ") } ?? ""]
            if let r = n.run {
                row["run"] = r.id
                row["date"] = r.businessDate
                row["stateLabel"] = labels[r.state.rawValue] ?? r.state.rawValue
                row["colour"] = ConsoleLayout.colours[r.state.rawValue] ?? ""
            }
            return row
        }
        return PageTemplates.render("nets", values)
    }

    static func render(_ view: NetPageView, request: Request, identity: Identity) -> String {
        let labels = Language(request).consoleAll
        let net = view.net
        var values = ConsoleLayout.values(request, identity, section: .nets, title: net.name)
        let query = Pages.query(request)
        let zone = view.zone
        values["name"] = net.name
        if let d = net.description { values["description"] = d }
        values["schedule"] = view.schedule
        values["calendar"] = view.calendar ?? labels["standardCalendar"] ?? ""
        values["concurrency"] = net.concurrency
        if let d = net.startDeadline { values["startDeadline"] = d.description }
        if let d = net.endDeadline { values["endDeadline"] = d.description }
        values["after"] = net.after.map { ["name": $0, "path": ConsoleLayout.percent($0), "query": query] }
        values["dependents"] = view.dependents.map { ["name": $0, "path": ConsoleLayout.percent($0), "query": query] }
        var states: [String: String] = [:]
        for (job, state) in view.jobStates { states[job] = view.heldJobs.contains(job) && !state.isEnded ? "held" : state.rawValue }
        if view.latest == nil { for job in net.jobs { states[job.name] = "planned" } }
        values["graph"] = NetGraph(net: net).svg(states: states, labels: labels, colours: ConsoleLayout.colours, placements: view.placements)
        let shown = ["waiting", "running", "held", "retry-wait", "normal", "warning", "abnormal", "skipped", "not-run"]
        values["legend"] = shown.map { ["label": labels[$0] ?? $0, "colour": ConsoleLayout.colours[$0] ?? ""] }
        if let r = view.latest {
            values["latest"] = ["id": r.id, "date": r.businessDate, "stateLabel": labels[r.state.rawValue] ?? r.state.rawValue,
                                "colour": ConsoleLayout.colours[r.state.rawValue] ?? "", "query": query]
        }
        values["zoneName"] = ConsoleLayout.zoneName(zone)
        values["hasNext"] = !view.next.isEmpty
        values["next"] = view.next.map { ["date": $0.businessDate.description, "at": ConsoleLayout.dayClock($0.instant.timeIntervalSince1970, zone)] }
        let longest = view.history.compactMap { r in r.start.flatMap { s in r.end.map { $0 - s } } }.max() ?? 0
        values["hasHistory"] = !view.history.isEmpty
        values["history"] = view.history.map { r -> [String: Any] in
            let took = r.start.flatMap { s in r.end.map { $0 - s } }
            return ["id": r.id, "date": r.businessDate, "stateLabel": labels[r.state.rawValue] ?? r.state.rawValue,
                    "colour": ConsoleLayout.colours[r.state.rawValue] ?? "", "trigger": r.trigger, "query": query,
                    "start": ConsoleLayout.dayClock(r.start, zone), "end": ConsoleLayout.dayClock(r.end, zone),
                    "took": took.map(ConsoleLayout.duration) ?? "",
                    "width": String(format: "%.1f", longest > 0 ? max(0.5, (took ?? 0) / longest * 100) : 0)]
        }
        return PageTemplates.render("net", values)
    }
}
