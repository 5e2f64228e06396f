import Foundation
import JobNets

/// A job net as a layered drawing: each job in the layer of its longest chain of `needs:` from a job
/// that needs nothing (so every edge points right), jobs within a layer ordered by the mean position
/// of what they need (one barycentre pass, which untangles the usual nets), then placed on a grid.
/// Cross-net `after:` nets are drawn as a column of their own on the left, pointing at the jobs that
/// start the net. Pure: the net and the states in, positions or SVG text out.
struct NetGraph {
    struct Node: Equatable {
        var name: String
        var layer: Int
        var slot: Int
    }

    let net: JobNet

    /// Longest-path layers: a job's layer is one more than the highest layer among its needs. A cycle
    /// (which validation refuses) cannot hang it: needs not yet placed count as layer 0.
    func layers() -> [String: Int] {
        var layer: [String: Int] = [:]
        var visiting: Set<String> = []
        let byName = Dictionary(net.jobs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func place(_ name: String) -> Int {
            if let l = layer[name] { return l }
            guard !visiting.contains(name), let job = byName[name] else { return 0 }
            visiting.insert(name)
            let l = job.needs.map { place($0) + 1 }.max() ?? 0
            visiting.remove(name)
            layer[name] = l
            return l
        }
        for job in net.jobs { _ = place(job.name) }
        return layer
    }

    func nodes() -> [Node] {
        let layer = layers()
        let count = (layer.values.max() ?? -1) + 1
        var columns: [[String]] = Array(repeating: [], count: count)
        for job in net.jobs { columns[layer[job.name] ?? 0].append(job.name) }
        var slot: [String: Double] = [:]
        for (i, name) in (columns.first ?? []).enumerated() { slot[name] = Double(i) }
        let needs = Dictionary(net.jobs.map { ($0.name, $0.needs) }, uniquingKeysWith: { a, _ in a })
        for c in columns.indices.dropFirst() {
            // Barycentre of the needs' slots; ties keep the file's order.
            let order = columns[c].enumerated().map { (i, name) -> (Double, Int, String) in
                let ns = (needs[name] ?? []).compactMap { slot[$0] }
                return (ns.isEmpty ? Double(i) : ns.reduce(0, +) / Double(ns.count), i, name)
            }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            columns[c] = order.map(\.2)
            for (i, name) in columns[c].enumerated() { slot[name] = Double(i) }
        }
        return columns.enumerated().flatMap { l, names in names.enumerated().map { Node(name: $1, layer: l, slot: $0) } }
    }

    static let nodeWidth = 150.0, nodeHeight = 40.0, columnGap = 70.0, rowGap = 22.0, margin = 16.0

    /// The SVG: boxes coloured by `states` (job name → state word, "held" included), arrows for needs.
    func svg(states: [String: String], labels: [String: String], colours: [String: String]) -> String {
        let nodes = nodes()
        let after = net.after
        let offset = after.isEmpty ? 0.0 : 1.0   // the after: column
        let columns = (nodes.map(\.layer).max() ?? 0) + 1
        let rows = max(nodes.map(\.slot).max() ?? 0, after.count - 1) + 1
        let w = Self.margin * 2 + (Double(columns) + offset) * (Self.nodeWidth + Self.columnGap) - Self.columnGap
        let h = Self.margin * 2 + Double(rows) * (Self.nodeHeight + Self.rowGap) - Self.rowGap
        func pos(_ layer: Double, _ slot: Int) -> (x: Double, y: Double) {
            (Self.margin + layer * (Self.nodeWidth + Self.columnGap), Self.margin + Double(slot) * (Self.nodeHeight + Self.rowGap))
        }
        var at: [String: (x: Double, y: Double)] = [:]
        for n in nodes { at[n.name] = pos(Double(n.layer) + offset, n.slot) }
        var s = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(f(w)) \##(f(max(h, 60)))" role="img" aria-label="\##(e(net.name))" font-size="13" font-family="inherit" style="max-width:\##(f(w))px">"##
        s += ##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#52606d"/></marker></defs>"##
        func edge(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double), dashed: Bool) -> String {
            let x1 = a.x + Self.nodeWidth, y1 = a.y + Self.nodeHeight / 2, x2 = b.x - 2, y2 = b.y + Self.nodeHeight / 2
            let mx = (x1 + x2) / 2
            return ##"<path class="edge" d="M\##(f(x1)) \##(f(y1))C\##(f(mx)) \##(f(y1)) \##(f(mx)) \##(f(y2)) \##(f(x2)) \##(f(y2))" fill="none" stroke="#52606d" stroke-width="1.5"\##(dashed ? ##" stroke-dasharray="5 4""## : "") marker-end="url(#arrow)"/>"##
        }
        // Cross-net: each after: net points at the jobs that need nothing (they start once it has ended).
        let roots = nodes.filter { $0.layer == 0 }.map(\.name)
        for (i, other) in after.enumerated() {
            let p = pos(0, i)
            for r in roots { if let b = at[r] { s += edge(p, b, dashed: true) } }
            s += ##"<a href="/nets/\##(e(ConsoleLayout.percent(other)))"><g class="after-net" data-net="\##(e(other))"><rect x="\##(f(p.x))" y="\##(f(p.y))" width="\##(f(Self.nodeWidth))" height="\##(f(Self.nodeHeight))" rx="20" fill="#fff" stroke="#7b8794" stroke-dasharray="5 4"/>"##
            s += ##"<text x="\##(f(p.x + Self.nodeWidth / 2))" y="\##(f(p.y + 17))" text-anchor="middle" fill="#1d5d90">\##(e(clip(other, 18)))</text>"##
            s += ##"<text x="\##(f(p.x + Self.nodeWidth / 2))" y="\##(f(p.y + 32))" text-anchor="middle" font-size="11" fill="#52606d">after:</text></g></a>"##
        }
        for job in net.jobs {
            guard let b = at[job.name] else { continue }
            for need in job.needs { if let a = at[need] { s += edge(a, b, dashed: false) } }
        }
        for n in nodes {
            guard let p = at[n.name] else { continue }
            let state = states[n.name] ?? "waiting"
            let colour = colours[state] ?? "#7b8794"
            let dark = state != "not-run" && state != "planned"
            s += ##"<g class="job" data-job="\##(e(n.name))" data-state="\##(e(state))"><title>\##(e("\(n.name): \(labels[state] ?? state)"))</title>"##
            s += ##"<rect x="\##(f(p.x))" y="\##(f(p.y))" width="\##(f(Self.nodeWidth))" height="\##(f(Self.nodeHeight))" rx="6" fill="\##(colour)"/>"##
            s += ##"<text x="\##(f(p.x + Self.nodeWidth / 2))" y="\##(f(p.y + 17))" text-anchor="middle" font-weight="bold" fill="\##(dark ? "#fff" : "#1f2933")">\##(e(clip(n.name, 18)))</text>"##
            s += ##"<text x="\##(f(p.x + Self.nodeWidth / 2))" y="\##(f(p.y + 32))" text-anchor="middle" font-size="11" fill="\##(dark ? "#fff" : "#1f2933")">\##(e(labels[state] ?? state))</text></g>"##
        }
        return s + "</svg>"
    }

    func e(_ s: String) -> String { ConsoleLayout.escape(s) }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }
    func clip(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }
}
