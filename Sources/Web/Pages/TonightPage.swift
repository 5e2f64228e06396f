import Foundation
import Hummingbird
import Operations

/// 今夜の運用: counts by state, the Gantt, a legend and the same rows as a table (readable without the
/// chart, and by a screen reader). `#live` is the part the console script swaps on a change.
enum TonightPage {
    static let templates: [String: String] = [
        "tonight": """
            {{> console-head}}
            <h1>{{l.tonight}} <small>{{l.businessDate}} {{dates}} · {{l.now}} {{nowText}} · {{l.timeZone}} {{zoneName}}</small></h1>
            <div id="live" data-events="/events/tonight" data-token="{{token}}">
            <ul class="counts">{{#counts}}<li style="--c:{{colour}}" data-state="{{state}}"><b>{{count}}</b><span>{{label}}</span></li>{{/counts}}</ul>
            {{#hasRows}}<div class="chart">{{{svg}}}</div>
            <ul class="legend">{{#legend}}<li><i style="--c:{{colour}}"></i>{{label}}</li>{{/legend}}
            <li><i class="dash"></i>{{l.legendPredicted}}</li><li><i class="line" style="--c:#b3261e"></i>{{l.legendDeadline}}</li>
            <li><i class="line" style="--c:#d64545"></i>{{l.legendNow}}</li><li>▼ {{l.legendPlanned}}</li></ul>
            <table class="console" style="margin-top:1rem"><thead><tr><th>{{l.net}}</th><th>{{l.run}}</th><th>{{l.state}}</th><th>{{l.plannedStart}}</th>
            <th>{{l.start}}</th><th>{{l.end}}</th><th>{{l.predicted}}</th><th>{{l.deadline}}</th><th class="n">{{l.jobs}}</th></tr></thead><tbody>
            {{#rows}}<tr data-net="{{net}}"><td class="name"><a href="/nets/{{netPath}}{{query}}">{{net}}</a><br><small>{{date}}</small></td>
            <td>{{#run}}<a href="/runs/{{run}}{{query}}">#{{run}}</a>{{/run}}{{^run}}—{{/run}}</td>
            <td><span class="state" style="--c:{{colour}}">{{stateLabel}}</span></td><td>{{planned}}</td><td>{{start}}</td><td>{{end}}</td>
            <td>{{predicted}}{{#high}} <small>({{l.atWorst}} {{high}})</small>{{/high}}</td>
            <td>{{deadline}}{{#late}} <span class="late">⚠ {{l.lateShort}}</span>{{/late}}</td><td class="n">{{jobs}}</td></tr>
            {{/rows}}</tbody></table>{{/hasRows}}
            {{^hasRows}}<p class="empty">{{l.noRows}}</p>{{/hasRows}}
            </div>
            <p class="note">{{l.liveNote}}</p>
            {{> console-foot}}
            """,
    ]

    static func render(_ view: TonightView, token: String, request: Request, identity: Identity) -> String {
        let language = Language(request), labels = language.consoleAll
        var values = ConsoleLayout.values(request, identity, section: .tonight, title: labels["tonight"] ?? "", live: true)
        let query = Pages.query(request)
        let zone = view.zone
        let counts = view.counts
        values["counts"] = TonightView.State.allCases.map { s -> [String: Any] in
            ["state": s.rawValue, "count": counts[s] ?? 0, "label": labels[s.rawValue] ?? s.rawValue, "colour": ConsoleLayout.colours[s.rawValue] ?? ""]
        }
        values["legend"] = TonightView.State.allCases.map { s -> [String: Any] in
            ["label": labels[s.rawValue] ?? s.rawValue, "colour": ConsoleLayout.colours[s.rawValue] ?? ""]
        }
        values["hasRows"] = !view.rows.isEmpty
        values["svg"] = GanttChart(view: view, labels: labels, query: query).svg()
        values["rows"] = view.rows.map { r -> [String: Any] in
            var row: [String: Any] = [
                "net": r.net, "netPath": ConsoleLayout.percent(r.net), "date": r.businessDate, "query": query,
                "stateLabel": labels[r.state.rawValue] ?? r.state.rawValue, "colour": ConsoleLayout.colours[r.state.rawValue] ?? "",
                "planned": ConsoleLayout.clock(r.planned, zone), "start": ConsoleLayout.clock(r.start, zone), "end": ConsoleLayout.clock(r.end, zone),
                "predicted": r.end == nil ? ConsoleLayout.clock(r.predictedEnd, zone) : "", "deadline": ConsoleLayout.clock(r.deadline, zone),
                "late": r.late, "jobs": "\(r.jobsEnded)/\(r.jobs)",
            ]
            if let id = r.runID { row["run"] = id }
            if r.end == nil, let high = r.predictedHigh, high > (r.predictedEnd ?? 0) { row["high"] = ConsoleLayout.clock(high, zone) }
            return row
        }
        values["dates"] = view.dates.joined(separator: ", ")
        values["nowText"] = ConsoleLayout.dayClock(view.now, zone)
        values["zoneName"] = ConsoleLayout.zoneName(zone)
        values["token"] = token
        return PageTemplates.render("tonight", values)
    }
}
