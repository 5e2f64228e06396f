import Foundation
import Operations

/// Tonight's Gantt as server-side SVG: one row per run or planned start, on a time axis in the site's
/// zone. The past is shaded grey and a red line marks now; a bar runs from the actual start to the end
/// (or to now), in its state's colour; a dashed box continues it to the predicted end, with a line to
/// the end at worst; a red tick is the end deadline and a small triangle the planned start. Each bar
/// links to its run, each name to its net. Pure: the view and the words in, the SVG text out.
struct GanttChart {
    let view: TonightView
    let labels: [String: String]
    /// `?lang=…` to keep on links.
    let query: String

    static let width = 1280.0
    static let labelWidth = 200.0
    static let right = 28.0
    static let header = 46.0
    static let rowHeight = 34.0

    /// The axis: whole hours around everything drawn, now included, at least four hours, at most a
    /// day and a half around now (a run stuck for days must not squash tonight into a sliver).
    var range: (from: Double, to: Double) {
        var times = [view.now]
        for r in view.rows {
            times += [r.planned, r.start, r.end, r.deadline, r.predictedEnd, r.predictedHigh].compactMap { $0 }
        }
        var from = max((times.min() ?? view.now) - 900, view.now - 18 * 3600)
        var to = min((times.max() ?? view.now) + 900, view.now + 18 * 3600)
        from = (from / 3600).rounded(.down) * 3600
        to = (to / 3600).rounded(.up) * 3600
        if to - from < 4 * 3600 { to = from + 4 * 3600 }
        return (from, to)
    }

    func svg() -> String {
        let (from, to) = range
        let x0 = Self.labelWidth, x1 = Self.width - Self.right
        func x(_ t: Double) -> Double { x0 + (min(max(t, from), to) - from) / (to - from) * (x1 - x0) }
        let height = Self.header + Double(max(view.rows.count, 1)) * Self.rowHeight + 8
        let zone = view.zone
        var s = ""
        s.reserveCapacity(4096 + view.rows.count * 1200)
        s += ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(f(Self.width)) \##(f(height))" role="img" aria-label="\##(e(labels["tonight"] ?? ""))" font-size="13" font-family="inherit">"##
        // The past, grey.
        s += ##"<rect class="past" x="\##(f(x0))" y="\##(f(Self.header))" width="\##(f(x(view.now) - x0))" height="\##(f(height - Self.header))" fill="#e9ecef"/>"##
        // Rows' bands.
        for i in view.rows.indices where i % 2 == 1 {
            s += ##"<rect x="0" y="\##(f(Self.header + Double(i) * Self.rowHeight))" width="\##(f(Self.width))" height="\##(f(Self.rowHeight))" fill="#f5f7fa" fill-opacity="0.6"/>"##
        }
        // Hours.
        let span = to - from
        let step = span <= 14 * 3600 ? 3600.0 : span <= 28 * 3600 ? 7200 : 10800
        var t = from
        while t <= to + 1 {
            let xt = x(t)
            s += ##"<line x1="\##(f(xt))" y1="22" x2="\##(f(xt))" y2="\##(f(height))" stroke="#d9dee3"/>"##
            s += ##"<text x="\##(f(xt))" y="16" text-anchor="middle" fill="#52606d">\##(ConsoleLayout.clock(t, zone))</text>"##
            t += step
        }
        for (i, r) in view.rows.enumerated() {
            s += row(r, top: Self.header + Double(i) * Self.rowHeight, x: x)
        }
        // Now, over everything.
        let xn = x(view.now)
        s += ##"<line class="now" x1="\##(f(xn))" y1="24" x2="\##(f(xn))" y2="\##(f(height))" stroke="#d64545" stroke-width="2"/>"##
        s += ##"<text x="\##(f(xn + 4))" y="\##(f(Self.header - 8))" fill="#d64545" font-weight="bold">\##(e(labels["now"] ?? "")) \##(ConsoleLayout.clock(view.now, zone))</text>"##
        s += "</svg>"
        return s
    }

