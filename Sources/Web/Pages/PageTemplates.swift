import Mustache

/// The server-rendered pages: plain HTML, hand-written CSS, no script. Mustache escapes every value.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are constants of this file: a failure to parse them is a programming error
        // caught by the first test that renders a page.
        for (name, text) in templates { try? library.register(text, named: name) }
        return library
    }()

    static let style = """
        body{font-family:"IPAexGothic","Noto Sans JP",sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
        h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left}
        td.n{text-align:right}.error{color:#a00;font-weight:bold}form.inline{display:inline}label{display:block;margin:.6rem 0}
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
            {{> layout-head}}<h1>Nightjar — {{l.login}}</h1>
            {{#error}}<p class="error">{{error}}</p>{{/error}}
            <form method="post" action="/login{{query}}"><input type="hidden" name="csrf" value="{{csrf}}">
            <label>{{l.name}} <input name="name" autocomplete="username" required></label>
            <label>{{l.password}} <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">{{l.login}}</button></form></body></html>
            """,
        "home": """
            {{> layout-head}}<p>{{> logout}}</p><h1>{{l.home}}</h1>
            <p>{{l.homeNote}} <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p></body></html>
            """,
        "vendor": """
            {{> layout-head}}<p>{{> logout}}</p><h1>{{l.portal}} — {{vendor}}</h1><h2>{{l.batches}}</h2>
            {{^batches}}<p>{{l.none}}</p>{{/batches}}
            {{#hasBatches}}<table><tr><th>{{l.batch}}</th><th>{{l.form}}</th><th>{{l.state}}</th><th>{{l.notices}}</th>
            <th>{{l.pages}}</th><th>{{l.volumes}}</th><th>{{l.rendered}}</th></tr>
            {{#batches}}<tr><td>{{id}}</td><td>{{form}}</td><td>{{state}}</td><td class="n">{{notices}}</td><td class="n">{{pages}}</td>
            <td class="n">{{volumes}}</td><td>{{renderedAt}}</td></tr>{{/batches}}</table>{{/hasBatches}}
            </body></html>
            """,
    ]

    static func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }
}
