import Foundation
import HTTPTypes
import Hummingbird
import Operations

/// The operators' console's frame, shared by all its pages (Tonight, Nets, Run, Job, Calendars, Spool,
/// Alerts, Audit): the bar with the navigation, the language switch and the logout form, and the
/// answer's headers. A page gives its title, its section and its body's HTML.
enum ConsoleLayout {
    enum Section: String, CaseIterable {
        case tonight, nets, calendars, spool, alerts, audit

        var path: String {
            switch self {
            case .tonight: return "/tonight"
            case .nets: return "/nets"
            case .calendars: return "/calendars"
            case .spool: return "/spool"
            case .alerts: return "/alerts"
            case .audit: return "/audit"
            }
        }

        var labelKey: String { "nav" + rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    /// The console's additions to the pages' style: a wider page for the charts, the navigation, the
    /// state colours (the same in the SVG, the counts and the tables).
    static let style = """
        main.wide{max-width:86rem;padding-top:1rem}
        nav.console{display:flex;gap:.2rem;flex-wrap:wrap}nav.console a{color:#fff;text-decoration:none;padding:.25rem .75rem;border-radius:4px}
        nav.console a:hover{background:#ffffff22}nav.console a[aria-current]{background:#fff;color:#24445c;font-weight:bold}
        .counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem;padding:0;list-style:none}
        .counts li{background:#fff;border:1px solid #d9dee3;border-left:6px solid var(--c);border-radius:6px;padding:.3rem .9rem;min-width:7.5rem}
        .counts b{display:block;font-size:1.5rem;line-height:1.2;font-variant-numeric:tabular-nums}.counts span{font-size:.85rem;color:#3e4c59}
        .chart{background:#fff;border:1px solid #d9dee3;border-radius:6px;padding:.4rem;overflow-x:auto}
        .chart svg{display:block;width:100%;height:auto;min-width:60rem}
        .legend{display:flex;flex-wrap:wrap;gap:.4rem 1.1rem;font-size:.85rem;color:#3e4c59;margin:.5rem 0 0;padding:0;list-style:none}
        .legend i{display:inline-block;width:1.3rem;height:.75rem;margin-right:.35rem;vertical-align:middle;border-radius:2px;background:var(--c)}
        .legend i.line{width:3px;height:1rem}.legend i.dash{background:#fff;border:2px dashed #1d6fb8}
        .state{display:inline-block;font-size:.82rem;padding:0 .55rem;border-radius:999px;color:#fff;background:var(--c);white-space:nowrap}
        .late{color:#b3261e;font-weight:bold}table.console td,table.console th{padding:.35rem .6rem;font-size:.92rem}
        .facts-row{display:flex;flex-wrap:wrap;gap:.6rem 1.5rem;margin:0 0 1rem}.facts-row div{min-width:10rem}
        .durations{display:inline-block;height:.7rem;background:var(--c);border-radius:2px;vertical-align:middle;min-width:2px}
        """

    /// The colour of each state, run or job.
    static let colours: [String: String] = [
        "planned": "#9aa5b1", "waiting": "#7b8794", "running": "#1d6fb8", "held": "#7b4fa0", "normal": "#2f8f4e", "warning": "#d08a00",
        "abnormal": "#c62828", "retry-wait": "#e07b00", "skipped": "#5f9ea0", "not-run": "#bcc3ca",
    ]

    static let templates: [String: String] = [
        "console-head": """
            <!doctype html><html lang="{{l.lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>{{title}} — Nightjar</title><style>\(PageTemplates.style)\(style)\(ConsoleTemplates.style)</style>
            {{#live}}<script src="/static/console.js" defer></script>{{/live}}</head><body>
            <header class="bar"><div class="brand">Nightjar <span>{{l.console}}</span></div>
            <nav class="console" aria-label="{{l.console}}">{{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}</nav>
            <div class="who">{{> logout}} <a class="lang" href="{{otherLanguage}}">{{l.otherLanguage}}</a></div></header><main class="wide">
            """,
        "console-foot": "</main></body></html>",
    ]

    /// What every console page's template needs: the words, the navigation (keeping `?lang=`) with
    /// `section` marked current (none for a page outside the sections), the account and its CSRF token
    /// for the logout form; `live` loads the console's script.
    static func values(_ request: Request, _ identity: Identity?, section: Section?, title: String, live: Bool = false) -> [String: Any] {
        let language = Language(request), labels = language.consoleAll
        let query = Pages.query(request)
        let nav: [[String: Any]] = Section.allCases.map { s in
            ["href": s.path + query, "label": labels[s.labelKey] ?? s.rawValue, "current": s == section]
        }
        var other = request.uri.queryParameters.filter { $0.key != "lang" }.map { "\($0.key)=\(Self.percent(String($0.value)))" }
        other.append("lang=\(language == .ja ? "en" : "ja")")
        var values: [String: Any] = ["l": labels, "title": title, "nav": nav, "live": live, "query": query,
                                     "otherLanguage": request.uri.path + "?" + other.joined(separator: "&")]
        if let identity {
            values["account"] = identity.account.name
            values["csrf"] = identity.session?.csrf ?? ""
        }
        return values
    }

    /// A path segment or query value: unreserved characters as they are, the rest percent-encoded.
    static func percent(_ s: String) -> String {
        // Job names are letters, digits, '-' and '_': no Foundation call for them (10,000 a page).
        let plain = s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E || $0 == 0x7E }
        return plain ? s : s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A console page. Its only script is the console's own file (`script-src 'self'`), which opens the
    /// live-update stream (`connect-src 'self'`); no inline script is allowed.
    /// `cookie`: one to set with the page (the action notice's removal once shown).
    static func response(_ text: String, status: HTTPResponse.Status = .ok, cookie: Cookie? = nil) -> Response {
        var response = HTTPIO.text(text, contentType: "text/html; charset=utf-8", status: status,
                                   headers: [.cacheControl: "no-store",
                                             .contentSecurityPolicy: "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
                                             HTTPField.Name("X-Frame-Options")!: "DENY"])
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// Text for SVG and hand-built HTML: the five characters that matter, escaped.
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