    func row(_ r: TonightView.Row, top: Double, x: (Double) -> Double) -> String {
        let zone = view.zone
        let mid = top + Self.rowHeight / 2
        let colour = ConsoleLayout.colours[r.state.rawValue] ?? "#7b8794"
        let stateText = labels[r.state.rawValue] ?? r.state.rawValue
        var s = ##"<g class="row" data-net="\##(e(r.net))" data-state="\##(r.state.rawValue)"\##(r.runID.map { ##" data-run="\##($0)""## } ?? "")>"##
        // The name, linking to the net; under it the run and the date.
        s += ##"<a href="/nets/\##(e(ConsoleLayout.percent(r.net)))\##(e(query))"><text x="8" y="\##(f(mid - 2))" font-weight="bold" fill="#1d5d90">\##(e(clip(r.net, 24)))</text></a>"##
        let sub = (r.runID.map { "#\($0) " } ?? "") + r.businessDate + (r.late ? " ⚠" : "")
        s += ##"<text x="8" y="\##(f(mid + 12))" font-size="11" fill="\##(r.late ? "#b3261e" : "#52606d")">\##(e(sub))</text>"##
        var tip = "\(r.net) \(r.businessDate) — \(stateText)"
        if let p = r.planned { tip += "\n\(labels["plannedStart"] ?? "") \(ConsoleLayout.clock(p, zone))" }
        if let a = r.start { tip += "\n\(labels["start"] ?? "") \(ConsoleLayout.clock(a, zone))" }
        if let b = r.end { tip += "\n\(labels["end"] ?? "") \(ConsoleLayout.clock(b, zone))" }
        if let p = r.predictedEnd { tip += "\n\(labels["predicted"] ?? "") \(ConsoleLayout.clock(p, zone))" + (r.predictedHigh.map { " (\(labels["atWorst"] ?? "") \(ConsoleLayout.clock($0, zone)))" } ?? "") }
        if let d = r.deadline { tip += "\n\(labels["deadline"] ?? "") \(ConsoleLayout.clock(d, zone))" + (r.late ? " — \(labels["late"] ?? "")" : "") }
        tip += "\n\(labels["jobs"] ?? "") \(r.jobsEnded)/\(r.jobs)"
        var bar = "<title>\(e(tip))</title>"
        let barTop = mid - 7, barHeight = 14.0
        // The actual part: from the start to the end, or to now while it runs.
        var predictedFrom: Double?
        if let start = r.start {
            let end = r.end ?? view.now
            let w = max(x(end) - x(start), 3)
            bar += ##"<rect class="bar" x="\##(f(x(start)))" y="\##(f(barTop))" width="\##(f(w))" height="\##(f(barHeight))" rx="2" fill="\##(colour)"/>"##
            if r.end == nil { predictedFrom = max(view.now, start) }
        } else if r.end == nil {
            // Not started (waiting, held, planned): the prediction begins at the later of its planned start and now.
            predictedFrom = max(view.now, r.planned ?? view.now)
        }
        if let p = r.predictedEnd, let from = predictedFrom {
            let w = max(x(p) - x(from), 3)
            let stroke = r.late ? "#b3261e" : colour
            bar += ##"<rect class="predicted" x="\##(f(x(from)))" y="\##(f(barTop))" width="\##(f(w))" height="\##(f(barHeight))" rx="2" fill="\##(colour)" fill-opacity="0.18" stroke="\##(stroke)" stroke-width="1.5" stroke-dasharray="4 3"/>"##
            if let high = r.predictedHigh, high > p {
                bar += ##"<line class="at-worst" x1="\##(f(x(p)))" y1="\##(f(mid))" x2="\##(f(x(high)))" y2="\##(f(mid))" stroke="\##(stroke)" stroke-width="1.5"/>"##
                bar += ##"<line x1="\##(f(x(high)))" y1="\##(f(mid - 4))" x2="\##(f(x(high)))" y2="\##(f(mid + 4))" stroke="\##(stroke)" stroke-width="1.5"/>"##
            }
        }
        if let planned = r.planned {
            let xp = x(planned)
            bar += ##"<path class="planned" d="M\##(f(xp - 5)) \##(f(top + 3))h10l-5 6z" fill="#3e4c59"/>"##
        }
        if let run = r.runID {
            s += ##"<a href="/runs/\##(run)\##(e(query))">\##(bar)</a>"##
        } else {
            s += "<g>\(bar)</g>"
        }
        if let d = r.deadline {
            let xd = x(d)
            s += ##"<g class="deadline"><title>\##(e("\(labels["deadline"] ?? "") \(ConsoleLayout.clock(d, zone))"))</title>"##
            s += ##"<line x1="\##(f(xd))" y1="\##(f(top + 4))" x2="\##(f(xd))" y2="\##(f(top + Self.rowHeight - 4))" stroke="#b3261e" stroke-width="2.5"/>"##
            s += ##"<path d="M\##(f(xd)) \##(f(top + 4))l6 3.5l-6 3.5z" fill="#b3261e"/></g>"##
        }
        s += "</g>"
        return s
    }

    func e(_ s: String) -> String { ConsoleLayout.escape(s) }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    func clip(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }
}
