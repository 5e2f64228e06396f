import Mustache

/// The server-rendered pages: plain HTML, hand-written CSS, no script. Mustache escapes every value.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are constants of this file: a failure to parse them is a programming error
        // caught by the first test that renders a page.
        for (name, text) in templates.merging(PortalTemplates.templates, uniquingKeysWith: { a, _ in a }) { try? library.register(text, named: name) }
        // The operators' console (issue 14).
        for set in [ConsoleLayout.templates, TonightPage.templates, NetPage.templates, ConsoleTemplates.templates] {
            for (name, text) in set { try? library.register(text, named: name) }
        }
        return library
    }()

    /// Calm and plain: a city's tool. System fonts with Japanese ones first, one accent colour, tables
    /// that read across, and nothing that moves.
    static let style = """
        *{box-sizing:border-box}
        body{font-family:"Noto Sans CJK JP","Noto Sans JP","IPAexGothic","Hiragino Sans",sans-serif;margin:0;color:#1f2933;background:#f6f7f9;line-height:1.6}
        main{max-width:66rem;margin:0 auto;padding:1.5rem 1.5rem 3rem}
        .bar{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap;background:#24445c;color:#fff;padding:.6rem 1.5rem}
        .bar .brand{font-weight:bold;letter-spacing:.03em}.bar .brand span{font-weight:normal;margin-left:.6rem;opacity:.9}
        .bar a,.bar button{color:#fff}.bar button{background:transparent;border:1px solid #fff8;border-radius:4px;padding:.15rem .7rem;cursor:pointer;font:inherit}
        .bar .lang{margin-left:.8rem}
        h1{font-size:1.45rem;margin:.6rem 0 1rem}h1 small{font-size:1rem;color:#52606d;font-weight:normal;margin-left:.5rem}
        h2{font-size:1.15rem;margin:2rem 0 .6rem;padding-bottom:.3rem;border-bottom:2px solid #d9dee3}h2 small{font-size:.9rem;color:#52606d;font-weight:normal;margin-left:.4rem}
        a{color:#1d5d90}.note{color:#52606d;font-size:.92rem}.empty{padding:1rem;background:#fff;border:1px solid #d9dee3;border-radius:6px}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d9dee3;border-radius:6px}
        th,td{border-bottom:1px solid #e4e7eb;padding:.55rem .75rem;text-align:left;vertical-align:top}
        th{background:#eef1f4;font-size:.88rem;color:#3e4c59;font-weight:bold}tbody tr:nth-child(even){background:#fafbfc}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.name{white-space:nowrap}td.sum code{font-size:.78rem;word-break:break-all;color:#3e4c59}
        .badge{display:inline-block;font-size:.82rem;padding:.05rem .6rem;border-radius:999px;border:1px solid;vertical-align:middle;font-weight:normal}
        .badge.published{color:#8a5a00;border-color:#e0b252;background:#fff8e6}.badge.collected{color:#1e6b3a;border-color:#7cc196;background:#ecf8f0}
        .badge.printed{color:#3e4c59;border-color:#9aa5b1;background:#f0f2f4}
        .crumbs{font-size:.9rem;color:#52606d}
        dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11.5rem,1fr));gap:.6rem;margin:0}
        dl.facts div{background:#fff;border:1px solid #d9dee3;border-radius:6px;padding:.5rem .8rem}
        dt{font-size:.8rem;color:#52606d}dd{margin:0;font-size:1.05rem;font-variant-numeric:tabular-nums;white-space:nowrap}
        .button,button.primary{display:inline-block;background:#24445c;color:#fff;border:0;border-radius:5px;padding:.55rem 1.2rem;font:inherit;text-decoration:none;cursor:pointer}
        button.primary{background:#1e6b3a;font-weight:bold}
        .ok{background:#ecf8f0;border:1px solid #7cc196;color:#1e4d2e;padding:.7rem 1rem;border-radius:6px;margin:0 0 1rem}
        .alert{background:#fdeeee;border:1px solid #e39b9b;color:#7a1c1c;padding:.7rem 1rem;border-radius:6px;margin:0 0 1rem}.alert p{margin:.3rem 0}
        .done{color:#1e6b3a;font-weight:bold}.error{color:#a00;font-weight:bold}form.inline{display:inline}
        .login{max-width:24rem;margin:4rem auto;background:#fff;border:1px solid #d9dee3;border-radius:8px;padding:1.5rem 2rem}
        .login label{display:block;margin:.8rem 0;font-size:.92rem}.login input{display:block;width:100%;padding:.45rem;font:inherit;border:1px solid #9aa5b1;border-radius:4px;margin-top:.2rem}
        .login button{margin-top:.6rem;width:100%;background:#24445c}
        """

    static let templates: [String: String] = [
        "layout-head": """
            <!doctype html><html lang="{{l.lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>{{title}}</title><style>\(style)</style></head><body>
            """,
        "logout": """
            <form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}">
            {{l.signedIn}} {{account}} <button type="submit">{{l.logout}}</button></form>
            """,
        "login": """
            {{> layout-head}}<main><div class="login"><h1>Nightjar — {{l.login}}</h1>
            {{#error}}<p class="error">{{error}}</p>{{/error}}
            <form method="post" action="/login{{query}}"><input type="hidden" name="csrf" value="{{csrf}}">
            <label>{{l.name}} <input name="name" autocomplete="username" required></label>
            <label>{{l.password}} <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit" class="primary">{{l.login}}</button></form></div></main></body></html>
            """,
        "home": """
            {{> layout-head}}<p>{{> logout}}</p><h1>{{l.home}}</h1>
            <p>{{l.homeNote}} <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p></body></html>
            """,
    ]

    static func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }
}
